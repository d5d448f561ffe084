"""The left pane: sites → spaces → content. A dumb widget: it shows rows and posts intents.

Like Confluence's own sidebar, a space stands for its homepage: enter on a space opens the homepage,
and the space's children are the homepage's children (plus any other root pages of the space), then
a "Blog" node listing the space's blog posts, newest first.

Rows are content of every kind, each with its own icon: pages and blog posts open in the viewer;
folders expand; whiteboards, databases and smart links say what they are and ``o`` opens them in
the browser. A row's key is ``<kind>:<id>`` (``page:65537``, ``folder:65600``, ``blog:98305`` …).
"""

from __future__ import annotations

from typing import TypeAlias

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from workbench.confluence.models import BODY_KINDS, PageSummary, Space
from workbench.textsafe import printable
from workbench.tui.widgets import site_tree_messages
from workbench.tui.widgets.lean_tree import LeanTree
from workbench.tui.widgets.site_rows import ELSEWHERE, Row, SiteRows, row_of, row_text
from workbench.tui.widgets.site_tree_keys import SITE_TREE_BINDINGS


class SiteTree(LeanTree[Row]):
    """Spaces and pages of one site; children load lazily when a node is expanded."""

    BINDINGS = SITE_TREE_BINDINGS

    # the intents it posts (site_tree_messages)
    LoadRequested: TypeAlias = site_tree_messages.LoadRequested
    PageChosen: TypeAlias = site_tree_messages.PageChosen
    ElsewhereChosen: TypeAlias = site_tree_messages.ElsewhereChosen
    BrowseRequested: TypeAlias = site_tree_messages.BrowseRequested
    NewPageRequested: TypeAlias = site_tree_messages.NewPageRequested
    FilterRequested: TypeAlias = site_tree_messages.FilterRequested
    LifecycleRequested: TypeAlias = site_tree_messages.LifecycleRequested
    ResyncRequested: TypeAlias = site_tree_messages.ResyncRequested

    def __init__(self, site_name: str, *, id: str | None = None) -> None:
        super().__init__(
            Text(printable(site_name), style="bold"), Row("site", site_name, loaded=True), id=id
        )
        self.auto_expand = False
        self.show_root = True
        self.guide_depth = 2
        self._node_by_key: dict[str, TreeNode[Row]] = {"site": self.root}
        self.rows = SiteRows()  # what the tree knows of the site, shown or not (filtered)
        self._filter_text = ""
        self._expanded_keys: set[str] = set()

    # -- feeding rows in ----------------------------------------------------------------------
    def set_spaces(self, spaces: list[Space]) -> None:
        rows = self.rows.set_spaces(spaces)
        if self._filter_text:
            self._refilter()
            return
        self._sync_rows(self.root, rows)
        self.root.expand()

    def set_children(
        self,
        parent: str,
        rows: list[PageSummary],
        *,
        append: bool = False,
        final: bool = True,
        lay_out: bool = True,
    ) -> None:
        """``rows`` under ``parent`` (after the ones it has, with ``append``). ``final``: the level
        is complete. ``lay_out=False``: appended rows are laid out by a later call (rows streaming
        in: the tree lays out all its lines each time, so not for every batch)."""
        new, append = self.rows.set_children(parent, rows, append=append)
        node = self._node_by_key.get(parent)
        if node is None:
            return
        row = row_of(node)
        label = (row.loaded, row.loading, row.has_children)
        row.loaded = final
        row.loading = not final
        if final and not self.rows.by_parent[parent]:
            row.has_children = False
            node.allow_expand = False
        if self._filter_text:
            self._refilter()
        elif append:
            with self.held():
                self._add_rows(node, new)
            if lay_out:
                self.lay_out()
        else:
            with self._bulk():
                self._sync_rows(node, self.rows.by_parent[parent])
        if (row.loaded, row.loading, row.has_children) != label:
            self._relabel(node)  # its label says when it is loading

    def mark_loading(self, parent: str, loading: bool = True) -> None:
        node = self._node_by_key.get(parent)
        if node is not None:
            self.lay_out()  # rows appended without (set_children lay_out=False) are shown now
            if row_of(node).loading != loading:
                row_of(node).loading = loading
                self._relabel(node)

    def expanded_keys(self) -> list[str]:
        """Keys of the expanded spaces and pages whose children are loaded (top down)."""
        return [
            k
            for k, n in self._node_by_key.items()
            if k != "site" and n.is_expanded and row_of(n).loaded
        ]

    def canonical(self, key: str) -> str:
        """The tree key that shows ``key``'s children (a space's homepage → the space)."""
        return self.rows.canonical(key)

    def home_of(self, key: str) -> str:
        """The homepage id of the space ``key`` ("" when it is not a space or has none)."""
        return self.rows.home_of(key)

    def key_of(self, content_id: str) -> str | None:
        """The key of the loaded row showing content ``content_id`` (any kind), if there is one."""
        for key in self._node_by_key:
            if key.partition(":")[2] == content_id and key.partition(":")[0] not in (
                "space",
                "blog",
                "site",
            ):
                return key
        return None

    def rows_under(self, key: str) -> list[tuple[str, str]] | None:
        """(page id, title) of the loaded rows under ``key``; None when they were never loaded."""
        return self.rows.rows_under(key)

    def node_for(self, key: str) -> TreeNode[Row] | None:
        return self._node_by_key.get(key)

    def trail(self, node: TreeNode[Row]) -> list[str]:
        """Titles from the space down to ``node`` (the breadcrumb)."""
        out = []
        at: TreeNode[Row] | None = node
        while at is not None and at.data is not None and at.data.kind != "site":
            out.append(at.data.title)
            at = at.parent
        return list(reversed(out))

    def select_key(self, key: str) -> None:
        node = self._node_by_key.get(key)
        if node is not None:
            self.move_cursor(node)

    def reveal(self, page_id: str, kind: str = "page") -> bool:
        """Put the cursor on the page's (or blog post's) row (its space's row for a homepage) when
        the row is shown."""
        node = self._node_by_key.get(self.canonical(f"{kind}:{page_id}"))
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
        self.clear_children(self.root)
        self._node_by_key = {"site": self.root}
        found = self._build_matching(self.root, "site", {})
        self.root.expand()
        return found or not self._filter_text

    def _leads_to_match(self, key: str, memo: dict[str, bool]) -> bool:
        """Whether a loaded row under ``key`` (at any depth) matches the filter."""
        found = memo.get(key)
        if found is None:
            memo[key] = False  # rows that loop back (a page moved meanwhile) end here
            found = any(
                self._filter_text in row.title.lower()
                or (row.key in self.rows.by_parent and self._leads_to_match(row.key, memo))
                for row in self.rows.by_parent.get(key, [])
            )
            memo[key] = found
        return found

    def _build_matching(self, node: TreeNode[Row], parent: str, memo: dict[str, bool]) -> bool:
        """Add the rows under ``parent`` that match the filter (or lead to a match)."""
        any_match = False
        for row in self.rows.by_parent.get(parent, []):
            nested = row.key in self.rows.by_parent
            below = bool(self._filter_text) and nested and self._leads_to_match(row.key, memo)
            if self._filter_text and not (below or self._filter_text in row.title.lower()):
                continue
            child = self._add_row(node, row)
            if nested:
                self._build_matching(child, row.key, memo)
            if below or (not self._filter_text and row.key in self._expanded_keys):
                child.expand()
            any_match = True
        return any_match

    # -- internals ----------------------------------------------------------------------------
    def _sync_rows(self, node: TreeNode[Row], rows: list[Row]) -> None:
        current = [c.data.key for c in node.children if c.data is not None]
        if current == [r.key for r in rows]:
            for child, row in zip(node.children, rows, strict=False):
                if row_of(child).title != row.title:
                    row_of(child).title = row.title
                    self._relabel(child)
            return
        for child in node.children:
            self._forget_node(child)
        self.clear_children(node)
        self._add_rows(node, rows)
        for row in rows:
            if row.key in self.rows.by_parent:
                self._sync_rows(self._node_by_key[row.key], self.rows.by_parent[row.key])
                row_of(self._node_by_key[row.key]).loaded = True

    def _forget_node(self, node: TreeNode[Row]) -> None:
        for child in node.children:
            self._forget_node(child)
        if node.data is not None:
            self._node_by_key.pop(node.data.key, None)

    def _known(self, row: Row) -> Row:
        known = self.rows.by_parent.get(row.key)
        if known is not None:
            row.loaded = True
            row.has_children = bool(known)
        return row

    def _add_row(self, node: TreeNode[Row], row: Row) -> TreeNode[Row]:
        return self._add_rows(node, [row])[0]

    def _add_rows(self, node: TreeNode[Row], rows: list[Row]) -> list[TreeNode[Row]]:
        known = self._known
        added = self.add_nodes(node, [(row_text(r), r, r.has_children) for r in map(known, rows)])
        self._node_by_key.update(zip([r.key for r in rows], added, strict=True))
        return added

    def _relabel(self, node: TreeNode[Row]) -> None:
        node.set_label(row_text(row_of(node)))

    # -- intents ------------------------------------------------------------------------------
    def _on_tree_node_expanded(self, event: Tree.NodeExpanded[Row]) -> None:
        row = event.node.data
        if row is not None and row.kind != "site" and not row.loaded and not row.loading:
            self.post_message(self.LoadRequested(self, row.key))

    def action_choose(self) -> None:
        node = self.cursor_node
        if node is None or node.data is None:
            return
        row = node.data
        if row.kind in BODY_KINDS:
            self.post_message(
                self.PageChosen(self, row.ident, row.space_id, self.trail(node), kind=row.kind)
            )
        elif row.kind == "space" and row.home:
            self.post_message(self.PageChosen(self, row.home, row.space_id, [row.title]))
        elif row.kind in ELSEWHERE:
            self.post_message(self.ElsewhereChosen(self, row.kind, row.ident, row.title))
        else:  # the site, a folder, a Blog node
            node.toggle()

    async def action_browse(self) -> None:
        node = self.cursor_node
        row = node.data if node is not None else None
        if row is not None and row.kind in (*ELSEWHERE, "folder"):
            self.post_message(self.BrowseRequested(self, row.kind, row.ident, row.title))
        else:  # a page, a blog post, a space: the page open in the viewer, as everywhere else
            await self.run_action("screen.open_browser")

    async def action_resync(self) -> None:
        node = self.cursor_node
        row = node.data if node is not None else None
        if row is not None and row.kind == "space":
            self.post_message(self.ResyncRequested(self, row.space_id, row.title))
        else:  # reload the page and the tree, as everywhere else
            await self.run_action("screen.refresh")

    async def action_new_page(self) -> None:
        node = self.cursor_node
        row = node.data if node is not None else None
        if row is not None and row.kind == "folder":
            self.post_message(self.NewPageRequested(self, row.ident, row.space_id, row.title))
        elif row is not None and row.kind == "blog" and node is not None and node.parent:
            space = node.parent.data.title if node.parent.data is not None else ""
            self.post_message(self.NewPageRequested(self, "", row.space_id, space, "blogpost"))
        else:  # under the page open in the viewer, as everywhere else
            await self.run_action("screen.new_page")

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

    def action_lifecycle(self, action: str) -> None:
        self.post_message(self.LifecycleRequested(self, action))
