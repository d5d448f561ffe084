"""A :class:`~textual.widgets.Tree` that stays fast with thousands of rows: nodes added or removed
in bulk lay the lines out once (or later, when asked to), and a label's width is measured without
drawing it. It knows nothing of sites or pages (:class:`~workbench.tui.widgets.site_tree.SiteTree`
builds on it).

It reaches into ``Tree``'s and ``TreeNode``'s private parts (``_children``, ``_tree_nodes``,
``_add_node``): Textual is pinned (``pyproject.toml``), and ``tests/tui/test_lean_tree.py`` checks the
nodes it makes and removes against ``Tree``'s own."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

T = TypeVar("T")

_collector_holders = 0  # rows streaming in with the collector paused (several levels at once)
_collector_was_on = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while a wide level's rows stream in. A level of
    10 000 rows makes ~80 000 objects that all stay; the collector, triggered every few hundred
    allocations, walks every live object in its full passes (two of them while such a level
    streamed in: ~40 % of the app's time). Reference counting frees memory as usual meanwhile. At
    the end a young pass frees the cycles made meanwhile, and what stays (the rows) moves to the
    oldest generation (``gc.freeze`` + ``gc.unfreeze``, as start-up and the converter do): left
    young, the rows would go up through the middle generation, and the count of objects promoted
    that way makes the collector owe a full pass (~70 ms at 10 000 rows) in the tail of the
    stream. Garbage is not promoted (the young pass freed it first), so none waits for a full
    pass that its count no longer triggers. Not done when the program froze objects itself.
    Nested and overlapping pauses count; a collector someone else switched off (start-up, a
    conversion) is left as it is."""
    global _collector_holders, _collector_was_on
    if _collector_holders == 0:
        _collector_was_on = gc.isenabled()
        gc.disable()
    _collector_holders += 1
    try:
        yield
    finally:
        _collector_holders -= 1
        if _collector_holders == 0 and _collector_was_on:
            if gc.get_freeze_count() == 0:
                gc.collect(0)  # the cycles made meanwhile
                gc.freeze()  # + unfreeze: what stays moves to the oldest generation
                gc.unfreeze()
            gc.enable()


class LeanTree(Tree[T], Generic[T]):
    """A tree whose labels are one line of :class:`Text` and whose rows can be added in bulk."""

    _adding = False  # rows are being added in bulk: lay the lines out once, at the end
    _held = False  # rows added are laid out when :meth:`lay_out` is called, not before
    _stale = False  # nodes were added or removed since the lines were last laid out

    @contextmanager
    def _bulk(self) -> Iterator[None]:
        """Add or remove many nodes, invalidating the tree's lines once instead of once per node
        (each ``TreeNode.add`` asks for a new layout: ~30 µs a row)."""
        if self._adding:
            yield
            return
        self._adding = True
        try:
            yield
        finally:
            self._adding = False
            self._invalidate()

    @contextmanager
    def held(self) -> Iterator[None]:
        """Nodes added meanwhile are not laid out until :meth:`lay_out` (or any other change that
        lays the lines out, such as expanding a node): the lines shown stay as they were. Laying
        out costs the whole tree's lines, so rows streaming in are laid out a few times, not once
        per batch."""
        was, self._held = self._held, True
        try:
            yield
        finally:
            self._held = was

    def lay_out(self) -> None:
        """Lay out the lines again if nodes were added since (see :meth:`held`)."""
        if self._stale:
            self._stale = False
            super()._invalidate()

    def _invalidate(self) -> None:
        # Textual's Tree calls this after every node added or removed; inside _bulk() once at the
        # end, inside held() when lay_out() is called.
        if self._adding or self._held:
            self._stale = True
            return
        self._stale = False
        super()._invalidate()

    def add_nodes(
        self, parent: TreeNode[T], rows: Iterable[tuple[Text, T, bool]]
    ) -> list[TreeNode[T]]:
        """Nodes for ``(label, data, allow_expand)`` after ``parent``'s children, collapsed, the
        lines laid out once: what ``parent.add`` does for each, without its per-node work (the
        label processed twice, the children's view and the lay-out asked for each time)."""
        make = self._add_node
        nodes = []
        for label, data, allow_expand in rows:
            node = make(parent, label, data, expand=False)
            node._allow_expand = allow_expand
            nodes.append(node)
        if nodes:
            parent._children.extend(nodes)
            parent._updates += 1
            self._invalidate()
        return nodes

    def clear_children(self, node: TreeNode[T]) -> None:
        """``node.remove_children()`` in one pass: ``TreeNode._remove`` finds each child by a
        linear search of its siblings, so removing a level of 10 000 rows took ~0.6 s."""
        forget = self._tree_nodes

        def drop(children: list[TreeNode[T]]) -> None:
            for child in children:
                drop(child._children)
                forget.pop(child._id, None)
                child._children = []

        drop(node._children)
        node._children.clear()
        node._updates += 1
        self._invalidate()

    def process_label(self, label: str | Text) -> Text:
        """Every row's label is one line of :class:`Text` (``printable`` shows line breaks as
        symbols): taken as it is, without the copy ``Tree`` makes to cut it at the first line."""
        if isinstance(label, Text) and "\n" not in label.plain:
            return label
        return super().process_label(label)

    def get_label_width(self, node: TreeNode[T]) -> int:
        """The width ``render_label`` draws — the expand icon (2 cells) and the label — without
        drawing it: ``Tree`` asks for every line's width each time its lines are rebuilt (a
        printable ASCII label is one cell a character, told without Rich's cell-width look-ups)."""
        label = node.label
        if isinstance(label, Text):
            plain = label.plain
            width = len(plain) if plain.isascii() and plain.isprintable() else cell_len(plain)
        else:
            width = cell_len(label)
        return width + (2 if node.allow_expand else 0)
