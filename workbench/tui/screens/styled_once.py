"""A screen styled once when it first shows, not three times.

Textual styles every widget as it mounts, then — for a screen just pushed — styles the whole screen
again when it "resumes", and once more at the first resize, when the breakpoint classes
(``-wide``/``-narrow``, ``-tall``/``-short``) arrive. At start-up that is two thirds of the
styling work before the first frame. Here the breakpoint classes are set from the terminal's size
before anything mounts, and the first resume (nothing changed since the mount) keeps the styles.
Later resumes (after a modal, a theme change underneath) restyle as usual.
"""

from __future__ import annotations

from textual import events
from textual.screen import Screen


def breakpoint_class(dimension: int, breakpoints: list[tuple[int, str]]) -> str | None:
    """The class of the highest breakpoint at or below ``dimension`` (as Textual chooses it)."""
    for at, class_name in sorted(breakpoints, reverse=True):
        if dimension >= at:
            return class_name
    return None


class StyledOnceScreen(Screen[None]):
    """A :class:`Screen` whose first frame styles each widget once (see the module)."""

    def __init__(
        self, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._resumed = False
        try:
            app = self.app
        except RuntimeError:  # made outside a running app: the first resize sets the classes
            return
        width, height = app.size
        horizontal = self.HORIZONTAL_BREAKPOINTS
        vertical = self.VERTICAL_BREAKPOINTS
        if horizontal is None:
            horizontal = app.HORIZONTAL_BREAKPOINTS
        if vertical is None:
            vertical = app.VERTICAL_BREAKPOINTS
        initial = [
            breakpoint_class(width, horizontal or []),
            breakpoint_class(height, vertical or []),
        ]
        self.update_classes({c: True for c in initial if c}, update=False)

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self._resumed:  # just mounted and styled: the same styles again would change nothing
            self._resumed = True
            event.refresh_styles = False
        super()._on_screen_resume(event)
