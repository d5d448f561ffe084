"""Command palette providers: every action of the workbench, and "open page by title"."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from workbench.tui import safe


class ListedCommands(Provider):
    """A provider over a list of ``(title, callback, help)``: fuzzy search on the title, discovery of all."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
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

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        # imported here, not at the top: workbench.tui.app imports this module (a cycle)
        from workbench.tui.app import WorkbenchApp

        main = self.app.main if isinstance(self.app, WorkbenchApp) else None
        if main is None:
            return []
        # lazy, for start-up: workbench.tui.keys loads on first use
        from workbench.tui.keys import palette_actions

        keymap = self.app.keymap if isinstance(self.app, WorkbenchApp) else {}
        out: list[tuple[str, Callable[[], object], str]] = []
        for entry in palette_actions(
            keymap
        ):  # from the bindings: titles, keys and help never drift
            target = self.app if entry.on_app else main
            out.append((entry.title, partial(target.run_action, entry.action), entry.help))
        for index, (text, href) in enumerate(
            main.viewer_links()
        ):  # page text: shown as text, not markup
            out.append(
                (
                    f"link: {text or href}",
                    partial(main.run_action, f"follow_link({index})"),
                    safe.markup(href),
                )
            )
        return out

    def _discoverable(self, title: str) -> bool:
        return not title.startswith("link:")


class PageSearchProvider(Provider):
    """ "Open page by title": a title search on the server as you type (cached per query)."""

    _cache: dict[str, list] = {}

    async def search(self, query: str) -> Hits:
        query = query.strip()
        # imported here, not at the top: workbench.tui.app imports this module (a cycle)
        from workbench.tui.app import WorkbenchApp

        app = self.app
        workspace = app.workspace if isinstance(app, WorkbenchApp) else None
        if not isinstance(app, WorkbenchApp) or workspace is None or len(query) < 2:
            return
        # lazy, for start-up: workbench.errors, workbench.services.search loads on first use
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
            yield Hit(
                max(score, 0.1),
                shown,
                partial(app.open_page, result.id),
                help=safe.markup(f"{result.space_name or result.space_key} — open page by title"),
            )


class _NoAgentCommands(Provider):
    """Stands in when the agent panel is not part of this build."""

    async def search(self, query: str) -> Hits:
        return
        yield


def agent_commands() -> type[Provider]:
    """The agent panel's palette commands, imported when the palette opens (not at startup)."""
    try:
        # imported here, not at the top: workbench.tui.agent.commands imports this module (a cycle)
        from workbench.tui.agent.commands import AgentCommands
    except ImportError:
        return _NoAgentCommands
    return AgentCommands
