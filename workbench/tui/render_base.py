"""Building blocks of the page renderer: theme palette, the left-bar block, chips, line rendering."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.emoji import Emoji, NoEmoji
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

ALERT = re.compile(
    r"^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION|INFO|SUCCESS|ERROR)\][ \t]*(.*)$", re.I
)
EMOTICONS = {
    "smile": "🙂",
    "sad": "🙁",
    "cheeky": "😛",
    "laugh": "😄",
    "wink": "😉",
    "thumbs-up": "👍",
    "thumbs-down": "👎",
    "information": "ℹ️",
    "tick": "✅",
    "cross": "❌",
    "warning": "⚠️",
    "plus": "➕",
    "minus": "➖",
    "question": "❓",
    "light-on": "💡",
    "light-off": "💡",
    "yellow-star": "⭐",
    "heart": "❤️",
}
EMOTICON = re.compile(r"(?<!\\)⟦:([\w+-]{1,60}):⟧")
EMOJI_NAME = re.compile(r":[\w+-]{1,60}:")
MENTION = re.compile(r"(?<!\\)⟦@([^⟧\s]+)⟧")
STATUS_COLOURS = {
    "green": "success",
    "done": "success",
    "complete": "success",
    "on track": "success",
    "red": "error",
    "blocked": "error",
    "off track": "error",
    "failed": "error",
    "yellow": "warning",
    "at risk": "warning",
    "in progress": "warning",
    "blue": "primary",
    "purple": "accent",
    "grey": "muted",
    "gray": "muted",
}
ALERT_COLOURS = {
    "NOTE": "primary",
    "INFO": "primary",
    "TIP": "success",
    "SUCCESS": "success",
    "IMPORTANT": "accent",
    "WARNING": "warning",
    "CAUTION": "error",
    "ERROR": "error",
}


@dataclass(frozen=True, slots=True)
class Palette:
    """Colours taken from the app theme, so the page follows light and dark themes."""

    primary: str = "#0178D4"
    accent: str = "#FFA62B"
    success: str = "#4EBF71"
    warning: str = "#FFA62B"
    error: str = "#BA3C5B"
    muted: str = "#808080"
    foreground: str = "#E0E0E0"
    code_theme: str = "monokai"

    def get(self, name: str) -> str:
        return getattr(self, name, self.primary)


@dataclass(slots=True)
class RenderedDoc:
    """Blocks to show (built lazily, in order) and the links found so far (index = position)."""

    blocks: Iterator[RenderableType]
    links: list[tuple[str, str]] = field(default_factory=list)  # (text, href)


class LeftBar:
    """Draws a coloured bar left of a renderable (block quotes, alerts)."""

    def __init__(self, inner: RenderableType, style: str, title: Text | None = None) -> None:
        self.inner, self.style, self.title = inner, Style.parse(style), title

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(4, options.max_width - 2)
        bar = Segment("▌ ", self.style)
        if self.title is not None:
            for line in console.render_lines(self.title, options.update_width(width), pad=False):
                yield bar
                yield from line
                yield Segment.line()
        for line in console.render_lines(self.inner, options.update_width(width), pad=False):
            yield bar
            yield from line
            yield Segment.line()


SECTION_RATIOS = {
    "two_equal": [1, 1],
    "two_left_sidebar": [1, 2],
    "two_right_sidebar": [2, 1],
    "three_equal": [1, 1, 1],
    "three_with_sidebars": [1, 2, 1],
}


class Columns:
    """A layout section: its cells side by side (in the layout's proportions) when there is room for
    them, one after the other when there is not (each column needs about 24 cells)."""

    MIN_WIDTH = 24

    def __init__(self, cells: list[RenderableType], ratios: list[int], rule: str) -> None:
        self.cells, self.ratios, self.rule = cells, ratios, rule

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # lazy, for start-up: rich.table (with rich) loads on first use
        from rich.table import Table

        if options.max_width < self.MIN_WIDTH * len(self.cells) + 3 * (len(self.cells) - 1):
            for cell in self.cells:
                yield cell
                yield Text("")
            return
        # lazy, for start-up: rich.box (with rich) loads on first use
        from rich.box import Box

        rules = Box(
            "    \n  │ \n    \n  │ \n    \n    \n  │ \n    \n"
        )  # only lines between columns
        grid = Table(
            box=rules,
            show_header=False,
            show_edge=False,
            expand=True,
            padding=(0, 1),
            pad_edge=False,
            border_style=self.rule,
        )
        ratios = self.ratios if len(self.ratios) == len(self.cells) else [1] * len(self.cells)
        for ratio in ratios:
            grid.add_column(ratio=ratio)
        grid.add_row(*self.cells)
        yield grid
        yield Text("")


PLACEHOLDER = re.compile(r"(\\?)⟦([^⟧\n]{1,200})⟧")
AT_NAME = re.compile(r"(?<![\w@])@[A-Z][\w.'-]*(?: [A-Z][\w.'-]*)?")


def emoji(name: str) -> str | None:
    """The emoji of an emoticon's name (``smile``, ``thumbs-up``) or short name (``tada``, ``+1``)."""
    if name in EMOTICONS:
        return EMOTICONS[name]
    # lazy, for start-up: workbench.tui.emoticons loads on first use
    from workbench.tui.emoticons import SHORT_NAMES

    if name in SHORT_NAMES:  # Atlassian's (EmojiOne's) short names Rich does not know
        return SHORT_NAMES[name]

    try:
        return str(Emoji(name))
    except NoEmoji:
        return None


def chip(inner: str, p: Palette) -> tuple[str, Style]:
    """How a ⟦…⟧ placeholder shows in the viewer: a status lozenge, a mention, a date, or a muted tag."""
    if inner.startswith("@"):  # a name, or an account id (``@557058:ana``: the colon is part of it)
        return inner, Style(color=p.primary, bold=True)
    if inner == "empty":  # an empty paragraph: an empty line, as Confluence shows it
        return "", Style()
    if inner.startswith("/") and inner != "/comment":  # a stray closing tag: invisible on the page
        return "", Style()
    if EMOJI_NAME.fullmatch(
        inner
    ):  # an emoji short name with no emoji here: the name, as chat apps show it
        return inner, Style(color=p.muted)
    kind, sep, value = inner.partition(":")
    kind, value = kind.strip(), value.strip()
    low = kind.lower()
    if low == "status" or low.startswith("status "):
        colour_word = low.removeprefix("status").strip()
        name = STATUS_COLOURS.get(colour_word) or STATUS_COLOURS.get(value.lower(), "muted")
        fg = "#000000" if name != "muted" else "#ffffff"
        return f" {(value or colour_word or 'status').upper()} ", Style(
            color=fg, bgcolor=p.get(name), bold=True
        )
    if low == "date" and sep:
        return f"◷ {value}", Style(color=p.primary, underline=True)
    if low == "jira" and sep:
        return f"◆ {value}", Style(color=p.primary, bold=True)
    if low.startswith("jira-") and sep:  # a live macro's status or reason (tui.jira_chips)
        # lazy, for start-up: workbench.tui.jira_chips loads on first use
        from workbench.tui.jira_chips import jira_chip

        drawn = jira_chip(low, value, p)
        if drawn is not None:
            return drawn
    if low == "anchor":  # an invisible link target in Confluence, too
        return "", Style()
    if low == "placeholder" and sep:  # a template's instruction text
        return value, Style(color=p.muted, italic=True)
    if low == "toc" or low.startswith("toc "):  # inline, or a page without headings
        return "≡ table of contents", Style(color=p.muted, italic=True)
    if low == "include" and sep:  # Confluence shows the other page's content here
        # lazy, for start-up: urllib.parse loads on first use
        from urllib.parse import unquote

        return f"↪ included page {unquote(value.removeprefix('page:'))}", Style(
            color=p.muted, italic=True
        )
    if low == "children":
        return "↳ child pages (in the tree)", Style(color=p.muted, italic=True)
    return f"⟦{inner}⟧", Style(color=p.muted, italic=True)


def append_with_chips(text: Text, content: str, style: Style, p: Palette) -> None:
    r"""Append ``content`` to ``text``, drawing its ⟦…⟧ placeholders as chips.

    Inline-comment markers (``⟦comment⟧marked text⟦/comment⟧``) are not shown; the marked text is
    underlined in the warning colour instead, as Confluence highlights it. ``\⟦…⟧`` is text.
    """
    pos = 0
    marked = Style(underline=True, color=p.warning)
    current = style
    for match in PLACEHOLDER.finditer(content):
        if match.start() > pos:
            text.append(content[pos : match.start()], current)
        inner = match.group(2).strip()
        if match.group(1):  # ``\⟦`` is a literal bracket in the page text
            text.append(match.group(0)[1:], current)
        elif inner == "comment":
            current = style + marked
        elif inner == "/comment":
            current = style
        else:
            label, chip_style = chip(inner, p)
            text.append(label, current + chip_style)
        pos = match.end()
    if pos < len(content):
        text.append(content[pos:], current)


def style_chips(text: Text, p: Palette) -> None:
    """Style plain ``@Name`` mentions (placeholders are drawn by :func:`append_with_chips`)."""
    for match in AT_NAME.finditer(text.plain):
        text.stylize(Style(color=p.primary, bold=True), match.start(), match.end())


def matching(tokens, i: int) -> int:
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def strip_trailing_blank(group: Group) -> Group:
    """Drop blank lines at the end of a group (recursively into its last member)."""
    items = list(group.renderables)
    while items:
        last = items[-1]
        if isinstance(last, Text) and not last.plain:
            items.pop()
        elif isinstance(last, Group):
            stripped = strip_trailing_blank(last)
            if not stripped.renderables:
                items.pop()
            else:
                items[-1] = stripped
                break
        else:
            break
    return Group(*items)


def first_text(body: list) -> Text | None:
    for item in body:
        if isinstance(item, Text):
            return item
        if isinstance(item, Group):
            found = first_text(list(item.renderables))
            if found is not None:
                return found
    return None


def replace_first_text(body: list, old: Text, new: Text) -> bool:
    for n, item in enumerate(body):
        if item is old:
            body[n] = new
            return True
        if isinstance(item, Group):
            items = list(item.renderables)
            if replace_first_text(items, old, new):
                body[n] = Group(*items)
                return True
    return False


def render_lines(
    blocks: Iterable[RenderableType], width: int, console: Console | None = None
) -> Iterator[list[list[Segment]]]:
    """Render blocks to lines of segments, one list per block (so callers can show them early)."""
    console = console or Console(
        width=width,
        color_system="truecolor",
        force_terminal=True,
        file=io.StringIO(),
        legacy_windows=False,
        emoji=False,
    )
    options = console.options.update_width(width)
    for block in blocks:
        yield console.render_lines(block, options, pad=False, new_lines=False)
