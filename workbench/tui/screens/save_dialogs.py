"""Dialogs of saving: the save prompt (version message, minor edit, what the server says now) and a
choice of keys (what to do with text whose page is gone)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, Static

from workbench.services import save_outcome as so
from workbench.tui import safe
from workbench.tui.safe import join
from workbench.tui.screens.modals import Choice, choice_bindings


class SaveScreen(ModalScreen[tuple[str, bool] | None]):
    """Confirm a save: an optional version message and a minor-edit box. Returns (message, minor)."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Keep editing", id="modal.cancel"),
        Binding(
            "ctrl+s", "save", "Save", id="save.confirm", tooltip="Save (ctrl+s twice saves at once)"
        ),
    ]

    def __init__(
        self, title: str, version: int | None, *, checking: bool = False, known: Text | None = None
    ) -> None:
        """``version``: the version the save makes (None when that is not known: someone else
        saved meanwhile). ``known``: what an earlier look at the server found, shown at once;
        ``checking``: a look is on its way (:meth:`show_remote` says what it found)."""
        super().__init__(classes="modal", id="save-prompt")
        self.page_title, self.version, self.checking, self.known = title, version, checking, known

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            what = f"” as version {self.version}" if self.version is not None else "”"
            yield Label(join("Save “", self.page_title, what), classes="question")
            yield Input(
                placeholder="What did you change? (optional, shown in the page history)",
                id="save-message",
            )
            yield Checkbox("Minor edit (watchers are not notified)", id="save-minor")
            note: Text | str = self.known or ""
            if self.checking:
                note = Text("Looking for other edits since you opened the page…", style="dim")
            yield Static(note, id="save-remote")
            yield Label(
                "enter or ctrl+s: save · tab, space: minor edit · escape: keep editing",
                classes="hint",
            )

    def on_mount(self) -> None:
        self.query_one("#save-message", Input).focus()

    def show_remote(self, text: Text) -> None:
        """What a look at the server found (another save, the trash, or nothing new)."""
        self.query_one("#save-remote", Static).update(text)

    @on(Input.Submitted, "#save-message")
    def _submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def action_save(self) -> None:
        self.dismiss(
            (
                self.query_one("#save-message", Input).value.strip(),
                self.query_one("#save-minor", Checkbox).value,
            )
        )


class ChoiceScreen(ModalScreen[str | None]):
    """A question answered with a key: a subclass names every choice in ``CHOICES`` (its
    ``BINDINGS`` are made from them); ``offered`` are the results this question allows, in the order
    the hint lists them (the others' keys do nothing)."""

    CHOICES: ClassVar[tuple[Choice, ...]] = ()

    def __init__(self, question: Text, offered: Sequence[str], *, id: str | None = None) -> None:
        super().__init__(classes="modal", id=id)
        self.question, self.offered = question, tuple(offered)
        by_result = {choice[1]: choice for choice in self.CHOICES}
        self.choices = [by_result[result] for result in self.offered]  # as the hint lists them

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose" and parameters and parameters[0]:
            return parameters[0] in self.offered
        return True

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, classes="question")
            hint = (
                "  ·  ".join(f"{key}: {label}" for key, _r, label in self.choices)
                + "  ·  escape: keep editing"
            )
            yield Label(hint, classes="hint")

    def action_choose(self, result: str) -> None:
        self.dismiss(result or None)


class PageGoneScreen(ChoiceScreen):
    """The page being saved is gone (trashed or deleted): what to do with the text."""

    CHOICES = (
        ("r", so.RESTORE, "restore it and save on top"),
        ("s", so.SAVE_AGAIN, "save on top now"),
        ("n", so.NEW_PAGE, "save as a new page"),
        ("f", so.TO_FILE, "write it to a file"),
    )
    BINDINGS = choice_bindings(CHOICES)


class TitleScreen(ModalScreen[str | None]):
    """Ask for a page title and check it before going on: ``check(title)`` returns why the title
    cannot be used (e.g. another page of the space has it), or None. The dialog stays open, with the
    reason, until a usable title is entered or escape is pressed."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="modal.cancel")]

    def __init__(
        self,
        question: str,
        value: str,
        check: Callable[[str], Awaitable[str | None]],
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(classes="modal", id=id)
        self.question, self.value, self.check = question, value, check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(safe.content(self.question, multiline=True), classes="question")
            yield Input(self.value, id="prompt-input", select_on_focus=False)
            yield Static("", id="title-problem")
            yield Label("enter to confirm · escape to cancel", classes="hint")

    @on(Input.Submitted, "#prompt-input")
    def _submitted(self, event: Input.Submitted) -> None:
        title = event.value.strip()
        if title:
            self._check(title)

    @work(exclusive=True, exit_on_error=False)
    async def _check(self, title: str) -> None:
        problem = await self.check(title)
        if problem is None:
            self.dismiss(title)
        else:
            self.query_one("#title-problem", Static).update(Text(problem, style="bold"))
