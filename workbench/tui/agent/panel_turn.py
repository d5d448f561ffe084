"""One turn of the agent as the panel runs it, apart from drawing: what the model is told of the
page being read (within the fence), and what the person is told when a turn fails — a failed
model request (retryable or not), a limit or a refusal, or a fault of ours (logged, said plainly,
never a traceback). :class:`~workbench.tui.agent.panel.AgentPanel` runs the turn in its worker and
shows these."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.agent.loop import AgentSession
    from workbench.services.pages import OpenedPage

log = logging.getLogger(__name__)


async def page_context(session: AgentSession, current: OpenedPage | None) -> str:
    """The page being read, for the model: its id, title, space, version and kind — nothing of it
    (not even its title) when the fence keeps its space out; "" when no page is open."""
    # lazy, for start-up: workbench.agent.prompt loads on first use
    from workbench.agent.prompt import fenced_context
    from workbench.agent.prompt import page_context as context_of

    if current is None:
        return ""
    page = current.page
    try:
        key = await session.toolkit.space_key_of(page)
    except WorkbenchError:
        key = None  # unknown: with an allow-list the page is taken as outside it
    if not session.toolkit.fence.allows_space(key):
        return fenced_context()
    session.toolkit.note_kind(page.id, page.type)  # an open blog post is read as one
    return context_of(page.id, page.title, key or "", page.version.number, page.type)


@dataclass(frozen=True, slots=True)
class Failure:
    """How a failed turn is told: a line in the transcript (or none), the status line, and whether
    ``ctrl+r`` may send the request again."""

    status: str
    note: str = ""
    retryable: bool = False


def failure_of(exc: Exception) -> Failure:
    """What to tell the person about ``exc``, which ended a turn (proposals made so far are kept)."""
    # lazy, for start-up: workbench.agent.provider_errors loads on first use
    from workbench.agent.provider_errors import ProviderError

    if isinstance(exc, ProviderError):
        retry = " Press ctrl+r to retry." if exc.retryable else ""
        return Failure(exc.message + retry, f"⚠ {exc.message}", exc.retryable)
    if isinstance(exc, WorkbenchError):  # a limit of the turn, a refusal, not connected …
        return Failure(exc.message)
    # a bug must not leave the panel on "Working…" with nothing said
    log.warning("agent turn failed", exc_info=exc)
    name = type(exc).__name__
    return Failure(
        f"The agent stopped on an internal error ({name}); proposals made so far are kept. "
        "This is a fault in Confluence Workbench.",
        f"⚠ The agent stopped on an internal error ({name}).",
    )
