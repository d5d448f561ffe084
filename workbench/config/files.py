"""Reading and writing the config file: :func:`load_settings` checks every value against its field's
type (a ``Literal`` field against its names) and says what is wrong, with the file's path;
:func:`save_settings` writes only what differs from the defaults, atomically."""

from __future__ import annotations

from dataclasses import asdict, fields
from pathlib import Path
from typing import Any, Literal, get_args, get_origin, get_type_hints

from workbench.config.models import (
    AGENT_PROFILES,
    PERMISSION_GROUPS,
    AgentProfile,
    AgentSettings,
    IndexSettings,
    NetworkSettings,
    Profile,
    Settings,
    UiSettings,
    check_index,
    check_jira_url,
)
from workbench.config.paths import atomic_write, config_path
from workbench.errors import ConfigError

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
        settings.profiles[name].jira_url = check_jira_url(
            settings.profiles[name].jira_url,
            f"'jira_url' in [profiles.{name}] of the config file {path}",
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
