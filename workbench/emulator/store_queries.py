"""Read-side queries of the local Confluence (mixed into :class:`~workbench.emulator.store.Store`):
space and page lists with filters and sorts, ancestors, and version history."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from workbench.emulator.errors import bad_request, not_found
from workbench.emulator.store_base import StoreBase

PAGE_SORTS = {
    "id": "p.id",
    "-id": "p.id DESC",
    "title": "p.title COLLATE NOCASE, p.id",
    "-title": "p.title COLLATE NOCASE DESC, p.id DESC",
    "created-date": "p.created_at, p.id",
    "-created-date": "p.created_at DESC, p.id DESC",
    "modified-date": "p.modified_at, p.id",
    "-modified-date": "p.modified_at DESC, p.id DESC",
    "child-position": "p.position, p.id",
    "-child-position": "p.position DESC, p.id DESC",
}
SPACE_SORTS = {
    "id": "id",
    "-id": "id DESC",
    "key": "key",
    "-key": "key DESC",
    "name": "name COLLATE NOCASE, id",
    "-name": "name COLLATE NOCASE DESC, id DESC",
}
_PAGE_COLUMNS = (
    "p.id, p.type, p.embed_url, p.space_id, p.parent_id, p.title, p.status, p.position, p.author_id, p.owner_id, "
    "p.created_at, p.version, p.modified_at, p.modified_by, p.version_message, p.minor_edit, "
    "(SELECT q.type FROM pages q WHERE q.id = p.parent_id) AS parent_type"
)


def _where(*terms: tuple[str, Any]) -> tuple[str, list[Any]]:
    """``WHERE …`` and its parameters from ``(column, value)`` terms: a list or tuple is ``column IN (…)``,
    anything else ``column = ?``; ``None`` and empty lists are left out."""
    clauses: list[str] = []
    params: list[Any] = []
    for column, value in terms:
        if value is None or (isinstance(value, list | tuple) and not value):
            continue
        if isinstance(value, list | tuple):
            clauses.append(f"{column} IN ({','.join('?' * len(value))})")
            params += list(value)
        else:
            clauses.append(f"{column} = ?")
            params.append(value)
    return (f"WHERE {' AND '.join(clauses)}" if clauses else ""), params


class ReadQueriesMixin(StoreBase):
    """Uses the store through :class:`StoreBase`."""

    def list_spaces(
        self,
        *,
        keys: Sequence[str] | None = None,
        ids: Sequence[int] | None = None,
        type: str | None = None,
        status: str | None = None,
        sort: str = "id",
        offset: int = 0,
        limit: int = 25,
    ) -> list[dict[str, Any]]:
        where, params = _where(
            ("key", keys), ("id", ids), ("type", type or None), ("status", status or None)
        )
        order = SPACE_SORTS.get(sort)
        if order is None:
            raise bad_request(f"Invalid sort '{sort}'; use one of {', '.join(SPACE_SORTS)}.")
        return self.query(
            f"SELECT * FROM spaces {where} ORDER BY {order} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )

    def list_pages(
        self,
        *,
        space_ids: Sequence[int] | None = None,
        ids: Sequence[int] | None = None,
        title: str | None = None,
        parent_id: int | None = None,
        root_only: bool = False,
        statuses: Sequence[str] = ("current", "archived"),
        sort: str = "id",
        offset: int = 0,
        limit: int = 25,
        with_body: bool = False,
        types: Sequence[str] | None = ("page",),
    ) -> list[dict[str, Any]]:
        """Content rows (pages unless ``types`` says otherwise; None: every type)."""
        if not statuses:
            return []
        where, params = _where(
            ("p.status", tuple(statuses)),
            ("p.space_id", space_ids),
            ("p.id", ids),
            ("p.title", title),
            ("p.parent_id", parent_id),
            ("p.type", tuple(types) if types is not None else None),
        )
        if root_only:
            where += " AND p.parent_id IS NULL"  # never empty: the status term is always there
        order = PAGE_SORTS.get(sort)
        if order is None:
            raise bad_request(f"Invalid sort '{sort}'; use one of {', '.join(PAGE_SORTS)}.")
        columns = _PAGE_COLUMNS + (", p.body" if with_body else "")
        return self.query(
            f"SELECT {columns} FROM pages p {where} ORDER BY {order} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )

    def ancestors(self, page_id: int | str) -> list[dict[str, Any]]:
        """The chain of parents, highest first."""
        page = self.page_row(page_id)
        chain: list[dict[str, Any]] = []
        parent = page["parent_id"]
        while parent is not None and len(chain) < 1000:
            row = self.query_one(f"SELECT {_PAGE_COLUMNS} FROM pages p WHERE p.id = ?", (parent,))
            if row is None:
                break
            chain.append(row)
            parent = row["parent_id"]
        return chain[::-1]

    def versions(
        self,
        page_id: int | str,
        *,
        newest_first: bool = True,
        offset: int = 0,
        limit: int = 25,
        with_body: bool = False,
    ) -> list[dict[str, Any]]:
        page = self.page_row(page_id)
        columns = "page_id, number, title, message, author_id, created_at, minor_edit" + (
            ", body" if with_body else ""
        )
        order = "DESC" if newest_first else "ASC"
        return self.query(
            f"SELECT {columns} FROM page_versions WHERE page_id = ? ORDER BY number {order} LIMIT ? OFFSET ?",
            (page["id"], limit, offset),
        )

    def version(self, page_id: int | str, number: int) -> dict[str, Any]:
        page = self.page_row(page_id)
        if not 0 < number <= page["version"]:
            raise not_found(f"Version {number} of the page")
        row = self.query_one(
            "SELECT * FROM page_versions WHERE page_id = ? AND number = ?", (page["id"], number)
        )
        if row is None:
            raise not_found(f"Version {number} of the page")
        row["current"] = page["version"]
        return row

    def contributors(self, page_id: int | str, number: int) -> list[str]:
        rows = self.query(
            "SELECT DISTINCT author_id FROM page_versions WHERE page_id = ? AND number <= ?",
            (int(page_id), number),
        )
        return [r["author_id"] for r in rows]

    def children(
        self,
        parent_id: int,
        *,
        types: Sequence[str] | None = None,
        offset: int = 0,
        limit: int = 25,
        descending: bool = False,
        with_body: bool = False,
    ) -> list[dict[str, Any]]:
        """Current children of any kind (or of ``types``), in the parent's order (``childPosition``)."""
        return self.list_pages(
            parent_id=parent_id,
            statuses=("current", "archived"),
            types=types,
            sort="-child-position" if descending else "child-position",
            offset=offset,
            limit=limit,
            with_body=with_body,
        )
