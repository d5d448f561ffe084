"""A page read from the local index instead of the site: :func:`open_offline`.

What the index holds is the page as the last sync saw it: the storage, the version, the title, the
labels and the place in the tree. An :class:`OfflinePage` says how old that is (``synced_at``: when
the sync of its space last finished; ``age``), so every caller can mark it read-only and dated. It
is never a base for saving by itself: edits made from it are saved through the editing session when
the site is back, which compares versions as for any other edit.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.errors import UsageError
from workbench.index.files import index_failure
from workbench.index.records import iso
from workbench.index.schema import webui_of
from workbench.index.sites import SiteRef
from workbench.index.store import SiteIndex

if TYPE_CHECKING:
    from workbench.confluence.page_ref import PageRef
    from workbench.services.pages import OpenedPage


@dataclass(frozen=True, slots=True)
class OfflinePage:
    id: str
    type: str
    title: str
    space_key: str
    version: int
    last_modified: str
    labels: tuple[str, ...]
    ancestors: tuple[tuple[str, str], ...]  # (id, title), top first
    storage: str
    url: str
    site: str
    synced_at: float | None  # end of the last finished sync of the page's space (epoch seconds)
    complete: bool  # that sync went through the whole space (else: an interrupted first sync)
    people: tuple[tuple[str, str], ...] = ()  # (account, display name) of the people it mentions
    space_id: str = ""  # the space's id on the site (v2 id on Cloud, the key on Data Center)
    author_id: str = ""  # who saved the indexed version (account id or user key), if known

    def opened(self) -> OpenedPage:
        """The copy as a page opened for reading and editing (``services.pages``): its version is
        the base an edit is saved against, as for a page read from the site."""
        # lazy, for start-up: workbench.confluence.models, workbench.services.pages loads on first use
        from workbench.confluence.models import Label, Page, Version
        from workbench.services.pages import view_of

        page = Page(
            id=self.id,
            title=self.title,
            space_id=self.space_id,
            version=Version(self.version, author_id=self.author_id, created_at=self.last_modified),
            storage=self.storage,
            parent_id=self.ancestors[-1][0] if self.ancestors else None,
            webui=self.url,
            space_key=self.space_key,
            labels=tuple(Label(name) for name in self.labels),
            type=self.type,
        )
        return view_of(page, dict(self.people))

    def age(self, now: float | None = None) -> str:
        """``synced 3 h ago`` / ``from an unfinished first sync``: how fresh the copy is, for people."""
        # lazy, for start-up: workbench.confluence.pauses loads on first use
        from workbench.confluence.pauses import duration

        if self.synced_at is None:
            return "from an unfinished first sync"
        seconds = max(0.0, (now if now is not None else time.time()) - self.synced_at)
        return "synced just now" if seconds < 60 else f"synced {duration(seconds)} ago"

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "type": self.type,
            "title": self.title,
            "space_key": self.space_key,
            "version": self.version,
            "last_modified": self.last_modified,
            "labels": list(self.labels),
            "ancestors": [{"id": i, "title": t} for i, t in self.ancestors],
            "url": self.url,
            "storage": self.storage,
            "offline": True,
            "site": self.site,
            "synced_at": iso(int(self.synced_at * 1000)) if self.synced_at is not None else None,
        }


def open_offline(site: SiteRef, text: str, *, version: int | None = None) -> OfflinePage:
    """The indexed copy of the page ``text`` names (an id or a page URL of this site)."""
    # lazy, for start-up: workbench.confluence.page_ref, workbench.textsafe loads on first use
    from workbench.confluence.page_ref import parse_page_ref
    from workbench.textsafe import printable

    ref = parse_page_ref(text)
    host = site.key.split("//", 1)[-1].split("/", 1)[0]
    if ref.host and ref.host.lower() != host:
        raise UsageError(
            f"That link is to {printable(ref.host)}, but the local index is of {printable(host)}; "
            "use --profile to pick that site."
        )
    try:
        return _read(site, text, _ident_of(ref), ref, version)
    except sqlite3.Error as exc:
        raise index_failure(site.path, exc, "reading a page from it") from None


def _ident_of(ref: PageRef) -> int | None:
    return int(ref.page_id) if ref.page_id and ref.page_id.isdigit() else None


def _read(
    site: SiteRef, text: str, ident: int | None, ref: PageRef, version: int | None
) -> OfflinePage:
    # lazy, for start-up: workbench.textsafe loads on first use
    from workbench.textsafe import printable

    with SiteIndex(site.path, readonly=True) as index:
        if ident is None and ref.space_key and ref.title:
            found = index.db.execute(
                "SELECT id FROM content WHERE space_key = ? AND title = ? AND type != 'folder'",
                (ref.space_key, ref.title),
            ).fetchone()
            ident = int(found[0]) if found else None
        row = index.row(ident) if ident is not None else None
        if ident is None or row is None or row["type"] == "folder":
            raise UsageError(
                f"Page {printable(text)} is not in the local index of {printable(site.name)} "
                "(not synced, or deleted since); 'workbench sync SPACE' adds a space."
            )
        if version is not None and version != row["version"]:
            raise UsageError(
                f"The local index holds version {row['version']} of page {ident} only, not "
                f"version {version}."
            )
        body = index.body(ident)
        if body is None:
            raise UsageError(
                f"The local index of {printable(site.name)} lists page {ident} but holds no body "
                "for it; run 'workbench sync' again."
            )
        # lazy, for start-up: workbench.index.text loads on first use
        from workbench.index.text import mentioned

        space = index.space(row["space_key"])
        people = tuple(index.names(mentioned(body[0])).items())
        flavour = index.meta("flavour") or "cloud"
        base = index.meta("web_base") or index.meta("base_url") or ""
        path = row["webui"] or webui_of(flavour, row["type"], row["space_key"], ident, row["title"])
        return OfflinePage(
            id=str(ident),
            type=row["type"],
            title=row["title"],
            space_key=row["space_key"],
            version=int(row["version"]),
            last_modified=iso(row["modified"]),
            labels=tuple(row["labels"].split()),
            ancestors=tuple((str(i), title) for i, _, title in index.ancestors(ident)),
            storage=body[0],
            url=f"{base}{path}" if path and not path.startswith("http") else path,
            site=index.meta("site_name") or site.name,
            synced_at=space.synced_at if space is not None else None,
            complete=space is not None and space.state == "complete",
            people=people,
            space_id=space.id if space is not None else "",
            author_id=_account(index, row["editor"]),
        )


def _account(index: SiteIndex, person: int | None) -> str:
    if person is None:
        return ""
    found = index.db.execute("SELECT account FROM people WHERE id = ?", (person,)).fetchone()
    return str(found[0]) if found else ""
