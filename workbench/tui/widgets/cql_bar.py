"""The CQL bar: highlighting as you type, completion, and history on up/down. A query starting with
``jql:`` is JQL (:mod:`workbench.tui.jira_search`): coloured and checked as JQL, searched in Jira."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from rich.highlighter import Highlighter
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.suggester import Suggester
from textual.widgets import Input

from workbench.tui.theme import cql_styles


class CqlHighlighter(Highlighter):
    """Colours CQL with the shared tokenizer (which never raises, even on a half-typed query), in
    the colours of the theme (``tui/theme.py`` :func:`cql_styles`; none given: attributes only)."""

    def __init__(self, styles: Callable[[], Mapping[str, str]] | None = None) -> None:
        self._styles = styles or (lambda: cql_styles({}))

    def highlight(self, text: Text) -> None:
        # lazy, for start-up: workbench.confluence.cql loads on first use
        from workbench.confluence.cql import tokenize

        styles = self._styles()
        if is_jql(text.plain):  # jql: Jira's query language, from the same tokenizer kinds
            # lazy, for start-up: workbench.tui.jira_search loads on first use
            from workbench.tui.jira_search import highlight_jql, split_jql

            found = split_jql(text.plain)
            if found is not None:
                highlight_jql(text, found[0], styles)
                return
        for tok in tokenize(text.plain):
            style = styles.get(tok.kind)
            if style:
                text.stylize(style, tok.start, tok.end)


def is_jql(value: str) -> bool:
    """Whether the bar holds JQL (``jql:`` first) rather than CQL or plain words."""
    return value.lstrip()[:4].lower() == "jql:"


def completions(value: str, known: dict[str, list[str]]) -> tuple[str, int, list[str]]:
    """(what fits here, where the word starts, candidates) from the shared context-aware completer."""
    # lazy, for start-up: workbench.confluence.cql_complete loads on first use
    from workbench.confluence.cql_complete import complete

    comp = complete(value, values=known)
    return comp.expected, comp.start, list(comp.candidates)


class CqlSuggester(Suggester):
    """Completes what may come next: fields, then their operators, then values of the right kind
    (space keys, labels, enum values, functions), then AND/OR/ORDER BY."""

    def __init__(
        self,
        words: Callable[[], list[str]],
        known: Callable[[], dict[str, list[str]]] | None = None,
    ) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self._words = words
        self._known = known

    async def get_suggestion(self, value: str) -> str | None:
        if is_jql(value):  # CQL's completions do not apply to JQL
            return None
        if self._known is not None:
            _expected, start, candidates = completions(value, self._known())
            if candidates and (start < len(value) or value.endswith(" ")):
                return value[:start] + candidates[0]
            if start < len(value) or not value:
                return None
        match = re.search(r'([\w.()"~-]+)$', value)
        if not match or len(match.group(1)) < 1:
            return None
        stem = match.group(1)
        low = stem.lower()
        for word in self._words():
            if word.lower().startswith(low) and word.lower() != low:
                return value[: match.start(1)] + word
        return None


class CqlBar(Input):
    """A single-line query input. Posts :class:`CqlBar.Search` on enter."""

    BINDINGS = [
        Binding("up", "history(-1)", "Previous query", show=False, id="cql.history_previous"),
        Binding("down", "history(1)", "Next query", show=False, id="cql.history_next"),
        Binding(
            "escape", "screen.leave_search", "Back", id="cql.back", tooltip="Leave the search bar"
        ),
    ]

    @dataclass
    class Search(Message):
        bar: CqlBar
        query: str

        @property
        def control(self) -> CqlBar:
            return self.bar

    def __init__(
        self,
        words: Callable[[], list[str]],
        history: list[str] | None = None,
        *,
        known: Callable[[], dict[str, list[str]]] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(
            placeholder="CQL, or plain words — e.g. space = ENG AND label = runbook   (/ to focus)",
            highlighter=CqlHighlighter(lambda: cql_styles(self.app.theme_variables)),
            suggester=CqlSuggester(words, known),
            id=id,
        )
        self.history: list[str] = list(history or [])
        self._cursor = len(self.history)

    def action_history(self, step: int) -> None:
        if not self.history:
            return
        self._cursor = max(0, min(len(self.history), self._cursor + step))
        self.value = self.history[self._cursor] if self._cursor < len(self.history) else ""
        self.cursor_position = len(self.value)

    async def action_submit(self) -> None:
        query = self.value.strip()
        if query:
            if not self.history or self.history[-1] != query:
                self.history.append(query)
            self._cursor = len(self.history)
            self.post_message(self.Search(self, query))
