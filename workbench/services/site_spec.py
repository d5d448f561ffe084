"""A site to open (:class:`SiteSpec`), described before it is connected: enough to draw its tree from
the cache at once, and the way to connect (``connect()`` runs in a thread: starting the demo server or
reading the keyring may block). :mod:`workbench.services.sites` makes them; a
:class:`~workbench.services.workspace.Workspace` is what a connected one becomes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.config import Profile
    from workbench.confluence.client import ConfluenceClient


@dataclass(slots=True)
class SiteSpec:
    """A site to open: ``key`` names its cache and drafts; ``connect()`` builds the client."""

    key: str
    name: str
    connect: Callable[[], ConfluenceClient]
    on_close: Callable[[], None] | None = None
    profile: Profile | None = (
        None  # the stored profile of this site, if any (the agent's fences read it)
    )
    #: the site's local index when its key is no address (the demo's port changes every run): a
    #: stable reference ("demo:demo") and the folder its index lives in ("": one of this run's own)
    index_key: str = ""
    index_folder: str = ""
    #: ``connect()`` mostly waits for a server that is starting (the demo's): with nothing cached,
    #: the screen connects as it is made, and the client loads while the server starts and the
    #: first frame is drawn. Otherwise (a site that is up) it connects after the first frame: its
    #: client's imports and set-up would only slow that frame down (one interpreter lock).
    connect_early: bool = False
