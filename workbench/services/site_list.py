"""Every configured site and its connection state, for the TUI's tree of sites and "switch site".

:func:`configured_sites` lists the stored profiles (``workbench login`` makes them) as
:class:`SiteEntry` rows, each with a :class:`~workbench.services.workspace.SiteSpec` to open it.
:func:`probe` finds out whether a site can be used now, with at most one request: a profile without
a usable secret in the keyring has its *login missing* (no request at all); otherwise the site is asked who
the login is — an answer is *online*, a refused login *login missing*, no answer *offline*. Nothing
here imports Textual; probes run in the TUI's workers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.config import Settings
    from workbench.services.site_spec import SiteSpec

ONLINE, OFFLINE, NEEDS_LOGIN, UNKNOWN = "online", "offline", "login missing", "checking"
STATES = (ONLINE, OFFLINE, NEEDS_LOGIN, UNKNOWN)


def state_after(error: BaseException | None) -> str | None:
    """What a failure says about the open site's connection: ``login missing`` when its login is
    gone (no secret stored, or refused by the site), ``offline`` when it did not answer, None when
    the failure says nothing about the connection."""
    # lazy, for start-up: workbench.confluence.errors (with httpx …) loads on first use
    from workbench.confluence.errors import AuthError, NetworkError

    if isinstance(error, AuthError):
        return NEEDS_LOGIN
    if isinstance(error, NetworkError):
        return OFFLINE
    return None


@dataclass(frozen=True, slots=True)
class SiteEntry:
    """A configured site: its profile name, the name people see, the spec that opens it."""

    profile: str
    title: str
    spec: SiteSpec

    @property
    def key(self) -> str:
        return self.spec.key


@dataclass(frozen=True, slots=True)
class SiteState:
    """What a probe found: one of :data:`STATES`, and why (for the tree's tooltip and messages)."""

    state: str
    detail: str = ""


def configured_sites(settings: Settings) -> list[SiteEntry]:
    """Every stored profile, in name order, with the spec that opens it."""
    # lazy, for start-up: workbench.services.sites loads on first use
    from workbench.services.sites import default_site

    out: list[SiteEntry] = []
    for name in sorted(settings.profiles):
        profile = settings.profiles[name]
        try:
            spec = default_site(name)
        except WorkbenchError:
            continue
        if spec is not None:
            out.append(SiteEntry(name, profile.site_name or name, spec))
    return out


def login_state(settings: Settings, name: str) -> SiteState | None:
    """``login missing`` when the profile has no usable secret (no request); None when it has one."""
    # lazy, for start-up: workbench.auth.profiles (with httpx …) loads on first use
    from workbench.auth.profiles import usable

    profile = settings.profiles.get(name)
    if profile is None:
        return SiteState(NEEDS_LOGIN, "no such profile")
    try:
        ok, why = usable(profile)
    except WorkbenchError as exc:  # a keyring that cannot be read
        return SiteState(NEEDS_LOGIN, exc.message)
    return None if ok else SiteState(NEEDS_LOGIN, why)


async def probe(spec: SiteSpec) -> SiteState:
    """Ask the site who the login is (one request): online, login missing, or offline."""
    # lazy, for start-up: workbench.confluence.errors (with httpx …) loads on first use
    from workbench.confluence.errors import AuthError

    try:
        client = spec.connect()
    except AuthError as exc:
        return SiteState(NEEDS_LOGIN, exc.message)
    except WorkbenchError as exc:
        return SiteState(OFFLINE, exc.message)
    try:
        async with client:
            await client.current_user()
    except AuthError as exc:
        return SiteState(NEEDS_LOGIN, exc.message)
    except WorkbenchError as exc:
        return SiteState(OFFLINE, exc.message)
    return SiteState(ONLINE)
