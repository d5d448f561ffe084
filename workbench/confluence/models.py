"""Typed models for what the Confluence client returns.

Plain frozen dataclasses: cheap to build, safe to share between tasks and threads, easy to cache
as JSON (``dataclasses.asdict``). Ids are strings, as in the v2 API; timestamps are ISO-8601
strings as Confluence sends them (``2024-02-01T02:34:14.885Z``); people are account ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HIGHLIGHT = re.compile(r"@@@(?:end)?hl@@@")

# Content kinds (the ``type`` of a page, a summary or a search hit). Only pages and blog posts have
# a body the viewer opens; the others appear in Cloud's content tree (v2 ``ParentContentType`` and
# the ``direct-children`` listings) and are opened in the browser.
PAGE = "page"
BLOGPOST = "blogpost"
FOLDER = "folder"
WHITEBOARD = "whiteboard"
DATABASE = "database"
EMBED = "embed"  # a smart link in the content tree
#: Kinds with a storage body: the client's page methods take ``kind=`` one of these.
BODY_KINDS = (PAGE, BLOGPOST)
#: Every kind the content tree can show.
TREE_KINDS = (PAGE, FOLDER, WHITEBOARD, DATABASE, EMBED)


def strip_highlight(text: str) -> str:
    """Remove Confluence's ``@@@hl@@@``/``@@@endhl@@@`` search markers (for plain output)."""
    return _HIGHLIGHT.sub("", text or "")


@dataclass(frozen=True, slots=True)
class User:
    account_id: str
    display_name: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True)
class Space:
    id: str
    key: str
    name: str
    type: str = "global"
    status: str = "current"
    homepage_id: str | None = None
    description: str = ""
    webui: str = ""


@dataclass(frozen=True, slots=True)
class Version:
    number: int
    message: str = ""
    minor_edit: bool = False
    author_id: str = ""
    created_at: str = ""


@dataclass(frozen=True, slots=True)
class PageSummary:
    """A page as lists return it: enough to draw a tree row or a result line."""

    id: str
    title: str
    space_id: str = ""
    parent_id: str | None = None
    status: str = "current"
    position: int | None = None
    version: int | None = None
    type: str = PAGE  # page, blogpost, folder, whiteboard, database or embed
    created_at: str = ""  # when the list says (blog lists sort on it)

    @property
    def has_body(self) -> bool:
        """True for pages and blog posts (what the viewer opens)."""
        return self.type in BODY_KINDS


@dataclass(frozen=True, slots=True)
class Label:
    name: str
    prefix: str = "global"
    id: str = ""


@dataclass(frozen=True, slots=True)
class Page:
    """One version of a page or a blog post (``type``), with its storage body when it was asked for."""

    id: str
    title: str
    space_id: str
    version: Version
    storage: str | None = None
    parent_id: str | None = None
    status: str = "current"
    author_id: str = ""
    created_at: str = ""
    webui: str = ""
    base_url: str = ""
    space_key: str = ""
    labels: tuple[Label, ...] = ()
    type: str = PAGE  # page or blogpost
    #: True when the answer carried ALL the page's labels (v2 ``include-labels`` lists the first
    #: 50 and says ``hasMore``): then nobody needs to ask for them again.
    labels_complete: bool = False

    @property
    def url(self) -> str:
        """Absolute web URL of the page (empty when the server did not say)."""
        return f"{self.base_url}{self.webui}" if self.webui else ""


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One CQL hit. ``title_hl``/``excerpt`` keep Confluence's ``@@@hl@@@`` markers."""

    id: str
    type: str
    title: str
    space_key: str = ""
    space_name: str = ""
    excerpt: str = ""
    title_hl: str = ""
    last_modified: str = ""
    url: str = ""

    @property
    def plain_title(self) -> str:
        """The title without highlight markers."""
        return self.title or strip_highlight(self.title_hl)

    @property
    def plain_excerpt(self) -> str:
        """The excerpt without highlight markers, on one line."""
        return " ".join(strip_highlight(self.excerpt).split())


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of search results."""

    results: tuple[SearchResult, ...]
    total_size: int | None = None
    next_cursor: str | None = None


@dataclass(frozen=True, slots=True)
class Comment:
    """A footer or inline comment; ``replies`` is filled when the caller asked for the thread.

    Inline comments (``inline=True``) are anchored on ``selection``, the text wrapped in the page's
    storage by ``<ac:inline-comment-marker ac:ref="marker_ref">``; ``resolution`` is Confluence's
    status: ``open``, ``reopened``, ``resolved`` or ``dangling`` (its marker is gone from the page).
    Footer comments leave the three empty.
    """

    id: str
    page_id: str
    storage: str
    version: Version
    parent_id: str | None = None
    author_id: str = ""
    created_at: str = ""
    replies: tuple[Comment, ...] = field(default=())
    inline: bool = False
    selection: str = ""
    resolution: str = ""
    marker_ref: str = ""
