"""The dialogs of the attachments screen (:mod:`workbench.tui.attachments`): a path to upload
(completed as it is typed), a name the page has already, and an image full screen. Names come from
the server: shown as plain text (``workbench.tui.safe``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label

from workbench.tui import safe
from workbench.tui.keys import key

if TYPE_CHECKING:
    from workbench.confluence.attachment_model import Attachment


class PathSuggester(Suggester):
    """Completes a file path as it is typed (the first entry of the folder that starts so)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        typed = Path(value).expanduser()
        folder, stem = (typed, "") if value.endswith(os.sep) else (typed.parent, typed.name)
        try:
            names = sorted(p.name for p in folder.iterdir() if p.name.startswith(stem))
        except OSError:
            return None
        names = [n for n in names if not n.startswith(".") or stem.startswith(".")]
        if not names or names[0] == stem:
            return None
        return value + names[0][len(stem) :]


class UploadScreen(ModalScreen[tuple[Path, str] | None]):
    """A path (completed as it is typed: ``→`` takes the suggestion) and a comment."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="modal.cancel")]

    def __init__(self, start: str = "") -> None:
        super().__init__(classes="modal", id="upload")
        self.start = start or (str(Path.cwd()) + os.sep)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Upload a file — its path (→ completes), then enter", classes="question")
            yield Input(self.start, id="upload-path", suggester=PathSuggester())
            yield Input("", placeholder="comment (optional)", id="upload-comment")
            yield Label("enter to upload · escape to cancel", classes="hint", id="upload-hint")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        path = Path(self.query_one("#upload-path", Input).value.strip()).expanduser()
        if not path.is_file():
            self.query_one("#upload-hint", Label).update(
                safe.text(f"{path} is not a file · escape to cancel")
            )
            self.query_one("#upload-path", Input).focus()
            return
        if event.input.id == "upload-path":
            self.query_one("#upload-comment", Input).focus()
            return
        self.dismiss((path, self.query_one("#upload-comment", Input).value.strip()))


class NameTakenScreen(ModalScreen[str | None]):
    """The page already has an attachment of that name: ``version``, ``rename`` or None."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="modal.cancel")]

    def __init__(self, name: str, version: int) -> None:
        super().__init__(classes="modal", id="name-taken")
        self.name_, self.version = name, version

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(
                safe.text(
                    f"The page already has “{self.name_}” (version {self.version}).", multiline=True
                ),
                classes="question",
            )
            with Horizontal(classes="buttons"):
                yield Button(f"New version {self.version + 1}", variant="primary", id="version")
                yield Button("Another name…", id="rename")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#version", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "cancel" else event.button.id)


class ImageScreen(ModalScreen[None]):
    """An image attachment full screen."""

    BINDINGS = [
        key("escape,q", "dismiss(None)", "Close", "image.close", "Close the image"),
    ]

    def __init__(self, item: Attachment, image: object) -> None:
        super().__init__(id="image-view")
        self.item, self.image = item, image

    def compose(self) -> ComposeResult:
        # lazy, for start-up: workbench.tui.images loads on first use
        from workbench.confluence.attachment_model import size_text
        from workbench.tui.images import full_screen_widget

        width, height = getattr(self.image, "size", (0, 0))
        yield Label(
            safe.text(
                f"{self.item.title} · {size_text(self.item.size)} · {width}×{height} px · "
                f"version {self.item.version} — escape closes"
            ),
            id="image-title",
        )
        yield full_screen_widget(self.image)  # type: ignore[arg-type]
