"""The Markdown editor: Textual's TextArea with tree-sitter Markdown highlighting, and find: every
match of a query highlighted (the current one selected), as the viewer does."""

from __future__ import annotations

import dataclasses

from rich.style import Style
from textual.binding import Binding
from textual.widgets import TextArea
from textual.widgets.text_area import Selection, TextAreaTheme

from workbench.tui.find import Match, find_all, nearest
from workbench.tui.keys import key
from workbench.tui.widgets import editor_memory

editor_memory.install()  # lean on a huge line (the module says how); answers as Textual's own

#: The highlight names find adds to the syntax highlights (styled by the editor's themes).
FOUND, CURRENT = "wb.found", "wb.found.current"


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
        key("f3", "next_match(1)", "Next match", "editor.next_match", "Next match", show=False),
        key(
            "shift+f3",
            "next_match(-1)",
            "Previous match",
            "editor.previous_match",
            "Previous match",
            show=False,
        ),
        key(
            "alt+p,f5",
            "screen.toggle_preview",
            "Preview",
            "editor.preview",
            "Show or hide the rendered page beside the Markdown (as the viewer draws it)",
        ),
        key(
            "alt+m,f8",
            "mention",
            "Mention",
            "editor.mention",
            "Mention someone: find them by name (the @word before the cursor), insert ⟦@Name⟧",
            show=False,  # the footer is full at 80 columns: listed by ? and in docs/keys.md
        ),
        key(
            "ctrl+o",
            "screen.external_editor",
            "$EDITOR",
            "editor.external",
            "Edit the text in $VISUAL/$EDITOR (vim, helix, …); back here when it exits",
        ),
    ]

    def action_mention(self) -> None:
        """Complete a mention from the site's people (:mod:`workbench.tui.mentions`)."""
        # lazy, for start-up: workbench.tui.mentions loads on first use
        from workbench.tui.mentions import start_mention

        start_mention(self)

    def __init__(self, *, id: str | None = None, dark: bool = True) -> None:
        # before TextArea's own __init__, which builds the highlights (and so asks for them)
        self.find_query = ""
        self.matches: list[Match] = []
        self.match_index = -1
        super().__init__(
            "",
            language="markdown",
            theme="monokai" if dark else "github_light",
            soft_wrap=True,
            tab_behavior="indent",
            show_line_numbers=True,
            id=id,
        )
        for name in ("monokai", "github_light"):  # the themes, with find's two highlights
            base = TextAreaTheme.get_builtin_theme(name)
            if base is not None:
                styles = {
                    **base.syntax_styles,
                    FOUND: Style(reverse=True),
                    CURRENT: Style(bold=True, color="black", bgcolor="yellow"),
                }
                self.register_theme(dataclasses.replace(base, syntax_styles=styles))

    # -- find ---------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_match" and not self.find_query:
            return False
        return True

    def find(self, query: str) -> None:
        """Highlight every match of ``query``; select the first one from the cursor on."""
        self.find_query = query
        self.match_index = -1
        self._build_highlight_map()  # the matches …
        self.match_index = nearest(self.matches, self.cursor_location[0])
        self._select_match()
        self._build_highlight_map()  # … and which one is current
        self.refresh()

    def clear_find(self) -> None:
        self.find_query = ""
        self.matches, self.match_index = [], -1
        self._build_highlight_map()
        self.refresh()

    def action_next_match(self, step: int) -> None:
        if not self.matches:
            self.notify(f"No match for '{self.find_query}'.", severity="warning")
            return
        current = self.current_match()
        if current is None:
            self.match_index = nearest(self.matches, self.cursor_location[0], forward=step > 0)
        else:
            self.match_index = (self.match_index + step) % len(self.matches)
        self._select_match()
        self._build_highlight_map()
        self.refresh()

    def current_match(self) -> Match | None:
        """The match the selection is on (None when the cursor moved away from it)."""
        if not 0 <= self.match_index < len(self.matches):
            return None
        match = self.matches[self.match_index]
        start, end = sorted(self.selection)
        return (
            match if start == (match.line, match.start) and end == (match.line, match.end) else None
        )

    def _select_match(self) -> None:
        if 0 <= self.match_index < len(self.matches):
            match = self.matches[self.match_index]
            self.selection = Selection((match.line, match.start), (match.line, match.end))
            self.scroll_cursor_visible(center=True)

    def _build_highlight_map(self) -> None:
        """Textual's syntax highlights, then find's (Textual calls this after every edit, so the
        matches follow the text). Highlights are in UTF-8 bytes, matches in characters."""
        super()._build_highlight_map()
        if not self.find_query:
            return
        lines = self.document.lines
        current = (
            self.matches[self.match_index] if 0 <= self.match_index < len(self.matches) else None
        )
        self.matches = find_all(lines, self.find_query)
        if current in self.matches:
            self.match_index = self.matches.index(current)
        elif self.match_index >= len(self.matches):
            self.match_index = len(self.matches) - 1
        for match in self.matches:
            line = lines[match.line]
            start = len(line[: match.start].encode("utf-8"))
            end = len(line[: match.end].encode("utf-8"))
            name = CURRENT if match == current else FOUND
            self._highlights[match.line].append((start, end, name))

    def action_cursor_document_start(self, select: bool = False) -> None:
        self.move_cursor((0, 0), select=select)

    def action_cursor_document_end(self, select: bool = False) -> None:
        self.move_cursor(self.document.end, select=select)
