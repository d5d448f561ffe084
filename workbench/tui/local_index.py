"""The open site's local index, as the TUI uses it: :class:`LocalIndex`.

One per main screen. It finds the index file of the site (a stored profile's, the one of the URL
the site was opened with, or the demo's: its stable reference, the index beside the demo's data or,
for a demo started fresh, in a folder of this run's own that goes with the run), opens one read-only
:class:`~workbench.index.search.LocalSearch` on it when first asked, and answers from worker threads:
the connection takes one query at a time, and a query that waited while a newer keystroke came is
skipped (``ask`` returns None), so typing never queues work. ``cancel`` stops the query in flight.

Nothing here imports Textual: the panes call it from their own workers.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.index.offline import OfflinePage
    from workbench.index.query import LocalQuery
    from workbench.index.search import LocalAnswer, LocalSearch
    from workbench.index.sites import SiteRef
    from workbench.services.workspace import SiteSpec


def site_ref_of(site: SiteSpec) -> SiteRef | None:
    """The index identity of a site the TUI opened (None: a site that has no stable address)."""
    # lazy, for start-up: workbench.index.sites loads on first use
    from workbench.index.sites import SiteRef, normalise, site_for_profile

    if site.profile is not None:
        return site_for_profile(site.profile)
    if site.index_key:  # the demo: not its address (a new port every run), its own reference
        return SiteRef(site.index_key, site.name, folder=site.index_folder or str(run_folder()))
    if site.key.startswith(("http://", "https://")):
        return SiteRef(normalise(site.key), site.name)
    return None


RUNS = "demo-index"  # under the cache directory: the fresh demos' indexes, a folder per run


def run_folder() -> Path:
    """This run's folder for the index of a demo started fresh (its content is new every run, so
    is its index): ``<cache>/demo-index/<pid>``, removed when the screen closes."""
    # lazy, for start-up: os, workbench.config load on first use
    import os

    from workbench.config import cache_dir

    return cache_dir() / RUNS / str(os.getpid())


def clear_old_runs() -> None:
    """Remove the folders of fresh demos whose process is gone (killed before it could tidy up)."""
    # lazy: os, shutil load on first use
    import os
    import shutil

    runs = run_folder().parent
    for folder in runs.glob("*") if runs.is_dir() else ():
        if not folder.name.isdigit() or int(folder.name) == os.getpid():
            continue
        try:
            os.kill(int(folder.name), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:  # another user's process: not ours to judge
            continue


class LocalIndex:
    """The local index of one site, for the search bar, the results and offline reading."""

    def __init__(self, site: SiteSpec) -> None:
        self.site = site
        self.ref = site_ref_of(site)
        self._search: LocalSearch | None = None
        self._lock = threading.Lock()
        self._asked = 0  # the newest query asked for; older ones still waiting are skipped
        self._closed = False

    @property
    def path(self) -> Path | None:
        """The index file, when there is one on disk."""
        return self.ref.path if self.ref is not None and self.ref.indexed else None

    @property
    def available(self) -> bool:
        return self.path is not None

    def ask(
        self, text: str | LocalQuery, *, exhaustive: bool = False, limit: int = 50
    ) -> LocalAnswer | None:
        """Ranked hits for ``text`` (words, as the person types: the last word is a prefix) or a
        :class:`LocalQuery` (the part of CQL the index answers). None when a newer query replaced
        this one before it ran, or it was cancelled. Blocks: call it from a worker thread."""
        # lazy, for start-up: workbench.index.search loads on first use
        from workbench.index.search import Cancelled

        with self._lock:
            self._asked += 1
            asked = self._asked
        self.cancel()
        with self._lock:
            if asked != self._asked or self._closed:
                return None
            search = self._open()
            try:
                if isinstance(text, str):
                    return search.search(text, limit=limit, as_you_type=True, exhaustive=exhaustive)
                return search.answer(text, limit=limit)
            except Cancelled:
                return None
            except sqlite3.Error as exc:
                self._drop()
                raise self._failure(exc, "searching it") from None

    def offline_page(self, page_id: str) -> OfflinePage:
        """The indexed copy of a page (``UsageError`` when it is not in the index)."""
        # lazy, for start-up: workbench.index.offline loads on first use
        from workbench.index.offline import open_offline

        if self.ref is None or not self.ref.indexed:
            raise WorkbenchError(
                "This site has no local index ('workbench sync SPACE…' makes one)."
            )
        return open_offline(self.ref, page_id)

    def cancel(self) -> None:
        search = self._search
        if search is not None:
            search.cancel()

    def close(self) -> None:
        """Close the connection (a query in flight is cancelled first); a fresh demo's index, which
        lives for this run only, is removed."""
        self.cancel()
        with self._lock:
            self._closed = True
            self._drop()
        if self.site.index_key and not self.site.index_folder and self.ref is not None:
            # lazy: shutil loads on first use
            import shutil

            shutil.rmtree(self.ref.path.parent, ignore_errors=True)

    # -- internals ----------------------------------------------------------------------------
    def _open(self) -> LocalSearch:
        # lazy, for start-up: workbench.index.search loads on first use
        from workbench.index.search import LocalSearch

        if self._search is None:
            path = self.path
            if path is None:
                raise WorkbenchError(
                    "This site has no local index yet: run 'workbench sync SPACE…' (or --all)."
                )
            self._search = LocalSearch(path)
        return self._search

    def _drop(self) -> None:
        if self._search is not None:
            self._search.close()
            self._search = None

    def _failure(self, exc: sqlite3.Error, doing: str) -> WorkbenchError:
        # lazy, for start-up: workbench.index.files loads on first use
        from workbench.index.files import index_failure

        assert self.ref is not None
        return index_failure(self.ref.path, exc, doing)


def age_words(synced_at: float | None, now: float | None = None) -> str:
    """``synced 3 min ago`` (or ``never fully synced``): how fresh the index is, for people."""
    # lazy, for start-up: time, workbench.confluence.pauses loads on first use
    import time

    from workbench.confluence.pauses import duration

    if synced_at is None:
        return "never fully synced"
    seconds = max(0.0, (now if now is not None else time.time()) - synced_at)
    return "synced just now" if seconds < 60 else f"synced {duration(seconds)} ago"
