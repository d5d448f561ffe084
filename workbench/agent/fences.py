"""Fences: what the agent may do, enforced in code on every tool call (never left to the prompt).

Permission groups (as Neo has them). Every tool belongs to exactly one group, in ONE table,
:data:`TOOL_GROUPS`; a permission profile is a set of groups:

``spaces``       listing the spaces (``list_spaces``)
``search``       searching (``search_pages``)
``pages``        reading pages and what is beside them (outline, section, tree, history)
``comments``     reading comments
``attachments``  reading attachments (their list, an image)
``users``        looking people up (``find_users``, ``user_groups``, ``group_members``): in no
                 built-in profile (their schemas would not fit the request budget); name it in yours
``propose``      making proposals (an edit, a new page, a comment, labels, an upload, a move…):
                 never writes; only a person applies them
``delete``       proposing a deletion: in no built-in profile, only in one you configure
``jira``         reading Jira issues on the same site (``jira_search``, ``jira_get_issue``): in no
                 built-in profile (their descriptions would cost every request), only in one you
                 configure
``jira_write``   proposing Jira changes on the same site (a new issue, field values, a transition, a
                 comment, a worklog, a link): in no built-in profile, only in one you configure
``admin``        proposing group membership changes (remove someone from a group, or add them):
                 in no built-in profile, only in one you configure

The built-in profiles keep their meaning:

``search-only``  ``spaces`` + ``search``;
``read-only``    plus the reading groups ``pages``, ``comments``, ``attachments``;
``propose``      plus ``propose`` (the default).

Profiles of your own are composed in the config file (``[agent.profiles.NAME] groups = [...]``,
:class:`workbench.config.AgentProfile`) and chosen per site (``agent_profile``), in ``[agent]
profile``, or with ``--agent-profile``.

A space allow-list (``workbench.agent.session.fence_for`` says where it comes from; empty or ``"*"``
means every space) is checked on every call that touches a space, including calls by page id: the
page's space is looked up *before* any content is returned. Nothing a tool receives (page text,
model output) can change a fence: the profile and the allow-list are fixed when the session starts
and only the person can change them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.config import AGENT_PROFILES, DEFAULT_AGENT_PROFILE, PERMISSION_GROUPS
from workbench.errors import UsageError, WorkbenchError

if TYPE_CHECKING:
    from workbench.config import Settings

#: tool name → its permission group: every tool of the toolkit is here, once (a test checks it).
#: Adding a tool? One line here; the profiles, the agent's tool list and ``workbench mcp``'s follow.
TOOL_GROUPS: dict[str, str] = {
    "list_spaces": "spaces",
    "search_pages": "search",
    "get_page": "pages",
    "get_page_outline": "pages",
    "get_section": "pages",
    "get_page_tree": "pages",
    "get_history": "pages",
    "get_comments": "comments",
    "list_attachments": "attachments",
    "view_image": "attachments",
    "propose_edit": "propose",
    "propose_page": "propose",
    "propose_comment": "propose",
    "propose_labels": "propose",
    "propose_move": "propose",
    "propose_copy": "propose",
    "propose_rename": "propose",
    "propose_attachment": "propose",
    "propose_delete": "delete",
    "jira_search": "jira",
    "jira_get_issue": "jira",
    "find_users": "users",
    "user_groups": "users",
    "group_members": "users",
    "propose_membership": "admin",
    "propose_jira_issue": "jira_write",
    "propose_jira_fields": "jira_write",
    "propose_jira_transition": "jira_write",
    "propose_jira_comment": "jira_write",
    "propose_jira_worklog": "jira_write",
    "propose_jira_link": "jira_write",
}

#: the groups whose tools make proposals (capped per turn; in the inbox for ``workbench mcp``)
PROPOSING_GROUPS = frozenset({"propose", "delete", "admin", "jira_write"})
#: ``users`` (people lookups) is a reading group in no built-in profile: its three tools' schemas
#: would push the fixed part of every request over its budget (tests/agent/test_economy.py), so
#: people are looked up only under a profile that names the group
_READING_GROUPS = ("spaces", "search", "pages", "comments", "attachments")

#: each built-in profile's groups, in the order (and with the names) of ``workbench.config.AGENT_PROFILES``
BUILT_IN_GROUPS: dict[str, frozenset[str]] = dict(
    zip(
        AGENT_PROFILES,
        (
            frozenset({"spaces", "search"}),
            frozenset(_READING_GROUPS),
            frozenset(_READING_GROUPS) | {"propose"},
        ),
        strict=True,
    )
)
DEFAULT_PROFILE: str = DEFAULT_AGENT_PROFILE
#: the group names (``workbench.config`` is their one source: the config file is checked against them)
GROUPS: tuple[str, ...] = PERMISSION_GROUPS
ALL_SPACES = "*"


def tools_of(groups: Iterable[str]) -> frozenset[str]:
    """The tools of a set of groups (:data:`TOOL_GROUPS` read backwards)."""
    wanted = frozenset(groups)
    return frozenset(tool for tool, group in TOOL_GROUPS.items() if group in wanted)


#: each built-in profile's tools (``PROFILES["read-only"]``)
PROFILES: dict[str, frozenset[str]] = {
    name: tools_of(groups) for name, groups in BUILT_IN_GROUPS.items()
}
SEARCH_TOOLS = PROFILES["search-only"]
READ_TOOLS = PROFILES["read-only"]
PROPOSE_TOOLS = PROFILES["propose"]
#: the tools that make proposals (capped per turn; never writes)
WRITE_TOOLS = tools_of(PROPOSING_GROUPS)


class FenceRefusal(WorkbenchError):
    """A tool call the fences do not allow. The message is shown to the model and to the person."""

    exit_code = 4


@dataclass(frozen=True, slots=True)
class Profiles:
    """The permission profiles a session may choose from: the built-in ones, then the config's
    ``[agent.profiles.NAME]`` (whose names and groups ``workbench.config`` has checked)."""

    table: tuple[tuple[str, frozenset[str]], ...] = tuple(BUILT_IN_GROUPS.items())

    @classmethod
    def from_settings(cls, settings: Settings | None) -> Profiles:
        if settings is None:
            return cls()
        own = tuple(
            (name, frozenset(p.groups))
            for name, p in settings.agent.profiles.items()
            if name not in BUILT_IN_GROUPS
        )
        return cls(tuple(BUILT_IN_GROUPS.items()) + own)

    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.table)

    def cycle_order(self) -> tuple[str, ...]:
        """The order the TUI panel cycles them: built-in widest first, then your own."""
        return tuple(reversed(AGENT_PROFILES)) + tuple(
            n for n in self.names() if n not in BUILT_IN_GROUPS
        )

    def groups(self, name: str) -> frozenset[str]:
        return dict(self.table)[self.check(name)]

    def tools(self, name: str) -> frozenset[str]:
        return tools_of(self.groups(name))

    def check(self, name: str | None) -> str:
        """``name`` as the profile's name (built-in names in any case); a UsageError naming them all."""
        name = (name or DEFAULT_PROFILE).strip()
        names = self.names()
        if name in names:
            return name
        if name.lower() in BUILT_IN_GROUPS:
            return name.lower()
        raise UsageError(f"Unknown agent profile '{name}'. Choose one of: {', '.join(names)}.")


BUILT_IN = Profiles()


def check_profile_name(name: str, profiles: Profiles = BUILT_IN) -> str:
    return profiles.check(name)


@dataclass(frozen=True, slots=True)
class Fence:
    """The permission profile plus the space allow-list of one session (immutable)."""

    profile: str = DEFAULT_PROFILE
    allow_spaces: frozenset[str] = frozenset()
    source: str = (
        ""  # where the allow-list came from, in words for the person (not sent to the model)
    )
    profiles: Profiles = BUILT_IN  # the profiles the person may switch to (built-in + config)

    @classmethod
    def build(
        cls,
        profile: str | None,
        allow_spaces: Iterable[str] | str = (),
        source: str = "",
        *,
        profiles: Profiles = BUILT_IN,
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
        return cls(profiles.check(profile), keys, source, profiles)

    def with_profile(self, profile: str) -> Fence:
        """The same allow-list under another permission profile (the person's choice)."""
        return Fence.build(profile, self.allow_spaces, self.source, profiles=self.profiles)

    @property
    def groups(self) -> frozenset[str]:
        return self.profiles.groups(self.profile)

    @property
    def tools(self) -> frozenset[str]:
        return tools_of(self.groups)

    def allows_tool(self, name: str) -> bool:
        return name in self.tools

    def check_tool(self, name: str) -> None:
        group = TOOL_GROUPS.get(name)
        if group is None:
            raise FenceRefusal(f"There is no tool named '{name}'.")
        if group not in self.groups:
            raise FenceRefusal(
                f"The '{self.profile}' profile does not allow {name} (permission group '{group}'); "
                "only the person can change the profile."
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
