"""What the local Jira refuses: :class:`JiraError` carries the status, ``errorMessages`` and
per-field ``errors`` that the routes turn into Jira's ``{"errorMessages": [...], "errors": {...}}``
body."""

from __future__ import annotations


class JiraError(Exception):
    """What Jira would refuse: a status, ``errorMessages`` and per-field ``errors``."""

    def __init__(
        self,
        status: int,
        messages: list[str] | str | None = None,
        errors: dict[str, str] | None = None,
    ) -> None:
        self.status = status
        self.messages = [messages] if isinstance(messages, str) else list(messages or [])
        self.errors = dict(errors or {})
        super().__init__("; ".join([*self.messages, *self.errors.values()]))


def no_issue() -> JiraError:
    # Jira Cloud's words for a key it does not know or may not show (GET /rest/api/3/issue/{key})
    return JiraError(404, "Issue does not exist or you do not have permission to see it.")
