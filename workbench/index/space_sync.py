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

Listing, body reads and writing run as three stages with small queues between them, so the server
works on the next answer while this process converts and writes the previous one; at most a few
answers are in memory, whatever the space's size.

**What the pass cannot see**: content moved to the trash (it leaves the search), purged, or no longer
visible; and changes that do not touch the last-modified time. So after the pass the space is
*counted* (``totalSize`` of the same CQL, one request): more indexed than Confluence has → the trash
is listed (v2 ``status=trashed``, DC ``/content?status=trashed``) and what is there is removed (its
children move up to its parent, as Confluence moves them); still not equal → a full **check**: the
whole space listed by creation date (ids, versions, parents, labels), anything changed fixed, and
indexed ids that were not listed confirmed gone by a bulk read before they are removed. A check also
runs every :data:`RECHECK_SECONDS` and with ``--full``.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from workbench.confluence.bulk import MAX_BULK, ContentRecord, ListingPage
from workbench.confluence.errors import BadQuery
from workbench.index.events import Note, OnEvent, Progress, Rate, SpaceResult
from workbench.index.patience import Patience
from workbench.index.records import Entry, Row
from workbench.index.store import SiteIndex
from workbench.index.text import mentioned, page_text

if TYPE_CHECKING:
    from workbench.confluence.client import ConfluenceClient
    from workbench.confluence.models import Space

T = TypeVar("T")

#: The next sync lists changes from this many minutes before the watermark.
MARGIN_MINUTES = 10
#: A full check of a space at least this often (seconds).
RECHECK_SECONDS = 7 * 24 * 3600.0
#: Bodies per bulk read are chosen so an answer stays near this size (memory stays bounded).
BODY_BYTES_TARGET = 4_000_000
KINDS_CLOUD = ("page", "blogpost", "folder")
KINDS_DC = ("page", "blogpost")
BODY_KINDS = ("page", "blogpost")


@dataclass(slots=True)
class _Batch:
    """One listing answer on its way through the stages."""

    page: ListingPage
    need: list[ContentRecord]
    bodies: dict[str, ContentRecord]


class _Stop:
    """End of a stage's output (``error`` set when the stage failed)."""

    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error


class SpaceSync:
    """Sync one space of ``client``'s site into ``index``."""

    def __init__(
        self,
        client: ConfluenceClient,
        index: SiteIndex,
        space: Space,
        *,
        on_event: OnEvent,
        folders: bool = True,
        patience: Patience | None = None,
    ) -> None:
        self.client = client
        self.index = index
        self.space = space
        self.key = space.key
        self.on_event = on_event
        self.kinds = KINDS_DC if client.is_dc or not folders else KINDS_CLOUD
        self.result = SpaceResult(space.key)
        self.skew = 0.0  # server clock minus ours (seconds), from the Date header
        self.chunk = 100  # ids per bulk body read; adapted to the size of the answers
        self.patience = patience or Patience(on_event)

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

    # -- CQL ----------------------------------------------------------------------------------
    def base_cql(self) -> str:
        # lazy, for start-up: workbench.confluence.cql loads on first use
        from workbench.confluence.cql import quote_value

        return f"space = {quote_value(self.key)} and type in ({', '.join(self.kinds)})"

    def since_clause(self, watermark: str, margin: int) -> str:
        """``lastmodified >= now("-Nm")``: N minutes back from the server's now to the watermark, plus the margin."""
        moment = epoch(watermark)
        if moment is None:
            return ""
        minutes = math.ceil(max(0.0, time.time() + self.skew - moment) / 60) + margin
        return f' and lastmodified >= now("-{minutes}m")'

    # -- the pass -----------------------------------------------------------------------------
    async def _pass(self, since: str | None, *, margin: int, total: int | None) -> None:
        cql = (
            self.base_cql()
            + (self.since_clause(since, margin) if since else "")
            + " order by lastmodified asc"
        )
        await self._stream(cql, phase="sync", total=total, watermark=True)

    async def _stream(
        self, cql: str, *, phase: str, total: int | None, watermark: bool, seen: bool = False
    ) -> None:
        """Listing → bodies → writing, each stage a task with a queue of two answers in front of it."""
        listed: asyncio.Queue[ListingPage | _Stop] = asyncio.Queue(maxsize=2)
        fetched: asyncio.Queue[_Batch | _Stop] = asyncio.Queue(maxsize=2)
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
        self, inbox: asyncio.Queue[ListingPage | _Stop], out: asyncio.Queue[_Batch | _Stop]
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
                await out.put(_Batch(item, need, bodies))
        except asyncio.CancelledError:
            raise
        except BaseException as exc:  # noqa: BLE001
            await out.put(_Stop(exc))

    def _needing_bodies(self, records: tuple[ContentRecord, ...]) -> list[ContentRecord]:
        entries = self.index.entries(_ids(records))
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

    def _write(self, batch: _Batch, *, watermark: bool, seen: bool) -> None:
        records = batch.page.records
        entries = self.index.entries(_ids(records))
        names: dict[str, str] = {}
        for body in batch.bodies.values():
            for ident in mentioned(body.storage or ""):
                names[ident] = ""
        names = {i: n for i, n in self.index.names(names).items() if n}
        rows: list[Row] = []
        for record in records:
            row = self._row(
                record,
                entries.get(int(record.id)) if record.id.isdigit() else None,
                batch.bodies.get(record.id),
                names,
            )
            if row is not None:
                rows.append(row)
        last = max((utc_iso(r.modified_at) for r in records), default="")
        with self.index.transaction():
            self.index.remember_names(pair for r in records for pair in r.names)
            self.index.write(rows)
            if seen:
                self.index.db.executemany(
                    "INSERT OR IGNORE INTO temp.seen(id) VALUES (?)",
                    [(int(r.id),) for r in records if r.id.isdigit()],
                )
            if watermark and last:
                current = self.index.space(self.key)
                if current is None or last > current.watermark:
                    self.index.set_progress(self.key, watermark=last)

    def _row(
        self,
        record: ContentRecord,
        entry: Entry | None,
        body: ContentRecord | None,
        names: dict[str, str],
    ) -> Row | None:
        """The row to write for a listed item, or None when the index already has it as it is."""
        if not record.id.isdigit() or record.type not in self.kinds:
            return None
        labels = (
            " ".join(record.labels)
            if record.labels is not None
            else (entry.labels if entry else "")
        )
        parent = _int(record.parent_id)
        source = body or record
        if (
            body is not None and body.parent_id is not None
        ):  # the bulk read is the newer word on the parent
            parent = _int(body.parent_id)
        if record.type in BODY_KINDS and body is None and (entry is None or not entry.has_body):
            return None  # its body could not be read (trashed or hidden since it was listed)
        if (
            body is None
            and entry is not None
            and (
                record.version < entry.version  # a listing older than what is indexed (search lag)
                or (entry.title, entry.labels, entry.parent_id) == (record.title, labels, parent)
            )
        ):
            self.result.unchanged += 1
            return None
        if entry is None:
            self.result.added += 1
        else:
            self.result.updated += 1
        storage = body.storage if body is not None else None
        return Row(
            id=int(record.id),
            type=record.type,
            space_key=self.key,
            title=source.title or record.title,
            version=max(record.version, source.version),
            parent_id=parent,
            parent_type=(
                body.parent_type if body is not None and body.parent_type else record.parent_type
            ),
            modified_at=source.modified_at or record.modified_at,
            modified_by=source.modified_by or record.modified_by,
            author_id=record.author_id or source.author_id,
            labels=labels,
            webui=source.webui or record.webui,
            storage=storage,
            text=page_text(storage, names) if storage is not None else None,
        )

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

    # -- requests -----------------------------------------------------------------------------
    async def _count(self) -> int | None:
        page = await self._call(
            lambda: self.client.content_page(self.base_cql(), limit=1, expand=())
        )
        if page.server_time is not None:
            self.skew = page.server_time - time.time()
        return page.total

    async def _call(self, make: Callable[[], Awaitable[T]]) -> T:
        return await self.patience.call(make)


def epoch(value: str) -> float | None:
    """Seconds since the epoch of an ISO-8601 time as Confluence writes it (``…Z`` or ``…+02:00``)."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def utc_iso(value: str) -> str:
    """The same moment as ``2024-02-01T02:34:14.885Z`` (comparable as text), or "" when unreadable."""
    moment = epoch(value) if value else None
    if moment is None:
        return ""
    when = datetime.fromtimestamp(moment, UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def _ids(records: tuple[ContentRecord, ...] | list[ContentRecord]) -> list[int]:
    return [int(r.id) for r in records if r.id.isdigit()]


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None
