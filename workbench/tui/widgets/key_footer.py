"""The footer of key bindings: one widget that draws the keys that apply now on its one line.

Textual's ``Footer`` is a container of one widget per key: each change of focus or of the bindings
(a page opened enables its keys) composes, mounts and styles a dozen widgets again and lays the
whole screen out again for them — ~10 ms of CPU each time, and at start-up the footer's keys were
a fifth of the widgets of the first frame. This footer is one widget: a change of the keys it shows
is a repaint of its line, nothing is mounted, nothing else is laid out.

What it shows and how follows Textual's footer (8.2.8, ``textual.widgets._footer``) so the line
reads the same: one key per action (the first binding of it) in the order of the screen's
``active_bindings``, each `` key `` then ``description `` (a key that does not apply now is dim),
the command palette's key on the right after a thin rule; the same theme variables colour them
(``$footer-*``). A click on a key presses it (a bell when it does not apply); the key under the
mouse is highlighted and its tooltip shown; the wheel scrolls a line wider than the terminal.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget


@dataclass(frozen=True)
class FooterEntry:
    """One key the footer shows, and where (``x``: its first cell; ``width`` in cells)."""

    key: str  # as the binding names it (``simulate_key`` takes it)
    display: str  # as the app shows it (``^p``, ``⏎``…)
    description: str
    action: str
    enabled: bool
    tooltip: str
    palette: bool = False  # the command palette's key, on the right
    # where it is drawn: not part of which key it is (two lists of keys compare without it)
    x: int = field(default=0, compare=False)
    width: int = field(default=0, compare=False)


def key_action(entry: FooterEntry) -> str:
    """The action of a key the footer shows."""
    return entry.action


class KeyFooter(Widget):
    """The keys that apply now, on one line (see the module)."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "footer-key--key",
        "footer-key--description",
        "footer-key--item",
        "footer-key--hover",
        "footer-key--rule",
    }
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        & > .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .footer-key--item {
            background: $footer-item-background;
        }
        & > .footer-key--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
        & > .footer-key--rule {
            color: $foreground 20%;
            background: $footer-item-background;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[FooterEntry] = []  # what is shown (left to right, the palette last)
        self._wanted_keys: tuple[FooterEntry, ...] | None = None
        self._hover: int | None = None  # index in entries of the key under the mouse
        self._scroll = 0  # cells of a line wider than the footer scrolled away on the left

    # -- what is shown ------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen, *, force: bool = False) -> None:
        """The screen's bindings (or their state) changed: show the keys again if they differ.
        As Textual's footer, it waits for the screen's first word on its bindings, and while the
        app has no focus (the terminal window lost it: the focused widget is unfocused until it
        comes back) it keeps the keys it shows — unless ``force``."""
        if screen is not self.screen or not self.is_attached:
            return
        if self._wanted_keys is not None and not screen.app.app_focus and not force:
            return
        entries = self.ordered(self.collect(screen))
        wanted = tuple(entries)
        if wanted == self._wanted_keys:
            return
        self._wanted_keys = wanted
        self._lay_out(entries)

    def collect(self, screen: Screen) -> list[FooterEntry]:
        """The keys to show, as Textual's footer chooses them: the first binding of each action
        that is shown, then the command palette's key."""
        app = self.app
        seen: set[str] = set()
        entries: list[FooterEntry] = []

        def entry(binding, enabled: bool, tooltip: str, palette: bool = False) -> FooterEntry:
            display = app.get_key_display(binding)
            return FooterEntry(
                binding.key, display, binding.description, binding.action, enabled, tooltip, palette
            )

        active = screen.active_bindings
        for _node, binding, enabled, tooltip in active.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            entries.append(entry(binding, enabled, tooltip))
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _node, binding, enabled, _tooltip = active[app.COMMAND_PALETTE_BINDING]
            tooltip = binding.tooltip or binding.description
            entries.append(entry(binding, enabled, tooltip, palette=True))
        return entries

    def ordered(self, entries: list[FooterEntry]) -> list[FooterEntry]:
        """The keys in the order they are shown (a subclass may move some first)."""
        return entries

    def _lay_out(self, entries: list[FooterEntry]) -> None:
        placed: list[FooterEntry] = []
        x = 0
        for entry in entries:
            width = _cells(_label(entry))
            placed.append(replace(entry, x=0 if entry.palette else x, width=width))
            if not entry.palette:
                x += width
        self.entries = placed
        self._hover = None
        self._scroll = min(self._scroll, self._overflow())
        self.refresh()

    def on_resize(self) -> None:
        self._scroll = min(self._scroll, self._overflow())

    def actions(self) -> list[str]:
        """The actions of the keys shown, in order."""
        return [entry.action for entry in self.entries]

    # -- drawing ------------------------------------------------------------------------------
    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 1

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y != 0 or not width:
            return Strip.blank(width, base)
        key_style = self.get_component_rich_style("footer-key--key", partial=True)
        text_style = self.get_component_rich_style("footer-key--description", partial=True)
        item = self.get_component_rich_style("footer-key--item", partial=True)
        hover = self.get_component_rich_style("footer-key--hover", partial=True)
        keys: list[Segment] = []
        tail: list[Segment] = []
        for index, entry in enumerate(self.entries):
            under = base + (hover if index == self._hover else item)
            if not entry.enabled:
                under += Style(dim=True)
            if entry.palette:  # compact, as Textual draws it: "key description", a space after
                rule = self.get_component_rich_style("footer-key--rule")  # 20 % over the bar
                tail = [
                    Segment("▏", rule),
                    Segment(entry.display, under + key_style),
                    Segment(
                        f" {entry.description}" if entry.description else "", under + text_style
                    ),
                    Segment(" ", Style(bgcolor=under.bgcolor)),  # its padding
                ]
            elif entry.description:
                keys += [
                    Segment(f" {entry.display} ", under + key_style),
                    Segment(f"{entry.description} ", under + text_style),
                ]
            else:
                keys.append(Segment(entry.display, under + key_style))
        right = Strip(tail)
        room = max(0, width - right.cell_length)
        gap = Style(bgcolor=base.bgcolor)  # the bar itself, as Textual paints a container's room
        line = Strip(keys).crop(self._scroll, self._scroll + room).extend_cell_length(room, gap)
        return Strip.join([line, right]).crop(0, width)

    # -- the mouse ----------------------------------------------------------------------------
    def _entry_at(self, x: int) -> int | None:
        """The index of the key drawn at column ``x`` of the footer (None: no key there)."""
        palette_x = self.size.width - self._palette_width()
        for index, entry in enumerate(self.entries):
            if entry.palette:
                if palette_x + 1 <= x < self.size.width:  # the rule is no part of the key
                    return index
            elif entry.x - self._scroll <= x < min(entry.x - self._scroll + entry.width, palette_x):
                return index
        return None

    def _palette_width(self) -> int:
        return sum(e.width for e in self.entries if e.palette)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        index = self._entry_at(event.x)
        if index != self._hover:
            self._hover = index
            self.tooltip = (self.entries[index].tooltip or None) if index is not None else None
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        index = self._entry_at(event.x)
        if index is None:
            return
        entry = self.entries[index]
        if entry.enabled:
            self.app.simulate_key(entry.key)
        else:
            self.app.bell()

    def _overflow(self) -> int:
        """Cells of the keys' line that do not fit beside the palette's key."""
        keys = [e for e in self.entries if not e.palette]
        end = keys[-1].x + keys[-1].width if keys else 0
        return max(0, end - (self.size.width - self._palette_width()))

    def _on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self._scroll_by(4, event)

    def _on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._scroll_by(-4, event)

    def _scroll_by(self, cells: int, event: events.MouseEvent) -> None:
        scroll = max(0, min(self._overflow(), self._scroll + cells))
        if scroll != self._scroll:
            self._scroll = scroll
            self.refresh()
            event.stop()
            event.prevent_default()


def _label(entry: FooterEntry) -> str:
    """The cells of one key as drawn (the palette's: with its rule and its padding)."""
    if entry.palette:
        return f"▏{entry.display}" + (f" {entry.description}" if entry.description else "") + " "
    return f" {entry.display} {entry.description} " if entry.description else entry.display


def _cells(text: str) -> int:
    # lazy, for start-up: rich.cells is loaded by Textual already
    from rich.cells import cell_len

    return cell_len(text)
