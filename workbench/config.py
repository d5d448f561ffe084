"""Settings: one TOML file in the user config directory, loaded once, typed.

Precedence: defaults < config file < ``WORKBENCH_*`` environment < command-line flags (the caller
applies flags). Paths come from platformdirs (which honours ``XDG_*`` on Linux, so tests isolate
themselves by pointing those at a temporary directory). Secrets never live here: they are in the
OS keyring (``workbench.auth``).

File layout::

    default_profile = "work"

    [profiles.work]
    url = "https://example.atlassian.net/wiki"   # API base the client talks to
    site_url = "https://example.atlassian.net/wiki"  # where pages are viewed (may differ for OAuth)
    auth = "api-token"                             # oauth | api-token | basic | pat
    username = "me@example.com"
    kind = "cloud"                                 # cloud | dc

    [agent]
    base_url = "http://127.0.0.1:11434/v1"
    model = "llama3.1"
    profile = "propose"                            # a built-in profile or one of yours (below)

    [agent.profiles.reviewer]                      # a permission profile of your own
    groups = ["spaces", "search", "pages", "comments"]

    [network]
    timeout = 30          # seconds one try waits for an answer (WORKBENCH_TIMEOUT overrides)
    total_timeout = 120   # one request with all its retries
    wait_rate_limit = false

    [index]
    resync_minutes = 30   # the TUI re-syncs the open site's local index this often (0: never)

    [keymap]
    "app.search" = "slash,ctrl+f"

    [ui]
    theme = "textual-dark"
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal, get_args, get_origin, get_type_hints

from workbench.errors import ConfigError

APP_NAME = "workbench"

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
    "admin",
]
PERMISSION_GROUPS: tuple[str, ...] = get_args(PermissionGroup)


def config_dir() -> Path:
    # lazy, for start-up: platformdirs (with platformdirs) loads on first use
    from platformdirs import user_config_dir

    return Path(os.environ.get("WORKBENCH_CONFIG_DIR") or user_config_dir(APP_NAME))


def data_dir() -> Path:
    # lazy, for start-up: platformdirs (with platformdirs) loads on first use
    from platformdirs import user_data_dir

    return Path(os.environ.get("WORKBENCH_DATA_DIR") or user_data_dir(APP_NAME))


def cache_dir() -> Path:
    # lazy, for start-up: platformdirs (with platformdirs) loads on first use
    from platformdirs import user_cache_dir

    return Path(os.environ.get("WORKBENCH_CACHE_DIR") or user_cache_dir(APP_NAME))


def config_path() -> Path:
    return Path(os.environ.get("WORKBENCH_CONFIG") or config_dir() / "config.toml")


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


#: What a settings field of each type accepts from TOML, and how the message names it (``Literal``
#: fields: their names, see :func:`_accepts`). Numbers ([agent] timeout, request_timeout, max_steps,
#: [network] timeout…) are checked where they are used (``workbench.agent.model``,
#: ``workbench.auth.connect``), with a message that also says they must be above 0.
_KINDS: dict[str, tuple[str, Any]] = {
    "str": ("text in quotes", lambda v: isinstance(v, str)),
    "int": ("a whole number", lambda v: True),
    "float": ("a number", lambda v: True),
    "bool": ("true or false", lambda v: isinstance(v, bool)),
    # [agent.profiles.NAME]: read by _agent_settings, each section checked field by field
    "dict": ("a section like [agent.profiles.NAME]", lambda v: isinstance(v, dict)),
    # a list of keys, or one string of them ("ENG, OPS": the agent's fences split it)
    "list": (
        'a list of text, like ["ENG", "OPS"]',
        lambda v: (
            isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v))
        ),
    ),
}


def _accepts(annotation: Any) -> tuple[str, Any]:
    """What a field of ``annotation`` accepts from TOML: (words for the message, check)."""
    if get_origin(annotation) is Literal or (
        getattr(annotation, "__args__", None)
        and all(get_origin(a) is Literal for a in annotation.__args__)
    ):
        allowed = tuple(v for v in _literal_values(annotation) if v != "")
        return "one of " + ", ".join(
            f'"{v}"' for v in allowed
        ), lambda v: v in _literal_values(annotation)
    return _KINDS[getattr(annotation, "__name__", None) or str(annotation)]


def _literal_values(annotation: Any) -> tuple[Any, ...]:
    if get_origin(annotation) is Literal:
        return get_args(annotation)
    return tuple(v for part in get_args(annotation) for v in get_args(part))


def _pick(cls: type, raw: dict[str, Any], where: str, path: Path) -> dict[str, Any]:
    """The keyword arguments for ``cls`` from one TOML table, each checked against its field's type
    (a ``Literal`` field against its names)."""
    hints = get_type_hints(cls)
    names = {f.name for f in fields(cls) if f.name != "name"}
    out: dict[str, Any] = {}
    for key, value in raw.items():
        attr = key.replace("-", "_")
        if attr not in names:
            raise ConfigError(f"Unknown setting '{key}' in {where} of the config file {path}.")
        wanted, accepts = _accepts(hints[attr])
        if not accepts(value):
            shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
            raise ConfigError(
                f"'{key}' in {where} of the config file {path} must be {wanted}, not {shown}."
            )
        out[attr] = value
    return out


def keymap_entries(raw: dict[str, Any]) -> dict[str, object]:
    """``[keymap]`` as the TUI applies it: a string of keys as written, a list of key strings joined
    with commas (``["ctrl+e", "f3"]`` → ``"ctrl+e,f3"``); any other value is kept as written so the
    TUI's check (``workbench.tui.keys.check_keymap``) names it, with the binding id, and keeps the
    default key. Never turns a value into a string it was not."""
    out: dict[str, object] = {}
    for binding_id, value in raw.items():
        if isinstance(value, list) and value and all(isinstance(k, str) for k in value):
            value = ",".join(k.strip() for k in value)
        out[str(binding_id)] = value
    return out


def _table(raw: dict[str, Any], name: str, path: Path, section: str = "") -> dict[str, Any]:
    """The TOML table ``[name]`` (empty when absent); a ConfigError when ``name`` is set to something else."""
    value = raw.pop(name, None)
    if value is None:
        return {}
    if not isinstance(value, dict):
        section = section or (f"[{name}.NAME]" if name == "profiles" else f"[{name}]")
        raise ConfigError(
            f"'{name}' in the config file {path} must be a section like {section}, not {value!r}."
        )
    return value


def _agent_settings(raw: dict[str, Any], path: Path) -> AgentSettings:
    """``[agent]`` with its ``[agent.profiles.NAME]`` tables, every name and group checked."""
    own: dict[str, AgentProfile] = {}
    for name, body in _table(raw, "profiles", path, "[agent.profiles.NAME]").items():
        where = f"[agent.profiles.{name}]"
        if name in AGENT_PROFILES:
            raise ConfigError(
                f"{where} in the config file {path} redefines the built-in profile '{name}' (built-in "
                f"profiles keep their meaning: {', '.join(AGENT_PROFILES)}); give yours another name."
            )
        if not isinstance(body, dict):
            raise ConfigError(
                f"'{name}' in [agent.profiles] of the config file {path} must be a section like "
                f'{where} with groups = ["spaces", "search"], not {body!r}.'
            )
        profile = AgentProfile(name=name, **_pick(AgentProfile, body, where, path))
        groups = (
            profile.groups.replace(",", " ").split()
            if isinstance(profile.groups, str)
            else profile.groups
        )
        unknown = [g for g in groups if g not in PERMISSION_GROUPS]
        if unknown or not groups:
            said = f"has the unknown group '{unknown[0]}'" if unknown else "has no groups"
            raise ConfigError(
                f"'groups' in {where} of the config file {path} {said}; the permission groups are: "
                f"{', '.join(PERMISSION_GROUPS)}."
            )
        profile.groups = list(dict.fromkeys(groups))
        own[name] = profile
    agent = AgentSettings(**_pick(AgentSettings, raw, "[agent]", path), profiles=own)
    _check_agent_profile(agent.profile, "profile", "[agent]", path, agent)
    return agent


def _check_agent_profile(name: str, key: str, where: str, path: Path, agent: AgentSettings) -> None:
    """A ConfigError when ``name`` is neither a built-in profile nor one of ``[agent.profiles]``."""
    known = agent.profile_names()
    if name not in known:
        shown = repr(name) if len(repr(name)) <= 40 else repr(name)[:37] + "..."
        raise ConfigError(
            f"'{key}' in {where} of the config file {path} must be one of "
            + ", ".join(f'"{n}"' for n in known)
            + f" (a built-in profile, or one defined as [agent.profiles.NAME]), not {shown}."
        )


def load_settings(path: Path | None = None) -> Settings:
    """Read the config file (missing is fine); raise ConfigError with the line for a broken one."""
    path = path or config_path()
    settings = Settings(path=path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return settings
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"The config file {path} is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset "
            f"{exc.start}). Save it as UTF-8, or remove it."
        ) from None
    except OSError as exc:
        raise ConfigError(f"Cannot read the config file {path}: {exc.strerror}.") from None
    import tomllib  # here, not at the top: `workbench --help` loads this module and needs no TOML

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"The config file {path} is not valid TOML ({exc}). Fix or remove it."
        ) from None
    default = raw.pop("default_profile", "")
    if not isinstance(default, str):
        raise ConfigError(
            f"'default_profile' in the config file {path} must be a profile name in quotes."
        )
    settings.default_profile = default
    for name, body in _table(raw, "profiles", path).items():
        if not isinstance(body, dict) or "url" not in body:
            raise ConfigError(f"Profile '{name}' in {path} needs a 'url'.")
        settings.profiles[name] = Profile(
            name=name, **_pick(Profile, body, f"[profiles.{name}]", path)
        )
    settings.agent = _agent_settings(_table(raw, "agent", path), path)
    for site in settings.profiles.values():
        if site.agent_profile:
            _check_agent_profile(
                site.agent_profile, "agent_profile", f"[profiles.{site.name}]", path, settings.agent
            )
    settings.network = NetworkSettings(
        **_pick(NetworkSettings, _table(raw, "network", path), "[network]", path)
    )
    settings.index = check_index(
        IndexSettings(**_pick(IndexSettings, _table(raw, "index", path), "[index]", path)), path
    )
    settings.keymap = keymap_entries(_table(raw, "keymap", path))
    ui = _pick(UiSettings, _table(raw, "ui", path), "[ui]", path)
    settings.theme = ui.get("theme", settings.theme)
    if raw:
        raise ConfigError(f"Unknown section(s) {', '.join(sorted(raw))} in the config file {path}.")
    return settings


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write the settings atomically (temp file + rename), creating the directory."""
    # lazy, for start-up: tomli_w (with tomli_w) loads on first use
    import tomli_w

    path = path or settings.path or config_path()
    doc: dict[str, Any] = {}
    if settings.default_profile:
        doc["default_profile"] = settings.default_profile
    if settings.profiles:
        doc["profiles"] = {}
        for name, prof in settings.profiles.items():
            body = {
                k: v for k, v in asdict(prof).items() if k != "name" and v not in ("", [], None)
            }
            doc["profiles"][name] = body
    agent = {k: v for k, v in asdict(settings.agent).items() if v != getattr(AgentSettings(), k)}
    if "profiles" in agent:
        agent["profiles"] = {
            name: {"groups": list(p.groups)} for name, p in settings.agent.profiles.items()
        }
    if agent:
        doc["agent"] = agent
    network = {
        k: v for k, v in asdict(settings.network).items() if v != getattr(NetworkSettings(), k)
    }
    if network:
        doc["network"] = network
    if settings.index != IndexSettings():
        doc["index"] = asdict(settings.index)
    if settings.keymap:
        doc["keymap"] = dict(settings.keymap)
    if settings.theme != Settings().theme:
        doc["ui"] = {"theme": settings.theme}
    try:
        atomic_write(path, tomli_w.dumps(doc))
    except OSError as exc:
        raise ConfigError(
            f"Cannot write the config file {path}: {exc.strerror or exc}. Check that its folder "
            "is writable, or point WORKBENCH_CONFIG at another file."
        ) from None
    return path


def _own_roots() -> tuple[list[Path], list[Path]]:
    """(Workbench's default directories, the directories the WORKBENCH_*_DIR variables name)."""
    # lazy, for start-up: platformdirs (with platformdirs) loads on first use
    from platformdirs import user_cache_dir, user_config_dir, user_data_dir

    defaults = [Path(f(APP_NAME)) for f in (user_config_dir, user_data_dir, user_cache_dir)]
    chosen = [
        Path(v)
        for v in (
            os.environ.get(n)
            for n in ("WORKBENCH_CONFIG_DIR", "WORKBENCH_DATA_DIR", "WORKBENCH_CACHE_DIR")
        )
        if v
    ]
    return defaults, chosen


def _is_own(path: Path) -> bool:
    """A directory Workbench owns: a default ``…/workbench`` directory or a folder inside it, or a
    folder inside a directory a WORKBENCH_*_DIR variable names (not that directory itself)."""
    defaults, chosen = _own_roots()
    return any(path == root or root in path.parents for root in defaults) or any(
        root in path.parents for root in chosen
    )


def private_dir(path: Path) -> Path:
    """``path`` as a directory only this user can enter (0700): drafts, locks, caches and the config
    name sites and pages, so other local users may not even list them.

    Missing directories (and missing parents) are created 0700. An existing one is tightened to 0700
    when it is Workbench's own (see :func:`_is_own`: earlier versions made them 0755); a directory
    you named with WORKBENCH_*_DIR, or any other existing parent, is left as it is. Windows ignores
    the modes. Raises OSError like ``mkdir``.
    """
    missing: list[Path] = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:  # another process made it in between
            pass
    if os.name == "posix" and not missing and _is_own(path):
        try:
            info = path.stat()
            if info.st_mode & 0o077 and info.st_uid == os.getuid():
                path.chmod(info.st_mode & 0o700 | 0o700)
        except OSError:
            pass  # not ours to change: leave it
    return path


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so a crash leaves either the old or the new file, never half.

    The file is 0600 (``mkstemp``) and its folder is made private (:func:`private_dir`)."""
    private_dir(path.parent)
    # lazy, for start-up: tempfile loads on first use
    import tempfile  # here, not at the top: only writes need it (keeps `workbench --help` fast)

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
