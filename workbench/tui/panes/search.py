"""The search pane: the CQL bar, the line under it (an error, a doubt, what may come next) and the
per-site query history. A query that parses is handed to the results pane.

As the person types, the site's local index (``workbench sync``) answers in a worker thread: plain
words (the last one a prefix) and the part of CQL the index can answer (``index.query``) — ranked,
with highlighted snippets, shown in the results pane as local answers (:class:`SearchPane.Local`).
Enter asks Confluence (CQL), and the results say which answered. A query that starts with ``jql:``
is Jira's (:mod:`workbench.tui.jira_search`): checked by the JQL parser, run in Jira on enter."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from workbench.services.search import QueryCheck, to_cql, vocabulary
from workbench.textsafe import printable
from workbench.tui.panes.base import Host, host
from workbench.tui.shown import hidden
from workbench.tui.widgets.cql_bar import CqlBar, completions, is_jql

if TYPE_CHECKING:
    from pathlib import Path

    from workbench.index.query import LocalQuery
    from workbench.index.search import LocalAnswer

HISTORY_LIMIT = 100


class SearchPane(Vertical):
    """``#top``: the CQL bar and its lines."""

    class Run(Message):
        """A query to run (its CQL, already checked)."""

        def __init__(self, cql: str) -> None:
            super().__init__()
            self.cql = cql

    class RunJql(Message):
        """A JQL query to run in Jira (the bar held ``jql:`` and this, already checked)."""

        def __init__(self, jql: str) -> None:
            super().__init__()
            self.jql = jql

    class Local(Message):
        """The local index answered what is typed (``answer``), or nothing is to be shown (None)."""

        def __init__(self, typed: str, answer: LocalAnswer | None) -> None:
            super().__init__()
            self.typed = typed
            self.answer = answer

    def __init__(self, *, id: str = "top") -> None:
        super().__init__(id=id)
        self._vocabulary: list[str] | None = None
        self.labels_seen: set[str] = set()
        self.page_labels: tuple[str, ...] = ()
        self._entered: str | None = None  # what enter sent to Confluence (local answers to it wait)

    @property
    def host(self) -> Host:
        return host(self)

    def compose(self) -> ComposeResult:
        yield CqlBar(self.completion_words, self.load_history(), known=self.known_values, id="cql")
        yield hidden(Static("", id="cql-error"))
        yield hidden(Static("", id="cql-hint"))

    @property
    def bar(self) -> CqlBar:
        return self.query_one("#cql", CqlBar)

    # -- what the completer offers --------------------------------------------------------------
    def completion_words(self) -> list[str]:
        if self._vocabulary is None:
            vocab = vocabulary()
            functions = [f"{name}()" for name in vocab["functions"]]
            keywords = [k.upper() for k in vocab["keywords"]]
            self._vocabulary = [*vocab["fields"], *functions, *keywords, *vocab["operators"]]
        words = list(self._vocabulary)
        ws = self.host.workspace
        if ws is not None:
            words += [s.key for s in ws.spaces_by_id.values()]
            words += list(self.page_labels)
        return words

    def known_values(self) -> dict[str, list[str]]:
        """Values the completer may offer: space keys and the labels seen so far."""
        ws = self.host.workspace
        spaces = sorted(s.key for s in ws.spaces_by_id.values()) if ws is not None else []
        return {"space": spaces, "label": sorted(self.labels_seen)}

    # -- query history (per site) --------------------------------------------------------------
    def _history_path(self) -> Path:
        # lazy, for start-up: workbench.config, workbench.services.cache loads on first use
        from workbench.config import data_dir
        from workbench.services.cache import site_slug

        return data_dir() / f"search-history-{site_slug(self.host.site.key)}.json"

    def load_history(self) -> list[str]:
        try:
            data = json.loads(self._history_path().read_text(encoding="utf-8"))
            return [str(q) for q in data][-HISTORY_LIMIT:]
        except (OSError, ValueError, TypeError):
            return []

    def _save_history(self, history: list[str]) -> None:
        # lazy, for start-up: workbench.config loads on first use
        from workbench.config import atomic_write

        try:
            atomic_write(self._history_path(), json.dumps(history[-HISTORY_LIMIT:]))
        except OSError:
            pass

    # -- the lines under the bar ----------------------------------------------------------------
    def error_line(
        self, message: str, position: int | None = None, *, warning: bool = False
    ) -> None:
        """Under the bar: an error (✗) or, with ``warning``, a doubt that does not stop the search
        (⚠)."""
        box = self.query_one("#cql-error", Static)
        if not message:
            box.display = False
            box.update("")
            return
        where = f" (at character {position + 1})" if position is not None else ""
        mark = "⚠" if warning else "✗"
        box.set_class(warning, "-warning")
        box.update(Text(f"{mark} {printable(message)}{where}"))
        box.display = True

    def _warnings_line(self, check: QueryCheck) -> None:
        """The local parser's doubts (unknown fields or functions): said, and the query is sent
        anyway."""
        if not check.warnings:
            self.error_line("")
            return
        message, position = check.warnings[0]
        more = f" (+{len(check.warnings) - 1} more)" if len(check.warnings) > 1 else ""
        self.error_line(
            f"{message}{more}; sent as typed: Confluence decides", position, warning=True
        )

    def wants_local(self, typed: str) -> bool:
        """Whether a local answer to ``typed`` is still wanted: it is what the bar holds, and enter
        has not sent it to Confluence meanwhile."""
        return typed == self.bar.value and typed != self._entered

    @on(CqlBar.Changed, "#cql")
    def _cql_changed(self, event: CqlBar.Changed) -> None:
        self._entered = None
        if is_jql(event.value):
            self._jql_changed(event)
            return
        check = to_cql(event.value) if event.value.strip() else None
        typing = event.input.has_focus and event.input.cursor_position >= len(event.value)
        if check and check.error and typing and (check.position or 0) >= len(event.value.rstrip()):
            # only unfinished at the end, while typing there: the hint says what comes next
            check = None
        if check and not check.error:
            self._warnings_line(check)
        else:
            self.error_line(check.error if check else "", check.position if check else None)
        self._hint_line(event.value if event.input.has_focus else "")
        if event.input.has_focus:
            self._ask_local(event.value)

    def _jql_changed(self, event: CqlBar.Changed) -> None:
        """``jql:``: the line under the bar from the JQL parser (an error at the end waits while it is
        typed there, as for CQL); the hint says it goes to Jira; the local index is not asked."""
        # lazy, for start-up: workbench.tui.jira_search loads on first use
        from workbench.tui.jira_search import JQL_HINT, check_jql, split_jql

        offset, jql = split_jql(event.value) or (len(event.value), "")
        said = check_jql(jql, offset) if jql.strip() else None
        typing = event.input.has_focus and event.input.cursor_position >= len(event.value)
        if said and not said[2] and typing and (said[1] or 0) >= len(event.value.rstrip()):
            said = None
        if said:
            self.error_line(said[0], said[1], warning=said[2])
        else:
            self.error_line("")
        box = self.query_one("#cql-hint", Static)
        box.update(Text.assemble(("JQL: ", "bold"), (JQL_HINT, "dim")))
        box.display = event.input.has_focus
        self.host.local_index.cancel()
        self.post_message(self.Local(event.value, None))

    # -- the local index, as you type -----------------------------------------------------------
    def _ask_local(self, value: str) -> None:
        local = self.host.local_index
        if not local.available:
            return
        typed = value.strip()
        query: str | LocalQuery | None = None
        if typed:
            # lazy, for start-up: workbench.services.search loads on first use
            from workbench.services.search import is_plain_words

            if is_plain_words(typed):
                query = value
            else:
                query = _local_cql(typed)
        if query is None:
            local.cancel()
            self.post_message(self.Local(value, None))
            return
        self._local_worker(value, query)

    @work(thread=True, group="local-search", exit_on_error=False)
    def _local_worker(self, typed: str, query: str | LocalQuery) -> None:
        answer = self.host.local_index.ask(query)
        if answer is not None:
            self.post_message(self.Local(typed, answer))

    def _hint_line(self, value: str) -> None:
        """Under the bar: what may come next here (the first one is offered in grey; → accepts
        it)."""
        box = self.query_one("#cql-hint", Static)
        expected, _start, candidates = (
            completions(value, self.known_values()) if value else ("", 0, [])
        )
        if not candidates:
            box.display = False
            return
        shown = printable("  ".join(candidates[:12]) + ("  …" if len(candidates) > 12 else ""))
        box.update(Text.assemble((f"{expected}: ", "bold"), (shown, "dim")))
        box.display = True

    def hide_hint(self) -> None:
        self.query_one("#cql-hint", Static).display = False

    @on(CqlBar.Search)
    def _search(self, event: CqlBar.Search) -> None:
        event.stop()
        self.hide_hint()
        self._entered = event.bar.value
        self.host.local_index.cancel()
        if is_jql(event.query):
            self._search_jql(event.bar)
            return
        check = to_cql(event.query)
        if not check.cql:  # nothing typed
            self.error_line(check.error, check.position)
            return
        # The local parser only hints; the server decides (its own message shows if it refuses).
        self._warnings_line(check)
        self.post_message(self.Run(check.cql))
        self._save_history(event.bar.history)

    def _search_jql(self, bar: CqlBar) -> None:
        """``enter`` on ``jql:``: a syntax error stays under the bar (nothing is sent); a doubt is
        said and the query goes to Jira, which decides."""
        # lazy, for start-up: workbench.tui.jira_search loads on first use
        from workbench.tui.jira_search import check_jql, split_jql

        offset, jql = split_jql(bar.value) or (len(bar.value), "")
        said = check_jql(jql, offset)
        if said is not None and not said[2]:
            self.error_line(said[0], said[1])
            return
        if said:
            self.error_line(said[0], said[1], warning=True)
        else:
            self.error_line("")
        self.post_message(self.RunJql(jql.strip()))
        self._save_history(bar.history)


def _local_cql(typed: str) -> LocalQuery | None:
    """The :class:`LocalQuery` for CQL the index can answer as it stands (None: not that, or not
    finished)."""
    # lazy, for start-up: workbench.index.query loads on first use
    from workbench.errors import UsageError
    from workbench.index.query import local_query

    try:
        found = local_query(typed)
    except UsageError:
        return None
    return None if found.empty else found
