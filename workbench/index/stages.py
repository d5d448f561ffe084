"""Listing, body reads and writing run as three stages with small queues between them, so the server
works on the next answer while this process converts and writes the previous one; at most a few
answers are in memory, whatever the space's size.
"""

from __future__ import annotations

import asyncio
from typing import Any

from workbench.confluence.bulk import MAX_BULK, ContentRecord, ListingPage
from workbench.confluence.errors import BadQuery
from workbench.index.events import Note, Progress, Rate
from workbench.index.listed_rows import Batch, ListedRows
from workbench.index.space_base import BODY_BYTES_TARGET, BODY_KINDS, KINDS_DC, ids_of
from workbench.index.text import mentioned


class _Stop:
    """End of a stage's output (``error`` set when the stage failed)."""

    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error


class Stages(ListedRows):
    """Listing → bodies → writing for one CQL query (a part of the space's sync: ``space_base``)."""

    async def _stream(
        self, cql: str, *, phase: str, total: int | None, watermark: bool, seen: bool = False
    ) -> None:
        """Listing → bodies → writing, each stage a task with a queue of two answers in front of it."""
        listed: asyncio.Queue[ListingPage | _Stop] = asyncio.Queue(maxsize=2)
        fetched: asyncio.Queue[Batch | _Stop] = asyncio.Queue(maxsize=2)
        tasks = [
            asyncio.create_task(self._lister(cql, listed)),
            asyncio.create_task(self._fetcher(listed, fetched)),
        ]
        rate = Rate()
        done = 0
        try:
            while True:
                item = await fetched.get()
                if isinstance(item, _Stop):
                    if item.error is not None:
                        raise item.error
                    break
                if total is None and item.page.total is not None:
                    total = item.page.total
                done += len(item.page.records)
                self._write(item, watermark=watermark, seen=seen)
                rate.add(done)
                self.on_event(
                    Progress(
                        self.key,
                        phase,
                        done,
                        max(total, done) if total is not None else None,
                        rate.per_second(),
                        rate.eta(done, total),
                    )
                )
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _lister(self, cql: str, out: asyncio.Queue[ListingPage | _Stop]) -> None:
        try:
            cursor: str | None = None
            while True:
                page = await self._listing_page(cql, cursor)
                await out.put(page)
                if not page.next_cursor or not page.records:
                    break
                cursor = page.next_cursor
            await out.put(_Stop())
        except asyncio.CancelledError:
            raise
        except BaseException as exc:  # noqa: BLE001 - handed to the writer, which raises it
            await out.put(_Stop(exc))

    async def _listing_page(self, cql: str, cursor: str | None) -> ListingPage:
        try:
            return await self._call(lambda: self.client.content_page(cql, cursor=cursor))
        except BadQuery:
            if cursor or "folder" not in self.kinds:
                raise
            # a site whose CQL does not know type=folder (older Cloud): pages and blog posts only
            self.kinds = KINDS_DC
            self.on_event(
                Note(
                    "this site's search does not list folders; pages and blog posts only", self.key
                )
            )
            return await self._call(
                lambda: self.client.content_page(cql.replace(", folder)", ")"), cursor=cursor)
            )

    async def _fetcher(
        self, inbox: asyncio.Queue[ListingPage | _Stop], out: asyncio.Queue[Batch | _Stop]
    ) -> None:
        try:
            while True:
                item = await inbox.get()
                if isinstance(item, _Stop):
                    await out.put(item)
                    return
                need = self._needing_bodies(item.records)
                bodies = await self._bodies(need)
                await self._learn_mentions(bodies.values())
                await out.put(Batch(item, need, bodies))
        except asyncio.CancelledError:
            raise
        except BaseException as exc:  # noqa: BLE001
            await out.put(_Stop(exc))

    def _needing_bodies(self, records: tuple[ContentRecord, ...]) -> list[ContentRecord]:
        entries = self.index.entries(ids_of(records))
        need = []
        for record in records:
            if record.type not in BODY_KINDS or not record.id.isdigit():
                continue
            entry = entries.get(int(record.id))
            if entry is None or record.version > entry.version or not entry.has_body:
                need.append(record)
        return need

    async def _bodies(self, need: list[ContentRecord]) -> dict[str, ContentRecord]:
        out: dict[str, ContentRecord] = {}
        for kind in BODY_KINDS:
            ids = [r.id for r in need if r.type == kind]
            start = 0
            while start < len(ids):
                chunk = ids[start : start + self.chunk]
                start += len(chunk)
                found = await self._call(lambda c=chunk, k=kind: self.client.bodies(c, kind=k))  # type: ignore[misc]
                size = 0
                for record in found:
                    out[record.id] = record
                    size += len(record.storage or "")
                if found:  # answers near BODY_BYTES_TARGET: bounded memory, few requests
                    per_body = max(1.0, size / len(found))
                    self.chunk = max(10, min(MAX_BULK, int(BODY_BYTES_TARGET / per_body)))
        return out

    async def _learn_mentions(self, bodies: Any) -> None:
        """Names for people the new bodies mention that the index does not know (one users call)."""
        wanted: set[str] = set()
        for record in bodies:
            wanted.update(mentioned(record.storage or ""))
        if not wanted:
            return
        unknown = wanted - set(self.index.names(wanted))
        if not unknown:
            return
        if self.client.is_dc and len(unknown) > 25:  # one request per person on Data Center
            unknown = set(sorted(unknown)[:25])
        users = await self._call(lambda: self.client.users(unknown))
        with self.index.transaction():
            self.index.remember_names(
                [(i, users[i].display_name if i in users else "") for i in unknown]
            )
