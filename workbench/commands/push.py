"""``workbench push``: a Markdown file saved as the next version of a page, on the version it was made
from (a page that moved on: nothing written, exit code 3), with the local files it points at
uploaded first."""

from __future__ import annotations

import argparse
import re
import sys
from typing import TYPE_CHECKING

from workbench.commands.cat import page_json, read_content, resolve_content
from workbench.commands.inputs import read_text_input
from workbench.commands.site_command import print_json, run_on_site
from workbench.errors import UsageError, WorkbenchError
from workbench.textsafe import printable

if TYPE_CHECKING:
    from workbench.confluence.client import ConfluenceClient


# -- push -----------------------------------------------------------------------------------------
_MARKUP_START = re.compile(
    r"<(\?xml|!doctype|html|body|p|h[1-6]|div|table|ul|ol|pre|blockquote|ac:|ri:)[\s>/]",
    re.IGNORECASE,
)


def _check_markdown(text: str, path: str) -> None:
    """Refuse what is plainly not Markdown (storage XHTML, a page's JSON, a binary file) or empty.

    Pushed as Markdown, such a file would replace the page's content with its escaped source; an
    empty one (often the output of a 'workbench cat' that failed) would blank the page.
    """
    name = "standard input" if path == "-" else f"'{path}'"
    if not text.strip("\ufeff \t\r\n"):
        raise UsageError(f"{name} is empty, so nothing was sent: pushing it would blank the page.")
    if "\x00" in text:
        raise UsageError(f"{name} is a binary file, not Markdown; nothing was sent.")
    head = text.lstrip("\ufeff \t\r\n")
    if _MARKUP_START.match(head) or (head.startswith("<") and ("<ac:" in head or "<ri:" in head)):
        what, fix = "storage XHTML", f"convert it first (workbench convert to-md {path} > page.md)"
    elif head.startswith("{") and '"storage"' in head[:100_000]:
        what, fix = "a page's JSON", "push the Markdown that 'workbench cat PAGE' prints"
    else:
        return
    if path == "-":
        fix = fix.replace(f" {path} ", " ")
    raise UsageError(f"{name} looks like {what}, not Markdown, so nothing was sent; {fix}.")


def run_push(args: argparse.Namespace) -> int:
    markdown = read_text_input(
        args.file, "Markdown file"
    )  # before any network: a bad file costs nothing
    _check_markdown(markdown, args.file)
    source = "standard input" if args.file == "-" else args.file

    async def work(client: ConfluenceClient) -> int:
        # lazy, for start-up: workbench.confluence.errors … loads on first use
        from workbench.confluence.errors import VersionConflict
        from workbench.services import save_outcome as so
        from workbench.services.edit_session import EditSession
        from workbench.services.users import UserDirectory, settle_mentions

        page_id, hint = await resolve_content(client, args.page)
        base = args.base_version
        directory = UserDirectory(client)
        current, opened = await _push_base(
            client, page_id, hint, base, directory, restore=args.restore, source=source
        )
        text = (
            opened.markdown if markdown.rstrip("\n") == opened.markdown.rstrip("\n") else markdown
        )
        unknown = settle_mentions(text, opened.users).unknown
        if unknown:
            who = ", ".join(f"⟦@{name}⟧" for name in unknown)
            raise UsageError(
                f"{who} names nobody mentioned on version {base} of page {page_id}, so nothing was sent; "
                "write the person's account id instead (⟦@557058:…⟧), or remove the brackets for plain text."
            )
        if not args.no_attachments:
            text = await _push_attachments(client, page_id, opened.page.type, text, args.file)
        session = EditSession(
            client, _without_new_markers(opened, text), text=text, directory=directory
        )
        if args.title:
            session.rename(args.title)
        outcome = await session.save(message=args.message, minor_edit=args.minor, seen=current)
        if isinstance(outcome, so.Saved):
            page = outcome.opened.page
            if args.json:
                print_json(page_json(page, client))
            else:
                url = page.url or client.urls.web(page.webui)
                minor = " (a minor edit: watchers were not notified)" if args.minor else ""
                print(
                    f'Saved page {printable(page.id)} "{printable(page.title)}" as version '
                    f"{page.version.number}{minor}." + (f" {printable(url)}" if url else "")
                )
                if outcome.note:
                    print(printable(outcome.note), file=sys.stderr)
            return 0
        if isinstance(outcome, so.NothingToSave):
            print(
                f"Nothing to push: {source} is the same as version {base} of page {page_id}; nothing was sent."
            )
            return 0
        if isinstance(outcome, so.NeedsMerge):
            now = outcome.conflict.theirs.base_version
            if outcome.comments_only:
                raise VersionConflict(
                    f"Inline comments were added to page {page_id} since version {base} was read, on text "
                    f"{source} changes; nothing was overwritten. Fetch it again with 'workbench cat' (it shows "
                    "them as ⟦comment⟧…⟦/comment⟧) and redo your changes around them.",
                    current=now,
                    provided=base + 1,
                )
            raise VersionConflict(
                f"Page {page_id} changed since version {base} (now {now}); nothing was overwritten. "
                "Fetch it again with 'workbench cat' and merge your changes.",
                current=now,
                provided=base + 1,
            )
        if isinstance(outcome, so.Gone):
            raise _gone_error(page_id, outcome.state, source)
        if isinstance(outcome, so.TitleTaken):
            raise UsageError(
                f'Another page in this space is titled "{printable(outcome.title)}" (id '
                f"{outcome.existing_id}), so nothing was saved. Choose another --title."
            )
        if isinstance(outcome, so.Unresolved):
            raise UsageError(
                f"{source} still has conflict markers (<<<<<<< ======= >>>>>>>): keep what you want "
                "between them and delete the markers; nothing was sent."
            )
        raise outcome.error

    return run_on_site(args, work)


async def _push_base(
    client: ConfluenceClient,
    page_id: str,
    hint: str | None,
    base: int,
    directory,
    *,
    restore: bool,
    source: str,
):
    """(the current page, version ``base`` of it as Markdown, names as 'workbench cat' showed them).
    One request when ``base`` is the current version (the usual case), two otherwise. A page in the
    trash is taken out of it with ``restore``, and is an error (exit 5) without it."""
    # lazy, for start-up: workbench.confluence.errors, workbench.services.pages loads on first use
    from workbench.confluence.errors import NotFound
    from workbench.services.pages import open_page, view_of

    try:
        current, kind = await read_content(
            client, page_id, hint, lambda kind: client.get_page(page_id, kind=kind)
        )
    except NotFound:
        trashed = None
        for kind in [hint] if hint or client.is_dc else ["page", "blogpost"]:
            trashed = await client.trashed_page(page_id, kind=kind or "page")
            if trashed is not None:
                break
        if trashed is None:
            raise  # deleted for good, or never there: the 404 says so
        if not restore:
            raise _gone_error(page_id, "trashed", source) from None
        current, kind = await client.restore_page(page_id, kind=trashed.type), trashed.type
        print(
            f"Took page {page_id} out of the trash (version {current.version.number}, as it was).",
            file=sys.stderr,
        )
    if base > current.version.number:
        raise UsageError(
            f"Page {page_id} has no version {base} (it is at version {current.version.number}); "
            "nothing was sent. Pass the version 'workbench cat' printed as --base-version."
        )
    if base == current.version.number:
        return current, view_of(current, await directory.mapping_for_page(current.storage or ""))
    opened = await open_page(
        client, page_id, version=base, directory=directory, learn=True, kind=kind
    )
    return current, opened


async def _push_attachments(
    client: ConfluenceClient, page_id: str, kind: str, text: str, file: str
) -> str:
    """Upload the new or changed local files the Markdown points at, before the page is saved
    (``workbench.services.attachment_sync``); says on stderr what was sent. Returns the text with
    those targets written as ``attachment:name``."""
    # lazy, for start-up: pathlib, workbench.services.attachment_sync loads on first use
    from pathlib import Path

    from workbench.commands.attachments import _progress
    from workbench.services import attachment_sync as sync

    folder = Path.cwd() if file == "-" else Path(file).resolve().parent
    files = sync.local_files(text, folder)
    steps = await sync.plan(client, page_id, files, kind=kind)
    for step in await sync.upload(client, page_id, steps, kind=kind, progress=_progress):
        if step.result is not None:
            what = (
                "attached" if step.action == sync.NEW else f"new version {step.result.version} of"
            )
            print(f"Uploaded {printable(step.file.name)} ({what}).", file=sys.stderr)
    return sync.as_attachment_targets(text, files)


def _gone_error(page_id: str, state: str, source: str) -> WorkbenchError:
    # lazy, for start-up: workbench.confluence.errors loads on first use
    from workbench.confluence.errors import NotFound

    if state == "deleted":
        return NotFound(
            f"Page {page_id} was deleted (or you may not see it any more); nothing was written and "
            f"{source} is unchanged.",
            status=404,
        )
    if state == "restored":
        return NotFound(
            f"Page {page_id} was in the trash: Confluence took it out of the trash as it was instead of "
            f"saving, so nothing of {source} was written. Push again to save it on top.",
            status=404,
        )
    return NotFound(
        f"Page {page_id} is in the trash; nothing was written and {source} is unchanged. Run the same "
        "command with --restore to take it out of the trash and save on top of it.",
        status=404,
    )


def _without_new_markers(opened, text: str):
    """The base to save ``text`` from. A file with fewer inline-comment markers than the page was
    (almost always) made before those comments were added — adding one changes the storage without a
    new version — so the base is the page without its markers, and the save puts every marker back
    around its text (``services.markers``) instead of dropping them."""
    # lazy, for start-up: dataclasses, workbench.services.markers … loads on first use
    from dataclasses import replace

    from workbench.services.markers import count_markers, strip_storage_markers
    from workbench.services.pages import view_of

    if count_markers(text) >= count_markers(opened.markdown):
        return opened
    page = replace(opened.page, storage=strip_storage_markers(opened.page.storage or ""))
    return view_of(page, opened.users)
