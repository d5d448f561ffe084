"""Showing and hiding widgets: one idiom, Textual's ``display`` (``widget.display = shown``; read
it the same way). :func:`hidden` composes a widget that starts hidden. The tree pane (``#left``)
keeps its ``hidden`` class: the narrow-terminal rules (``-crowded``, ``-pinned``) in
``styles/main.tcss`` cascade with it, which an inline ``display`` would override."""

from __future__ import annotations

from typing import TypeVar

from textual.widget import Widget

W = TypeVar("W", bound=Widget)


def hidden(widget: W) -> W:
    """``widget``, hidden until something shows it (``widget.display = True``)."""
    widget.display = False
    return widget
