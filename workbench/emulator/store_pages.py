"""Content of the local Confluence (mixed into :class:`~workbench.emulator.store.Store`): creating,
updating, trashing, restoring and reading pages, blog posts and the other content kinds, each
version kept, and the full-text row that search reads. Methods raise
:class:`~workbench.emulator.errors.ApiError` for what Confluence would refuse (404, 409, duplicate
titles), so the HTTP layer only chooses the error body's dialect.
"""

from __future__ import annotations

from typing import Any

from workbench.emulator.errors import ApiError, bad_request, not_found, version_conflict
from workbench.emulator.schema import DEMO_ACCOUNT_ID, FIRST_CONTENT_ID, iso, plain_text, utcnow
from workbench.emulator.store_base import StoreBase
from workbench.emulator.store_content import BLOGPOST, BODY_KINDS, PAGE, TREE_KINDS, kind_name
from workbench.emulator.store_db import row_id


class PagesMixin(StoreBase):
    """Uses the rest of the store through :class:`StoreBase`."""

    def next_content_id(self) -> int:
        with self.lock:
            last = self.scalar(
                "SELECT MAX(m) FROM (SELECT MAX(id) AS m FROM pages UNION ALL SELECT MAX(id) FROM comments "
                "UNION ALL SELECT MAX(id) FROM attachments)"
            )
            return max(int(last or 0) + 1, FIRST_CONTENT_ID)

    def create_page(
        self,
        space_id: int | str,
        title: str,
        body: str,
        *,
        parent_id: int | str | None = None,
        author: str = DEMO_ACCOUNT_ID,
        created_at: str | None = None,
        message: str = "",
        root: bool = False,
        kind: str = PAGE,
        embed_url: str | None = None,
        status: str = "current",
    ) -> dict[str, Any]:
        """Create content (version 1): a page, or with ``kind`` a blog post, folder, whiteboard,
        database or embed (smart link, ``embed_url``). Content of the tree goes under ``parent_id``
        (any tree content: a page, a folder, …) or, without one, under the space homepage unless
        ``root`` (v2 ``POST /pages``: "If the root-level query parameter is set to false and a value
        is not supplied for this parameter, then the space homepage's ID will be used"). Blog posts
        have no parent: they live in the space's blog.

        ``status="draft"``: an unpublished page (kept out of the tree and page lists, like Confluence's)."""
        if status not in ("current", "draft"):
            raise bad_request(f"A page is created as 'current' or 'draft', not {status!r}.")
        title = (title or "").strip()
        if kind not in (*TREE_KINDS, BLOGPOST):
            raise bad_request(f"Unknown content type '{kind}'.")
        if not title:
            raise bad_request(f"A {kind_name(kind)} must have a title.")
        if kind not in BODY_KINDS:
            body = ""
        with self.lock, self.transaction():
            space = self.get_space(space_id)
            if kind == BLOGPOST:
                if parent_id is not None:
                    raise bad_request(
                        "A blog post has no parent; it is published in the space's blog."
                    )
            elif parent_id is None and not root:
                parent_id = space["homepage_id"]
            if parent_id is not None:
                parent = self.page_row(parent_id, kinds=TREE_KINDS)
                if parent["space_id"] != space["id"]:
                    raise bad_request("The parent is in another space.")
                parent_id = parent["id"]
            created = created_at or iso(utcnow())
            self.check_title_free(space["id"], title, kind, created)
            page_id = self.next_content_id()
            position = (
                None
                if kind == BLOGPOST
                else int(
                    self.scalar(
                        "SELECT COALESCE(MAX(position), -1) + 1 FROM pages WHERE parent_id IS ? AND type != ?",
                        (parent_id, BLOGPOST),
                    )
                )
            )
            self.db.execute(
                "INSERT INTO pages(id, type, embed_url, space_id, parent_id, title, position, author_id, owner_id, "
                "created_at, version, body, modified_at, modified_by, version_message, status) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,1,?,?,?,?,?)",
                (
                    page_id,
                    kind,
                    embed_url,
                    space["id"],
                    parent_id,
                    title,
                    position if position is not None else 0,
                    author,
                    author,
                    created,
                    body,
                    created,
                    author,
                    message,
                    status,
                ),
            )
            self.db.execute(
                "INSERT INTO page_versions(page_id, number, title, body, message, author_id, created_at) "
                "VALUES (?, 1, ?, ?, ?, ?, ?)",
                (page_id, title, body, message, author, created),
            )
            self.reindex(page_id)
        return self.get_page(page_id)

    def update_page(
        self,
        page_id: int | str,
        storage: str,
        *,
        title: str | None = None,
        version: int | None = None,
        author: str = DEMO_ACCOUNT_ID,
        message: str = "",
        minor_edit: bool = False,
        parent_id: int | str | None = None,
        when: str | None = None,
        kinds: tuple[str, ...] | None = None,
    ) -> dict[str, Any]:
        """Write a new version. ``version`` is the number the caller sends (must be current + 1);
        ``None`` means "whatever comes next", which is how tests simulate another user's edit.
        ``kinds`` (default: pages and blog posts) are the types the caller's endpoint serves."""
        with self.lock, self.transaction():
            page = self.page_row(page_id, kinds=kinds or BODY_KINDS)
            current = page["version"]
            if version is not None:  # a request (None: a test playing another user)
                self.check_editable(page["id"])
            if version is not None and version != current + 1:
                raise version_conflict(current, version)
            new_title = (title if title is not None else page["title"]).strip()
            if not new_title:
                raise bad_request("A page must have a title.")
            if new_title.casefold() != page["title"].casefold():
                self.check_title_free(page["space_id"], new_title, page["type"], page["created_at"])
            new_parent = page["parent_id"]
            if parent_id is not None and str(parent_id) != str(page["parent_id"]):
                if page["type"] == BLOGPOST:
                    raise bad_request(
                        "A blog post has no parent; it cannot be moved into the page tree."
                    )
                parent = self.page_row(parent_id, kinds=TREE_KINDS)
                if parent["space_id"] != page["space_id"]:
                    raise bad_request("A page cannot be moved to another space with this request.")
                if parent["id"] == page["id"] or page["id"] in [
                    a["id"] for a in self.ancestors(parent["id"])
                ]:
                    raise bad_request(
                        "A page cannot be moved under itself or one of its descendants."
                    )
                new_parent = parent["id"]
            position = page["position"]
            if new_parent != page["parent_id"]:  # a new parent: last among its children
                position = int(
                    self.scalar(
                        "SELECT COALESCE(MAX(position), -1) + 1 FROM pages WHERE parent_id IS ? "
                        "AND type != ?",
                        (new_parent, BLOGPOST),
                    )
                )
            number = current + 1
            moment = when or iso(utcnow())
            self.db.execute(
                "UPDATE pages SET title = ?, body = ?, version = ?, modified_at = ?, modified_by = ?, "
                "version_message = ?, minor_edit = ?, parent_id = ?, position = ? WHERE id = ?",
                (
                    new_title,
                    storage,
                    number,
                    moment,
                    author,
                    message,
                    int(minor_edit),
                    new_parent,
                    position,
                    page["id"],
                ),
            )
            self.db.execute(
                "INSERT INTO page_versions(page_id, number, title, body, message, author_id, created_at, "
                "minor_edit) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (page["id"], number, new_title, storage, message, author, moment, int(minor_edit)),
            )
            self.reindex(page["id"])
        return self.get_page(page["id"])

    def delete_page(
        self, page_id: int | str, *, purge: bool = False, kinds: tuple[str, ...] | None = None
    ) -> None:
        """Move a page to the trash (its children move up to its parent, as in Confluence), or with
        ``purge`` delete an already trashed page for good, with its versions, labels and comments."""
        with self.lock, self.transaction():
            if purge:
                page = self.page_row(page_id, trashed=True, kinds=kinds)
                if page["status"] != "trashed":
                    raise bad_request("Only a page in the trash can be purged; delete it first.")
                for table, column in (
                    ("pages", "id"),
                    ("page_versions", "page_id"),
                    ("page_labels", "page_id"),
                    ("comments", "page_id"),
                    ("content_properties", "content_id"),
                ):
                    self.db.execute(f"DELETE FROM {table} WHERE {column} = ?", (page["id"],))
                return
            page = self.page_row(page_id, kinds=kinds)
            self.check_editable(page["id"])
            self.db.execute("UPDATE pages SET status = 'trashed' WHERE id = ?", (page["id"],))
            self.db.execute(
                "UPDATE pages SET parent_id = ? WHERE parent_id = ?",
                (page["parent_id"], page["id"]),
            )
            self.db.execute("DELETE FROM pages_fts WHERE rowid = ?", (page["id"],))

    def restore_page(self, page_id: int | str) -> dict[str, Any]:
        """Take a page out of the trash, content untouched; under its old parent if that is still there."""
        with self.lock, self.transaction():
            page = self.page_row(page_id, trashed=True)
            if page["status"] != "trashed":
                return self.get_page(page["id"])
            parent = page["parent_id"]
            if (
                parent is not None
                and self.scalar("SELECT status FROM pages WHERE id = ?", (parent,)) != "current"
            ):
                parent = self.scalar(
                    "SELECT homepage_id FROM spaces WHERE id = ?", (page["space_id"],)
                )
            self.check_title_free(page["space_id"], page["title"], page["type"], page["created_at"])
            if page["type"] == BLOGPOST:
                parent = None
            self.db.execute(
                "UPDATE pages SET status = 'current', parent_id = ? WHERE id = ?",
                (parent, page["id"]),
            )
            self.reindex(page["id"])
        return self.get_page(page["id"])

    def get_page(
        self,
        page_id: int | str,
        *,
        version: int | None = None,
        trashed: bool = False,
        kinds: tuple[str, ...] | None = None,
    ) -> dict[str, Any]:
        """Content with its body; ``version`` picks an older version (title and body as they were).
        ``kinds`` limits the types found (``/pages/{id}`` finds pages only; None: any type)."""
        page = self.page_row(page_id, trashed=trashed, kinds=kinds)
        if version is not None and version != page["version"]:
            if not 0 < version < page["version"]:
                raise not_found(f"Version {version} of the page")
            old = self.query_one(
                "SELECT * FROM page_versions WHERE page_id = ? AND number = ?",
                (page["id"], version),
            )
            if old is None:
                raise not_found(f"Version {version} of the page")
            page.update(
                title=old["title"],
                body=old["body"],
                version=old["number"],
                modified_at=old["created_at"],
                modified_by=old["author_id"],
                version_message=old["message"],
                minor_edit=old["minor_edit"],
                status="historical",
            )
        return page

    def reindex(self, page_id: int) -> None:
        """Refresh the full-text row of a page (title, body text, labels); other content has a title only."""
        with self.lock:
            row = self.db.execute(
                "SELECT title, body, status FROM pages WHERE id = ?", (page_id,)
            ).fetchone()
            self.db.execute("DELETE FROM pages_fts WHERE rowid = ?", (page_id,))
            if row is None or row["status"] == "trashed":
                return
            labels = " ".join(
                r[0]
                for r in self.db.execute(
                    "SELECT l.name FROM labels l JOIN page_labels pl ON pl.label_id = l.id WHERE pl.page_id = ?",
                    (page_id,),
                )
            )
            self.db.execute(
                "INSERT INTO pages_fts(rowid, title, text, labels) VALUES (?, ?, ?, ?)",
                (page_id, row["title"], plain_text(row["body"]), labels),
            )

    def page_row(
        self, page_id: int | str, *, trashed: bool = False, kinds: tuple[str, ...] | None = None
    ) -> dict[str, Any]:
        what = f"The {kind_name(kinds[0])}" if kinds and len(kinds) == 1 else "The content"
        page = self.query_one(
            "SELECT p.*, (SELECT q.type FROM pages q WHERE q.id = p.parent_id) AS parent_type FROM pages p "
            "WHERE p.id = ?",
            (row_id(page_id, "page"),),
        )
        if (
            page is None
            or (page["status"] == "trashed" and not trashed)
            or (kinds and page["type"] not in kinds)
        ):
            raise not_found(what if kinds else "The page")
        return page

    def check_title_free(
        self, space_id: int, title: str, kind: str = PAGE, created: str = ""
    ) -> None:
        """Page titles are unique in a space; a blog post's title is unique among the space's blog
        posts of the same day (its web address is ``/YYYY/MM/DD/Title`` on Data Center). Folders,
        whiteboards, databases and smart links may share titles."""
        if kind == PAGE:
            clash = self.scalar(
                "SELECT id FROM pages WHERE space_id = ? AND title = ? COLLATE NOCASE AND status != 'trashed' "
                "AND type = 'page'",
                (space_id, title),
            )
        elif kind == BLOGPOST:
            clash = self.scalar(
                "SELECT id FROM pages WHERE space_id = ? AND title = ? COLLATE NOCASE AND status != 'trashed' "
                "AND type = 'blogpost' AND substr(created_at, 1, 10) = ?",
                (space_id, title, created[:10]),
            )
        else:
            clash = None
        if clash is not None:
            key = self.scalar("SELECT key FROM spaces WHERE id = ?", (space_id,))
            thing = kind_name(kind)
            raise ApiError(
                400,
                "INVALID_REQUEST_PARAMETER",
                f"A {thing} with this title already exists: a {thing} titled '{title}' already exists in space "
                f"'{key}' (id {clash}).",
            )
