"""**What the pass cannot see**: content moved to the trash (it leaves the search), purged, or no longer
visible; and changes that do not touch the last-modified time. So after the pass the space is
*counted* (``totalSize`` of the same CQL, one request): more indexed than Confluence has → the trash
is listed (v2 ``status=trashed``, DC ``/content?status=trashed``) and what is there is removed (its
children move up to its parent, as Confluence moves them); still not equal → a full **check**: the
whole space listed by creation date (ids, versions, parents, labels), anything changed fixed, and
indexed ids that were not listed confirmed gone by a bulk read before they are removed. A check also
runs every :data:`RECHECK_SECONDS` and with ``--full``.

"""

from __future__ import annotations

import time

from workbench.confluence.bulk import MAX_BULK
from workbench.index.events import Note
from workbench.index.space_base import BODY_KINDS, RECHECK_SECONDS
from workbench.index.stages import Stages


class Reconcile(Stages):
    """After the pass: count, list the trash, check the whole space (a part of the space's sync)."""

    # -- what went away -----------------------------------------------------------------------
    async def _reconcile(self, *, full: bool, first: bool) -> None:
        known = self.index.space(self.key)
        assert known is not None
        now = time.time()
        remote = await self._count()
        local = self.index.count(self.key)
        if remote is None or local > remote:
            self.result.removed += await self._remove_trashed()
            local = self.index.count(self.key)
        mismatch = remote is not None and local != remote
        # A count that still disagrees right after a full check is the count's own error (the search
        # index counts differently): it does not start another check until it changes.
        unexplained = (
            mismatch and self.index.meta(f"count_after_check:{self.key}") != f"{remote}:{local}"
        )
        due = known.checked_at is not None and now - known.checked_at > RECHECK_SECONDS
        if full or due or unexplained:
            why = (
                "asked for"
                if full
                else "the weekly full check"
                if due
                else f"Confluence counts {remote}, the index {local}"
            )
            self.on_event(Note(f"checking every page of the space ({why})", self.key))
            await self._check(remote)
            after = self.index.count(self.key)
            with self.index.transaction():
                self.index.set_meta(f"count_after_check:{self.key}", f"{remote}:{after}")
        elif first and not mismatch:
            with (
                self.index.transaction()
            ):  # the first pass listed the whole space: that was the check
                self.index.set_progress(self.key, checked_at=now)

    async def _remove_trashed(self) -> int:
        async def collect() -> list[int]:
            return [
                int(r.id)
                async for r in self.client.trashed(self.space.id, self.key)
                if r.id.isdigit()
            ]

        trashed = await self._call(collect)
        if not trashed:
            return 0
        with self.index.transaction():
            return len(self.index.delete(trashed))

    async def _check(self, remote: int | None) -> None:
        """List the whole space; fix what differs; remove indexed content that is confirmed gone."""
        self.index.db.execute("CREATE TEMP TABLE IF NOT EXISTS seen(id INTEGER PRIMARY KEY)")
        self.index.db.execute("DELETE FROM temp.seen")
        self.result.checked = True
        await self._stream(
            self.base_cql() + " order by created asc",
            phase="check",
            total=remote,
            watermark=False,
            seen=True,
        )
        last = -1
        while True:
            rows = self.index.db.execute(
                "SELECT id, type FROM content WHERE space_key = ? AND id > ? AND id NOT IN (SELECT id FROM temp.seen) "
                "ORDER BY id LIMIT ?",
                (self.key, last, MAX_BULK),
            ).fetchall()
            if not rows:
                break
            last = rows[-1][0]
            gone = [ident for ident, kind in rows if kind not in BODY_KINDS]
            for kind in BODY_KINDS:
                ids = [str(ident) for ident, k in rows if k == kind]
                if ids:  # not listed: still there (search lag), or really gone?
                    still = {
                        r.id
                        for r in await self._call(
                            lambda i=ids, k=kind: self.client.bodies(i, kind=k)  # type: ignore[misc]
                        )
                    }
                    gone += [int(i) for i in ids if i not in still]
            if gone:
                with self.index.transaction():
                    self.result.removed += len(self.index.delete(gone))
        self.index.db.execute("DELETE FROM temp.seen")
        with self.index.transaction():
            self.index.set_progress(self.key, checked_at=time.time())
