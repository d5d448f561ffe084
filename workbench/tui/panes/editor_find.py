"""Find and replace in the editor pane (``ctrl+f``): the find bar under the text with a
replacement field; every match highlighted, the current one selected; ``enter``/``↓``/``f3`` the
next, ``↑``/``shift+f3`` the previous; ``enter`` in the replacement replaces the current match and
goes on, ``ctrl+r`` replaces them all. Every change goes through the editor, so
the session, the draft and the save path see it as typing."""

from __future__ import annotations

from textual import on

from workbench.tui.find import count_text
from workbench.tui.panes.editor_base import EditorBase
from workbench.tui.widgets.find_bar import FindBar


class FindMixin(EditorBase):
    """Find and replace (mixed into :class:`~workbench.tui.panes.editor.EditorPane`)."""

    @property
    def find_bar(self) -> FindBar:
        return self.part("#editor-find", FindBar)

    def open_find(self) -> None:
        """``ctrl+f`` in the editor: the bar, with the selected text (or the last query)."""
        editor = self.editor
        selected = editor.selected_text
        query = selected if selected and "\n" not in selected else editor.find_query
        self.find_bar.open(query)
        if query:
            editor.find(query)
        self._show_count()

    def close_find(self) -> None:
        self.find_bar.close()
        self.editor.clear_find()

    def _show_count(self) -> None:
        editor = self.editor
        self.find_bar.show_count(count_text(editor.matches, editor.match_index, editor.find_query))

    @on(FindBar.Changed, "#editor-find")
    def _editor_find_changed(self, event: FindBar.Changed) -> None:
        self.editor.find(event.query)
        self._show_count()

    @on(FindBar.Submitted, "#editor-find")
    def _editor_find_submitted(self, event: FindBar.Submitted) -> None:
        editor = self.editor
        if event.query != editor.find_query:
            editor.find(event.query)
        else:
            editor.action_next_match(1)
        self._show_count()

    @on(FindBar.Step, "#editor-find")
    def _editor_find_step(self, event: FindBar.Step) -> None:
        self.editor.action_next_match(event.step)
        self._show_count()

    @on(FindBar.Closed, "#editor-find")
    def _editor_find_closed(self) -> None:
        self.editor.clear_find()
        self.editor.focus()

    @on(FindBar.Replace, "#editor-find")
    def _replace(self, event: FindBar.Replace) -> None:
        editor = self.editor
        if not editor.find_query:
            return
        if event.everywhere:
            count = len(editor.matches)
            if not count:
                self.notify(f"No match for '{editor.find_query}'.", severity="warning")
                return
            # ONE edit over the lines that hold a match, so one undo (and one redo) takes the
            # whole replacement back. A copy: ``document.lines`` is the document's own list, and
            # changing it in place would leave the undo record holding the new text.
            first, last = editor.matches[0].line, editor.matches[-1].line
            lines = list(editor.document.lines[first : last + 1])
            for match in reversed(editor.matches):  # from the end: earlier offsets stay right
                line = lines[match.line - first]
                lines[match.line - first] = (
                    line[: match.start] + event.replacement + line[match.end :]
                )
            end = (last, len(editor.document.lines[last]))
            editor.replace(editor.document.newline.join(lines), (first, 0), end)
            editor.history.checkpoint()  # typing after it is an undo step of its own
            self.notify(f"Replaced {count} match{'es' if count != 1 else ''}.")
        else:
            current = editor.current_match()
            if current is None:  # the cursor moved: go to the next match first
                editor.action_next_match(1)
                self._show_count()
                return
            editor.replace(
                event.replacement, (current.line, current.start), (current.line, current.end)
            )
            editor.find(editor.find_query)  # on from where the replacement ended
        self._show_count()
