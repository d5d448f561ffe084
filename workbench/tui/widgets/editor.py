"""The Markdown editor: Textual's TextArea with tree-sitter Markdown highlighting."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import TextArea


class MdEditor(TextArea):
    """Edits one page's Markdown. The screen tracks dirtiness, drafts and saving."""

    BINDINGS = [
        Binding(
            "ctrl+s",
            "screen.save",
            "Save",
            id="editor.save",
            tooltip="Save as a new version (base pinned)",
        ),
        Binding(
            "f4",
            "screen.insert_attachment",
            "Attachment",
            id="editor.attachment",
            tooltip="Insert one of the page's attachments (an image, or a link to a file)",
        ),
        Binding(
            "escape",
            "screen.leave_editor",
            "Back",
            id="editor.back",
            tooltip="Back to the page (the draft is kept)",
            priority=True,
        ),
    ]

    def __init__(self, *, id: str | None = None, dark: bool = True) -> None:
        super().__init__(
            "",
            language="markdown",
            theme="monokai" if dark else "github_light",
            soft_wrap=True,
            tab_behavior="indent",
            show_line_numbers=True,
            id=id,
        )
