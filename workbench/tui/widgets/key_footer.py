"""The footer of key bindings, drawn again only when the keys it shows change.

Textual's ``Footer`` rebuilds all its key widgets (and styles each of them) every time the focus or
the bindings change, even when it would show the same keys: at start-up that is six rebuilds of about
ten keys for one visible change. This one compares what it would show with what it shows. And each
key it makes starts "compact" (its own default), is styled so, then styled again as the footer is
not: here a key starts with the footer's value, so it is styled once.

Only Textual's public API: the pinned Textual (8.2.8) exports no class for a footer's key
(``FooterKey`` lives in the private ``textual.widgets._footer``) and keeps whether the bindings are
known in a private attribute; a key is told by its public ``action`` attribute and ``compact``
reactive (:func:`key_action`), and this footer keeps its own record of the bindings being known.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer


def key_action(widget: Widget) -> str | None:
    """The action of a key the footer shows; None for anything else it shows (a group of keys,
    the group's label)."""
    action = getattr(widget, "action", None)
    return action if isinstance(action, str) else None


class KeyFooter(Footer):
    """A ``Footer`` that skips rebuilds which would show the same keys."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple[object, ...] | None = None
        self._keys_known = False  # the screen has told its bindings (Footer shows none before)

    def _wanted(self, screen: Screen) -> tuple[object, ...]:
        """What ``Footer.compose`` would show (the shown bindings, their state, the palette key)."""
        keys = tuple(
            (binding.key, binding.action, binding.description, binding.group, enabled, tooltip)
            for (_, binding, enabled, tooltip) in screen.active_bindings.values()
            if binding.show
        )
        return (keys, self.show_command_palette, self.compact, self.combine_groups)

    def compose(self) -> ComposeResult:
        # What is shown is what this compose yields, whatever asked for it (a resize, a
        # recompose while the app had no focus, when ``bindings_changed`` does not record it):
        # with a stale record a later change back to these keys would be skipped (the footer kept
        # the tree's keys with the search bar focused, after a focus-out at start-up).
        self._shown = self._wanted(self.screen) if self._keys_known else None
        for widget in super().compose():
            compact = getattr(type(widget), "compact", None)
            if (
                key_action(widget) is not None
                and isinstance(compact, Reactive)
                and not widget.has_class("-command-palette")
            ):
                # bound to the footer's value (the palette key is not): the binding then finds
                # the same value, so no second styling
                widget.set_reactive(compact, self.compact)
            yield widget

    def bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            wanted = self._wanted(screen)
            if wanted == self._shown and self._keys_known:
                return
            self._shown = wanted  # Footer recomposes now (compose records it again)
        self._keys_known = True
        super().bindings_changed(screen)
