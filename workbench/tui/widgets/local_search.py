"""Search the local index as you type: :class:`LocalSearchScreen` (the palette's "search: local index").

Every keystroke asks ``LocalSearch`` in a worker thread (``as_you_type``: the last word is a prefix,
the newest 2 000 matches are ranked, so an answer takes bounded time); the connection answers one
query at a time, and a keystroke still waiting when a newer one came is skipped. Enter in the box
ranks every match (the last word still a prefix). The status line says the answer is local, how old
the index is and whether more matches were left unranked. Choosing a hit dismisses the screen with
``(id, type)``; the caller opens it (online; the index only finds it). Titles and excerpts are
server text: shown as ``Text`` runs, never parsed as markup.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from workbench.textsafe import printable

if TYPE_CHECKING:
    from workbench.index.search import LocalAnswer, LocalHit, LocalSearch
    from workbench.services.workspace import SiteSpec


def index_path_for(site: SiteSpec | None) -> Path | None:
    """The index file of the open site, when there is one on disk (the same one the search bar
    uses: :func:`workbench.tui.local_index.site_ref_of` — the demo's own, never the default
    profile's index for a site that is not that profile's)."""
    # lazy, for start-up: workbench.errors, workbench.index.sites loads on first use
    from workbench.errors import WorkbenchError
    from workbench.index.sites import resolve_site
    from workbench.tui.local_index import site_ref_of

    try:
        ref = site_ref_of(site) if site is not None else resolve_site()
    except WorkbenchError:
        return None
    return ref.path if ref is not None and ref.indexed else None


class LocalSearchScreen(ModalScreen[tuple[str, str] | None]):
    """A search box over the local index, results as you type."""

    DEFAULT_CSS = """
    LocalSearchScreen { align: center middle; }
    LocalSearchScreen > Vertical { width: 90%; height: 80%; border: round $accent; background: $surface;
                                   padding: 0 1; }
    LocalSearchScreen #local-status { color: $text-muted; height: 1; }
    LocalSearchScreen OptionList { height: 1fr; }
    """
    BINDINGS = [Binding("escape", "close", "Close", id="local-search.close")]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.search: LocalSearch | None = None
        self.hits: list[LocalHit] = []
        self.answer: LocalAnswer | None = None  # the one shown
        self._lock = threading.Lock()
        self._asked = (
            0  # keystrokes asked about; only the latest is searched once the connection is free
        )

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label('Local index: words, "phrases", prefix*', id="local-title")
            yield Input(
                placeholder="search the pages synced with 'workbench sync'", id="local-query"
            )
            yield Label("", id="local-status")
            yield OptionList(id="local-hits")

    def on_mount(self) -> None:
        # lazy, for start-up: workbench.errors, workbench.index.search loads on first use
        from workbench.errors import WorkbenchError
        from workbench.index.search import LocalSearch

        try:
            self.search = LocalSearch(self.path)
        except WorkbenchError as exc:
            self.app.notify(exc.message, severity="error")
            self.dismiss(None)
            return
        self.query_one("#local-query", Input).focus()

    def on_unmount(self) -> None:
        if self.search is not None:
            with self._lock:
                self.search.close()
                self.search = None

    def action_close(self) -> None:
        self.dismiss(None)

    @on(Input.Changed, "#local-query")
    def _typed(self, event: Input.Changed) -> None:
        self._ask(event.value, exhaustive=False)

    @on(Input.Submitted, "#local-query")
    def _entered(self, event: Input.Submitted) -> None:
        self._ask(event.value, exhaustive=True)
        self.query_one("#local-hits", OptionList).focus()

    def _ask(self, text: str, *, exhaustive: bool) -> None:
        self._asked += 1
        self._run(text, exhaustive, self._asked)

    @work(thread=True, group="local-search")
    def _run(self, text: str, exhaustive: bool, asked: int) -> None:
        # lazy, for start-up: sqlite3, workbench.index.search … loads on first use
        import sqlite3

        from workbench.index.files import index_failure
        from workbench.index.search import Cancelled

        with (
            self._lock
        ):  # one query at a time on the connection; one waiting made useless is skipped
            search = self.search
            if search is None or asked != self._asked:
                return
            try:
                answer = search.search(text, limit=50, as_you_type=True, exhaustive=exhaustive)
            except Cancelled:
                return
            except sqlite3.Error as exc:
                message = index_failure(self.path, exc, "searching it").message
                self.app.call_from_thread(self.app.notify, message, severity="error")
                return
        self.app.call_from_thread(self._show, answer)

    def _show(self, answer: LocalAnswer) -> None:
        if self.search is None:
            return  # closed meanwhile
        if answer.query != self.query_one("#local-query", Input).value:
            return  # typed on since: the next answer is on its way
        self.answer = answer
        self.hits = list(answer.hits)
        hits = self.query_one("#local-hits", OptionList)
        hits.clear_options()
        hits.add_options([Option(_prompt(h), id=str(i)) for i, h in enumerate(self.hits)])
        if self.hits:
            hits.highlighted = 0
        self.query_one("#local-status", Label).update(
            Text(_status(answer), no_wrap=True, overflow="ellipsis")
        )

    @on(OptionList.OptionSelected, "#local-hits")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        hit = self.hits[int(event.option.id or 0)]
        if hit.type == "folder":
            self.app.notify(
                f"“{printable(hit.title)}” is a folder: only pages and blog posts open here.",
                severity="warning",
            )
            return
        self.dismiss((hit.id, hit.type))


def _status(answer: LocalAnswer) -> str:
    # lazy, for start-up: workbench.confluence.pauses loads on first use
    from workbench.confluence.pauses import duration

    if not answer.query.strip():
        return ""
    if answer.synced_at is None:
        age = "never fully synced"
    else:
        seconds = max(0.0, time.time() - answer.synced_at)
        age = "synced just now" if seconds < 60 else f"synced {duration(seconds)} ago"
    more = "" if answer.complete else "; the newest ranked — enter ranks all"
    count = f"{answer.matches}+" if not answer.complete else str(answer.matches)
    return f"{count} matches in {answer.took_ms:.0f} ms — local index, {age}{more}"


def _prompt(hit: LocalHit) -> Group | Text:
    # lazy, for start-up: workbench.services.search loads on first use
    from workbench.services.search import split_highlights

    title = Text(no_wrap=True, overflow="ellipsis")
    for run, hl in split_highlights(hit.title_hl or hit.title):
        title.append(printable(run), style="bold reverse" if hl else "bold")
    if hit.type != "page":
        title.append(f"  {printable(hit.type)}", style="italic dim")
    title.append(f"  {printable(hit.space_name or hit.space_key)}", style="cyan")
    if hit.last_modified:
        title.append(f"  {hit.last_modified[:10]}", style="dim")
    if not hit.excerpt:
        return title
    excerpt = Text(no_wrap=True, overflow="ellipsis")
    for run, hl in split_highlights(" ".join(hit.excerpt.split())):
        excerpt.append(printable(run), style="bold yellow" if hl else "dim")
    return Group(title, Padding(excerpt, (0, 0, 0, 2)))
