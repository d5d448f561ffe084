"""The left pane: sites → spaces → pages. A dumb widget: it shows rows and posts intents.

Like Confluence's own sidebar, a space stands for its homepage: enter on a space opens the homepage,
and the space's children are the homepage's children (plus any other root pages of the space).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from workbench.confluence.models import PageSummary, Space
from workbench.textsafe import printable


@dataclass(slots=True)
class Row:
    """What a tree node stands for. ``key`` is ``site``, ``space:<id>`` or ``page:<id>``."""

    key: str
    title: str
    space_id: str = ""
    loaded: bool = False
    loading: bool = False
    has_children: bool = True
    home: str = ""

    @property
    def kind(self) -> str:
        return self.key.partition(":")[0]

    @property
    def ident(self) -> str:
        return self.key.partition(":")[2]


class SiteTree(Tree[Row]):
    """Spaces and pages of one site; children load lazily when a node is expanded."""

    BINDINGS = [
        Binding("enter", "choose", "Open", id="tree.open", tooltip="Open the page (on a space: its homepage)"),
        Binding("right", "expand", "Expand", show=False, id="tree.expand", tooltip="Expand the node"),
        Binding("left", "collapse", "Collapse", show=False, id="tree.collapse", tooltip="Collapse, or go to the parent"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("f", "filter", "Filter", id="tree.filter", tooltip="Filter the loaded tree as you type"),
    ]

    @dataclass
    class LoadRequested(Message):
        """A node was expanded whose children are not loaded yet."""

        tree: SiteTree
        parent: str

    @dataclass
    class PageChosen(Message):
        """The user pressed enter on a page."""

        tree: SiteTree
        page_id: str
        space_id: str
        trail: list[str] = field(default_factory=list)

    @dataclass
    class FilterRequested(Message):
        tree: SiteTree

    def __init__(self, site_name: str, *, id: str | None = None) -> None:
        super().__init__(Text(printable(site_name), style="bold"), Row("site", site_name, loaded=True), id=id)
        self.auto_expand = False
        self.show_root = True
        self.guide_depth = 2
        self._node_by_key: dict[str, TreeNode[Row]] = {"site": self.root}
        self._rows: dict[str, list[Row]] = {}
        self._filter_text = ""
        self._expanded_keys: set[str] = set()
        self._home_alias: dict[str, str] = {}

    # -- feeding rows in ----------------------------------------------------------------------
    def set_spaces(self, spaces: list[Space]) -> None:
        rows = [Row(f"space:{s.id}", s.name, space_id=s.id, home=s.homepage_id or "") for s in spaces]
        self._home_alias = {f"page:{r.home}": r.key for r in rows if r.home}
        self._rows["site"] = rows
        if self._filter_text:
            self._refilter()
            return
        self._sync_rows(self.root, rows)
        self.root.expand()

    def set_children(self, parent: str, rows: list[PageSummary], *, append: bool = False, final: bool = True) -> None:
        new = [Row(f"page:{r.id}", r.title, space_id=r.space_id) for r in rows]
        if append:
            self._rows.setdefault(parent, []).extend(new)
        else:
            self._rows[parent] = new
        node = self._node_by_key.get(parent)
        if node is None:
            return
        node.data.loaded = final
        node.data.loading = not final
        if final and not self._rows[parent]:
            node.data.has_children = False
            node.allow_expand = False
        if self._filter_text:
            self._refilter()
        elif append:
            for row in new:
                self._add_row(node, row)
        else:
            self._sync_rows(node, self._rows[parent])
        self._relabel(node)

    def mark_loading(self, parent: str, loading: bool = True) -> None:
        node = self._node_by_key.get(parent)
        if node is not None:
            node.data.loading = loading
            self._relabel(node)

    def expanded_keys(self) -> list[str]:
        """Keys of the expanded spaces and pages whose children are loaded (top down)."""
        return [k for k, n in self._node_by_key.items() if k != "site" and n.is_expanded and n.data.loaded]

    def canonical(self, key: str) -> str:
        """The tree key that shows ``key``'s children (a space's homepage → the space)."""
        return self._home_alias.get(key, key)

    def home_of(self, key: str) -> str:
        """The homepage id of the space ``key`` ("" when it is not a space or has none)."""
        for row in self._rows.get("site", []):
            if row.key == key:
                return row.home
        return ""

    def rows_under(self, key: str) -> list[tuple[str, str]] | None:
        """(page id, title) of the loaded rows under ``key``; None when they were never loaded."""
        rows = self._rows.get(self.canonical(key))
        return None if rows is None else [(r.ident, r.title) for r in rows if r.kind == "page"]

    def node_for(self, key: str) -> TreeNode[Row] | None:
        return self._node_by_key.get(key)

    def trail(self, node: TreeNode[Row]) -> list[str]:
        """Titles from the space down to ``node`` (the breadcrumb)."""
        out = []
        while node is not None and node.data is not None and node.data.kind != "site":
            out.append(node.data.title)
            node = node.parent
        return list(reversed(out))

    def select_key(self, key: str) -> None:
        node = self._node_by_key.get(key)
        if node is not None:
            self.move_cursor(node)

    def reveal(self, page_id: str) -> bool:
        """Put the cursor on the page's row (its space's row for a homepage) when the row is shown."""
        node = self._node_by_key.get(self.canonical(f"page:{page_id}"))
        if node is None or node.line < 0:
            return False
        self.move_cursor(node)
        return True

    # -- filter -------------------------------------------------------------------------------
    @property
    def filter_text(self) -> str:
        return self._filter_text

    def apply_filter(self, text: str) -> bool:
        """Show only the loaded rows matching ``text`` (and their parents); False when none match."""
        text = text.strip().lower()
        if text and not self._filter_text:  # remember what was open, to restore it afterwards
            self._expanded_keys = {k for k, n in self._node_by_key.items() if n.is_expanded}
        self._filter_text = text
        return self._refilter()

    def _refilter(self) -> bool:
        self.root.remove_children()
        self._node_by_key = {"site": self.root}
        found = self._build_matching(self.root, "site")
        self.root.expand()
        return found or not self._filter_text

    def _build_matching(self, node: TreeNode[Row], parent: str) -> bool:
        """Add the rows under ``parent`` that match the filter (or lead to a match)."""
        any_match = False
        for row in self._rows.get(parent, []):
            matches = not self._filter_text or self._filter_text in row.title.lower()
            child = self._add_row(node, row)
            below = self._build_matching(child, row.key) if row.key in self._rows else False
            if self._filter_text and not (matches or below):
                child.remove()
                self._node_by_key.pop(row.key, None)
                continue
            if (self._filter_text and below) or (not self._filter_text and row.key in self._expanded_keys):
                child.expand()
            any_match = True
        return any_match

    # -- internals ----------------------------------------------------------------------------
    def _sync_rows(self, node: TreeNode[Row], rows: list[Row]) -> None:
        current = [c.data.key for c in node.children if c.data is not None]
        if current == [r.key for r in rows]:
            for child, row in zip(node.children, rows):
                if child.data.title != row.title:
                    child.data.title = row.title
                    self._relabel(child)
            return
        for child in list(node.children):
            self._forget_node(child)
        node.remove_children()
        for row in rows:
            self._add_row(node, row)
            if row.key in self._rows:
                self._sync_rows(self._node_by_key[row.key], self._rows[row.key])
                self._node_by_key[row.key].data.loaded = True

    def _forget_node(self, node: TreeNode[Row]) -> None:
        for child in node.children:
            self._forget_node(child)
        if node.data is not None:
            self._node_by_key.pop(node.data.key, None)

    def _add_row(self, node: TreeNode[Row], row: Row) -> TreeNode[Row]:
        known = self._rows.get(row.key)
        if known is not None:
            row.loaded = True
            row.has_children = bool(known)
        child = node.add(self._row_text(row), row, allow_expand=row.has_children)
        self._node_by_key[row.key] = child
        return child

    def _relabel(self, node: TreeNode[Row]) -> None:
        node.set_label(self._row_text(node.data))

    def _row_text(self, row: Row) -> Text:
        title = printable(row.title)  # server text: never a terminal control (Text keeps ESC)
        if row.kind == "site":
            return Text.assemble((title, "bold"), (" …" if row.loading else "", "dim"))
        icon = "▣ " if row.kind == "space" else ""
        text = Text(icon + title, style="bold" if row.kind == "space" else "")
        if row.loading:
            text.append(" …", style="dim")
        return text

    # -- intents ------------------------------------------------------------------------------
    def _on_tree_node_expanded(self, event: Tree.NodeExpanded[Row]) -> None:
        row = event.node.data
        if row is not None and row.kind != "site" and not row.loaded and not row.loading:
            self.post_message(self.LoadRequested(self, row.key))

    def action_choose(self) -> None:
        node = self.cursor_node
        if node is None or node.data is None:
            return
        if node.data.kind == "page":
            self.post_message(self.PageChosen(self, node.data.ident, node.data.space_id, self.trail(node)))
        elif node.data.kind == "space" and node.data.home:
            self.post_message(self.PageChosen(self, node.data.home, node.data.space_id, [node.data.title]))
        else:
            node.toggle()

    def action_expand(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand and not node.is_expanded:
            node.expand()
        elif node.children:
            self.move_cursor(node.children[0])

    def action_collapse(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded and node.children:
            node.collapse()
        elif node.parent is not None:
            self.move_cursor(node.parent)

    def action_filter(self) -> None:
        self.post_message(self.FilterRequested(self))
