"""What the viewer shows around a page, converted for display: the shapes
:mod:`workbench.services.page_extras` makes from the page's header and
:class:`~workbench.services.workspace.Workspace` hands to the viewer. A module of their own, so
the two need not import each other (``Workspace.extras`` loads ``page_extras`` on first use;
``page_extras`` makes these)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CommentView:
    """A footer comment converted for display."""

    id: str
    author: str
    created_at: str
    markdown: str
    replies: tuple[CommentView, ...] = ()


@dataclass(frozen=True, slots=True)
class PageExtras:
    """What the viewer shows around a page; loaded after the page itself (which is one request)."""

    ancestors: tuple[str, ...] = ()
    editor_name: str = ""
    labels: tuple[str, ...] = ()
    comments: tuple[CommentView, ...] = ()
