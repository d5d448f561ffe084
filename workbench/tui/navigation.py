"""Getting around on the main screen: back/forward through the pages opened, the recent pages and
the bookmarks of the site (:mod:`workbench.services.places`), as the screen, the palette and the
home view use them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from workbench.services.places import Place, Places, Trail

if TYPE_CHECKING:
    from workbench.services.pages import OpenedPage


class Navigation:
    """The trail of this session and the site's kept lists (read on first use)."""

    def __init__(self, site_key: str) -> None:
        self.site_key = site_key
        self.trail = Trail()
        self._places: Places | None = None
        self._travelling: str | None = None  # the page a back/forward step is opening
        #: told (from the writer thread) when the kept lists could not be written
        self.on_problem: Callable[[str], object] | None = None

    @property
    def places(self) -> Places:
        if self._places is None:
            # lazy, for start-up: workbench.config loads on first use
            from workbench.config import data_dir

            self._places = Places.for_site(data_dir(), self.site_key, on_problem=self._problem)
        return self._places

    def _problem(self, problem: str) -> None:
        if self.on_problem is not None:
            self.on_problem(problem)

    def shown(self, opened: OpenedPage) -> None:
        """A page was read from the server and shown: a step on the trail (unless a back/forward
        step opened it) and first in the recent pages (written off the event loop; a failure is
        said through ``on_problem``)."""
        page = opened.page
        place = Place(page.id, page.title, page.type or "page", page.space_key)
        if self._travelling == page.id:
            self._travelling = None
        else:
            self.trail.visit(place)
        self.places.visited(place)

    def step(self, step: int) -> Place | None:
        """The place one step back (-1) or forward (1), now being opened; None at either end."""
        place = self.trail.go(step)
        if place is not None:
            self._travelling = place.page_id
        return place

    def toggle_bookmark(self, opened: OpenedPage) -> bool:
        page = opened.page
        return self.places.toggle_bookmark(
            Place(page.id, page.title, page.type or "page", page.space_key)
        )

    def home_markdown(self) -> str:
        """The home view (no page open yet): the bookmarks and the recent pages, as links."""
        places = self.places
        if not places.bookmarks and not places.recent:
            return ""
        parts = ["Pick a page below (or `g`), the tree (`escape`), or `ctrl+p` to open anything."]
        if places.bookmarks:
            parts.append("## Bookmarks\n\n" + _listing(places.bookmarks))
        if places.recent:
            parts.append("## Recent pages\n\n" + _listing(places.recent[:15]))
        return "\n\n".join(parts) + "\n"


def _listing(places: list[Place]) -> str:
    def one(place: Place) -> str:
        scheme = "blogid" if place.kind == "blogpost" else "pageid"
        space = f" · {_md_escape(place.space_key)}" if place.space_key else ""
        return f"- [{_md_escape(place.title)}]({scheme}:{place.page_id}){space}"

    return "\n".join(one(p) for p in places)


def _md_escape(text: str) -> str:
    return "".join("\\" + ch if ch in "[]\\*_`<#" else ch for ch in text)
