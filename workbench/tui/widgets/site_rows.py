"""What the site tree shows, apart from drawing it: a :class:`Row` per node, its label, and
:class:`SiteRows`, every row the tree has been given by parent (loaded, whether shown or filtered
out) with the spaces' homepages standing for their spaces."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Span, Text
from textual.widgets.tree import TreeNode

from workbench.confluence.models import PageSummary, Space
from workbench.textsafe import printable

#: Icons by kind of row (single-width symbols, so columns line up in any terminal).
ICONS = {
    "space": "▣ ",
    "blog": "✎ ",
    "blogpost": "• ",
    "folder": "▤ ",
    "whiteboard": "◇ ",
    "database": "⊞ ",
    "embed": "↗ ",
}
#: Kinds shown elsewhere than in the viewer: ``o`` opens them in the browser.
ELSEWHERE = ("whiteboard", "database", "embed")
KIND_NAMES = {"blogpost": "blog post", "embed": "smart link"}


def row_of(node: TreeNode[Row]) -> Row:
    """The row a node shows (every node of the tree has one, the root included)."""
    assert node.data is not None
    return node.data


def kind_name(kind: str) -> str:
    return KIND_NAMES.get(kind, kind)


@dataclass(slots=True)
class Row:
    """What a tree node stands for. ``key`` is ``site``, ``space:<id>``, ``blog:<space id>`` or
    ``<kind>:<id>`` for content (page, blogpost, folder, whiteboard, database, embed)."""

    key: str
    title: str
    space_id: str = ""
    loaded: bool = False
    loading: bool = False
    has_children: bool = True
    home: str = ""

    @property
    def kind(self) -> str:
        return self.key.partition(":")[0]

    @property
    def ident(self) -> str:
        return self.key.partition(":")[2]


class SiteRows:
    """The rows under each parent key (``site``, ``space:<id>``, ``<kind>:<id>``) as loaded so far,
    and which page is which space's homepage."""

    def __init__(self) -> None:
        self.by_parent: dict[str, list[Row]] = {}
        self._home_alias: dict[str, str] = {}

    def set_spaces(self, spaces: list[Space]) -> list[Row]:
        """The site's spaces (each stands for its homepage); returns their rows."""
        rows = [
            Row(f"space:{s.id}", s.name, space_id=s.id, home=s.homepage_id or "") for s in spaces
        ]
        self._home_alias = {f"page:{r.home}": r.key for r in rows if r.home}
        self.by_parent["site"] = rows
        return rows

    def set_children(
        self, parent: str, rows: list[PageSummary], *, append: bool
    ) -> tuple[list[Row], bool]:
        """``rows`` under ``parent`` (after the ones it has, with ``append``). A space's rows end
        with its Blog node and are laid out whole again. Returns the new rows and whether they
        only append to what the tree shows."""
        new = [
            Row(f"{r.type}:{r.id}", r.title, space_id=r.space_id, has_children=r.type != "blogpost")
            for r in rows
        ]
        if not self.appends_to(parent):  # a space: re-laid out whole, the Blog node stays last
            kept = [r for r in self.by_parent.get(parent, []) if r.kind != "blog"] if append else []
            blog = Row(
                f"blog:{parent.partition(':')[2]}", "Blog", space_id=parent.partition(":")[2]
            )
            self.by_parent[parent] = [*kept, *new, blog]
            return new, False
        if append:
            self.by_parent.setdefault(parent, []).extend(new)
        else:
            self.by_parent[parent] = new
        return new, append

    def appends_to(self, parent: str) -> bool:
        """Whether rows given with ``append`` only append to what the tree shows under ``parent``
        (not for a space: its level is laid out whole, its Blog node last)."""
        return not parent.startswith("space:")

    def canonical(self, key: str) -> str:
        """The tree key that shows ``key``'s children (a space's homepage → the space)."""
        return self._home_alias.get(key, key)

    def home_of(self, key: str) -> str:
        """The homepage id of the space ``key`` ("" when it is not a space or has none)."""
        for row in self.by_parent.get("site", []):
            if row.key == key:
                return row.home
        return ""

    def rows_under(self, key: str) -> list[tuple[str, str]] | None:
        """(page id, title) of the loaded rows under ``key``; None when they were never loaded."""
        rows = self.by_parent.get(self.canonical(key))
        return None if rows is None else [(r.ident, r.title) for r in rows if r.kind == "page"]


#: Kinds whose rows are dim (shown elsewhere, or a blog post among pages).
_DIM = frozenset(("blogpost", *ELSEWHERE))


def row_text(row: Row) -> Text:
    """A row's label: its icon and title, one line of :class:`Text`."""
    title = printable(row.title)  # server text: never a terminal control (Text keeps ESC)
    kind = row.key.partition(":")[0]
    if kind == "site":
        return Text.assemble((title, "bold"), (" …" if row.loading else "", "dim"))
    dim = "dim" if kind in _DIM else ""
    icon = ICONS.get(kind, "")
    style = "bold" if kind == "space" else "italic" if kind == "blog" else ""
    if not (style or row.loading):  # most rows: one Text, no spans (a few µs a row)
        return Text(f"{icon}{title}" if icon else title, style=dim)
    end = len(icon) + len(title)
    spans = [Span(len(icon), end, style)] if style else []
    if row.loading:
        spans.append(Span(end, end + 2, "dim"))
    return Text(f"{icon}{title} …" if row.loading else f"{icon}{title}", style=dim, spans=spans)
