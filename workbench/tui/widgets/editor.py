"""The Markdown editor: Textual's TextArea with tree-sitter Markdown highlighting."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import TextArea

from workbench.tui.keys import key


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
        # Where every editor has them (TextArea has no document start/end keys of its own).
        key(
            "ctrl+home",
            "cursor_document_start",
            "Start of the text",
            "editor.text_start",
            "To the start of the text",
            show=False,
        ),
        key(
            "ctrl+end",
            "cursor_document_end",
            "End of the text",
            "editor.text_end",
            "To the end of the text",
            show=False,
        ),
        key(
            "ctrl+shift+home",
            "cursor_document_start(True)",
            "Select to the start",
            "editor.select_to_start",
            "Select to the start of the text",
            show=False,
        ),
        key(
            "ctrl+shift+end",
            "cursor_document_end(True)",
            "Select to the end",
            "editor.select_to_end",
            "Select to the end of the text",
            show=False,
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

    def action_cursor_document_start(self, select: bool = False) -> None:
        self.move_cursor((0, 0), select=select)

    def action_cursor_document_end(self, select: bool = False) -> None:
        self.move_cursor(self.document.end, select=select)
