"""The results pane: what a search found — Confluence's answer to CQL, a page of it at a time, or the
local index's (as the person types; and on enter when the site cannot be reached). The line above
the list says which answered."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from workbench.confluence.errors import BadQuery, NetworkError, ServerError
from workbench.confluence.models import SearchResult
from workbench.errors import WorkbenchError
from workbench.services.search import split_highlights
from workbench.textsafe import printable
from workbench.tui.page_text import shorten
from workbench.tui.panes.base import Host, host
from workbench.tui.panes.deferred import DeferredPane
from workbench.tui.theme import TextStyles

if TYPE_CHECKING:
    from workbench.index.search import LocalAnswer

_TYPE_NAMES = {"blogpost": "blog post", "embed": "smart link"}


def type_name(kind: str) -> str:
    """How a search hit's type reads: page, blog post, folder, whiteboard, comment, attachment…"""
    return _TYPE_NAMES.get(kind, kind)


class ResultsPane(DeferredPane):
    """``#tab-results``: what a search found; enter opens a page, or fetches more results."""

    class Refused(Message):
        """The server refused the query: say so under the bar."""

        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    def __init__(self, title: str = "Results", *, id: str = "tab-results") -> None:
        super().__init__(title, id=id)
        self.results: list[SearchResult] = []
        self._next: tuple[str, str] | None = None
        self.source = ""  # who answered what is shown: "confluence", "local" ("" before a search)
        self.jql = ""  # the JQL shown when source is "jira" (searched again after an issue action)

    @property
    def host(self) -> Host:
        return host(self)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.host.report_error(event.worker.error)

    def content(self) -> ComposeResult:  # composed when first needed (panes/deferred.py)
        yield Static("", id="results-summary")
        yield OptionList(id="results")

    @property
    def listing(self) -> OptionList:
        return self.part("#results", OptionList)

    @property
    def summary(self) -> Static:
        """The line above the list: who answered, how many."""
        return self.part("#results-summary", Static)

    @work(exclusive=True, group="search", exit_on_error=False)
    async def run_search(self, cql: str, cursor: str | None = None) -> None:
        """Run a search (or, with ``cursor``, fetch its next page of results)."""
        ws = await self.host.ready_workspace()
        summary = self.summary
        results_list = self.listing
        results_list.loading = True
        try:
            found = await ws.search(cql, cursor=cursor)
        except BadQuery as exc:
            self.post_message(self.Refused(f"Confluence: {exc.said}" if exc.said else exc.message))
            return
        except (NetworkError, ServerError) as exc:
            if cursor is not None or not await self._answer_locally(cql, exc):
                raise
            self.host.mark_connection(exc)
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
        styles = TextStyles.from_theme(self.app.theme_variables)
        results_list.add_options(
            [
                Option(result_prompt(r, styles), id=str(n))
                for n, r in enumerate(self.results)
                if n >= first_new
            ]
        )
        self._next = (cql, found.next_cursor) if found.next_cursor else None
        if found.next_cursor:
            results_list.add_option(
                Option(Text("… more results (enter)", style="italic"), id="more")
            )
        total = found.total_size if found.total_size is not None else len(self.results)
        noun = "result" if total == 1 else "results"
        summary.update(
            Text.assemble(
                (f"{total} {noun}", "bold"),
                " for ",
                (printable(cql), "italic"),
                (" — from Confluence (CQL)", "dim"),
            )
        )
        self.source = "confluence"
        self.host.show_tab("tab-results")
        if self.results:
            results_list.highlighted = first_new if first_new < len(self.results) else 0
        results_list.focus()

    # -- the local index's answers ------------------------------------------------------------
    def show_local(self, answer: LocalAnswer | None, *, reason: str = "") -> None:
        """Show the local index's answer (as the person types, or ``reason``: why Confluence was not
        asked); None clears local results (what is typed is nothing the index can answer)."""
        if answer is None:
            if self.source == "local":
                self._show([], Text(""))
            return
        styles = TextStyles.from_theme(self.app.theme_variables)
        results = [
            SearchResult(
                h.id,
                h.type,
                h.title,
                h.space_key,
                h.space_name,
                h.excerpt,
                h.title_hl,
                h.last_modified,
                h.url,
            )
            for h in answer.hits
        ]
        self._next = None
        self._show(results, local_summary(answer, reason), styles)
        self.source = "local"
        self.host.show_tab("tab-results")

    def _show(
        self, results: list[SearchResult], summary: Text, styles: TextStyles | None = None
    ) -> None:
        listing = self.listing
        self.results = results
        listing.clear_options()
        listing.add_options(
            [Option(result_prompt(r, styles), id=str(n)) for n, r in enumerate(results)]
        )
        if results:
            listing.highlighted = 0
        self.summary.update(summary)

    async def _answer_locally(self, cql: str, error: WorkbenchError) -> bool:
        """Confluence could not be reached: the local index answers ``cql`` if it can (True)."""
        # lazy, for start-up: asyncio, workbench.index.query loads on first use
        import asyncio

        from workbench.index.query import local_query

        local = self.host.local_index
        if not local.available:
            return False
        try:
            query = local_query(cql)
        except WorkbenchError as exc:
            self.notify(
                f"{error.message} The local index cannot answer this query: {exc.message}",
                severity="warning",
            )
            return False
        answer = await asyncio.to_thread(local.ask, query)
        if answer is None:
            return False
        self.show_local(answer, reason=f"Confluence could not be reached: {error.message}")
        self.listing.focus()
        return True

    @on(OptionList.OptionSelected, "#results")
    def _result_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == "more":
            if self._next is not None:
                self.run_search(*self._next)
            return
        if (event.option.id or "").startswith("jira:"):  # a JQL result: the issue view
            # lazy, for start-up: workbench.tui.jira_issue loads on first use
            from workbench.tui.jira_issue import open_issue

            open_issue(self, (event.option.id or "")[5:])
            return
        result = self.results[int(event.option.id or 0)]
        if result.type not in ("page", "blogpost", ""):
            where = " Press o to open it in the browser." if result.url else ""
            self.notify(
                f"“{printable(result.plain_title)}” is a {type_name(result.type)}: only pages and "
                f"blog posts open here.{where}",
                severity="warning",
                markup=False,
            )
            return
        self.host.open_page(result.id, kind=result.type or "page")
        self.host.focus_viewer()

    def browser_url(self) -> str | None:
        """The web link of the highlighted hit when it is something the viewer does not show
        (a whiteboard, an attachment…): ``o`` opens that one, not the page in the viewer."""
        listing = self.listing
        if (
            listing.has_focus
            and listing.highlighted is not None
            and listing.highlighted < len(self.results)
        ):
            result = self.results[listing.highlighted]
            if result.type not in ("page", "blogpost", "") and result.url:
                return result.url
        return None


def local_summary(answer: LocalAnswer, reason: str = "") -> Text:
    """The line above local results: how many, that the local index answered and how fresh it is,
    and what enter does (or why Confluence was not asked)."""
    # lazy, for start-up: workbench.tui.local_index loads on first use
    from workbench.tui.local_index import age_words

    count = f"{answer.matches}+" if not answer.complete else str(answer.matches)
    noun = "match" if answer.matches == 1 else "matches"
    line = Text.assemble(
        (f"{count} {noun}", "bold"),
        f" — local index, {age_words(answer.synced_at)}",
    )
    if reason:
        line.append(f" ({printable(reason)})", style="italic")
    else:
        line.append(" · enter asks Confluence", style="dim")
    return line


def result_prompt(result: SearchResult, styles: TextStyles | None = None) -> RenderableType:
    """One hit: title (matches highlighted), type, space, date; the excerpt under it."""
    styles = styles or TextStyles()
    text = Text(no_wrap=True, overflow="ellipsis")
    for run, hl in split_highlights(
        result.title_hl or result.title
    ):  # server text: printable, in Text
        text.append(printable(run), style="bold reverse" if hl else "bold")
    text.append(f"  {type_name(printable(result.type or 'page'))}", style="italic dim")
    text.append(f"  {printable(result.space_name or result.space_key)}", style=styles.accent)
    if result.last_modified:
        text.append(f"  {printable(result.last_modified[:10])}", style="dim")
    if not result.excerpt:
        return text
    excerpt = Text()
    for run, hl in split_highlights(shorten(" ".join(result.excerpt.split()), 180)):
        excerpt.append(printable(run), style=styles.match if hl else "dim")
    return Group(text, Padding(excerpt, (0, 0, 0, 2)))
