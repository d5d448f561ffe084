"""Syncing one space into the index: the pass over what changed, and the checks for what went away.

**The pass.** One CQL listing, ``space = KEY and type in (page, blogpost[, folder]) [and lastmodified >=
now("-Nm")] order by lastmodified asc``, without bodies (``BulkApi.content_page``): each item's
version, labels, parent and creator. Items the index lacks, or has at an older version, get their
bodies in bulk (``BulkApi.bodies``, up to 250 per request); the rest cost nothing more. Each answer
is written in one transaction together with the space's *watermark* (the last modification time
seen, ascending), so a sync that is killed resumes where it stopped, and the next sync lists only
what changed since the watermark minus :data:`MARGIN_MINUTES` (search-index lag, clock skew). The
window is relative to the server's clock (``now("-Nm")``, CQL functions; the minutes are counted on
the ``Date`` the server sent), so no time zone is involved: CQL reads an absolute date in the user's
time zone (fact sheet §4), which a client cannot always learn.

The parts: :mod:`~workbench.index.space_base` (shared state, requests, CQL), :mod:`~workbench.index.listed_rows`
(a listing answer into rows), :mod:`~workbench.index.stages` (listing, bodies and writing as three
stages), :mod:`~workbench.index.reconcile` (what the pass cannot see: trash, purges, a full check).
"""

from __future__ import annotations

import time

from workbench.index.events import SpaceResult
from workbench.index.reconcile import Reconcile
from workbench.index.space_base import MARGIN_MINUTES


class SpaceSync(Reconcile):
    """Sync one space of ``client``'s site into ``index``."""

    # -- entry --------------------------------------------------------------------------------
    async def run(self, *, full: bool = False) -> SpaceResult:
        started = time.monotonic()
        with self.index.transaction():
            self.index.put_space(
                self.key, self.space.id, self.space.name, self.space.type, self.space.homepage_id
            )
        known = self.index.space(self.key)
        assert known is not None
        first = known.state != "complete"
        self.result.first = first
        remote = await self._count()  # also learns the server's clock
        since = known.watermark or None
        if first and since is None:
            self.index.set_progress(self.key, state="partial")
        await self._pass(
            since, margin=1 if first else MARGIN_MINUTES, total=remote if since is None else None
        )
        with self.index.transaction():
            self.index.set_progress(self.key, state="complete")
        await self._reconcile(full=full, first=first)
        with self.index.transaction():
            self.index.set_progress(self.key, synced_at=time.time())
        self.result.indexed = self.index.count(self.key)
        self.result.seconds = time.monotonic() - started
        return self.result

    # -- the pass -----------------------------------------------------------------------------
    async def _pass(self, since: str | None, *, margin: int, total: int | None) -> None:
        cql = (
            self.base_cql()
            + (self.since_clause(since, margin) if since else "")
            + " order by lastmodified asc"
        )
        await self._stream(cql, phase="sync", total=total, watermark=True)
