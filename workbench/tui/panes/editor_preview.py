"""The Markdown preview beside the editor (``alt+p`` or ``f5``): the buffer rendered by the
viewer's own renderer, as the page will read, following the text as you type (a short pause after
the last key) and the cursor's place in it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.widgets import TextArea

from workbench.tui.panes.editor_base import EditorBase
from workbench.tui.widgets.document import DocumentView

if TYPE_CHECKING:
    from textual.timer import Timer

#: Seconds of quiet after a key before the preview renders again.
PREVIEW_PAUSE = 0.3


class PreviewMixin(EditorBase):
    """The preview (mixed into :class:`~workbench.tui.panes.editor.EditorPane`)."""

    _preview_timer: Timer | None = None

    @property
    def preview(self) -> DocumentView:
        return self.part("#preview", DocumentView)

    @property
    def previewing(self) -> bool:
        return self.preview.display

    def toggle_preview(self) -> None:
        preview = self.preview
        preview.display = not preview.display
        if self.previewing:
            self._render_preview()
        self.host.update_room()
        self.editor.focus()

    def _render_preview(self) -> None:
        self._preview_timer = None
        if not self.previewing:
            return
        # lazy, for start-up: workbench.tui.emoticons loads on first use
        from workbench.tui.emoticons import with_emoji

        self.preview.show(with_emoji(self.editor.text), keep_scroll=True)
        self._follow_cursor()

    @on(TextArea.Changed, "#editor")
    def _preview_text_changed(self) -> None:
        if not self.previewing:
            return
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._preview_timer = self.set_timer(PREVIEW_PAUSE, self._render_preview)

    @on(TextArea.SelectionChanged, "#editor")
    def _preview_cursor_moved(self) -> None:
        if self.previewing:
            self._follow_cursor()

    def _follow_cursor(self) -> None:
        """Scroll the preview to the same share of the page as the cursor is in the text."""
        editor, preview = self.editor, self.preview
        lines = max(1, editor.document.line_count - 1)
        share = editor.cursor_location[0] / lines
        target = share * max(0, preview.virtual_size.height - preview.size.height)
        preview.scroll_to(0, target, animate=False)
