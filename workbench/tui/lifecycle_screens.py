"""The dialogs of the page lifecycle: where to move a page, where to copy it, a space's trash.

Titles come from the server and are shown as text (``workbench.tui.safe``), never as markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, OptionList, Select
from textual.widgets.option_list import Option

from workbench.tui import safe

#: Where a move puts the page, as the dialog offers it (position → words).
PLACES = (("append", "under"), ("before", "just before"), ("after", "just after"))


@dataclass(frozen=True, slots=True)
class MoveAnswer:
    position: str  # append, before, after
    target: str  # what was typed: an id, a URL or a title in the space


@dataclass(frozen=True, slots=True)
class CopyAnswer:
    parent: str  # an id, a URL or a title in the space
    tree: bool  # with the pages below it
    name: str  # the copy's title (one page) or the titles' prefix (a tree); "" for the default


class MoveScreen(ModalScreen[MoveAnswer | None]):
    """Ask where a page goes: under, before or after another page."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="modal.cancel")]

    def __init__(self, title: str) -> None:
        super().__init__(classes="modal", id="move-dialog")
        self.page_title = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(
                safe.content(f"Move “{self.page_title}” (with the pages below it)"),
                classes="question",
            )
            yield Select(
                [(words, position) for position, words in PLACES],
                value="append",
                allow_blank=False,
                id="move-position",
            )
            yield Input(
                placeholder="page title in this space, id or URL (a folder: its id)",
                id="move-target",
            )
            yield Label("enter to continue (you confirm next) · escape to cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#move-target", Input).focus()

    @on(Input.Submitted, "#move-target")
    def _submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            position = self.query_one("#move-position", Select).value
            self.dismiss(MoveAnswer(str(position), event.value.strip()))


class CopyScreen(ModalScreen[CopyAnswer | None]):
    """Ask where a copy goes, whether the pages below come along, and its title (or prefix)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="modal.cancel")]

    def __init__(self, title: str, has_children: bool) -> None:
        super().__init__(classes="modal", id="copy-dialog")
        self.page_title, self.has_children = title, has_children

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(safe.content(f"Copy “{self.page_title}” under:"), classes="question")
            yield Input(placeholder="page title in this space, id or URL", id="copy-parent")
            yield Checkbox("with the pages below it", self.has_children, id="copy-tree")
            yield Input(
                placeholder="title of the copy (a tree: prefix of every title); empty: 'Copy of …'",
                id="copy-name",
            )
            yield Label(
                "enter to see what is created (you confirm next) · escape to cancel", classes="hint"
            )

    def on_mount(self) -> None:
        self.query_one("#copy-parent", Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        parent = self.query_one("#copy-parent", Input).value.strip()
        if not parent:
            self.query_one("#copy-parent", Input).focus()
            return
        self.dismiss(
            CopyAnswer(
                parent,
                self.query_one("#copy-tree", Checkbox).value,
                self.query_one("#copy-name", Input).value,
            )
        )


class TrashScreen(ModalScreen[tuple[str, str] | None]):
    """A space's trash: enter on a page restores it (after a confirmation)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Close", id="modal.cancel")]

    def __init__(self, space_name: str, rows: list[tuple[str, str, str, str]]) -> None:
        """``rows``: (id, type, title, modified at)."""
        super().__init__(classes="modal", id="trash-dialog")
        self.space_name, self.rows = space_name, rows

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(safe.content(f"Trash of {self.space_name}"), classes="question")
            if not self.rows:
                yield Label("The trash is empty.", id="trash-empty")
            else:
                yield OptionList(
                    *[
                        Option(
                            safe.text(
                                f"{title}  ·  {kind}  ·  last changed {when[:16].replace('T', ' ')}"
                            ),
                            id=f"{kind}:{content_id}",
                        )
                        for content_id, kind, title, when in self.rows
                    ],
                    id="trash-list",
                )
            yield Label(
                "enter: restore · escape: close · Confluence gives no deletion date: "
                "“last changed” is the date of the last version"
                if self.rows
                else "escape: close",
                classes="hint",
            )

    def on_mount(self) -> None:
        if self.rows:
            self.query_one("#trash-list", OptionList).focus()

    @on(OptionList.OptionSelected, "#trash-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        kind, _, content_id = (event.option.id or "").partition(":")
        self.dismiss((content_id, kind))
