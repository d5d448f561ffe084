"""Inline comments of the local Confluence (mixed into :class:`~workbench.emulator.store.Store`).

An inline comment is a row of ``comments`` with ``location = 'inline'``: a root names the text it is
anchored on (``selection``) and the ``marker_ref`` of the ``<ac:inline-comment-marker>`` that wraps
it in the page's storage; replies inherit the location. Adding a root comment rewrites the storage
of the page's **current version in place, without a new version** — what Confluence does
(hunyadi/md2conf#277), and why a save from an older copy of the storage would drop the marker.

Resolution statuses are the spec's ``InlineCommentResolutionStatus``: ``open``, ``reopened``,
``resolved``, and ``dangling`` — reported (never stored) for a root whose marker is no longer in
the page's storage, which is how Confluence shows a comment whose anchor a save removed.
"""

from __future__ import annotations

import uuid
from typing import Any

from workbench.emulator.errors import bad_request, not_found
from workbench.emulator.inline_marker import marker_refs, occurrences, wrap
from workbench.emulator.schema import DEMO_ACCOUNT_ID, iso, utcnow
from workbench.emulator.store_base import StoreBase

RESOLUTIONS = ("open", "reopened", "resolved", "dangling")


class InlineCommentsMixin(StoreBase):
    """Uses the store through :class:`StoreBase`."""

    def add_inline_comment(
        self,
        body: str,
        *,
        page_id: int | str | None = None,
        parent_comment_id: int | str | None = None,
        selection: str | None = None,
        match_count: int | None = None,
        match_index: int = 0,
        author: str = DEMO_ACCOUNT_ID,
        created_at: str | None = None,
        ref: str | None = None,
    ) -> dict[str, Any]:
        """A root inline comment anchored on ``selection`` (its ``match_index``-th occurrence), or a
        reply to an inline comment. A root wraps the text in a marker; the page's version stays."""
        if not (body or "").strip():
            raise bad_request("A comment must have a body.")
        with self.lock, self.transaction():
            if parent_comment_id is not None:
                parent = self.get_comment(parent_comment_id)
                if parent["location"] != "inline":
                    raise bad_request(
                        "parentCommentId names a footer comment; reply with POST /footer-comments."
                    )
                page = self.page_row(parent["page_id"])
                values: tuple[Any, Any, str | None, str, str] = (
                    page["id"],
                    parent["id"],
                    None,
                    "",
                    "open",
                )
            elif page_id is not None:
                page = self.page_row(page_id)
                if not selection:
                    raise bad_request(
                        "inlineCommentProperties.textSelection is required for a top level inline "
                        "comment."
                    )
                found = occurrences(page["body"], selection)
                if not found:
                    raise bad_request(
                        f"The text selection '{selection}' was not found on the page."
                    )
                if match_count is not None and match_count != len(found):
                    raise bad_request(
                        f"textSelectionMatchCount is {match_count}, but the page has {len(found)} "
                        f"match(es) of the text selection."
                    )
                if not 0 <= match_index < len(found):
                    raise bad_request(
                        f"textSelectionMatchIndex must be from 0 to {len(found) - 1}."
                    )
                marker = ref or str(uuid.uuid4())
                storage = wrap(page["body"], found[match_index], marker)
                # The same version, new storage: the page row and that version's row alike.
                self.db.execute("UPDATE pages SET body = ? WHERE id = ?", (storage, page["id"]))
                self.db.execute(
                    "UPDATE page_versions SET body = ? WHERE page_id = ? AND number = ?",
                    (storage, page["id"], page["version"]),
                )
                values = (page["id"], None, marker, selection, "open")
            else:
                raise bad_request(
                    "An inline comment needs a pageId (or blogPostId) or a parentCommentId."
                )
            comment_id = self.next_content_id()
            self.db.execute(
                "INSERT INTO comments(id, page_id, parent_comment_id, body, author_id, created_at, location, "
                "marker_ref, selection, resolution) VALUES (?, ?, ?, ?, ?, ?, 'inline', ?, ?, ?)",
                (
                    comment_id,
                    values[0],
                    values[1],
                    body,
                    author,
                    created_at or iso(utcnow()),
                    values[2],
                    values[3],
                    values[4],
                ),
            )
        return self.get_comment(comment_id)

    def resolve_inline_comment(
        self, comment_id: int | str, resolved: bool, *, by: str = DEMO_ACCOUNT_ID
    ) -> None:
        """Resolve or reopen a root inline comment (matching the current state changes nothing)."""
        with self.lock, self.transaction():
            row = self.get_comment(comment_id)
            if row["location"] != "inline" or row["parent_comment_id"] is not None:
                raise bad_request("Only a top level inline comment can be resolved or reopened.")
            if self.resolution_of(row) == "dangling":
                raise bad_request("A dangling comment cannot be updated.")
            now = row["resolution"]
            wanted = "resolved" if resolved else ("open" if now == "open" else "reopened")
            if (now == "resolved") == resolved:
                return
            self.db.execute(
                "UPDATE comments SET resolution = ?, resolved_by = ?, resolved_at = ? WHERE id = ?",
                (wanted, by, iso(utcnow()), row["id"]),
            )

    def inline_comments(
        self,
        page_id: int | str,
        *,
        resolutions: list[str] | None = None,
        newest_first: bool = False,
        offset: int = 0,
        limit: int = 25,
    ) -> list[dict[str, Any]]:
        """Root inline comments of a page, each with its reported ``resolution``."""
        page = self.page_row(page_id)
        order = "DESC" if newest_first else "ASC"
        rows = self.query(
            "SELECT c.*, p.title AS page_title FROM comments c JOIN pages p ON p.id = c.page_id "
            "WHERE c.page_id = ? AND c.parent_comment_id IS NULL AND c.status = 'current' AND c.location = 'inline' "
            f"ORDER BY c.created_at {order}, c.id {order}",
            (page["id"],),
        )
        refs = marker_refs(page["body"])
        for row in rows:
            row["resolution"] = _reported(row, refs)
        if resolutions:
            rows = [r for r in rows if r["resolution"] in resolutions]
        return rows[offset : offset + limit]

    def resolution_of(self, row: dict[str, Any]) -> str:
        """The resolution status Confluence reports for a comment row (``dangling`` when unanchored)."""
        if row.get("location") != "inline":
            return ""
        if row.get("parent_comment_id") is not None:
            return row["resolution"]
        page = self.page_row(row["page_id"])
        return _reported(row, marker_refs(page["body"]))

    def inline_comment(self, comment_id: int | str) -> dict[str, Any]:
        row = self.get_comment(comment_id)
        if row["location"] != "inline":
            raise not_found("The inline comment")
        row["resolution"] = self.resolution_of(row)
        return row


def _reported(row: dict[str, Any], refs: set[str]) -> str:
    if row["marker_ref"] and row["marker_ref"] not in refs and row["resolution"] != "resolved":
        return "dangling"
    return row["resolution"]
