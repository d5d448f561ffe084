"""Which index belongs to which site, found without the network or the keyring.

A site is known by the URL it is configured with — a stored profile's ``url``, or ``CONFLUENCE_URL`` —
with the same precedence as every command (``--profile``, else the environment, else the default
profile). Its index is ``<data dir>/index/<readable name>-<hash>.sqlite3``. The TUI (issue 12) finds
the index of each configured profile with :func:`site_for_profile` and lists every index on disk
with :func:`known_sites`.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.errors import ConfigError

if TYPE_CHECKING:
    from workbench.config import Profile, Settings


@dataclass(frozen=True, slots=True)
class SiteRef:
    """A configured site: ``key`` (its normalised URL), a name for people, the profile if any."""

    key: str
    name: str
    profile: str = ""
    folder: str = ""  # where the index lives when not among the sites' (the demo's: its own)

    @property
    def path(self) -> Path:
        """The index's name on disk (the file; a snapshot of it lies beside: ``snapshot``)."""
        return (Path(self.folder) if self.folder else index_dir()) / f"{slug(self.key)}.sqlite3"

    @property
    def indexed(self) -> bool:
        """Whether the site has an index on disk (either form)."""
        # lazy, for start-up: workbench.index.snapshot loads on first use
        from workbench.index.snapshot import exists

        return exists(self.path)


def normalise(url: str) -> str:
    """The site's key (``workbench.confluence.urls.site_key``): a profile's ``…/wiki`` URL and a
    ``CONFLUENCE_URL`` without it name the same index."""
    # lazy, for start-up: workbench.confluence.urls loads on first use
    from workbench.confluence.urls import site_key

    return site_key(url)


def slug(key: str) -> str:
    """A file-name-safe, stable name for a site key."""
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    readable = "".join(ch if ch.isalnum() else "-" for ch in key.split("//", 1)[-1])[:40].strip("-")
    return f"{readable}-{digest}"


def index_dir() -> Path:
    # lazy, for start-up: workbench.config loads on first use
    from workbench.config import data_dir

    return data_dir() / "index"


def site_for_profile(profile: Profile) -> SiteRef:
    return SiteRef(normalise(profile.url), profile.site_name or profile.name, profile.name)


def resolve_site(profile: str | None = None, settings: Settings | None = None) -> SiteRef:
    """The site a command means: ``--profile NAME``, else ``CONFLUENCE_URL``, else the default profile."""
    # lazy, for start-up: workbench.config loads on first use
    from workbench.config import load_settings

    if not profile:
        # lazy, for start-up: workbench.auth.env loads on first use
        from workbench.auth.env import env_site

        env = env_site()
        if env is not None:
            key = normalise(env.url)
            return SiteRef(key, key.split("//", 1)[-1])
    settings = settings or load_settings()
    prof = settings.profile(profile)
    if prof is None:
        # lazy, for start-up: workbench.auth.connect (with click, httpx, idna …) loads on first use
        from workbench.auth.connect import NO_SITE

        raise ConfigError(NO_SITE)
    return site_for_profile(prof)


def index_for_url(url: str) -> Path | None:
    """The index of the site a client talks to at ``url`` (its base URL, as the sync recorded it, or
    the site's own address); None when no index on disk is of that site."""
    # lazy, for start-up: workbench.confluence.urls, workbench.index.files loads on first use
    from workbench.confluence.urls import site_key
    from workbench.index.files import index_paths, reader

    wanted = site_key(url)
    for path in index_paths(index_dir()):
        try:
            db = reader(path)
            try:
                meta = dict(
                    db.execute(
                        "SELECT key, value FROM meta WHERE key IN ('site_key', 'base_url', 'web_base')"
                    ).fetchall()
                )
            finally:
                db.close()
        except (sqlite3.Error, OSError):
            continue
        if any(value and site_key(value) == wanted for value in meta.values()):
            return path
    return None


@dataclass(frozen=True, slots=True)
class IndexInfo:
    """An index file on disk and what it says about itself (for a list of sites)."""

    path: Path
    key: str
    name: str
    spaces: tuple[str, ...]
    pages: int
    synced_at: float | None


def known_sites() -> list[IndexInfo]:
    """Every index in the data directory (unreadable files are left out)."""
    # lazy, for start-up: workbench.index.files loads on first use
    from workbench.index.files import index_paths, reader

    out: list[IndexInfo] = []
    for path in index_paths(index_dir()):
        try:
            db = reader(path)
            try:
                meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
                spaces = tuple(r[0] for r in db.execute("SELECT key FROM spaces ORDER BY key"))
                pages = int(
                    db.execute("SELECT COUNT(*) FROM content WHERE type != 'folder'").fetchone()[0]
                )
                synced = db.execute("SELECT MAX(synced_at) FROM spaces").fetchone()[0]
            finally:
                db.close()
        except (sqlite3.Error, OSError):
            continue
        out.append(
            IndexInfo(
                path,
                meta.get("site_key", ""),
                meta.get("site_name", ""),
                spaces,
                pages,
                float(synced) if synced is not None else None,
            )
        )
    return out
