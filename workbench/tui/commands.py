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
                # a title may be server text (a recent page, a link): shown as text, never markup
                yield DiscoveryHit(safe.content(title), callback, text=title, help=help_text)

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
        places = main.navigation.places  # the pages opened before, and the bookmarks (per site)
        for word, listed in (("bookmark", places.bookmarks), ("recent", places.recent)):
            for place in listed:
                where = f" · {place.space_key}" if place.space_key else ""
                out.append(
                    (
                        f"{word}: {place.title}{where}",
                        partial(main.open_page, place.page_id, kind=place.kind),
                        "open a bookmarked page" if word == "bookmark" else "open a recent page",
                    )
                )
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
    """ "Open anything": a page id or a pasted URL of any form (a page's, a space's, a tiny link)
    opens that page; other text is searched in titles on the server as you type. The answers are
    kept only while the palette is open (a page created since the last opening is found)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._found: dict[str, list] = {}

    async def search(self, query: str) -> Hits:
        query = query.strip()
        # imported here, not at the top: workbench.tui.app imports this module (a cycle)
        from workbench.tui.app import WorkbenchApp

        app = self.app
        main = app.main if isinstance(app, WorkbenchApp) else None
        workspace = main.workspace if main is not None else None
        if main is None or workspace is None or not query:
            return
        reference = _reference_words(query)
        if reference:
            yield Hit(
                1.0,
                safe.content(f"open: {reference}"),
                partial(main.open_reference, query),
                help="open what the id or link names",
            )
        if len(query) < 2 or (reference and not query.isdigit()):
            return
        # lazy, for start-up: workbench.errors, workbench.services.search loads on first use
        from workbench.errors import WorkbenchError
        from workbench.services.search import quote

        results = self._found.get(query.lower())
        if results is None:
            words = query.replace('"', " ").strip()
            cql = f"type = page AND title ~ {quote(words + '*')}"
            try:
                found = await workspace.search(cql, limit=15)
            except WorkbenchError:
                return
            results = list(found.results)
            self._found[query.lower()] = results
        matcher = self.matcher(query)
        for result in results:
            score, shown = safe.highlight(matcher, f"open: {result.title}")  # a title is not markup
            yield Hit(
                max(score, 0.1),
                shown,
                partial(main.open_page, result.id, kind=result.type or "page"),
                help=safe.markup(f"{result.space_name or result.space_key} — open page by title"),
            )


def _reference_words(text: str) -> str:
    """How the palette names what ``text`` points at, or '' when it is no id or address."""
    # lazy, for start-up: workbench.confluence.page_ref loads on first use
    from workbench.confluence.page_ref import parse_page_ref
    from workbench.errors import UsageError

    try:
        ref = parse_page_ref(text)
    except UsageError:
        return ""
    if ref.page_id:
        return f"{'blog post' if ref.kind == 'blogpost' else 'page'} {ref.page_id}"
    if ref.title:
        return f"“{ref.title}” in space {ref.space_key}"
    return f"the homepage of space {ref.space_key}"


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
