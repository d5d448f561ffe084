"""What every part of a space's sync shares: the space, the index, the client's requests (with
patience for 429s and outages), the CQL of the space, and the times Confluence writes.

The parts, each a class on top of the one before: :class:`SpaceSyncBase` (this) →
:class:`~workbench.index.listed_rows.ListedRows` (a listing answer into rows) →
:class:`~workbench.index.stages.Stages` (listing, bodies and writing as three stages) →
:class:`~workbench.index.reconcile.Reconcile` (what the pass cannot see) →
:class:`~workbench.index.space_sync.SpaceSync` (the order of it all).
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

from workbench.confluence.bulk import ContentRecord
from workbench.index.events import OnEvent, SpaceResult
from workbench.index.patience import Patience

if TYPE_CHECKING:
    from workbench.confluence.client import ConfluenceClient
    from workbench.confluence.models import Space
    from workbench.index.store import SiteIndex

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


class SpaceSyncBase:
    """One space of ``client``'s site and its ``index``: the state every part of the sync shares."""

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


def ids_of(records: tuple[ContentRecord, ...] | list[ContentRecord]) -> list[int]:
    return [int(r.id) for r in records if r.id.isdigit()]


def int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None
