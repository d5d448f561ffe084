"""The tree side of the main screen: spaces and children loading lazily, the filter, hiding the tree.

Part of :class:`~workbench.tui.screens.main.MainScreen` (a mixin, to keep files small).
"""

from __future__ import annotations

import asyncio

from textual import on, work
from textual.screen import Screen
from textual.widgets import Input

from workbench.tui.widgets.site_tree import SiteTree
from workbench.tui.widgets.status import StatusBar


class TreeMixin(Screen):
    """Part of MainScreen (a Screen subclass so Textual collects its @on handlers)."""

    @work(exclusive=True, group="spaces", exit_on_error=False)
    async def load_spaces(self) -> None:
        ws = await self.ready_workspace()
        status = self.query_one(StatusBar)
        tree = self.query_one(SiteTree)
        tree.mark_loading("site")
        try:
            spaces = await ws.spaces()
        finally:
            tree.mark_loading("site", False)
        tree.set_spaces(spaces)
        status.state = "online"
        user = await ws.who_am_i()
        status.user = user.display_name or user.email or user.account_id
        await asyncio.to_thread(ws.cache.write, ws.cache.snapshot())

    @on(SiteTree.LoadRequested)
    def _load_requested(self, event: SiteTree.LoadRequested) -> None:
        self.load_children(event.parent)

    @work(group="children", exit_on_error=False)
    async def load_children(self, parent: str) -> None:
        tree = self.query_one(SiteTree)
        parent = tree.canonical(parent)
        home = tree.home_of(parent)
        # a space shows its homepage's children, then any other root pages (as Confluence's sidebar)
        sources = [f"page:{home}", parent] if home else [parent]
        parts = [self.tree_cache.children(key) for key in sources]
        if all(part is not None for part in parts):
            tree.set_children(parent, [r for part in parts for r in part if r.id != home], final=False)
        else:
            tree.mark_loading(parent)
        ws = await self.ready_workspace()
        first = True
        try:
            for key in sources:
                async for batch in ws.pages_under(key):
                    batch = [r for r in batch if r.id != home]
                    if batch or first:
                        tree.set_children(parent, batch, append=not first, final=False)
                        first = False
        finally:
            tree.mark_loading(parent, False)
        node = tree.node_for(parent)
        if node is not None:
            node.data.loaded = True
            if not node.children:
                node.allow_expand = False
        await asyncio.to_thread(ws.cache.write, ws.cache.snapshot())

    @on(SiteTree.ElsewhereChosen)
    def _elsewhere_chosen(self, event: SiteTree.ElsewhereChosen) -> None:
        from workbench.textsafe import printable
        from workbench.tui.widgets.site_tree import kind_name

        self.notify(f"“{printable(event.title)}” is a {kind_name(event.kind)}: only pages and blog posts open "
                    "here. Press o to open it in the browser.", markup=False)

    @on(SiteTree.BrowseRequested)
    def _browse_requested(self, event: SiteTree.BrowseRequested) -> None:
        self.open_content_in_browser(event.kind, event.content_id)

    @work(group="browser-url", exit_on_error=False)
    async def open_content_in_browser(self, kind: str, content_id: str) -> None:
        ws = await self.ready_workspace()
        url = await ws.web_url(content_id, kind)
        if not url:
            self.notify("The server did not give this a web link.", severity="warning")
            return
        self.open_in_browser(url)

    @on(SiteTree.NewPageRequested)
    def _new_page_requested(self, event: SiteTree.NewPageRequested) -> None:
        self.new_page_under(event.space_id, event.parent_id, event.parent_title)

    def focus_tree(self) -> None:
        """Focus the tree, showing it again if ctrl+b hid it."""
        self.query_one("#left").remove_class("hidden")
        self.query_one(SiteTree).focus()

    def action_filter_tree(self) -> None:
        self.query_one("#left").remove_class("hidden")
        box = self.query_one("#tree-filter", Input)
        box.remove_class("hidden")
        box.focus()

    @on(SiteTree.FilterRequested)
    def _filter_requested(self) -> None:
        self.action_filter_tree()

    @on(Input.Changed, "#tree-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        found = self.query_one(SiteTree).apply_filter(event.value)
        self.query_one("#tree-filter-none").set_class(found, "hidden")

    @on(Input.Submitted, "#tree-filter")
    def _filter_done(self) -> None:
        self.query_one(SiteTree).focus()

    def key_escape(self) -> None:
        box = self.query_one("#tree-filter", Input)
        if box.has_focus:
            box.value = ""
            box.add_class("hidden")
            self.query_one("#tree-filter-none").add_class("hidden")
            self.query_one(SiteTree).apply_filter("")
            self.query_one(SiteTree).focus()

    def action_toggle_tree(self) -> None:
        left = self.query_one("#left")
        left.toggle_class("hidden")
        if left.has_class("hidden"):
            if self.focused is None or left in self.focused.ancestors_with_self:
                self.focus_viewer()
        else:
            self.focus_tree()

    def viewer_markdown(self, opened) -> str:
        """The page's Markdown for the viewer: a ``⟦children⟧`` macro lists the child pages the tree
        (or its cache) knows, as links; the page itself and the editor keep the macro."""
        markdown = opened.markdown
        if "⟦children⟧" not in markdown:
            return markdown
        rows = self.query_one(SiteTree).rows_under(f"page:{opened.page.id}")
        if rows is None:
            cached = self.tree_cache.children(f"page:{opened.page.id}")
            rows = None if cached is None else [(r.id, r.title) for r in cached]
        if not rows:
            return markdown
        listing = "\n".join(f"- [{_md_escape(title)}](pageid:{pid})" for pid, title in rows)
        return markdown.replace("⟦children⟧", f"\n{listing}\n", 1)


def _md_escape(text: str) -> str:
    return "".join("\\" + ch if ch in "[]\\*_`<" else ch for ch in text)


def _cache_dir():
    from workbench.config import cache_dir

    return cache_dir()
