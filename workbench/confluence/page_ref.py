"""What a person types to name a page: an id, or a page URL copied from the browser.

Understood forms::

    123456
    https://acme.atlassian.net/wiki/spaces/ENG/pages/123456/Release+notes
    https://acme.atlassian.net/wiki/spaces/ENG/pages/edit-v2/123456
    https://acme.atlassian.net/wiki/spaces/ENG/blog/2026/01/05/123456/Title   (a blog post)
    https://dc.example.com/pages/viewpage.action?pageId=123456
    https://dc.example.com/display/ENG/Release+notes          (resolved by space key + title)
    https://acme.atlassian.net/wiki/spaces/ENG/overview       (a space: its homepage)
    https://dc.example.com/display/ENG                         (a space: its homepage)
    https://acme.atlassian.net/wiki/x/LIQHD                    (a tiny link: the id, encoded)
    Release notes 4.2                                          (a title, where the caller allows)

Tiny links (``/x/…``, the "Share" links) are the page id itself, encoded, so they are decoded here
without asking the server: see :func:`tiny_to_id`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote_plus, urlsplit

from workbench.confluence.urls import without_userinfo
from workbench.errors import UsageError

_SPACES_PAGES = re.compile(r"/spaces/([^/]+)/pages/(?:edit-v2/|edit/)?(\d+)(?:/|$)")
_DISPLAY = re.compile(r"/display/([^/]+)/([^/?#]+)")
# a space's own address: /spaces/KEY, /spaces/KEY/overview (Cloud), /display/KEY (Data Center)
_SPACE = re.compile(r"/(?:spaces/([^/]+)(?:/overview)?|display/([^/]+))/?$")
_TINY = re.compile(r"/x/([A-Za-z0-9_-]+)/?$")
# Cloud blog posts: /spaces/KEY/blog/YYYY/MM/DD/ID/Title (also /spaces/KEY/blog/edit-v2/ID)
_SPACES_BLOG = re.compile(r"/spaces/([^/]+)/blog/(?:edit-v2/|\d{4}/\d{2}/\d{2}/)?(\d+)(?:/|$)")


@dataclass(frozen=True, slots=True)
class PageRef:
    """A page named by id, by space key and title (Data Center ``/display/`` links), by a space
    key alone (a space's address: its homepage), or by a title alone (where allowed)."""

    page_id: str | None = None
    space_key: str | None = None
    title: str | None = None
    host: str | None = None  # host[:port] of a pasted URL, to check it names the configured site
    kind: str | None = (
        None  # "blogpost" for a blog post's URL; None when the reference does not say
    )


def tiny_to_id(code: str) -> int:
    """The content id a tiny link's code (the part after ``/x/``) stands for.

    Confluence's ``TinyUrl``: the id as 8 little-endian bytes, base64-encoded, then ``/`` written
    as ``-`` and ``+`` as ``_`` (the reverse of RFC 4648's URL-safe alphabet), and the trailing
    ``A``s and ``=`` dropped. Decoding puts them back. Sources: Atlassian's knowledge-base article
    "How to programmatically generate the tiny link of a Confluence page"
    (confluence.atlassian.com/confkb/…-956713432.html), the Atlassian Community answer "What is the
    algorithm used to create the Tiny links" (with the ``-``/``_`` correction), and
    igsl-group/ConfluenceURLTransform ``TinyURLGenerator.java`` (commit 2ee1ed2). A real pair:
    ``/x/LIQHD`` is page 201819180 (wiki.softwareplant.com, both forms quoted in
    catetrai/compscimisc's note on tiny URLs). ``ValueError`` when ``code`` is not such a code.
    """
    # lazy, for start-up: base64 loads on first use
    import base64
    import binascii

    if not code or len(code) > 11 or not re.fullmatch(r"[A-Za-z0-9_-]+", code):
        raise ValueError(code)
    standard = code.replace("-", "/").replace("_", "+").ljust(11, "A") + "="
    try:
        raw = base64.b64decode(standard, validate=True)
    except binascii.Error:
        raise ValueError(code) from None
    return int.from_bytes(raw, "little")


def id_to_tiny(content_id: int) -> str:
    """A content id's tiny-link code (``/x/`` + this), as Confluence writes it: see :func:`tiny_to_id`."""
    # lazy, for start-up: base64 loads on first use
    import base64

    encoded = base64.b64encode(int(content_id).to_bytes(8, "little")).decode()
    return encoded.replace("/", "-").replace("+", "_").rstrip("A=") or "A"


def parse_page_ref(text: str, *, titles: bool = False) -> PageRef:
    """Parse a page id or URL; ``UsageError`` with a plain explanation when it is neither.

    ``titles``: text that is neither an id nor an address names a page by its title
    (``PageRef(title=…)``, no space: the caller looks it up)."""
    value = (text or "").strip()
    if value.isdigit():
        return PageRef(page_id=value)
    if not value:
        raise UsageError("No page given: pass a page id (e.g. 123456) or a page URL.")
    if titles and "://" not in value and not value.startswith("/"):
        return PageRef(title=value)
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
    tiny = _TINY.search(path)
    if tiny:
        try:
            return PageRef(page_id=str(tiny_to_id(tiny.group(1))), host=host)
        except ValueError:
            raise UsageError(
                f"'{shown}' looks like a short link, but '{tiny.group(1)}' is not a short link's "
                "code. Paste the page's full URL, or use the page id (Page information shows it)."
            ) from None
    match = _DISPLAY.search(path)
    if match:
        return PageRef(
            space_key=unquote_plus(match.group(1)), title=unquote_plus(match.group(2)), host=host
        )
    match = _SPACE.search(path)
    if match:
        return PageRef(space_key=unquote_plus(match.group(1) or match.group(2)), host=host)
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
