"""A minimal web view of the local Confluence, so "open in browser" works in the demo.

``/wiki/spaces/{key}`` lists a space's pages; ``/wiki/spaces/{key}/pages/{id}[/{title}]`` shows a
page (so do Data Center's forms ``/pages/viewpage.action?pageId=N`` and ``/display/KEY[/Title]``; on
the Data Center flavour the routes' ``/wiki`` stands for its context path): its storage XHTML served
as ``application/xhtml+xml`` with a small stylesheet that hides macro parameters and shows code
blocks, panels and tasks plainly. ``/wiki/x/{tiny}`` redirects like Confluence's tiny links. Same
credentials as the API (the browser asks for them).

Page storage is whatever someone saved, so a page could hold ``<script>`` or ``onerror=`` — on the
same origin as the ``/authorize`` consent form. Every page here is therefore served with a
Content-Security-Policy that allows no script, no plugin, no form, no frame and no outside resource,
only the inline stylesheet (and images from this server); the browser shows the page and runs nothing.
"""

from __future__ import annotations

import re
from html import escape, unescape
from urllib.parse import unquote_plus

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from workbench.emulator.errors import not_found
from workbench.emulator.http import endpoint, int_param, store_of
from workbench.emulator.paging import site_base
from workbench.emulator.shapes_v1 import page_webui_for, space_webui_for

_ENTITY = re.compile(r"&(?!amp;|lt;|gt;|quot;|apos;|#)([A-Za-z][A-Za-z0-9]*);")
_NAMED = {
    "nbsp": 160,
    "ndash": 8211,
    "mdash": 8212,
    "hellip": 8230,
    "copy": 169,
    "rsquo": 8217,
    "lsquo": 8216,
    "rdquo": 8221,
    "ldquo": 8220,
    "middot": 183,
    "times": 215,
    "rarr": 8594,
    "larr": 8592,
}
_STYLE = """
@namespace ac url(http://atlassian.com/content);
@namespace ri url(http://atlassian.com/resource/identifier);
body { font-family: system-ui, sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em; color: #172B4D; }
nav, .meta { color: #5E6C84; font-size: 0.9em; } table { border-collapse: collapse; }
td, th { border: 1px solid #DFE1E6; padding: 0.3em 0.6em; vertical-align: top; }
ac|parameter, ac|task-id, ac|task-uuid, ac|task-status { display: none; }
ac|structured-macro { display: block; border-left: 3px solid #4C9AFF; background: #F4F5F7; margin: 0.8em 0;
  padding: 0.4em 0.8em; }
ac|plain-text-body { display: block; white-space: pre; font-family: monospace; overflow-x: auto; }
ac|task { display: list-item; margin-left: 1.5em; } ac|layout-section { display: flex; gap: 1.5em; }
ac|layout-cell { flex: 1; display: block; }
ac|image::before { content: "[image: " attr(ac|alt) "]"; color: #5E6C84; }
ac|emoticon::before { content: attr(ac|emoji-fallback); }
time::before { content: attr(datetime); background: #F4F5F7; padding: 0 0.3em; border-radius: 3px; }
ac|structured-macro > ac|parameter[ac|name="title"] { display: block; font-weight: bold; }
ac|structured-macro[ac|name="status"], ac|structured-macro[ac|name="jira"],
ac|structured-macro[ac|name="anchor"] { display: inline; border: 1px solid #DFE1E6; border-radius: 3px;
  padding: 0 0.3em; margin: 0; font-size: 0.85em; text-transform: uppercase; }
ac|structured-macro[ac|name="status"] > ac|parameter[ac|name="title"],
ac|structured-macro[ac|name="jira"] > ac|parameter[ac|name="key"] { display: inline; }
ac|structured-macro[ac|name="toc"]::before { content: "Table of contents"; color: #5E6C84; }
ac|structured-macro[ac|name="children"]::before { content: "Child pages"; color: #5E6C84; }
ac|structured-macro[ac|name="warning"] { border-left-color: #FF5630; }
ac|structured-macro[ac|name="note"] { border-left-color: #FFAB00; }
ac|structured-macro[ac|name="tip"] { border-left-color: #36B37E; }
.mention { background: #DEEBFF; border-radius: 3px; padding: 0 0.2em; }
"""
#: Served with every web page: nothing in a page's storage may run (D13 in the security audit).
WEB_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
_PAGE_LINK = re.compile(
    r'<ac:link>\s*<ri:page ri:content-title="([^"]*)"(?: ri:space-key="([^"]*)")?[^>]*/>\s*'
    r"(?:<ac:plain-text-link-body><!\[CDATA\[(.*?)\]\]></ac:plain-text-link-body>\s*)?</ac:link>",
    re.S,
)
_MENTION = re.compile(r'<ac:link>\s*<ri:user ri:account-id="([^"]*)"[^>]*/>\s*</ac:link>')


def _xml_text(storage: str) -> str:
    """Storage as well-formed XML: HTML named entities become character references."""
    return _ENTITY.sub(
        lambda m: f"&#{_NAMED[m.group(1)]};" if m.group(1) in _NAMED else m.group(0), storage
    )


def _well_formed(fragment: str) -> bool:
    # lazy, for start-up: xml.etree loads on first use
    from xml.etree import ElementTree

    try:
        ElementTree.fromstring(
            f'<div xmlns:ac="http://atlassian.com/content" '
            f'xmlns:ri="http://atlassian.com/resource/identifier">{fragment}</div>'
        )
    except ElementTree.ParseError:
        return False
    return True


def _document(title: str, nav: str, body: str) -> Response:
    page = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:ac="http://atlassian.com/content" '
        'xmlns:ri="http://atlassian.com/resource/identifier">'
        f'<head><meta charset="utf-8"/><title>{escape(title)} · Local Confluence</title>'
        f"<style>{_STYLE}</style></head><body><nav>{nav}</nav>{body}</body></html>"
    )
    return Response(page, media_type="application/xhtml+xml; charset=utf-8", headers=WEB_HEADERS)


def _page_href(request: Request, space_key: str, page_id: int, title: str) -> str:
    """A page's address on this site (``/wiki/spaces/…`` on Cloud, ``{context}/pages/viewpage.action?…`` on DC)."""
    base = site_base(request)
    return base.context + page_webui_for(base, space_key, page_id, title)


def _space_href(request: Request, key: str) -> str:
    base = site_base(request)
    return base.context + space_webui_for(base, key)


def _resolve_links(request: Request, store, storage: str, space_key: str) -> str:
    """Page links become real links (to the page when it exists); mentions show the person's name."""

    def page_link(m: re.Match) -> str:
        title, key = unescape(m.group(1)), m.group(2) or space_key
        text = escape(m.group(3) or title)
        space = store.space_by_key(key)
        found = (
            store.list_pages(space_ids=[space["id"]], title=title, statuses=("current",), limit=1)
            if space
            else []
        )
        if not found:
            return f'<span class="missing">{text}</span>'
        return f'<a href="{escape(_page_href(request, key, found[0]["id"], title))}">{text}</a>'

    def mention(m: re.Match) -> str:
        user = store.user(unescape(m.group(1)))
        return (
            f'<span class="mention">@{escape(user["display_name"] if user else m.group(1))}</span>'
        )

    return _MENTION.sub(mention, _PAGE_LINK.sub(page_link, storage))


async def page_view(request: Request) -> Response:
    store = store_of(request)
    page = store.get_page(request.path_params["id"])
    space = store.get_space(page["space_id"])
    if space["key"] != request.path_params["key"]:
        return RedirectResponse(
            _page_href(request, space["key"], page["id"], page["title"]), status_code=302
        )
    return _page_document(request, page, space)


async def view_page_action(request: Request) -> Response:
    """``/pages/viewpage.action?pageId=N``: how Data Center links a page (Cloud still answers it too)."""
    page_id = int_param(request, "pageId")
    if page_id is None:
        raise not_found("The page")
    store = store_of(request)
    page = store.get_page(page_id)
    return _page_document(request, page, store.get_space(page["space_id"]))


async def display_view(request: Request) -> Response:
    """``/display/KEY`` (a space) and ``/display/KEY/Title`` (a page by title), Data Center's addresses."""
    store = store_of(request)
    space = store.space_by_key(request.path_params["key"])
    if space is None:
        raise not_found(f"The space '{request.path_params['key']}'")
    title = request.path_params.get("title")
    if title is None:
        return _space_document(request, space)

    found = store.list_pages(
        space_ids=[space["id"]], title=unquote_plus(title), statuses=("current",), limit=1
    )
    if not found:
        raise not_found("The page")
    return _page_document(request, store.get_page(found[0]["id"]), space)


def _page_document(request: Request, page: dict, space: dict) -> Response:
    store = store_of(request)
    crumbs = [f'<a href="{escape(_space_href(request, space["key"]))}">{escape(space["name"])}</a>']
    crumbs += [
        f'<a href="{escape(_page_href(request, space["key"], a["id"], a["title"]))}">{escape(a["title"])}</a>'
        for a in store.ancestors(page["id"])
    ]
    author = store.user(page["modified_by"])
    meta = (
        f'<p class="meta">Version {page["version"]} · {escape(page["modified_at"][:10])} · '
        f"{escape(author['display_name'] if author else page['modified_by'])}</p>"
    )
    content = _xml_text(_resolve_links(request, store, page["body"], space["key"]))
    if not _well_formed(content):  # show the source rather than a browser XML error
        content = (
            '<p class="meta">This page\'s storage is not well-formed XHTML; its source:</p>'
            f"<pre>{escape(page['body'])}</pre>"
        )
    body = f"<h1>{escape(page['title'])}</h1>{meta}<div>{content}</div>"
    return _document(page["title"], " / ".join(crumbs), body)


async def space_view(request: Request) -> Response:
    store = store_of(request)
    space = store.space_by_key(request.path_params["key"])
    if space is None:
        raise not_found(f"The space '{request.path_params['key']}'")
    return _space_document(request, space)


def _space_document(request: Request, space: dict) -> Response:
    rows = store_of(request).list_pages(
        space_ids=[space["id"]], statuses=("current",), sort="title", limit=10_000
    )
    items = "".join(
        f'<li><a href="{escape(_page_href(request, space["key"], r["id"], r["title"]))}">'
        f"{escape(r['title'])}</a></li>"
        for r in rows
    )
    return _document(
        space["name"],
        f'<a href="{escape(site_base(request).context)}/spaces">Spaces</a>',
        f"<h1>{escape(space['name'])}</h1><p>{escape(space['description'])}</p><ul>{items}</ul>",
    )


async def spaces_view(request: Request) -> Response:
    rows = store_of(request).list_spaces(limit=10_000)
    items = "".join(
        f'<li><a href="{escape(_space_href(request, s["key"]))}">{escape(s["name"])}</a> '
        f"({escape(s['key'])})</li>"
        for s in rows
    )
    return _document("Spaces", "Local Confluence", f"<h1>Spaces</h1><ul>{items}</ul>")


async def tiny_link(request: Request) -> Response:
    # lazy, for start-up: workbench.confluence.page_ref loads on first use
    from workbench.confluence.page_ref import tiny_to_id

    try:
        page_id = tiny_to_id(request.path_params["code"])
    except ValueError:
        raise not_found("The link") from None
    page = store_of(request).get_page(page_id)
    key = store_of(request).get_space(page["space_id"])["key"]
    return RedirectResponse(_page_href(request, key, page["id"], page["title"]), status_code=302)


def routes() -> list[Route]:
    return [
        Route("/wiki/spaces", endpoint(spaces_view, "web")),
        Route("/wiki/spaces/{key}", endpoint(space_view, "web")),
        Route("/wiki/spaces/{key}/overview", endpoint(space_view, "web")),
        Route("/wiki/spaces/{key}/pages/{id}", endpoint(page_view, "web")),
        Route("/wiki/spaces/{key}/pages/{id}/{title}", endpoint(page_view, "web")),
        Route("/wiki/x/{code}", endpoint(tiny_link, "web")),
        Route("/wiki/pages/viewpage.action", endpoint(view_page_action, "web")),
        Route("/wiki/display/{key}", endpoint(display_view, "web")),
        Route("/wiki/display/{key}/{title}", endpoint(display_view, "web")),
    ]
