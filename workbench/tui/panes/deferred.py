"""Tab panes whose widgets are made when first needed, not for the first frame: :class:`DeferredPane`.

At start-up only the page tab is shown; the editor, results and history tabs are hidden behind it.
Composing, mounting and styling their ~20 widgets (the editor's text area and its syntax query
among them) cost ~15–20 ms of CPU before the spaces could show. A deferred pane is an empty tab
until the first of:

- start-up is over (the spaces and the user are shown, or connecting failed): the main screen
  calls :meth:`DeferredPane.compose_now` on each, after that frame (``MainLayout.compose_deferred``);
- the tab is shown (``MainLayout.show_tab``, or the tab clicked);
- the pane's own code asks for one of its widgets (:meth:`DeferredPane.part`).

The tab's label is there from the first frame (the tab bar does not change).
"""

from __future__ import annotations

from typing import TypeVar

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import TabPane

W = TypeVar("W", bound=Widget)
C = TypeVar("C", bound=Widget)


class DeferredPane(TabPane):
    """A tab pane composed from :meth:`content` when first needed (see the module)."""

    _composed = False
    _nested: list[tuple[Widget, tuple[Widget, ...]]] | None = None

    def compose(self) -> ComposeResult:
        yield from ()  # the widgets come from content(), when first needed

    def content(self) -> ComposeResult:
        """The pane's widgets (what ``compose`` yields in a pane made at once); a container with
        widgets inside is made with :meth:`nest`."""
        raise NotImplementedError

    def nest(self, container: C, *children: Widget) -> C:
        """``container`` holding ``children`` (as ``Container(*children)`` would): they are mounted
        in it by :meth:`compose_now`, so the pane's queries find them as soon as it returns."""
        if self._nested is None:
            self._nested = []
        self._nested.append((container, children))
        return container

    @property
    def composed(self) -> bool:
        """Whether the pane's widgets have been made."""
        return self._composed

    def compose_now(self) -> None:
        """Make and mount the pane's widgets, once. They are in the DOM when this returns (queries
        find them); Textual finishes mounting them on the next turns of the event loop."""
        if self._composed:
            return
        self._composed = True
        self.mount_all(list(self.content()))
        # an outer container is nested after what it holds (its arguments come first): in reverse,
        # each container is in the DOM before its children are mounted in it
        for container, children in reversed(self._nested or []):
            container.mount_all(children)
        self._nested = None

    def part(self, selector: str, expect_type: type[W]) -> W:
        """The pane's widget matching ``selector`` (composing the pane first if need be)."""
        self.compose_now()
        return self.query_one(selector, expect_type)
