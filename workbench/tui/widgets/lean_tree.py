"""A :class:`~textual.widgets.Tree` that stays fast with thousands of rows: nodes added or removed
in bulk lay the lines out once, and a label's width is measured without drawing it. It knows
nothing of sites or pages (:class:`~workbench.tui.widgets.site_tree.SiteTree` builds on it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

T = TypeVar("T")


class LeanTree(Tree[T], Generic[T]):
    """A tree whose labels are one line of :class:`Text` and whose rows can be added in bulk."""

    _adding = False  # rows are being added in bulk: lay the lines out once, at the end

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
            super()._invalidate()

    def _invalidate(self) -> None:
        # Textual's Tree calls this after every node added or removed; inside _bulk() once at the end.
        if not self._adding:
            super()._invalidate()

    def process_label(self, label: str | Text) -> Text:
        """Every row's label is one line of :class:`Text` (``printable`` shows line breaks as
        symbols): taken as it is, without the copy ``Tree`` makes to cut it at the first line."""
        if isinstance(label, Text) and "\n" not in label.plain:
            return label
        return super().process_label(label)

    def get_label_width(self, node: TreeNode[T]) -> int:
        """The width ``render_label`` draws — the expand icon (2 cells) and the label — without
        drawing it: ``Tree`` asks for every line's width each time its lines are rebuilt."""
        label = node.label
        width = label.cell_len if isinstance(label, Text) else cell_len(label)
        return width + (2 if node.allow_expand else 0)
