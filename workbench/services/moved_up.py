"""The children that moved up when a page went to the trash, so its restore can put them back.

Confluence moves a trashed page's children up to its parent and leaves them there when the page is
restored; it keeps no record of where they were. The workbench keeps one: every delete it makes
(``workbench delete``, ``D`` in the tree) writes the trashed page's former children here, and every
restore it makes (``workbench restore``, ``T`` in the tree) offers to put them back. The record is
per Confluence site (``moved-up-<site>.json`` in the data directory, keyed by the site's URL, so the
command line and the app share it), written atomically; a file that cannot be read is set aside
and the record starts empty (nothing on the server depends on it). A page trashed elsewhere (the
browser, another machine) has no record: its children stay where Confluence put them.

Putting them back (:func:`children_back_plan`, then :func:`put_children_back`) is one pinned move
per child. A child that is no longer where the delete left it — moved by someone since, trashed,
deleted — is left alone and said so: the person's later choice wins over the old record.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.errors import WorkbenchError
from workbench.services.json_record import read_record

if TYPE_CHECKING:
    from workbench.confluence.client import ConfluenceClient


@dataclass(frozen=True, slots=True)
class MovedChild:
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class MovedUp:
    """What one delete did: ``children`` left ``page_id`` for ``parent_id`` ("" the top level)."""

    page_id: str
    title: str
    parent_id: str
    children: tuple[MovedChild, ...]
    at: float = 0.0

    @classmethod
    def from_json(cls, data: object) -> MovedUp | None:
        if not isinstance(data, dict):
            return None
        page_id, title, parent = data.get("page_id"), data.get("title"), data.get("parent_id", "")
        items = data.get("children")
        if not (isinstance(page_id, str) and isinstance(title, str) and isinstance(parent, str)):
            return None
        if not isinstance(items, list):
            return None
        children = tuple(
            MovedChild(c["id"], c["title"])
            for c in items
            if isinstance(c, dict)
            and isinstance(c.get("id"), str)
            and isinstance(c.get("title"), str)
        )
        at = data.get("at", 0.0)
        return cls(
            page_id, title, parent, children, float(at) if isinstance(at, int | float) else 0.0
        )


class MovedUpRecord:
    """The kept deletes of one site, in ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problem: str | None = None  # what went wrong reading or writing, to say once
        self._entries: dict[str, MovedUp] = {}
        self._load()

    @classmethod
    def for_site(cls, directory: Path, site_url: str) -> MovedUpRecord:
        # lazy, for start-up: workbench.services.cache loads on first use
        from workbench.services.cache import site_slug

        return cls(Path(directory) / f"moved-up-{site_slug(site_url.rstrip('/'))}.json")

    @classmethod
    def of(cls, client: ConfluenceClient) -> MovedUpRecord:
        """The record of ``client``'s site, in the data directory."""
        # lazy, for start-up: workbench.config loads on first use
        from workbench.config import data_dir

        return cls.for_site(data_dir(), client.base_url)

    def _load(self) -> None:
        data, self.problem = read_record(self.path, "The record of children that moved up")
        deletes = data.get("deletes")
        for item in deletes if isinstance(deletes, list) else []:
            entry = MovedUp.from_json(item)
            if entry is not None:
                self._entries[entry.page_id] = entry

    def get(self, page_id: str) -> MovedUp | None:
        return self._entries.get(page_id)

    def remember(self, page_id: str, title: str, parent_id: str | None, children) -> None:
        """A delete moved ``children`` (id/title pairs or summaries) up to ``parent_id``."""
        kept = tuple(
            MovedChild(*c) if isinstance(c, tuple) else MovedChild(c.id, c.title) for c in children
        )
        if not kept:
            return
        self._entries[page_id] = MovedUp(page_id, title, parent_id or "", kept, time.time())
        self._save()

    def forget(self, page_id: str) -> None:
        if self._entries.pop(page_id, None) is not None:
            self._save()

    def _save(self) -> None:
        # lazy, for start-up: workbench.config loads on first use
        from workbench.config import atomic_write

        data = {"deletes": [_entry_json(e) for e in self._entries.values()]}
        try:
            atomic_write(self.path, json.dumps(data, ensure_ascii=False, indent=1))
        except OSError as exc:
            self.problem = (
                f"The children that moved up could not be recorded in {self.path} ({exc}); a "
                "restore will not offer to put them back."
            )
        else:
            self.problem = None


def _entry_json(entry: MovedUp) -> dict[str, object]:
    data = asdict(entry)
    data["children"] = [asdict(c) for c in entry.children]
    return data


# -- putting them back ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ChildBack:
    """One former child: whether it goes back under the restored page, and why not."""

    id: str
    title: str
    version: int = 0  # the version it has now (the move is pinned to it)
    now_under: str = ""  # its parent now ("" the top level)
    reason: str = ""  # why it stays where it is ("" it goes back)

    @property
    def goes_back(self) -> bool:
        return not self.reason

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {"id": self.id, "title": self.title}
        if self.reason:
            out["left"] = self.reason
        return out


@dataclass
class ChildrenBack:
    entry: MovedUp
    children: list[ChildBack] = field(default_factory=list)

    @property
    def going(self) -> list[ChildBack]:
        return [c for c in self.children if c.goes_back]

    @property
    def staying(self) -> list[ChildBack]:
        return [c for c in self.children if not c.goes_back]


async def children_back_plan(client: ConfluenceClient, entry: MovedUp) -> ChildrenBack:
    """Which former children can go back: those still where the delete put them. Reads only
    (one per child)."""
    # lazy, for start-up: workbench.confluence.errors loads on first use
    from workbench.confluence.errors import NotFound

    plan = ChildrenBack(entry)
    for child in entry.children:
        try:
            page = await client.get_page(child.id, body=False)
        except NotFound:
            plan.children.append(
                ChildBack(child.id, child.title, reason="no longer there (trashed or deleted)")
            )
            continue
        parent = page.parent_id or ""
        if page.status != "current":
            reason = f"it is {page.status}"
        elif parent != entry.parent_id:
            reason = "moved elsewhere since; left where it is"
        else:
            reason = ""
        plan.children.append(ChildBack(page.id, page.title, page.version.number, parent, reason))
    return plan


async def put_children_back(
    client: ConfluenceClient, plan: ChildrenBack
) -> tuple[list[ChildBack], list[ChildBack]]:
    """Move each child of ``plan.going`` back under the restored page, pinned to the version it
    had when planned. Returns (moved back, left with the reason); one failure does not stop the
    others."""
    moved: list[ChildBack] = []
    left = list(plan.staying)
    for child in plan.going:
        try:
            await client.move_page(child.id, plan.entry.page_id, base_version=child.version)
        except WorkbenchError as exc:
            left.append(
                ChildBack(child.id, child.title, child.version, child.now_under, exc.message)
            )
        else:
            moved.append(child)
    return moved, left
