"""Dialogs of saving: the save prompt (version message, minor edit, what the server says now) and a
choice of keys (what to do with text whose page is gone)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, Static

from workbench.tui import safe
from workbench.tui.safe import join


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
    """A question answered with a key: ``choices`` are (key, result, label)."""

    def __init__(
        self, question: Text, choices: list[tuple[str, str, str]], *, id: str | None = None
    ) -> None:
        super().__init__(classes="modal", id=id)
        self.question, self.choices = question, choices
        for key, result, label in choices:
            self._bindings.bind(key, f"choose('{result}')", label)
        self._bindings.bind("escape", "choose('')", "Cancel")

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
