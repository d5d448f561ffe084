"""Fences: what the agent may do, enforced in code on every tool call (never left to the prompt).

Permission profiles:

``search-only``  ``list_spaces`` and ``search_pages``;
``read-only``    plus reading pages (``get_page``, ``get_page_outline``, ``get_section``) and what is
                 beside them (``get_comments``, ``get_page_tree``, ``get_history``);
``propose``      plus the proposal tools (the default). Proposals are never writes: only a person
                 applies them.

A space allow-list (``workbench.agent.session.fence_for`` says where it comes from; empty or ``"*"``
means every space) is checked on every call that touches a space, including calls by page id: the
page's space is looked up *before* any content is returned. Nothing a tool receives (page text,
model output) can change a fence: the profile and the allow-list are fixed when the session starts
and only the person can change them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from workbench.config import AGENT_PROFILES, DEFAULT_AGENT_PROFILE
from workbench.errors import UsageError, WorkbenchError

SEARCH_TOOLS = frozenset({"list_spaces", "search_pages"})
READ_TOOLS = SEARCH_TOOLS | {
    "get_page",
    "get_page_outline",
    "get_section",
    "get_comments",
    "get_page_tree",
    "get_history",
}
PROPOSE_TOOLS = READ_TOOLS | {"propose_edit", "propose_page", "propose_comment", "propose_labels"}
WRITE_TOOLS = PROPOSE_TOOLS - READ_TOOLS  # the tools that make proposals (capped per turn)

#: each profile's tools, in the order (and with the names) of ``workbench.config.AGENT_PROFILES``
PROFILES: dict[str, frozenset[str]] = dict(
    zip(AGENT_PROFILES, (SEARCH_TOOLS, READ_TOOLS, PROPOSE_TOOLS), strict=True)
)
DEFAULT_PROFILE: str = DEFAULT_AGENT_PROFILE
ALL_SPACES = "*"


class FenceRefusal(WorkbenchError):
    """A tool call the fences do not allow. The message is shown to the model and to the person."""

    exit_code = 4


def check_profile_name(name: str) -> str:
    name = (name or DEFAULT_PROFILE).strip().lower()
    if name not in PROFILES:
        raise UsageError(f"Unknown agent profile '{name}'. Choose one of: {', '.join(PROFILES)}.")
    return name


@dataclass(frozen=True, slots=True)
class Fence:
    """The permission profile plus the space allow-list of one session (immutable)."""

    profile: str = DEFAULT_PROFILE
    allow_spaces: frozenset[str] = frozenset()
    source: str = (
        ""  # where the allow-list came from, in words for the person (not sent to the model)
    )

    @classmethod
    def build(
        cls, profile: str | None, allow_spaces: Iterable[str] | str = (), source: str = ""
    ) -> Fence:
        if isinstance(
            allow_spaces, str
        ):  # allow_spaces = "ENG, PROD" in the config: keys, not letters
            allow_spaces = allow_spaces.replace(",", " ").split()
        keys = frozenset(str(k).strip().upper() for k in allow_spaces if k and str(k).strip())
        if (
            ALL_SPACES in keys
        ):  # ["*"]: every space, said explicitly (a site can lift [agent] allow_spaces)
            keys = frozenset()
        return cls(check_profile_name(profile or DEFAULT_PROFILE), keys, source)

    def with_profile(self, profile: str) -> Fence:
        """The same allow-list under another permission profile (the person's choice)."""
        return Fence.build(profile, self.allow_spaces, self.source)

    @property
    def tools(self) -> frozenset[str]:
        return PROFILES[self.profile]

    def allows_tool(self, name: str) -> bool:
        return name in self.tools

    def check_tool(self, name: str) -> None:
        if name not in PROPOSE_TOOLS:
            raise FenceRefusal(f"There is no tool named '{name}'.")
        if name not in self.tools:
            raise FenceRefusal(
                f"The '{self.profile}' profile does not allow {name}; only the person can change the profile."
            )

    def allows_space(self, key: str | None) -> bool:
        return not self.allow_spaces or (key or "").upper() in self.allow_spaces

    def check_space(self, key: str | None) -> None:
        if not self.allows_space(key):
            allowed = ", ".join(sorted(self.allow_spaces))
            raise FenceRefusal(
                f"Space {key or '(unknown)'} is outside this site's allow-list ({allowed}); the agent may not touch it."
            )

    def describe(self) -> str:
        spaces = ", ".join(sorted(self.allow_spaces)) if self.allow_spaces else "all spaces"
        return f"profile {self.profile}; {spaces}"

    def describe_source(self) -> str:
        """``describe()`` plus where the allow-list came from (for the person)."""
        return self.describe() + (f" (from {self.source})" if self.source else "")
