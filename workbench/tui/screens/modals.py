"""Small modal dialogs: confirm, prompt, comment, draft recovery, merge approval, link picker.

Questions and items often hold page titles, names and links from the server: they are shown as
plain text (``workbench.tui.safe``), never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar
from urllib.parse import unquote

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from workbench.tui import safe
from workbench.tui.theme import DiffStyles
from workbench.tui.widgets.diff import diff_text


class ConfirmScreen(ModalScreen[bool]):
    """Yes or no."""

    BINDINGS = [Binding("escape", "dismiss(False)", "Cancel", id="modal.cancel")]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__(classes="modal")
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(safe.content(self.question, multiline=True), classes="question")
            with Horizontal(classes="buttons"):
                yield Button(self.yes, variant="warning", id="yes")
                yield Button(self.no, variant="primary", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class PromptScreen(ModalScreen[str | None]):
    """Ask for one line of text (a title, labels)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="modal.cancel")]

    def __init__(
        self, question: str, value: str = "", placeholder: str = "", *, id: str | None = None
    ) -> None:
        super().__init__(classes="modal", id=id)
        self.question, self.value, self.placeholder = question, value, placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(safe.content(self.question, multiline=True), classes="question")
            # the cursor goes after the value (adding a label must not replace the others)
            yield Input(
                self.value, placeholder=self.placeholder, id="prompt-input", select_on_focus=False
            )
            yield Label("enter to confirm · escape to cancel", classes="hint")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)


class CommentScreen(ModalScreen[tuple[str, str | None] | None]):
    """Write a footer comment (Markdown), optionally as a reply."""

    BINDINGS = [
        Binding("ctrl+s", "send", "Send", id="comment.send", tooltip="Add the comment"),
        Binding("escape", "dismiss(None)", "Cancel", id="modal.cancel"),
    ]

    def __init__(self, threads: list[tuple[str, str]], text: str = "") -> None:
        super().__init__(classes="modal")
        self.threads = threads
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Comment (Markdown) — ctrl+s adds it, escape cancels", classes="question")
            options = [(safe.text("New comment on the page"), "")] + [
                (safe.text(label), cid) for cid, label in self.threads
            ]
            yield Select(options, value="", allow_blank=False, id="reply-to")
            yield TextArea(self.text, language="markdown", soft_wrap=True, id="comment-text")

    def on_mount(self) -> None:
        self.query_one("#comment-text", TextArea).focus()

    def action_send(self) -> None:
        text = self.query_one("#comment-text", TextArea).text.strip()
        if not text:
            self.notify("Write something first.", severity="warning")
            return
        parent = self.query_one("#reply-to", Select).value
        self.dismiss((text, str(parent) if parent else None))


#: A dialog answered with a key: (key, result, label); the result is what the dialog returns.
Choice = tuple[str, str, str]


def choice_bindings(choices: Sequence[Choice]) -> list[BindingType]:
    """The ``BINDINGS`` of a dialog answered with a key: one per choice, and escape to cancel."""
    bindings: list[BindingType] = [
        Binding(key, f"choose('{result}')", label) for key, result, label in choices
    ]
    return [*bindings, Binding("escape", "choose('')", "Cancel")]


class DiffScreen(ModalScreen[str | None]):
    """Show a diff and offer choices: a subclass names them in ``CHOICES``, and its ``BINDINGS``
    are made from them (:func:`choice_bindings`)."""

    CHOICES: ClassVar[tuple[Choice, ...]] = ()

    def __init__(self, title: str, lines: list[str], *, id: str | None = None) -> None:
        super().__init__(classes="modal", id=id)
        self.title_text, self.lines = title, lines

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall"):
            yield Label(safe.content(self.title_text, multiline=True), classes="question")
            with VerticalScroll(classes="diff-scroll"):
                yield Static(
                    diff_text(self.lines, styles=DiffStyles.from_theme(self.app.theme_variables)),
                    id="diff-body",
                )
            hint = (
                "  ·  ".join(f"{key}: {label}" for key, _r, label in self.CHOICES)
                + "  ·  escape: cancel"
            )
            yield Label(hint, classes="hint")

    def action_choose(self, result: str) -> None:
        self.dismiss(result or None)


class DraftRecoveryScreen(DiffScreen):
    """An unsaved draft of the page opened: restore it in the editor, or discard it."""

    CHOICES = (("enter", "restore", "restore it in the editor"), ("d", "discard", "discard it"))
    BINDINGS = choice_bindings(CHOICES)


class NewPageDraftScreen(DiffScreen):
    """A new page started under the page opened and not created yet: continue it, or discard it."""

    CHOICES = (("enter", "restore", "continue it in the editor"), ("d", "discard", "discard it"))
    BINDINGS = choice_bindings(CHOICES)


class MergeApprovalScreen(DiffScreen):
    """A clean merge with another person's edit: save it, or edit it first."""

    CHOICES = (
        ("enter", "save", "save the merge"),
        ("y", "save", "save"),
        ("e", "edit", "edit first"),
    )
    BINDINGS = choice_bindings(CHOICES)


class PickScreen(ModalScreen[int | None]):
    """Pick one item of a list (e.g. the site after an OAuth login); returns its index."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="modal.cancel")]

    def __init__(self, question: str, items: list[str], *, id: str | None = None) -> None:
        super().__init__(classes="modal", id=id)
        self.question, self.items = question, items

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(safe.content(self.question, multiline=True), classes="question")
            yield OptionList(
                *(Option(safe.content(item), id=str(i)) for i, item in enumerate(self.items)),
                id="pick",
            )
            yield Label("enter to choose · escape to cancel", classes="hint")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))


class LinksScreen(ModalScreen[int | None]):
    """Pick one of the page's links to follow."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="modal.cancel")]

    def __init__(self, links: list[tuple[str, str]]) -> None:
        super().__init__(classes="modal")
        self.links = links

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Follow a link — enter opens it", classes="question")
            yield OptionList(
                *(
                    Option(
                        safe.join((text or href, "bold"), "  ", (_where(href), "dim")), id=str(i)
                    )
                    for i, (text, href) in enumerate(self.links)
                ),
                id="links",
            )

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))


def _where(href: str) -> str:
    """Where a link goes, as a person reads it: a heading of this page, a page, or the web address."""
    if href.startswith("#"):
        return "↓ on this page"
    if href.startswith("page:"):
        return "page " + unquote(href[5:])
    return unquote(href)
