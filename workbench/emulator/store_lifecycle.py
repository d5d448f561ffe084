"""The page lifecycle beyond save and trash (mixed into :class:`~workbench.emulator.store.Store`):
move and reorder, copy a page or a tree (a long task), restore an old version as a new one, and the
"no permission" knob tests use.

What Confluence does, and where it is written (the v1 file is ``tests/specs/confluence-cloud-v1.openapi.json``):

- ``PUT /wiki/rest/api/content/{pageId}/move/{position}/{targetId}``: ``append`` makes the page a
  child of the target; ``before``/``after`` put it under the target's parent next to it (a target at
  the top level makes it top-level). 400 for a title already taken in the target space or a
  parent-child loop, 403 without permission, 404 for a missing page or target; 200 ``{"pageId"}``.
  The page's children go with it; moving to another space moves the whole branch. A move does not
  write a page version (it sends no body and no version number; observed by other clients, [?]).
- ``POST /content/{id}/copy`` (``CopyPageRequest``: ``destination`` ``space`` / ``parent_page`` /
  ``existing_page``, ``pageTitle``, ``copyLabels``, ``copyProperties``) → the new ``Content``.
- ``POST /content/{id}/pagehierarchy/copy`` (``CopyPageHierarchyRequest``: ``destinationPageId``,
  ``titleOptions{prefix,search,replace}`` — "required for copying page in the same space") → 202
  ``{"id", "links": {"status": "/rest/api/longtask/{id}"}}``; ``GET /longtask/{id}`` →
  ``LongTaskStatusWithLinks``. Here the copy is made at once, in one transaction; the task reports
  "in progress" on its first read and finished on the next, so a client must really poll.
- ``POST /content/{id}/version`` (``VersionRestore``: ``operationKey: restore``,
  ``params{versionNumber, message, restoreTitle}``): "a new version is created with the content of
  the historical version"; 400 when the version does not exist or is the current one.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

from workbench.emulator.errors import ApiError, bad_request, not_found
from workbench.emulator.schema import DEMO_ACCOUNT_ID, iso, utcnow
from workbench.emulator.store_base import StoreBase
from workbench.emulator.store_content import BLOGPOST, TREE_KINDS

POSITIONS = ("before", "after", "append")


def forbidden(message: str) -> ApiError:
    return ApiError(403, "FORBIDDEN", message)


class LifecycleMixin(StoreBase):
    """Uses the rest of the store through :class:`StoreBase`; owns the restrictions and long tasks."""

    def __init__(self, path: str | Path | None = None) -> None:
        super().__init__(path)
        self.read_only: set[int] = set()  # content the API user may not change (restrict_edits)
        self.long_tasks: dict[str, dict[str, Any]] = {}  # v1 long tasks by id

    # -- permissions (a test knob: Confluence's page restrictions, reduced to "may not edit") -----
    def restrict_edits(self, page_id: int | str, restricted: bool = True) -> None:
        """Make a page read-only for the API user (its edits, moves and deletes are refused)."""
        if restricted:
            self.read_only.add(int(page_id))
        else:
            self.read_only.discard(int(page_id))

    def may_edit(self, page_id: int | str) -> bool:
        return int(page_id) not in self.read_only

    def check_editable(self, page_id: int | str, what: str = "page") -> None:
        if not self.may_edit(page_id):
            raise forbidden(f"You do not have permission to change this {what} ({page_id}).")

    # -- move ---------------------------------------------------------------------------------
    def move_page(self, page_id: int | str, position: str, target_id: int | str) -> dict[str, Any]:
        """v1 move: the page (and its branch) next to or under ``target_id``; no version is written."""
        if position not in POSITIONS:
            raise bad_request(f"Invalid position '{position}'; use before, after or append.")
        with self.lock, self.transaction():
            page = self.page_row(page_id, kinds=TREE_KINDS)
            target = self.page_row(target_id, kinds=TREE_KINDS)
            self.check_editable(page["id"])
            if position == "append":
                parent_id, space_id = target["id"], target["space_id"]
            else:
                parent_id, space_id = target["parent_id"], target["space_id"]
            if target["id"] == page["id"] or page["id"] in self._chain(parent_id):
                raise bad_request(
                    "The move would create a parent-child loop: a page cannot go under itself or "
                    "one of its descendants."
                )
            branch = [page["id"], *self._descendant_ids(page["id"])]
            if space_id != page["space_id"]:
                for row in self.query(
                    f"SELECT id, title, type, created_at FROM pages WHERE id IN ({_marks(branch)})",
                    branch,
                ):
                    self.check_title_free(space_id, row["title"], row["type"], row["created_at"])
                self.db.execute(
                    f"UPDATE pages SET space_id = ? WHERE id IN ({_marks(branch)})",
                    [space_id, *branch],
                )
            siblings = [
                r["id"]
                for r in self.query(
                    "SELECT id FROM pages WHERE parent_id IS ? AND space_id = ? AND type != ? "
                    "AND status != 'trashed' AND id != ? ORDER BY position, id",
                    (parent_id, space_id, BLOGPOST, page["id"]),
                )
            ]
            if position == "append":
                siblings.append(page["id"])
            else:
                at = siblings.index(target["id"]) + (1 if position == "after" else 0)
                siblings.insert(at, page["id"])
            self.db.execute("UPDATE pages SET parent_id = ? WHERE id = ?", (parent_id, page["id"]))
            for number, sibling in enumerate(siblings):
                self.db.execute("UPDATE pages SET position = ? WHERE id = ?", (number, sibling))
        return self.get_page(page["id"])

    def _chain(self, parent_id: int | None) -> list[int]:
        """``parent_id`` and its ancestors."""
        chain: list[int] = []
        while parent_id is not None and len(chain) < 10_000:
            chain.append(parent_id)
            parent_id = self.scalar("SELECT parent_id FROM pages WHERE id = ?", (parent_id,))
        return chain

    def _descendant_ids(self, page_id: int) -> list[int]:
        """Every current descendant, top-down (parents before their children)."""
        out: list[int] = []
        frontier = [page_id]
        while frontier and len(out) < 100_000:
            rows = self.query(
                f"SELECT id FROM pages WHERE parent_id IN ({_marks(frontier)}) "
                "AND status != 'trashed' ORDER BY parent_id, position, id",
                frontier,
            )
            frontier = [r["id"] for r in rows]
            out += frontier
        return out

    # -- copy ---------------------------------------------------------------------------------
    def copy_page(
        self,
        page_id: int | str,
        destination: str,
        value: str,
        *,
        title: str | None = None,
        storage: str | None = None,
        copy_labels: bool = False,
        copy_properties: bool = False,
        copy_attachments: bool = False,
        copy_permissions: bool = False,
        author: str = DEMO_ACCOUNT_ID,
    ) -> dict[str, Any]:
        """v1 single-page copy to a space's root, under a parent page, or over an existing page."""
        with self.lock, self.transaction():
            source = self.page_row(page_id, kinds=("page",))
            new_title = (title if title is not None else source["title"]).strip()
            body = source["body"] if storage is None else storage
            if destination == "existing_page":
                existing = self.page_row(value, kinds=("page",))
                self.check_editable(existing["id"])
                row = self.update_page(
                    existing["id"], body, title=new_title, author=author, message=""
                )
            elif destination == "parent_page":
                parent = self.page_row(value, kinds=TREE_KINDS)
                row = self.create_page(
                    parent["space_id"], new_title, body, parent_id=parent["id"], author=author
                )
            elif destination == "space":
                space = self.query_one("SELECT id FROM spaces WHERE key = ?", (value,))
                if space is None:
                    raise not_found(f"The space '{value}'")
                row = self.create_page(space["id"], new_title, body, root=True, author=author)
            else:
                raise bad_request(
                    "destination.type must be one of space, parent_page or existing_page."
                )
            self._copy_extras(
                source["id"],
                int(row["id"]),
                copy_labels,
                copy_properties,
                copy_attachments,
                copy_permissions,
                author,
            )
        return self.get_page(row["id"])

    def _copy_extras(
        self,
        source: int,
        target: int,
        labels: bool,
        properties: bool,
        attachments: bool = False,
        permissions: bool = False,
        author: str = DEMO_ACCOUNT_ID,
    ) -> None:
        """What the copy's flags ask for (``CopyPageRequest``/``CopyPageHierarchyRequest`` in the
        v1 spec: ``copyLabels``, ``copyProperties``, ``copyAttachments``, ``copyPermissions``;
        ``copyCustomContents`` has nothing to copy here: the emulator keeps no custom content)."""
        if attachments:
            self._copy_attachments(source, target, author)
        if permissions and not self.may_edit(source):  # the emulator's restriction: no edits
            self.read_only.add(target)
        if labels:
            self.db.execute(
                "INSERT OR IGNORE INTO page_labels(page_id, label_id) "
                "SELECT ?, label_id FROM page_labels WHERE page_id = ?",
                (target, source),
            )
            self.reindex(target)
        if properties:
            for prop in self.query(
                "SELECT key, value, author_id, modified_at FROM content_properties WHERE content_id = ?",
                (source,),
            ):
                self.db.execute(
                    "INSERT INTO content_properties(id, content_id, key, value, version, author_id, "
                    "modified_at) VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM content_properties), "
                    "?, ?, ?, 1, ?, ?)",
                    (target, prop["key"], prop["value"], prop["author_id"], prop["modified_at"]),
                )

    def _copy_attachments(self, source: int, target: int, author: str) -> None:
        """Each current attachment of ``source`` on ``target``: its latest version's file (the
        bytes are shared, not duplicated) as version 1 of a new attachment, or as a new version
        of the target's attachment of that name (a copy over an existing page)."""
        moment = iso(utcnow())
        for att in self.query(
            "SELECT a.title, v.media_type, v.size, v.sha256, v.comment FROM attachments a "
            "JOIN attachment_versions v ON v.attachment_id = a.id AND v.number = a.version "
            "WHERE a.container_id = ? AND a.status = 'current' ORDER BY a.id",
            (source,),
        ):
            existing = self.query_one(
                "SELECT id, version FROM attachments WHERE container_id = ? AND title = ? "
                "AND status = 'current'",
                (target, att["title"]),
            )
            if existing is None:
                number, version = self.next_content_id(), 1
                self.db.execute(
                    "INSERT INTO attachments(id, container_id, title, file_id, author_id, "
                    "created_at, version) VALUES (?, ?, ?, ?, ?, ?, 1)",
                    (number, target, att["title"], str(uuid.uuid4()), author, moment),
                )
            else:
                number, version = existing["id"], existing["version"] + 1
                self.db.execute(
                    "UPDATE attachments SET version = ? WHERE id = ?", (version, number)
                )
            self.db.execute(
                "INSERT INTO attachment_versions(attachment_id, number, media_type, size, sha256, "
                "comment, author_id, created_at, minor_edit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
                (
                    number,
                    version,
                    att["media_type"],
                    att["size"],
                    att["sha256"],
                    att["comment"],
                    author,
                    moment,
                ),
            )

    def copy_hierarchy(
        self,
        page_id: int | str,
        destination_id: int | str,
        *,
        prefix: str = "",
        search: str = "",
        replace: str = "",
        copy_labels: bool = False,
        copy_properties: bool = False,
        copy_attachments: bool = False,
        copy_permissions: bool = False,
        author: str = DEMO_ACCOUNT_ID,
    ) -> dict[str, Any]:
        """Copy a page and its descendants under ``destination_id``; returns the long task."""
        started = time.monotonic()
        with self.lock, self.transaction():
            root = self.page_row(page_id, kinds=("page",))
            parent = self.page_row(destination_id, kinds=TREE_KINDS)
            if root["id"] == parent["id"] or root["id"] in self._chain(parent["id"]):
                raise bad_request("A page tree cannot be copied into itself.")
            branch = [root["id"], *self._descendant_ids(root["id"])]
            rows = {
                r["id"]: r
                for r in self.query(
                    f"SELECT * FROM pages WHERE id IN ({_marks(branch)})",
                    branch,
                )
            }
            titles = {
                i: prefix + (r["title"].replace(search, replace) if search else r["title"])
                for i, r in rows.items()
            }
            if any(not t.strip() for t in titles.values()):
                raise bad_request("The title options give a copied page an empty title.")
            new_ids: dict[int, int] = {}
            for old in branch:
                row = rows[old]
                under = parent["id"] if old == root["id"] else new_ids[row["parent_id"]]
                made = self.create_page(
                    parent["space_id"],
                    titles[old],
                    row["body"],
                    parent_id=under,
                    author=author,
                    kind=row["type"],
                    embed_url=row.get("embed_url"),
                )
                new_ids[old] = int(made["id"])
                self._copy_extras(
                    old,
                    int(made["id"]),
                    copy_labels,
                    copy_properties,
                    copy_attachments,
                    copy_permissions,
                    author,
                )
        task_id = str(1180601 + len(self.long_tasks))  # the spec's example id is 1180606
        self.long_tasks[task_id] = {
            "id": task_id,
            "reads": 0,
            "elapsed": int((time.monotonic() - started) * 1000),
            "copied": len(branch),
            "destination": new_ids[root["id"]],
            "space_id": parent["space_id"],
        }
        return self.long_tasks[task_id]

    def long_task(self, task_id: str) -> dict[str, Any]:
        """A long task's state; each read advances it (unfinished on the first read, done after)."""
        task = self.long_tasks.get(str(task_id))
        if task is None:
            raise not_found("The long-running task")
        with self.lock:
            task["reads"] += 1
        return {**task, "finished": task["reads"] > 1}

    # -- restore a version --------------------------------------------------------------------
    def restore_version(
        self,
        page_id: int | str,
        number: int,
        *,
        message: str = "",
        restore_title: bool = False,
        author: str = DEMO_ACCOUNT_ID,
        kinds: tuple[str, ...] | None = None,
    ) -> dict[str, Any]:
        """A new version holding version ``number``'s body (and title with ``restore_title``)."""
        with self.lock, self.transaction():
            page = self.page_row(page_id, kinds=kinds)
            self.check_editable(page["id"])
            if number == page["version"]:
                raise bad_request(f"Version {number} is the current version; nothing to restore.")
            old = self.query_one(
                "SELECT * FROM page_versions WHERE page_id = ? AND number = ?",
                (page["id"], number),
            )
            if old is None:
                raise bad_request(f"There is no version {number} of content {page['id']}.")
            return self.update_page(
                page["id"],
                old["body"],
                title=old["title"] if restore_title else page["title"],
                version=page["version"] + 1,
                author=author,
                message=message or f"Restored version {number}",
                kinds=kinds,
                when=iso(utcnow()),
            )


def _marks(items: list[int]) -> str:
    return ",".join("?" * len(items))
