"""The main screen's footer: the keys that apply now. In a narrow terminal (80 columns) the footer
cannot show them all, so ``q`` (quit) and ``?`` (help) come first: a newcomer always sees how to get
help and how to leave."""

from __future__ import annotations

from workbench.tui.widgets.key_footer import FooterEntry, KeyFooter

#: The app's actions that lead the footer when it is narrow.
FIRST = ("quit", "help", "app.quit", "app.help")

#: Below this many columns the footer is "narrow" (the main screen's breakpoint).
NARROW = 100


class WorkbenchFooter(KeyFooter):
    """The footer with ``q`` and ``?`` first when it is narrow."""

    _was_narrow: bool | None = None  # the width class the keys were last ordered for

    def _narrow(self) -> bool:
        return self.app.size.width < NARROW

    def ordered(self, entries: list[FooterEntry]) -> list[FooterEntry]:
        self._was_narrow = self._narrow()
        if not self._was_narrow:
            return entries
        first = [e for e in entries if e.action in FIRST]
        return first + [e for e in entries if e not in first]

    def on_resize(self) -> None:  # (KeyFooter.on_resize runs too: Textual calls each class's)
        if self._was_narrow is not None and self._narrow() != self._was_narrow:
            self._was_narrow = self._narrow()
            self._wanted_keys = None  # ordered again for this width, with the keys of now
            self.bindings_changed(self.screen, force=True)
