"""What the site tree tells the pane around it: intents, posted as messages of
:class:`~workbench.tui.widgets.site_tree.SiteTree` (``SiteTree.PageChosen`` …, handled as
``on_site_tree_page_chosen`` …). Each carries the tree that posted it, typed as the ``Tree`` it is
(this module imports nothing of the widget)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from textual.widgets import Tree

    from workbench.tui.widgets.site_rows import Row


@dataclass
class LoadRequested(Message, namespace="site_tree"):
    """A node was expanded whose children are not loaded yet."""

    tree: Tree[Row]  # the SiteTree that posted it
    parent: str


@dataclass
class PageChosen(Message, namespace="site_tree"):
    """The user pressed enter on a page."""

    tree: Tree[Row]  # the SiteTree that posted it
    page_id: str
    space_id: str
    trail: list[str] = field(default_factory=list)
    kind: str = "page"  # or "blogpost"


@dataclass
class ElsewhereChosen(Message, namespace="site_tree"):
    """Enter on content the viewer does not show (a whiteboard, database or smart link)."""

    tree: Tree[Row]  # the SiteTree that posted it
    kind: str
    content_id: str
    title: str


@dataclass
class BrowseRequested(Message, namespace="site_tree"):
    """``o`` on a folder, whiteboard, database or smart link: open its web page."""

    tree: Tree[Row]  # the SiteTree that posted it
    kind: str
    content_id: str
    title: str


@dataclass
class NewPageRequested(Message, namespace="site_tree"):
    """``n`` on a folder: a new page inside it; on a space's Blog node: a new blog post
    (``kind`` blogpost, ``parent_title`` the space's name)."""

    tree: Tree[Row]  # the SiteTree that posted it
    parent_id: str
    space_id: str
    parent_title: str
    kind: str = "page"


@dataclass
class FilterRequested(Message, namespace="site_tree"):
    tree: Tree[Row]  # the SiteTree that posted it


@dataclass
class LifecycleRequested(Message, namespace="site_tree"):
    """``M``/``C``/``D``/``T``: move, copy, delete the selected page, or show the trash."""

    tree: Tree[Row]  # the SiteTree that posted it
    action: str


@dataclass
class ResyncRequested(Message, namespace="site_tree"):
    """``r`` on a space: sync it into the local index."""

    tree: Tree[Row]  # the SiteTree that posted it
    space_id: str
    title: str
