"""The site tree's keys (:class:`~workbench.tui.widgets.site_tree.SiteTree`'s ``BINDINGS``): what
the help, the palette and the footer show for the left pane (``workbench/tui/keys.py`` reads them
from there)."""

from __future__ import annotations

from textual.binding import Binding, BindingType

SITE_TREE_BINDINGS: list[BindingType] = [
    Binding(
        "enter",
        "choose",
        "Open",
        id="tree.open",
        tooltip="Open the page (on a space: its homepage)",
    ),
    Binding("right", "expand", "Expand", show=False, id="tree.expand", tooltip="Expand the node"),
    Binding(
        "left",
        "collapse",
        "Collapse",
        show=False,
        id="tree.collapse",
        tooltip="Collapse, or go to the parent",
    ),
    Binding("j", "cursor_down", "Down", show=False),
    Binding("k", "cursor_up", "Up", show=False),
    Binding(
        "f", "filter", "Filter", id="tree.filter", tooltip="Filter the loaded tree as you type"
    ),
    Binding(
        "o",
        "browse",
        "Browser",
        show=False,
        id="tree.browser",
        tooltip="Open in the web browser (a folder, whiteboard, database or smart link: the row's own)",
    ),
    Binding(
        "r",
        "resync",
        "Re-sync",
        show=False,
        id="tree.resync",
        tooltip="On a space: sync it into the local index now (elsewhere: reload the page and the tree)",
    ),
    Binding(
        "n",
        "new_page",
        "New",
        show=False,
        id="tree.new",
        tooltip="New page (on a folder: inside the folder)",
    ),
    # the page lifecycle on the selected row (workbench/tui/lifecycle.py)
    Binding(
        "M",
        "lifecycle('move')",
        "Move",
        show=False,
        id="tree.move",
        tooltip="Move the selected page (under another page, or before/after one)",
    ),
    Binding(
        "C",
        "lifecycle('copy')",
        "Copy",
        show=False,
        id="tree.copy",
        tooltip="Copy the selected page (or its whole tree), listing what is created",
    ),
    Binding(
        "D",
        "lifecycle('delete')",
        "Delete",
        show=False,
        id="tree.delete",
        tooltip="Move the selected page to the trash (says what moves up and which links break)",
    ),
    Binding(
        "T",
        "lifecycle('trash')",
        "Trash",
        show=False,
        id="tree.trash",
        tooltip="The space's trash: restore a page from it",
    ),
]
