"""Command palette providers: every action of the workbench, and "open page by title"."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from workbench.tui import safe

#: (title, action on the main screen, help). Every key of the main screen has a line here.
ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("search: CQL query", "focus_search", "Focus the CQL bar (/)"),
    ("search: local index", "app.local_search", "Search the pages 'workbench sync' copied, as you type (offline too)"),
    ("page: open selected", "open_selected", "Open the page under the tree cursor (enter)"),
    ("page: edit", "edit", "Edit the open page as Markdown (e)"),
    ("page: save", "save", "Save the editor as a new version (ctrl+s)"),
    ("page: history", "history", "Versions of the page, and diffs between them (h)"),
    ("page: new child page", "new_page", "Create a page under the current one (n)"),
    ("page: open in browser", "open_browser", "Open the page in the web browser (o)"),
    ("page: copy link", "copy_link", "Copy the page's web link (c)"),
    ("page: refresh", "refresh", "Reload the page and the tree (r)"),
    ("page: labels", "labels", "Edit the page's labels (l)"),
    ("page: comment", "comment", "Add a footer comment or a reply (m)"),
    ("page: follow a link", "links", "Pick a link of the page to follow (g)"),
    ("tree: filter", "filter_tree", "Filter the loaded tree as you type (f)"),
    ("tree: hide or show", "toggle_tree", "More room for the page and the editor (ctrl+b)"),
    ("agent: toggle panel", "toggle_agent", "Show or hide the agent panel (ctrl+a)"),
    ("app: toggle light/dark theme", "app.toggle_theme", "Switch between the light and dark themes (ctrl+t)"),
    ("app: help", "app.help", "Every key, and what it does (?)"),
    ("app: quit", "app.quit", "Quit, asking first if anything is unsaved (q)"),
)


class ListedCommands(Provider):
    """A provider over a list of ``(title, callback, help)``: fuzzy search on the title, discovery of all."""

    def _commands(self) -> list[tuple[str, object, str]]:
        raise NotImplementedError

    def _discoverable(self, title: str) -> bool:
        return True

    async def discover(self) -> Hits:
        for title, callback, help_text in self._commands():
            if self._discoverable(title):
                yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback, help_text in self._commands():
            score, shown = safe.highlight(matcher, title)
            if score > 0:
                yield Hit(score, shown, callback, help=help_text)


class WorkbenchCommands(ListedCommands):
    """Offers every workbench action as ``area: verb``."""

    def _commands(self):
        from workbench.tui.screens.main import MainScreen

        main = getattr(self.app, "main", None)
        if not isinstance(main, MainScreen):
            return []
        out = []
        for title, action, help_text in ACTIONS:
            target = self.app if action.startswith("app.") else main
            name = action.removeprefix("app.")
            out.append((title, partial(target.run_action, name), help_text))
        for index, (text, href) in enumerate(main.viewer_links()):  # page text: shown as text, not markup
            out.append((f"link: {text or href}", partial(main.run_action, f"follow_link({index})"),
                        safe.markup(href)))
        return out

    def _discoverable(self, title: str) -> bool:
        return not title.startswith("link:")


class PageSearchProvider(Provider):
    """"Open page by title": a title search on the server as you type (cached per query)."""

    _cache: dict[str, list] = {}

    async def search(self, query: str) -> Hits:
        query = query.strip()
        workspace = getattr(self.app, "workspace", None)
        if workspace is None or len(query) < 2:
            return
        from workbench.errors import WorkbenchError
        from workbench.services.search import quote

        key = f"{workspace.site_key}\0{query.lower()}"
        results = self._cache.get(key)
        if results is None:
            words = query.replace('"', " ").strip()
            cql = f"type = page AND title ~ {quote(words + '*')}"
            try:
                found = await workspace.search(cql, limit=15)
            except WorkbenchError:
                return
            results = list(found.results)
            self._cache[key] = results
        matcher = self.matcher(query)
        for result in results:
            score, shown = safe.highlight(matcher, f"open: {result.title}")  # a title is not markup
            yield Hit(max(score, 0.1), shown, partial(self.app.open_page, result.id),
                      help=safe.markup(f"{result.space_name or result.space_key} — open page by title"))


class _NoAgentCommands(Provider):
    """Stands in when the agent panel is not part of this build."""

    async def search(self, query: str) -> Hits:
        return
        yield


def agent_commands() -> type[Provider]:
    """The agent panel's palette commands, imported when the palette opens (not at startup)."""
    try:
        from workbench.tui.agent.commands import AgentCommands
    except ImportError:
        return _NoAgentCommands
    return AgentCommands
