"""Kinds of content and their tree (mixed into :class:`~workbench.emulator.store.Store`): the Data
Center view of the tree (no folders there), blog posts, and content properties (the children of any
kind, in Confluence's order: ``store_queries.children``).

Every kind lives in the ``pages`` table with its ``type``, as ids come from one sequence in
Confluence: ``page`` and ``blogpost`` (with a body), and the Cloud content-tree kinds ``folder``,
``whiteboard``, ``database`` and ``embed`` (a smart link, with ``embed_url``) — the v2 spec's
``ParentContentType`` enum.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from workbench.emulator.errors import ApiError, bad_request, not_found
from workbench.emulator.schema import DEMO_ACCOUNT_ID, iso, utcnow
from workbench.emulator.store_base import StoreBase

PAGE = "page"
BLOGPOST = "blogpost"
FOLDER = "folder"
WHITEBOARD = "whiteboard"
DATABASE = "database"
EMBED = "embed"
BODY_KINDS = (PAGE, BLOGPOST)
#: Kinds of the content tree (v2 ``ParentContentType``).
TREE_KINDS = (PAGE, WHITEBOARD, DATABASE, EMBED, FOLDER)
#: Kinds Data Center has (folders, whiteboards, databases and smart links are Cloud-only).
DC_KINDS = BODY_KINDS
_NAMES = {BLOGPOST: "blog post", EMBED: "smart link"}


def kind_name(kind: str) -> str:
    """How a kind reads in messages: ``page``, ``blog post``, ``folder``, ``smart link``…"""
    return _NAMES.get(kind, kind)


class ContentMixin(StoreBase):
    """Uses the store through :class:`StoreBase`."""

    # -- the tree -----------------------------------------------------------------------------
    def visible_children(
        self,
        space_id: int,
        parent_id: int | None,
        visible: Sequence[str],
        *,
        offset: int = 0,
        limit: int = 25,
    ) -> list[dict[str, Any]]:
        """Children of ``parent_id`` (None: the space's root level) as a site that has only the
        ``visible`` kinds shows them: content of another kind is passed through, its children taking
        its place in order. Used when the local server plays Data Center, which has no folders."""
        kinds = tuple(visible)
        marks = ",".join("?" * len(kinds))
        start = "parent_id = ?" if parent_id is not None else "parent_id IS NULL AND space_id = ?"
        sql = (
            "WITH RECURSIVE c(id, type, sort_key) AS ("
            f"SELECT id, type, printf('%010d.%010d', position, id) FROM pages WHERE {start} "
            "AND status = 'current' AND type != 'blogpost' "
            "UNION ALL SELECT p.id, p.type, c.sort_key || '/' || printf('%010d.%010d', p.position, p.id) "
            f"FROM pages p JOIN c ON p.parent_id = c.id WHERE c.type NOT IN ({marks}) AND p.status = 'current') "
            f"SELECT p.*, c.sort_key FROM c JOIN pages p ON p.id = c.id WHERE c.type IN ({marks}) "
            "ORDER BY c.sort_key LIMIT ? OFFSET ?"
        )
        first = parent_id if parent_id is not None else space_id
        return self.query(sql, [first, *kinds, *kinds, limit, offset])

    def visible_parent(self, row: dict[str, Any], visible: Sequence[str]) -> int | None:
        """The nearest ancestor of ``row`` whose kind is ``visible`` (None at the root)."""
        parent = row.get("parent_id")
        for _ in range(1000):
            if parent is None:
                return None
            above = self.query_one("SELECT id, type, parent_id FROM pages WHERE id = ?", (parent,))
            if above is None:
                return None
            if above["type"] in visible:
                return int(above["id"])
            parent = above["parent_id"]
        return None

    # -- content properties -------------------------------------------------------------------
    def properties(self, content_id: int | str, *, key: str | None = None) -> list[dict[str, Any]]:
        row = self.page_row(content_id)
        sql = "SELECT * FROM content_properties WHERE content_id = ?"
        params: list[Any] = [row["id"]]
        if key is not None:
            sql += " AND key = ?"
            params.append(key)
        return [_decoded(r) for r in self.query(sql + " ORDER BY key", params)]

    def property(
        self, content_id: int | str, key: str | None = None, *, property_id: int | str | None = None
    ) -> dict[str, Any]:
        row = self.page_row(content_id)
        if property_id is not None:
            try:
                number = int(property_id)
            except (TypeError, ValueError):
                raise not_found("The content property") from None
            found = self.query_one(
                "SELECT * FROM content_properties WHERE content_id = ? AND id = ?",
                (row["id"], number),
            )
        else:
            found = self.query_one(
                "SELECT * FROM content_properties WHERE content_id = ? AND key = ?",
                (row["id"], key),
            )
        if found is None:
            raise not_found("The content property")
        return _decoded(found)

    def create_property(
        self, content_id: int | str, key: str, value: Any, *, author: str = DEMO_ACCOUNT_ID
    ) -> dict[str, Any]:
        """A new property (400 when the key is taken or too long, as Confluence answers)."""
        if not isinstance(key, str) or not key or len(key) > 255:
            raise bad_request("The property key must be 1 to 255 characters.")
        encoded = json.dumps(value)
        if len(encoded.encode()) > 32 * 1024:
            raise ApiError(
                413, "REQUEST_ENTITY_TOO_LARGE", "A content property value may be at most 32 KB."
            )
        with self.lock, self.transaction():
            row = self.page_row(content_id)
            if self.scalar(
                "SELECT 1 FROM content_properties WHERE content_id = ? AND key = ?",
                (row["id"], key),
            ):
                raise bad_request(f"A property with key '{key}' already exists on this content.")
            self.db.execute(
                "INSERT INTO content_properties(id, content_id, key, value, version, author_id, modified_at) "
                "VALUES (?, ?, ?, ?, 1, ?, ?)",
                (self._next_property_id(), row["id"], key, encoded, author, iso(utcnow())),
            )
        return self.property(content_id, key)

    def update_property(
        self,
        content_id: int | str,
        key: str,
        value: Any,
        *,
        version: int,
        author: str = DEMO_ACCOUNT_ID,
    ) -> dict[str, Any]:
        """A new version of a property's value: ``version`` must be the current one plus one (409)."""
        encoded = json.dumps(value)
        with self.lock, self.transaction():
            current = self.property(content_id, key)
            if version != current["version"] + 1:
                raise ApiError(
                    409,
                    "CONFLICT",
                    "Version must be incremented when updating a content property. "
                    f"Current Version: [{current['version']}]. Provided version: [{version}]",
                    current=current["version"],
                )
            self.db.execute(
                "UPDATE content_properties SET value = ?, version = ?, author_id = ?, modified_at = ? WHERE id = ?",
                (encoded, version, author, iso(utcnow()), current["id"]),
            )
        return self.property(content_id, key)

    def delete_property(self, content_id: int | str, key: str) -> None:
        with self.lock:
            current = self.property(content_id, key)
            self.db.execute("DELETE FROM content_properties WHERE id = ?", (current["id"],))

    def _next_property_id(self) -> int:
        return int(self.scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM content_properties") or 1)


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "value": json.loads(row["value"])}
