"""A listing answer into rows: what to write for each listed item (or nothing, when the index has
it as it is), written in one transaction with the space's watermark."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.confluence.bulk import ContentRecord, ListingPage
from workbench.index.records import Entry, Row
from workbench.index.space_base import BODY_KINDS, SpaceSyncBase, ids_of, int_or_none, utc_iso
from workbench.index.text import mentioned, page_text


@dataclass(slots=True)
class Batch:
    """One listing answer on its way through the stages."""

    page: ListingPage
    need: list[ContentRecord]
    bodies: dict[str, ContentRecord]


class ListedRows(SpaceSyncBase):
    """Writing listed items (a mixin of the space's sync: see ``space_base``)."""

    def _write(self, batch: Batch, *, watermark: bool, seen: bool) -> None:
        records = batch.page.records
        entries = self.index.entries(ids_of(records))
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
        parent = int_or_none(record.parent_id)
        source = body or record
        if (
            body is not None and body.parent_id is not None
        ):  # the bulk read is the newer word on the parent
            parent = int_or_none(body.parent_id)
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
