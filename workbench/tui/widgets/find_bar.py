"""The find bar under the page (and the editor): a query, the match count, and — in the editor —
a replacement. It only reports what is typed; its holder finds and moves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static

from workbench.tui.keys import key


class FindBar(Horizontal):
    """``Find: [query] 3/17``; with ``replace=True`` also ``Replace: [text]``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        key("escape", "close", "Close", "find.close", "Close the find bar, clear the highlights"),
        key("down", "step(1)", "Next match", "find.next", "Next match", show=False),
        key("up", "step(-1)", "Previous match", "find.previous", "Previous match", show=False),
        key(
            "ctrl+r",
            "replace_all",
            "Replace all",
            "find.replace_all",
            "Replace every match (in the editor)",
        ),
    ]

    @dataclass
    class _BarMessage(Message):
        """What every message of the bar carries: the bar (its ``control``)."""

        bar: FindBar

        @property
        def control(self) -> FindBar:
            return self.bar

    @dataclass
    class Changed(_BarMessage):
        """The query was edited (find as you type)."""

        query: str

    @dataclass
    class Submitted(_BarMessage):
        """``enter`` in the query: go to the match (and back to reading)."""

        query: str

    @dataclass
    class Step(_BarMessage):
        """``↓``/``↑``: the next (1) or previous (-1) match."""

        step: int

    @dataclass
    class Replace(_BarMessage):
        """``enter`` in the replacement (the current match), or ``ctrl+r`` (all of them)."""

        replacement: str
        everywhere: bool

    @dataclass
    class Closed(_BarMessage):
        """``escape``: the bar is gone, the highlights should go too."""

    def __init__(
        self, hint: str, *, replace: bool = False, id: str | None = None, classes: str = ""
    ) -> None:
        super().__init__(id=id, classes=f"find-bar {classes}".strip())
        self.display = False  # until it is opened
        self._hint = hint
        self._replace = replace
        self._made = False

    def compose(self) -> ComposeResult:
        yield from ()  # hidden until first opened: its fields are made then (_fields)

    def _fields(self) -> None:
        """Make the bar's fields, once: a bar nobody opened costs the first frame nothing."""
        if self._made:
            return
        self._made = True
        parts: list[Widget] = [
            Input(placeholder="Find", id=f"{self.id}-query", classes="find-query")
        ]
        if self._replace:
            parts.append(
                Input(placeholder="Replace with", id=f"{self.id}-with", classes="find-with")
            )
        parts.append(Static(Text(self._hint, style="dim"), classes="find-count"))
        self.mount_all(parts)

    @property
    def query_input(self) -> Input:
        self._fields()
        return self.query_one(".find-query", Input)

    @property
    def replacement(self) -> str:
        if not self._replace:
            return ""
        self._fields()
        return self.query_one(".find-with", Input).value

    @property
    def is_open(self) -> bool:
        return self.display

    def open(self, query: str = "", *, replace: bool = False) -> None:
        """Show the bar with ``query`` selected (typing replaces it), focused."""
        self.display = True
        field = self.query_input
        if query and field.value != query:
            field.value = query
        field.focus()
        field.select_all()
        if replace and self._replace:
            self.query_one(".find-with", Input).focus()  # made with the query's field

    def close(self) -> None:
        self.display = False

    def action_close(self) -> None:
        self.close()
        self.post_message(self.Closed(self))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "replace_all" and not self._replace:
            return False
        return True

    def action_step(self, step: int) -> None:
        self.post_message(self.Step(self, step))

    def action_replace_all(self) -> None:
        self.post_message(self.Replace(self, self.replacement, everywhere=True))

    def show_count(self, text: str) -> None:
        shown = f"{text}  {self._hint}" if text else self._hint
        style = "bold" if text and text != "no match" else "dim"
        self._fields()
        self.query_one(".find-count", Static).update(Text(shown, style=style))

    @on(Input.Changed, ".find-query")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(self, event.value))

    @on(Input.Submitted, ".find-with")
    def _replace_one(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Replace(self, event.value, everywhere=False))

    @on(Input.Submitted, ".find-query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(self, event.value))
