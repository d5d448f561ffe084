"""What a person types to name a page: an id, or a page URL copied from the browser.

Understood forms::

    123456
    https://acme.atlassian.net/wiki/spaces/ENG/pages/123456/Release+notes
    https://acme.atlassian.net/wiki/spaces/ENG/pages/edit-v2/123456
    https://acme.atlassian.net/wiki/spaces/ENG/blog/2026/01/05/123456/Title   (a blog post)
    https://dc.example.com/pages/viewpage.action?pageId=123456
    https://dc.example.com/display/ENG/Release+notes          (resolved by space key + title)

Short links (``/x/AbC``) encode the id in a form only the server resolves through a browser
redirect, so they are refused with a message saying what to paste instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote_plus, urlsplit

from workbench.confluence.urls import without_userinfo
from workbench.errors import UsageError

_SPACES_PAGES = re.compile(r"/spaces/([^/]+)/pages/(?:edit-v2/|edit/)?(\d+)(?:/|$)")
_DISPLAY = re.compile(r"/display/([^/]+)/([^/?#]+)")
# Cloud blog posts: /spaces/KEY/blog/YYYY/MM/DD/ID/Title (also /spaces/KEY/blog/edit-v2/ID)
_SPACES_BLOG = re.compile(r"/spaces/([^/]+)/blog/(?:edit-v2/|\d{4}/\d{2}/\d{2}/)?(\d+)(?:/|$)")


@dataclass(frozen=True, slots=True)
class PageRef:
    """A page named by id, or (Data Center ``/display/`` links) by space key and title."""

    page_id: str | None = None
    space_key: str | None = None
    title: str | None = None
    host: str | None = None  # host[:port] of a pasted URL, to check it names the configured site
    kind: str | None = (
        None  # "blogpost" for a blog post's URL; None when the reference does not say
    )


def parse_page_ref(text: str) -> PageRef:
    """Parse a page id or URL; ``UsageError`` with a plain explanation when it is neither."""
    value = (text or "").strip()
    if value.isdigit():
        return PageRef(page_id=value)
    if not value:
        raise UsageError("No page given: pass a page id (e.g. 123456) or a page URL.")
    shown = without_userinfo(value)  # a pasted user:password@ part is never echoed
    not_a_page = UsageError(
        f"'{shown}' is not a page id or a page URL. Use the number from the page's URL "
        "(…/pages/123456/…) or paste the whole URL."
    )
    try:
        parts = urlsplit(value if "://" in value else "https://host/" + value.lstrip("/"))
    except ValueError:  # "http://[::1/…"
        raise not_a_page from None
    path = parts.path
    if re.search(r"/x/[^/]+", path):
        raise UsageError(
            f"'{shown}' is a short link, which only a browser can resolve. Open it and copy the "
            "page's full URL, or use the page id (Page information shows it)."
        )
    host = parts.netloc.rpartition("@")[2].lower() if "://" in value else None
    query = parse_qs(parts.query)
    for key in ("pageId", "pageid", "contentId"):
        ids = query.get(key)
        if ids and ids[0].isdigit():
            return PageRef(page_id=ids[0], host=host)
    match = _SPACES_PAGES.search(path)
    if match:
        return PageRef(page_id=match.group(2), host=host, kind="page")
    match = _SPACES_BLOG.search(path)
    if match:
        return PageRef(page_id=match.group(2), host=host, kind="blogpost")
    match = _DISPLAY.search(path)
    if match:
        return PageRef(
            space_key=unquote_plus(match.group(1)), title=unquote_plus(match.group(2)), host=host
        )
    raise not_a_page


def check_same_site(ref: PageRef, api_host: str) -> None:
    """Refuse a pasted URL from another site than the one configured (page ids are per site).

    Through the OAuth gateway (``api.atlassian.com``) the site's own host is not known here, so
    nothing is checked.
    """
    if not ref.host or api_host.lower() == "api.atlassian.com":
        return
    if ref.host != api_host.lower():
        raise UsageError(
            f"That URL is on {ref.host}, but the configured site is {api_host}. Use --profile (or "
            "CONFLUENCE_URL) for that site, or pass a page id of this one."
        )
