"""The page viewer: a scrollable, line-cached document rendered from Markdown.

Only the visible lines are drawn (like Textual's ``Log``), and the document is rendered in a
thread, chunk by chunk: the first screenful appears as soon as it is ready and the rest follows,
so a 100 KB page opens fast and scrolls smoothly.

Find (``/``, as in ``less``): every match of the query in the rendered lines is highlighted, the
current one more strongly; ``n``/``N`` move between them, ``escape`` clears. The query stays while
the page renders on (or again, at another width), and the matches follow.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import work
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from workbench.textsafe import printable
from workbench.tui.find import Match, find_all, nearest
from workbench.tui.keys import key
from workbench.tui.render import Palette, render_lines, render_markdown

#: The actions that mean something only while a find is active.
_FIND_ACTIONS = {"next_match", "clear_find"}


class DocumentView(ScrollView, can_focus=True):
    """Shows Markdown as a rendered page; posts :class:`DocumentView.Rendered` when complete."""

    BINDINGS = [
        Binding("up", "scroll_up", "Up", show=False),
        Binding("down", "scroll_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("space", "page_down", "Page down", show=False),
        Binding("home", "scroll_home", "Top", show=False),
        Binding("end", "scroll_end", "Bottom", show=False),
        Binding("j", "scroll_down", "Down", show=False),
        Binding("k", "scroll_up", "Up", show=False),
        Binding("b", "page_up", "Page up", show=False),
        key("slash", "find", "Find", "viewer.find", "Find in the page (as in less)", show=False),
        key(
            "enter",
            "screen.jira_issue",
            "Jira issue",
            "viewer.jira_issue",
            "Open the Jira issue of a macro on screen (a list when several)",
            show=False,
        ),
        key("n", "next_match(1)", "Next match", "viewer.next_match", "Next match", show=False),
        key(
            "N",
            "next_match(-1)",
            "Previous match",
            "viewer.previous_match",
            "Previous match",
            show=False,
        ),
        key(
            "escape",
            "clear_find",
            "Clear find",
            "viewer.find_clear",
            "Clear the find (then escape goes back to the tree)",
            show=False,
        ),
    ]

    @dataclass
    class Rendered(Message):
        """The whole document is rendered (``lines`` in total, ``links`` found)."""

        view: DocumentView
        lines: int
        links: int

        @property
        def control(self) -> DocumentView:
            return self.view

    @dataclass
    class FindRequested(Message):
        """``/`` was pressed: the holder opens its find bar."""

        view: DocumentView

        @property
        def control(self) -> DocumentView:
            return self.view

    @dataclass
    class FindMoved(Message):
        """The matches or the current match changed (``current`` is -1 when there is none)."""

        view: DocumentView
        query: str
        current: int
        total: int

        @property
        def control(self) -> DocumentView:
            return self.view

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._lines: list[Strip] = []
        self._parts: list[str] = []
        self._rendered_parts = 0
        self._generation = 0
        self._width = 0
        self._height = 24
        self.links: list[tuple[str, str]] = []
        self.names: dict[str, str] = {}
        self.images: dict[str, object] = {}  # attachment name → decoded image (tui.images)
        self.jira: dict[str, object] = {}  # issue key → JiraChip: its macros shown live
        self._restore_top: float | None = None
        self.complete = True
        self.find_query = ""
        self.matches: list[Match] = []
        self.match_index = -1
        self._matches_on: dict[int, list[Match]] = {}

    @property
    def markdown(self) -> str:
        return "\n".join(self._parts)

    @property
    def line_count(self) -> int:
        return len(self._lines)

    def plain_lines(self) -> list[str]:
        """The rendered text, line by line (for tests and copy)."""
        return [strip.text.rstrip() for strip in self._lines]

    def lines_between(self, start: int, end: int) -> list[Strip]:
        """The rendered lines ``start`` to ``end`` (e.g. those on screen), styles and links kept."""
        return self._lines[max(0, start) : max(0, end)]

    def scroll_to_heading(self, title: str) -> bool:
        """Scroll so the heading ``title`` is the top line; False when the page has no such heading."""
        for y, strip in enumerate(self._lines):
            if strip.text.strip() == title:
                self.scroll_to(0, y, animate=False)
                return True
        return False

    # -- find -----------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in _FIND_ACTIONS and not self.find_query:
            return False  # the key goes on to the screen (n: new page, escape: back)
        return True

    def action_find(self) -> None:
        self.post_message(self.FindRequested(self))

    def find(self, query: str) -> None:
        """Highlight every match of ``query`` and go to the first one from the top of the view."""
        self.find_query = query
        self._refind(from_line=int(self.scroll_y))
        if self.match_index >= 0:
            self._scroll_to_match()

    def clear_find(self) -> None:
        self.find_query = ""
        self._refind(from_line=0)

    def action_clear_find(self) -> None:
        self.clear_find()

    def action_next_match(self, step: int) -> None:
        """The next (``step`` 1) or previous (-1) match, wrapping around."""
        if not self.matches:
            self.notify(f"No match for '{self.find_query}'.", severity="warning")
            return
        self.match_index = (self.match_index + step) % len(self.matches)
        self._scroll_to_match()
        self._announce()
        self.refresh()

    def _refind(self, *, from_line: int) -> None:
        current = self.matches[self.match_index] if self.match_index >= 0 else None
        self.matches = find_all((strip.text for strip in self._lines), self.find_query)
        self._matches_on = {}
        for match in self.matches:
            self._matches_on.setdefault(match.line, []).append(match)
        if current is not None and current in self._matches_on.get(current.line, ()):
            self.match_index = self.matches.index(current)
        else:
            self.match_index = nearest(self.matches, from_line)
        self._announce()
        self.refresh()

    def _announce(self) -> None:
        self.post_message(
            self.FindMoved(self, self.find_query, self.match_index, len(self.matches))
        )

    def _scroll_to_match(self) -> None:
        line = self.matches[self.match_index].line
        top, height = int(self.scroll_y), self.scrollable_content_region.height or 1
        if not top <= line < top + height:
            self.scroll_to(0, max(0, line - height // 3), animate=False)

    def _highlighted(self, strip: Strip, index: int) -> Strip:
        """``strip`` with its matches highlighted (the current one in the theme's warning colour)."""
        matches = self._matches_on.get(index)
        if not matches:
            return strip
        text = strip.text
        current = self.matches[self.match_index] if self.match_index >= 0 else None
        cuts: list[int] = []
        for match in matches:
            cuts += [cell_len(text[: match.start]), cell_len(text[: match.end])]
        pieces = strip.divide([*cuts, strip.cell_length])
        warning = self.app.current_theme.warning or "yellow"
        out = [pieces[0]]
        for number, match in enumerate(matches):
            style = (
                Style(bold=True, color="black", bgcolor=warning)
                if match == current
                else Style(reverse=True)
            )
            piece = pieces[1 + 2 * number]  # the highlight wins over the text's own colours
            out.append(Strip(Segment.apply_style(piece, post_style=style), piece.cell_length))
            out.append(pieces[2 + 2 * number])
        return Strip.join(out)

    def show(self, markdown: str, *, keep_scroll: bool = False) -> None:
        """Render ``markdown``; the view scrolls back to the top unless ``keep_scroll``."""
        self._parts = [markdown]
        top = self.scroll_y
        self.scroll_to(0, 0, animate=False)
        self._restore_top = top if keep_scroll and top else None
        self._start()

    def append(self, markdown: str) -> None:
        """Add more Markdown below (e.g. the comments), without re-rendering the page."""
        self._parts.append(markdown)
        if self.complete:
            self.complete = False
            self._render_doc(self._generation, len(self._parts) - 1)

    def restyle(self) -> None:
        """Render again with the current theme's colours, keeping the scroll position."""
        self._restore_top = self.scroll_y or None
        self._start()

    def _start(self) -> None:
        self._generation += 1
        self._lines = []
        self.links = []
        self._rendered_parts = 0
        self.complete = False
        self._width = self._layout_width() or self.size.width or 80
        self._height = max(self.size.height, 24)
        self._palette_now = self._palette()
        self.virtual_size = Size(
            0, 0
        )  # as wide as the longest line (_append): never wider than the view
        self._render_doc(self._generation, 0)
        self.refresh()

    def _layout_width(self) -> int:
        """The width a page is laid out at: the view's, less its vertical scrollbar whether or not it
        shows yet — a page laid out before its scrollbar appeared was a column too wide (a horizontal
        scrollbar, and a layout that changed with the timing)."""
        width = self.scrollable_content_region.width
        if width and not self.show_vertical_scrollbar:
            width -= self.styles.scrollbar_size_vertical
        return max(width, 0)

    def on_resize(self) -> None:
        width = self._layout_width()
        if width and width != self._width and self._parts:
            top = self.scroll_y
            self._start()
            self.scroll_to(0, top, animate=False)

    def _palette(self) -> Palette:
        theme = self.app.current_theme
        return Palette(
            primary=theme.primary,
            accent=theme.accent or theme.primary,
            success=theme.success or "#4EBF71",
            warning=theme.warning or "#FFA62B",
            error=theme.error or "#BA3C5B",
            muted="#8a8a8a" if theme.dark else "#6a6a6a",
            foreground=theme.foreground or ("#E0E0E0" if theme.dark else "#202020"),
            code_theme="monokai" if theme.dark else "default",
        )

    @work(thread=True, group="document-render", exit_on_error=False)
    def _render_doc(self, generation: int, start_part: int) -> None:
        # Only what _start read on the event loop: the widget's size comes from the compositor,
        # which the loop rebuilds through Textual's unsynchronised caches (a KeyError when both ran).
        worker = get_current_worker()
        width, palette, parts = max(20, self._width - 1), self._palette_now, self._parts
        links_base = len(self.links)
        height = self._height
        last = len(parts) - 1
        for part_index in range(start_part, last + 1):
            # page text is server text: its control characters are shown, never sent to the terminal
            source = printable(parts[part_index], multiline=True)
            doc = render_markdown(
                source,
                palette,
                link_base=links_base,
                names=self.names,
                images=self.images,
                jira=self.jira,
            )
            batch: list[Strip] = []
            first = part_index == 0
            for block_lines in render_lines(doc.blocks, width):
                if worker.is_cancelled or generation != self._generation:
                    return
                batch.extend(Strip(line, Segment.get_line_length(line)) for line in block_lines)
                if (first and len(batch) >= height) or len(batch) >= 400:
                    if not self._deliver(generation, batch, [], None, last):
                        return
                    batch, first = [], False
            links_base += len(doc.links)
            if not self._deliver(generation, batch, list(doc.links), part_index, last):
                return

    def _deliver(self, *args) -> bool:
        """Hand rendered lines to the UI thread; False when the app is gone (quitting)."""
        try:
            self.app.call_from_thread(self._append, *args)
        except RuntimeError:
            return False
        return True

    def _append(
        self,
        generation: int,
        strips: list[Strip],
        links: list[tuple[str, str]],
        finished_part: int | None,
        last_part: int,
    ) -> None:
        if generation != self._generation:
            return
        self._lines.extend(strips)
        if finished_part is not None:
            self.links = self.links + links
            self._rendered_parts = finished_part + 1
        longest = max((s.cell_length for s in strips), default=0)
        self.virtual_size = Size(max(self.virtual_size.width, longest), len(self._lines))
        if self.find_query:
            self._refind(from_line=int(self.scroll_y))
        if self._restore_top is not None and (
            len(self._lines) > self._restore_top + self.size.height or finished_part is not None
        ):
            self.scroll_to(0, self._restore_top, animate=False)
            self._restore_top = None
        self.refresh()
        if finished_part is not None and self._rendered_parts == len(self._parts):
            self.complete = True
            self.post_message(self.Rendered(self, len(self._lines), len(self.links)))
        elif finished_part is not None and finished_part == last_part:
            self._render_doc(generation, self._rendered_parts)  # parts appended while rendering

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        if index >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        return (
            self._highlighted(self._lines[index], index)
            .crop_extend(scroll_x, scroll_x + width, self.rich_style)
            .apply_style(self.rich_style)
        )
