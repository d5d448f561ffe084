"""The typed settings: one dataclass per section of the config file, and the names a setting may
take (``Literal`` types; messages, argparse choices and lookups use the tuples beside them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path  # at run time: the settings' type hints are read by workbench.config.files
from typing import Literal, get_args

from workbench.errors import ConfigError

# The names a setting may take, one source each (messages, argparse choices and lookups use these).
AuthMethod = Literal["oauth", "api-token", "basic", "pat"]
AUTH_METHODS: tuple[str, ...] = get_args(AuthMethod)
SiteKind = Literal["cloud", "dc"]
SITE_KINDS: tuple[str, ...] = get_args(SiteKind)
#: the agent's built-in permission profiles, narrowest first (``workbench.agent.fences`` gives each
#: its groups); ``[agent.profiles.NAME]`` adds profiles of your own
AgentProfileName = Literal["search-only", "read-only", "propose"]
AGENT_PROFILES: tuple[str, ...] = get_args(AgentProfileName)
DEFAULT_AGENT_PROFILE: AgentProfileName = "propose"
#: the permission groups a profile is composed of (``workbench.agent.fences.TOOL_GROUPS`` puts every
#: tool in one of them)
PermissionGroup = Literal[
    "spaces",
    "search",
    "pages",
    "comments",
    "attachments",
    "users",
    "propose",
    "delete",
    "jira",
    "jira_write",
    "admin",
]
PERMISSION_GROUPS: tuple[str, ...] = get_args(PermissionGroup)


@dataclass(slots=True)
class Profile:
    """A stored site. ``url`` is the API base (``…/wiki`` or the OAuth gateway form)."""

    name: str
    url: str
    auth: AuthMethod = "api-token"
    username: str = ""
    kind: SiteKind = "cloud"
    site_url: str = ""
    site_name: str = ""
    cloud_id: str = ""
    client_id: str = ""
    auth_url: str = ""
    api_url: str = ""
    agent_profile: str = ""  # "": [agent] profile; a built-in profile or [agent.profiles.NAME]
    allow_spaces: list[str] = field(default_factory=list)
    # where Jira lives when it is not beside Confluence (Data Center on another host); "": beside it
    jira_url: str = ""

    @property
    def web_base(self) -> str:
        return self.site_url or self.url


@dataclass(slots=True)
class AgentProfile:
    """``[agent.profiles.NAME]``: a permission profile of your own, composed of permission groups
    (:data:`PERMISSION_GROUPS`). Its name may not be a built-in profile's (those keep their meaning)."""

    name: str
    groups: list[str] = field(default_factory=list)


@dataclass(slots=True)
class AgentSettings:
    base_url: str = ""
    model: str = ""
    api_key_env: str = "OPENAI_API_KEY"
    profile: str = DEFAULT_AGENT_PROFILE  # a built-in profile or one of ``profiles``
    max_steps: int = 12
    timeout: float = 300.0
    request_timeout: float = 90.0
    stream: bool = True
    compact_history: bool = True  # earlier long tool results are shortened in later requests
    images: bool = False  # the model accepts image parts: the agent may look at attached images
    # caps of one turn (workbench.agent.limits) and the allow-list for sites without their own
    max_tool_calls_per_step: int = 16
    max_tool_calls: int = 64
    max_proposals: int = 10
    max_request_bytes: int = 400_000
    allow_spaces: list[str] = field(default_factory=list)
    profiles: dict[str, AgentProfile] = field(default_factory=dict)  # [agent.profiles.NAME]

    def profile_names(self) -> tuple[str, ...]:
        """Every permission profile a session may use: the built-in ones, then yours."""
        return AGENT_PROFILES + tuple(n for n in self.profiles if n not in AGENT_PROFILES)


@dataclass(slots=True)
class NetworkSettings:
    """``[network]``: how long to wait for Confluence. ``timeout``: seconds one try may wait for an
    answer; ``total_timeout``: one request with all its retries; ``wait_rate_limit``: sit out a long
    pause Confluence asks for (429/503 ``Retry-After``) instead of failing at once with the time left.
    ``WORKBENCH_TIMEOUT`` overrides ``timeout``. Checked where used (``workbench.auth.connect``)."""

    timeout: float = 30.0
    total_timeout: float = 120.0
    wait_rate_limit: bool = False


@dataclass(slots=True)
class IndexSettings:
    """``[index]``: the local index (``workbench sync``). ``resync_minutes``: how often the TUI syncs
    the open site's index again in the background — 0 (the default) never; else at least
    :data:`MIN_RESYNC_MINUTES`. Checked when the file is read (:func:`check_index`)."""

    resync_minutes: float = 0.0


def check_jira_url(value: str, where: str) -> str:
    """Jira's base address as given (without a trailing slash), or a ConfigError saying what it must
    be. ``where`` names the setting (``'jira_url' in [profiles.work] of the config file …``)."""
    # lazy, for start-up: urllib.parse loads on first use
    from urllib.parse import urlsplit

    text = str(value or "").strip().rstrip("/")
    if not text:
        return ""
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. an unclosed [ of an IPv6 host
        parts = urlsplit("")
    try:
        port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError:
        port_ok = False
    if parts.username or parts.password:  # never repeat a password back
        text = text.replace(parts.netloc, "***@" + parts.netloc.rpartition("@")[2])
    shown = repr(text) if len(text) <= 60 else repr(text[:57] + "...")
    wrong = ""
    if parts.scheme not in ("http", "https") or not parts.hostname:
        wrong = "it is not an http:// or https:// address with a host"
    elif not port_ok:
        wrong = "its port is not a number from 1 to 65535"
    elif parts.username or parts.password:
        wrong = "it holds a login (credentials come from the keyring, never from the URL)"
    elif parts.query or parts.fragment:
        wrong = "it has a ? query or a # fragment"
    elif "/rest/" in parts.path + "/" or parts.path.endswith("/rest"):
        wrong = (
            "it names the REST API (give the address Jira's pages are under; /rest/api/… is added)"
        )
    if wrong:
        raise ConfigError(
            f"{where} must be Jira's base address, like https://jira.example.com or "
            f"https://example.com/jira, not {shown}: {wrong}."
        )
    return text


#: The shortest background re-sync interval (minutes): more often would only load the site.
MIN_RESYNC_MINUTES = 1.0


def check_index(index: IndexSettings, path: Path) -> IndexSettings:
    """``[index]`` as read, or a ConfigError that says what ``resync_minutes`` must be."""
    value = index.resync_minutes
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not (value == 0 or MIN_RESYNC_MINUTES <= value <= 7 * 24 * 60)
    ):
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
        raise ConfigError(
            f"'resync_minutes' in [index] of the config file {path} must be a number of minutes: "
            f"0 (never, the default) or from {MIN_RESYNC_MINUTES:g} to 10080 (a week), not {shown}."
        )
    return IndexSettings(float(value))


@dataclass(slots=True)
class UiSettings:
    """``[ui]``: the Textual theme's name (the TUI says when it does not know it)."""

    theme: str = "textual-dark"


@dataclass(slots=True)
class Settings:
    default_profile: str = ""
    profiles: dict[str, Profile] = field(default_factory=dict)
    agent: AgentSettings = field(default_factory=AgentSettings)
    network: NetworkSettings = field(default_factory=NetworkSettings)
    index: IndexSettings = field(default_factory=IndexSettings)
    # binding id -> keys ("ctrl+e" or "ctrl+e,f3"; a TOML list of keys is joined). A value of another
    # type is kept as written: the TUI names it and keeps the default (workbench.tui.keys).
    keymap: dict[str, object] = field(default_factory=dict)
    theme: str = "textual-dark"
    path: Path | None = None

    def profile(self, name: str | None = None) -> Profile | None:
        """The named profile, else the default one, else the only one; None when there is none."""
        if name:
            if name not in self.profiles:
                known = ", ".join(sorted(self.profiles)) or "none"
                raise ConfigError(
                    f"No profile named '{name}' (known: {known}). Run 'workbench sites' to list them."
                )
            return self.profiles[name]
        if self.default_profile and self.default_profile in self.profiles:
            return self.profiles[self.default_profile]
        if len(self.profiles) == 1:
            return next(iter(self.profiles.values()))
        return None
