"""The main screen's footer: the keys that apply now. In a narrow terminal (80 columns) the footer
cannot show them all, so ``q`` (quit) and ``?`` (help) come first: a newcomer always sees how to get
help and how to leave."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen

from workbench.tui.widgets.key_footer import KeyFooter, key_action

#: The app's actions that lead the footer when it is narrow.
FIRST = ("quit", "help", "app.quit", "app.help")

#: Below this many columns the footer is "narrow" (the main screen's breakpoint).
NARROW = 100


class WorkbenchFooter(KeyFooter):
    """The footer that skips needless rebuilds, with ``q`` and ``?`` first when it is narrow."""

    _was_narrow: bool | None = None  # the width class the keys were last laid out for

    def _narrow(self) -> bool:
        return self.app.size.width < NARROW

    def _wanted(self, screen: Screen) -> tuple[object, ...]:
        return (*super()._wanted(screen), self._narrow())

    def compose(self) -> ComposeResult:
        items = list(super().compose())
        self._was_narrow = self._narrow()  # laid out for this width (the first resize: no rebuild)
        if self._was_narrow:
            first = [w for w in items if key_action(w) in FIRST]
            items = first + [w for w in items if w not in first]
        yield from items

    def on_resize(self) -> None:
        narrow = self._narrow()
        if narrow != self._was_narrow:
            self._was_narrow = narrow
            self.call_after_refresh(self.recompose)
