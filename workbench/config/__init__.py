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

The parts: ``config.models`` (the typed sections and the names a setting may take),
``config.files`` (reading and checking the file, writing it), ``config.paths`` (the directories,
private folders, atomic writes). Import from ``workbench.config``: these names are its interface.
"""

from workbench.config.files import _accepts, keymap_entries, load_settings, save_settings
from workbench.config.models import (
    AGENT_PROFILES,
    AUTH_METHODS,
    DEFAULT_AGENT_PROFILE,
    MIN_RESYNC_MINUTES,
    PERMISSION_GROUPS,
    SITE_KINDS,
    AgentProfile,
    AgentProfileName,
    AgentSettings,
    AuthMethod,
    IndexSettings,
    NetworkSettings,
    PermissionGroup,
    Profile,
    Settings,
    SiteKind,
    UiSettings,
    check_index,
    check_jira_url,
)
from workbench.config.paths import (
    APP_NAME,
    atomic_write,
    cache_dir,
    config_dir,
    config_path,
    data_dir,
    private_dir,
)

__all__ = [
    "AGENT_PROFILES",
    "APP_NAME",
    "AUTH_METHODS",
    "DEFAULT_AGENT_PROFILE",
    "MIN_RESYNC_MINUTES",
    "PERMISSION_GROUPS",
    "SITE_KINDS",
    "AgentProfile",
    "AgentProfileName",
    "AgentSettings",
    "AuthMethod",
    "IndexSettings",
    "NetworkSettings",
    "PermissionGroup",
    "Profile",
    "Settings",
    "SiteKind",
    "UiSettings",
    "_accepts",
    "atomic_write",
    "cache_dir",
    "check_index",
    "check_jira_url",
    "config_dir",
    "config_path",
    "data_dir",
    "keymap_entries",
    "load_settings",
    "private_dir",
    "save_settings",
]
