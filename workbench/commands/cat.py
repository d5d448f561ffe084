"""``workbench cat``: a page (or blog post) as Markdown, storage XHTML or JSON, from the site or the
local index; and finding the content a person named (an id, a URL, a tiny link, a title)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from workbench.commands.site_command import print_json, run_on_site, write_text
from workbench.errors import UsageError, WorkbenchError
from workbench.textsafe import printable

if TYPE_CHECKING:
    from workbench.confluence.client import ConfluenceClient


# -- cat ------------------------------------------------------------------------------------------
async def resolve_page_id(client: ConfluenceClient, text: str) -> str:
    """The page id for what the user typed (an id or a URL)."""
    return (await resolve_content(client, text))[0]


async def resolve_content(client: ConfluenceClient, text: str) -> tuple[str, str | None]:
    """``(id, kind)`` for what the user typed: ``kind`` is ``blogpost`` for a blog post's URL,
    ``page`` for a page's, None for a bare id (see :func:`read_content`). An id, a page URL or a tiny
    link needs no request; a space's address opens its homepage; a title is one search
    (``workbench.services.page_refs``)."""
    # lazy, for start-up: workbench.services.page_refs loads on first use
    from workbench.services.page_refs import resolve

    found = await resolve(client, text, titles=True)
    return found.page_id, found.kind


async def read_content(client: ConfluenceClient, content_id: str, kind: str | None, read):
    """``read(kind)`` for a page, or for a blog post: a bare id (``kind`` None) that is no page is
    tried once more as a blog post on Cloud, where the two have separate endpoints (ids are shared by
    every kind of content). Data Center serves both at ``/content/{id}``. Returns ``(result, kind)``."""
    # lazy, for start-up: workbench.confluence.errors loads on first use
    from workbench.confluence.errors import NotFound

    try:
        return await read(kind or "page"), kind or "page"
    except NotFound:
        if kind is not None or client.is_dc:
            raise
    try:
        return await read("blogpost"), "blogpost"
    except NotFound:
        raise NotFound(
            f"Page {content_id} was not found (nor a blog post with that id), or you may not see it.",
            status=404,
        ) from None


def _storage_to_markdown(storage: str, users: dict[str, str] | None = None) -> str:
    try:
        # lazy, for start-up: workbench.convert loads on first use
        from workbench.convert import storage_to_markdown
    except ImportError:
        raise WorkbenchError(
            "The Markdown converter is not available in this build; use --format storage."
        ) from None
    return storage_to_markdown(storage, users=users or None)


async def _mention_names(client: ConfluenceClient, storage: str) -> dict[str, str]:
    """Names for the people ``storage`` mentions: one users request (none without mentions)."""
    # lazy, for start-up: workbench.services.users loads on first use
    from workbench.services.users import UserDirectory

    return await UserDirectory(client).mapping_for_page(storage)


def page_json(page, client: ConfluenceClient, markdown: str | None = None) -> dict:
    # lazy, for start-up: dataclasses loads on first use
    from dataclasses import asdict

    data = asdict(page)
    data["url"] = page.url or client.urls.web(page.webui)
    if markdown is not None:
        data["markdown"] = markdown
    return data


def run_cat(args: argparse.Namespace) -> int:
    # lazy, for start-up: workbench.commands.local loads on first use
    from workbench.commands.local import cat_with_fallback, run_offline_cat

    if args.offline:
        return run_offline_cat(args)

    async def work(client: ConfluenceClient) -> int:
        # lazy, for start-up: workbench.confluence.errors loads on first use
        from workbench.confluence.errors import NotFound

        page_id, hint = await resolve_content(client, args.page)
        try:
            page, _ = await read_content(
                client,
                page_id,
                hint,
                lambda kind: client.get_page(page_id, version=args.page_version, kind=kind),
            )
        except NotFound:
            if args.page_version is None:
                raise
            await _explain_missing_version(client, page_id, args.page_version, "")
            raise
        storage = page.storage or ""
        if args.format == "json":
            print_json(page_json(page, client))
        elif args.format == "storage":
            write_text(storage)
        else:
            try:
                users = await _mention_names(client, storage)
            except WorkbenchError as exc:  # the page is still worth showing, with account ids
                print(
                    f"workbench: mentions show account ids ({printable(exc.message)})",
                    file=sys.stderr,
                )
                users = {}
            write_text(_storage_to_markdown(storage, users))
        if args.format != "json":
            print(
                f'Page {printable(page.id)} "{printable(page.title)}", version {page.version.number}. To save '
                f"edits: workbench push {printable(page.id)} FILE.md --base-version {page.version.number}",
                file=sys.stderr,
            )
        return 0

    return cat_with_fallback(args, lambda: run_on_site(args, work))


async def _explain_missing_version(
    client: ConfluenceClient, page_id: str, wanted: int, then: str
) -> None:
    """After a 404 for version ``wanted``: a ``UsageError`` when the page exists but is not there yet.

    Returns (so the caller re-raises the 404) when the version should exist; a missing page raises
    its own 404 here.
    """
    current = (await client.get_page(page_id, body=False)).version.number
    if wanted > current:
        raise UsageError(
            f"Page {page_id} has no version {wanted} (it is at version {current}){then}."
        )
