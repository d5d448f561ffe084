"""Search results, history diffs, labels and comments on the main screen (a mixin)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.screen import Screen
from textual.widgets import OptionList, Static, TabbedContent
from textual.widgets.option_list import Option

from workbench.confluence.errors import BadQuery
from workbench.errors import WorkbenchError
from workbench.services.search import split_highlights, to_cql, vocabulary
from workbench.textsafe import printable
from workbench.tui.widgets.cql_bar import CqlBar
from workbench.tui.widgets.diff import diff_text
from workbench.tui.page_text import shorten as _shorten
from workbench.tui.widgets.document import DocumentView

if TYPE_CHECKING:
    from workbench.confluence.models import SearchResult, Version

HISTORY_LIMIT = 100
_TYPE_NAMES = {"blogpost": "blog post", "embed": "smart link"}


def _type_name(kind: str) -> str:
    """How a search hit's type reads: page, blog post, folder, whiteboard, comment, attachment…"""
    return _TYPE_NAMES.get(kind, kind)


class PanelsMixin(Screen):
    """Part of MainScreen (a Screen subclass so Textual collects its @on handlers)."""

    def init_panels(self) -> None:
        self.results: list[SearchResult] = []
        self.versions: list[Version] = []
        self._marked_version: int | None = None
        self._vocabulary: list[str] | None = None
        self._unsent_comment: tuple[str, str] | None = None
        self._search_next: tuple[str, str] | None = None
        self._labels_seen: set[str] = set()

    # -- CQL bar ------------------------------------------------------------------------------
    def completion_words(self) -> list[str]:
        if self._vocabulary is None:
            vocab = vocabulary()
            functions = [f"{name}()" for name in vocab["functions"]]
            keywords = [k.upper() for k in vocab["keywords"]]
            self._vocabulary = [*vocab["fields"], *functions, *keywords, *vocab["operators"]]
        words = list(self._vocabulary)
        ws = self.workspace
        if ws is not None:
            words += [s.key for s in ws.spaces_by_id.values()]
            if self.extras is not None:
                words += list(self.extras.labels)
        return words

    def known_values(self) -> dict[str, list[str]]:
        """Values the completer may offer: space keys and the labels seen so far."""
        ws = self.workspace
        spaces = sorted(s.key for s in ws.spaces_by_id.values()) if ws is not None else []
        return {"space": spaces, "label": sorted(self._labels_seen)}

    def _history_path(self):
        from workbench.config import data_dir
        from workbench.services.cache import site_slug

        return data_dir() / f"search-history-{site_slug(self.site.key)}.json"

    def load_search_history(self) -> list[str]:
        try:
            data = json.loads(self._history_path().read_text(encoding="utf-8"))
            return [str(q) for q in data][-HISTORY_LIMIT:]
        except (OSError, ValueError, TypeError):
            return []

    def _error_line(self, message: str, position: int | None = None, *, warning: bool = False) -> None:
        """Under the bar: an error (red ✗) or, with ``warning``, a hint that does not stop the search (⚠)."""
        box = self.query_one("#cql-error", Static)
        if not message:
            box.add_class("hidden")
            box.update("")
            return
        where = f" (at character {position + 1})" if position is not None else ""
        mark, style = ("⚠", "bold yellow") if warning else ("✗", "bold red")
        box.update(Text(f"{mark} {printable(message)}{where}", style=style))
        box.remove_class("hidden")

    def _warnings_line(self, check) -> None:
        """The local parser's doubts (unknown fields or functions): said, and the query is sent anyway."""
        if not check.warnings:
            self._error_line("")
            return
        message, position = check.warnings[0]
        more = f" (+{len(check.warnings) - 1} more)" if len(check.warnings) > 1 else ""
        self._error_line(f"{message}{more}; sent as typed: Confluence decides", position, warning=True)

    @on(CqlBar.Changed, "#cql")
    def _cql_changed(self, event: CqlBar.Changed) -> None:
        check = to_cql(event.value) if event.value.strip() else None
        typing = event.input.has_focus and event.input.cursor_position >= len(event.value)
        if check and check.error and typing and (check.position or 0) >= len(event.value.rstrip()):
            check = None  # only unfinished at the end, while typing there: the hint says what comes next
        if check and not check.error:
            self._warnings_line(check)
        else:
            self._error_line(check.error if check else "", check.position if check else None)
        self._hint_line(event.value if event.input.has_focus else "")

    def _hint_line(self, value: str) -> None:
        """Under the bar: what may come next here (the first one is offered in grey; → accepts it)."""
        from workbench.tui.widgets.cql_bar import completions

        box = self.query_one("#cql-hint", Static)
        expected, _start, candidates = completions(value, self.known_values()) if value else ("", 0, [])
        if not candidates:
            box.add_class("hidden")
            return
        shown = printable("  ".join(candidates[:12]) + ("  …" if len(candidates) > 12 else ""))
        box.update(Text.assemble((f"{expected}: ", "bold"), (shown, "dim")))
        box.remove_class("hidden")

    @on(CqlBar.Search)
    def _search(self, event: CqlBar.Search) -> None:
        self.query_one("#cql-hint", Static).add_class("hidden")
        check = to_cql(event.query)
        if not check.cql:  # nothing typed
            self._error_line(check.error, check.position)
            return
        # The local parser only hints; the server decides (its own message shows if it refuses).
        self._warnings_line(check)
        self.run_search(check.cql)
        from workbench.config import atomic_write

        try:
            atomic_write(self._history_path(), json.dumps(event.bar.history[-HISTORY_LIMIT:]))
        except OSError:
            pass

    def action_leave_search(self) -> None:
        self.query_one("#cql-hint", Static).add_class("hidden")
        self.focus_tree()

    @work(exclusive=True, group="search", exit_on_error=False)
    async def run_search(self, cql: str, cursor: str | None = None) -> None:
        """Run a search (or, with ``cursor``, fetch its next page of results)."""
        ws = await self.ready_workspace()
        summary = self.query_one("#results-summary", Static)
        results_list = self.query_one("#results", OptionList)
        results_list.loading = True
        try:
            found = await ws.search(cql, cursor=cursor)
        except BadQuery as exc:
            self._error_line(f"Confluence: {exc.said}" if exc.said else exc.message)
            self.query_one(CqlBar).focus()
            return
        finally:
            results_list.loading = False
        first_new = len(self.results) if cursor else 0
        if not cursor:
            self.results = []
            results_list.clear_options()
        elif results_list.option_count and results_list.get_option_at_index(-1).id == "more":
            results_list.remove_option("more")
        self.results.extend(found.results)
        results_list.add_options([Option(self._result_prompt(r), id=str(n))
                                  for n, r in enumerate(self.results) if n >= first_new])
        self._search_next = (cql, found.next_cursor) if found.next_cursor else None
        if found.next_cursor:
            results_list.add_option(Option(Text("… more results (enter)", style="italic"), id="more"))
        total = found.total_size if found.total_size is not None else len(self.results)
        noun = "result" if total == 1 else "results"
        summary.update(Text.assemble((f"{total} {noun}", "bold"), " for ", (printable(cql), "italic")))
        self.query_one("#tabs", TabbedContent).active = "tab-results"
        if self.results:
            results_list.highlighted = first_new if first_new < len(self.results) else 0
        results_list.focus()

    @staticmethod
    def _result_prompt(result: SearchResult):
        from rich.console import Group
        from rich.padding import Padding

        text = Text(no_wrap=True, overflow="ellipsis")
        for run, hl in split_highlights(result.title_hl or result.title):  # server text: printable, in Text
            text.append(printable(run), style="bold reverse" if hl else "bold")
        text.append(f"  {_type_name(printable(result.type or 'page'))}", style="italic dim")
        text.append(f"  {printable(result.space_name or result.space_key)}", style="cyan")
        if result.last_modified:
            text.append(f"  {printable(result.last_modified[:10])}", style="dim")
        if not result.excerpt:
            return text
        excerpt = Text()
        for run, hl in split_highlights(_shorten(" ".join(result.excerpt.split()), 180)):
            excerpt.append(printable(run), style="bold yellow" if hl else "dim")
        return Group(text, Padding(excerpt, (0, 0, 0, 2)))

    @on(OptionList.OptionSelected, "#results")
    def _result_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == "more":
            if self._search_next is not None:
                self.run_search(*self._search_next)
            return
        result = self.results[int(event.option.id or 0)]
        if result.type not in ("page", "blogpost", ""):
            from workbench.textsafe import printable

            where = " Press o to open it in the browser." if result.url else ""
            self.notify(f"“{printable(result.plain_title)}” is a {_type_name(result.type)}: only pages and blog "
                        f"posts open here.{where}", severity="warning", markup=False)
            return
        self.open_page(result.id, kind=result.type or "page")
        self.focus_viewer()

    # -- history ------------------------------------------------------------------------------
    def action_history(self) -> None:
        ws = self.workspace
        if ws is None or ws.current is None:
            return
        self._marked_version = None
        self.query_one("#tabs", TabbedContent).active = "tab-history"
        self.load_history(ws.current.page.id, ws.current.page.type)

    @work(exclusive=True, group="history", exit_on_error=False)
    async def load_history(self, page_id: str, kind: str = "page") -> None:
        ws = await self.ready_workspace()
        listing = self.query_one("#versions", OptionList)
        listing.loading = True
        try:
            self.versions = await ws.versions(page_id, kind=kind)
        finally:
            listing.loading = False
        listing.clear_options()
        for v in self.versions:
            prompt = Text.assemble((f"v{v.number}", "bold cyan"), "  ", printable(ws.name_of(v.author_id) or "?"),
                                   "  ", (printable(v.created_at[:16].replace("T", " ")), "dim"))
            if v.message:
                prompt.append(f"\n  {printable(v.message)}", style="italic")
            listing.add_option(Option(prompt, id=str(v.number)))
        self.query_one("#diff", Static).update(
            Text("enter: diff with the previous version · space: mark a version, then enter on another "
                 "to diff the two", style="dim"))
        if self.versions:
            listing.highlighted = 0
        listing.focus()

    def key_space(self) -> None:
        listing = self.query_one("#versions", OptionList)
        if listing.has_focus and listing.highlighted is not None:
            number = self.versions[listing.highlighted].number
            self._marked_version = number
            self.notify(f"Marked v{number}: press enter on another version to compare.")

    @on(OptionList.OptionSelected, "#versions")
    def _version_chosen(self, event: OptionList.OptionSelected) -> None:
        number = int(event.option.id or 0)
        other = self._marked_version
        if other is None or other == number:
            other = number - 1
        if other < 1:
            self.query_one("#diff", Static).update(Text("Version 1 is the first version.", style="dim"))
            return
        self.show_version_diff(min(other, number), max(other, number))

    @work(exclusive=True, group="history-diff", exit_on_error=False)
    async def show_version_diff(self, older: int, newer: int) -> None:
        ws = await self.ready_workspace()
        if ws.current is None:
            return
        lines = await ws.version_diff(ws.current.page.id, older, newer, kind=ws.current.page.type)
        self.last_diff = (older, newer, lines)
        self.query_one("#diff", Static).update(diff_text(lines, f"v{older} and v{newer} have the same text."))

    # -- labels and comments ------------------------------------------------------------------
    def action_labels(self) -> None:
        ws = self.workspace
        if ws is None or ws.current is None:
            return
        from workbench.tui.screens.modals import PromptScreen

        current = ", ".join(self.extras.labels) if self.extras else ""
        self.app.push_screen(
            PromptScreen("Labels (comma separated)", current, "e.g. runbook, team-a", id="labels-prompt"),
            lambda value: value is not None and self.save_labels(ws.current.page.id, value, ws.current.page.type),
        )

    @work(exclusive=True, group="labels", exit_on_error=False)
    async def save_labels(self, page_id: str, value: str, kind: str = "page") -> None:
        ws = await self.ready_workspace()
        labels = await ws.set_labels(page_id, [v for v in value.split(",")], kind=kind)
        if self.extras is not None:
            from dataclasses import replace

            self.extras = replace(self.extras, labels=tuple(label.name for label in labels))
        if ws.current is not None:
            self.show_header(ws.current)
        self.notify("Labels: " + (", ".join(label.name for label in labels) or "none"))

    def action_comment(self) -> None:
        ws = self.workspace
        if ws is None or ws.current is None:
            return
        from workbench.tui.screens.modals import CommentScreen

        threads: list[tuple[str, str]] = []

        def walk(comments, depth: int) -> None:
            for c in comments:
                first = " ".join(c.markdown.split())[:50]
                threads.append((c.id, f"{'  ' * depth}Reply to {c.author}: {first}"))
                walk(c.replies, depth + 1)

        walk(self.extras.comments if self.extras else (), 0)
        page_id, kind = ws.current.page.id, ws.current.page.type
        unsent = self._unsent_comment if self._unsent_comment and self._unsent_comment[0] == page_id else None
        self.app.push_screen(CommentScreen(threads, text=unsent[1] if unsent else ""),
                             lambda result: result is not None and self.send_comment(page_id, *result, kind=kind))

    @work(exclusive=True, group="comment", exit_on_error=False)
    async def send_comment(self, page_id: str, markdown: str, parent_id: str | None, kind: str = "page") -> None:
        ws = await self.ready_workspace()
        try:
            await ws.add_comment(page_id, markdown, parent_id, kind=kind)
        except WorkbenchError as exc:
            self._unsent_comment = (page_id, markdown)
            self.mark_connection(exc)
            self.notify(f"{exc.message} The comment was not added; press m to try again (your text is kept).",
                        severity="error")
            return
        self._unsent_comment = None
        self.notify("Reply added." if parent_id else "Comment added.")
        if ws.current is not None and ws.current.page.id == page_id:
            self.open_page(page_id, self._trail, kind=kind)

    # -- links, browser, clipboard ----------------------------------------------------------
    def action_open_browser(self) -> None:
        results = self.query_one("#results", OptionList)
        if results.has_focus and results.highlighted is not None and results.highlighted < len(self.results):
            result = self.results[results.highlighted]  # a search hit the viewer does not show: its own page
            if result.type not in ("page", "blogpost", "") and result.url:
                self.open_in_browser(result.url)
                return
        url = self._page_url()
        if url:
            self.open_in_browser(url)

    def open_in_browser(self, url: str) -> None:
        """Open ``url`` in the web browser; where there is none, say so and copy the link instead.

        Only http(s) and mailto: a link the server or a page supplies (``file:``, ``javascript:``, an
        app's own scheme) is never handed to the system's opener."""
        from urllib.parse import urlsplit

        if urlsplit(url).scheme.lower() not in ("http", "https", "mailto"):
            self.notify(f"Not opened: '{url}' is not an http(s) or mailto link.", severity="warning")
            return
        if self.app.is_web:
            self.app.open_url(url)
            self.notify(f"Opened {url}")
            return
        self._open_in_browser(url)

    @work(thread=True, group="browser", exit_on_error=False)
    def _open_in_browser(self, url: str) -> None:
        import webbrowser

        try:
            opened = webbrowser.open(url)
        except Exception:  # noqa: BLE001 - a broken browser setup is "no browser"
            opened = False
        self.app.call_from_thread(self._browser_result, url, opened)

    def _browser_result(self, url: str, opened: bool) -> None:
        if opened:
            self.notify(f"Opened {url}")
        else:
            self.app.copy_to_clipboard(url)
            self.notify(f"No web browser found here, so the link is copied instead: {url}", severity="warning")

    def action_copy_link(self) -> None:
        url = self._page_url()
        if url:
            self.app.copy_to_clipboard(url)
            self.notify(f"Copied {url}")

    def _page_url(self) -> str:
        ws = self.workspace
        if ws is None or ws.current is None:
            return ""
        url = ws.current.page.url
        if not url:
            self.notify("The server did not give this page a web link.", severity="warning")
        return url

    def action_links(self) -> None:
        links = self.viewer_links()
        if not links:
            self.notify("This page has no links.")
            return
        from workbench.tui.screens.modals import LinksScreen

        self.app.push_screen(LinksScreen(links), lambda i: i is not None and self.action_follow_link(i))

    def action_follow_link(self, index: int) -> None:
        links = self.viewer_links()
        if not 0 <= index < len(links):
            return
        href = links[index][1]
        if href.startswith("page:"):
            self._follow_page_link(href)
        elif href.startswith("pageid:"):  # a child page listed by the children macro
            self.open_page(href[7:])
        elif href.startswith("#"):  # a heading of this page (the table of contents)
            self.query_one("#viewer", DocumentView).scroll_to_heading(href[1:])
        elif href.startswith(("http://", "https://", "mailto:")):
            self.open_in_browser(href)
        else:
            self.notify(f"Cannot open '{href}' here.", severity="warning")

    @work(exclusive=True, group="page", exit_on_error=False)
    async def _follow_page_link(self, href: str) -> None:
        ws = await self.ready_workspace()
        page_id = await ws.resolve_link(href, ws.current.page.space_id if ws.current else None)
        if page_id is None:
            self.notify(f"No page found for {href}.", severity="warning")
            return
        self.open_page(page_id)
