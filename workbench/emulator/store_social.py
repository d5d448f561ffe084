"""Labels and footer comments of the local Confluence (mixed into :class:`~workbench.emulator.store.Store`)."""

from __future__ import annotations

import re
from typing import Any

from workbench.emulator.errors import ApiError, bad_request, not_found
from workbench.emulator.schema import DEMO_ACCOUNT_ID, iso, utcnow
from workbench.emulator.store_base import StoreBase

_LABEL_NAME = re.compile(r"^[^\s:,;!#&()*<>\[\]^{}|~]{1,255}$")
LABEL_PREFIXES = ("global", "my", "team", "system")


class SocialMixin(StoreBase):
    """Uses the store through :class:`StoreBase`."""

    # -- labels -------------------------------------------------------------------------------
    def add_labels(self, page_id: int | str, labels: list[tuple[str, str]]) -> list[dict[str, Any]]:
        """Add ``(prefix, name)`` labels; existing ones stay. Names are lower-cased as Confluence does."""
        with self.lock, self.transaction():
            page = self.page_row(page_id)
            for prefix, name in labels:
                name = (name or "").strip().lower()
                prefix = prefix or "global"
                if prefix not in LABEL_PREFIXES:
                    raise bad_request(
                        f"Invalid label prefix '{prefix}'; use one of {', '.join(LABEL_PREFIXES)}."
                    )
                if not _LABEL_NAME.match(name):
                    raise bad_request(
                        f"Invalid label name '{name}': labels cannot be empty or contain spaces or any of "
                        ":,;!#&()*<>[]^{}|~."
                    )
                self.db.execute(
                    "INSERT OR IGNORE INTO labels(name, prefix) VALUES (?, ?)", (name, prefix)
                )
                label_id = self.scalar(
                    "SELECT id FROM labels WHERE name = ? AND prefix = ?", (name, prefix)
                )
                self.db.execute(
                    "INSERT OR IGNORE INTO page_labels(page_id, label_id) VALUES (?, ?)",
                    (page["id"], label_id),
                )
            self.reindex(page["id"])
        return self.labels(page_id)

    def remove_label(self, page_id: int | str, name: str) -> None:
        with self.lock:
            page = self.page_row(page_id)
            removed = self.db.execute(
                "DELETE FROM page_labels WHERE page_id = ? AND label_id IN (SELECT id FROM labels WHERE name = ?)",
                (page["id"], name.lower()),
            ).rowcount
            self.reindex(page["id"])
        if not removed:
            raise not_found(f"The label '{name}' on this page")

    def labels(self, page_id: int | str, prefix: str | None = None) -> list[dict[str, Any]]:
        page = self.page_row(page_id)
        sql = (
            "SELECT l.id, l.name, l.prefix FROM labels l JOIN page_labels pl ON pl.label_id = l.id "
            "WHERE pl.page_id = ?"
        )
        params: list[Any] = [page["id"]]
        if prefix:
            sql += " AND l.prefix = ?"
            params.append(prefix)
        return self.query(sql + " ORDER BY l.name", params)

    # -- footer comments ----------------------------------------------------------------------
    def add_comment(
        self,
        body: str,
        *,
        page_id: int | str | None = None,
        parent_comment_id: int | str | None = None,
        author: str = DEMO_ACCOUNT_ID,
        created_at: str | None = None,
    ) -> dict[str, Any]:
        """A footer comment on a page, or a reply to another comment (then on the same page)."""
        if not (body or "").strip():
            raise bad_request("A comment must have a body.")
        with self.lock, self.transaction():
            if parent_comment_id is not None:
                parent = self.get_comment(parent_comment_id)
                if parent["location"] != "footer":
                    raise bad_request(
                        "parentCommentId names an inline comment; reply with POST /inline-comments."
                    )
                page_id, parent_id = parent["page_id"], parent["id"]
            elif page_id is not None:
                parent_id = None
            else:
                raise bad_request("A comment needs a pageId or a parentCommentId.")
            page = self.page_row(page_id)
            comment_id = self.next_content_id()
            self.db.execute(
                "INSERT INTO comments(id, page_id, parent_comment_id, body, author_id, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (comment_id, page["id"], parent_id, body, author, created_at or iso(utcnow())),
            )
        return self.get_comment(comment_id)

    def update_comment(self, comment_id: int | str, body: str, *, version: int) -> dict[str, Any]:
        """A new version of a comment's body; ``version`` must be the current one plus one."""
        if not (body or "").strip():
            raise bad_request("A comment must have a body.")
        with self.lock, self.transaction():
            row = self.get_comment(comment_id)
            if version != row["version"] + 1:
                raise ApiError(
                    409,
                    "CONFLICT",
                    "Version must be incremented when updating a comment. "
                    f"Current Version: [{row['version']}]. Provided version: [{version}]",
                    current=row["version"],
                )
            self.db.execute(
                "UPDATE comments SET body = ?, version = ? WHERE id = ?", (body, version, row["id"])
            )
        return self.get_comment(comment_id)

    def delete_comment(self, comment_id: int | str) -> None:
        with self.lock:
            row = self.get_comment(comment_id)
            self.db.execute("UPDATE comments SET status = 'trashed' WHERE id = ?", (row["id"],))

    def get_comment(self, comment_id: int | str) -> dict[str, Any]:
        try:
            key = int(comment_id)
        except (TypeError, ValueError):
            raise not_found("The comment") from None
        if not 0 <= key < 2**63:
            raise not_found("The comment")
        row = self.query_one(
            "SELECT c.*, p.title AS page_title, p.type AS page_type, p.created_at AS page_created_at "
            "FROM comments c JOIN pages p ON p.id = c.page_id WHERE c.id = ?",
            (key,),
        )
        if row is None or row["status"] != "current":
            raise not_found("The comment")
        return row

    def footer_comment(self, comment_id: int | str) -> dict[str, Any]:
        """A footer comment (an inline comment's id is not found at the footer-comment endpoints)."""
        row = self.get_comment(comment_id)
        if row["location"] != "footer":
            raise not_found("The comment")
        return row

    def comments(
        self, page_id: int | str, *, newest_first: bool = False, offset: int = 0, limit: int = 25
    ) -> list[dict[str, Any]]:
        """Root footer comments of a page."""
        page = self.page_row(page_id)
        order = "DESC" if newest_first else "ASC"
        return self.query(
            "SELECT c.*, p.title AS page_title, p.type AS page_type, p.created_at AS page_created_at "
            "FROM comments c JOIN pages p ON p.id = c.page_id "
            f"WHERE c.page_id = ? AND c.parent_comment_id IS NULL AND c.status = 'current' AND c.location = 'footer' "
            f"ORDER BY c.created_at {order}, c.id {order} LIMIT ? OFFSET ?",
            (page["id"], limit, offset),
        )

    def comment_children(
        self, comment_id: int | str, *, offset: int = 0, limit: int = 25
    ) -> list[dict[str, Any]]:
        """Replies to a comment (footer or inline: replies share their parent's location)."""
        parent = self.get_comment(comment_id)
        return self.query(
            "SELECT c.*, p.title AS page_title, p.type AS page_type, p.created_at AS page_created_at "
            "FROM comments c JOIN pages p ON p.id = c.page_id "
            "WHERE c.parent_comment_id = ? AND c.status = 'current' ORDER BY c.created_at, c.id LIMIT ? OFFSET ?",
            (parent["id"], limit, offset),
        )
