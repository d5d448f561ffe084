"""``sync_site``: bring a site's index up to date — which spaces, in what order, with what result.

Which spaces: the ones named (personal ones too, when named); with ``all_spaces`` every current
space the login can see except personal ones (``include_personal`` adds those); with neither, the
spaces already in the index. A space that is no longer visible is removed from the index (unless
*every* indexed space vanished at once: that is more likely a login that sees less than a site that
lost everything, so nothing is removed and the sync says so). Each space is synced by
:class:`~workbench.index.space_sync.SpaceSync`; drafts and trashed content are never indexed.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from workbench.confluence.errors import NotFound
from workbench.errors import UsageError, WorkbenchError
from workbench.index.events import Note, OnEvent, SyncResult
from workbench.index.patience import Patience
from workbench.index.space_sync import SpaceSync
from workbench.textsafe import printable

if TYPE_CHECKING:
    from workbench.confluence.client import ConfluenceClient
    from workbench.confluence.models import Space
    from workbench.index.sites import SiteRef
    from workbench.index.store import SiteIndex

PERSONAL = "personal"


async def sync_site(
    client: ConfluenceClient,
    index: SiteIndex,
    site: SiteRef,
    *,
    spaces: list[str] | None = None,
    all_spaces: bool = False,
    include_personal: bool = False,
    full: bool = False,
    on_event: OnEvent | None = None,
) -> SyncResult:
    """Sync the chosen spaces of ``client``'s site into ``index``; events go to ``on_event``."""
    tell: OnEvent = on_event or (lambda event: None)
    started = time.monotonic()
    sent = client.request_count
    result = SyncResult()
    patience = Patience(tell)
    if index.rebuilt:
        tell(
            Note(
                "the index was written by another version of Workbench in another layout: "
                "it is built again from the site"
            )
        )
    chosen, gone = await patience.call(
        lambda: choose_spaces(client, index, spaces or [], all_spaces, include_personal)
    )
    with index.transaction():
        for key, value in (
            ("site_key", site.key),
            ("site_name", site.name),
            ("profile", site.profile),
            ("base_url", client.base_url),
            ("flavour", client.kind),
        ):
            index.set_meta(key, value)
    for key in gone:
        removed = index.remove_space(key)
        tell(
            Note(
                f"no longer visible on the site: removed from the index with its {removed} pages",
                key,
            )
        )
        result.removed_spaces.append(key)
    for space in chosen:
        outcome = await SpaceSync(client, index, space, on_event=tell, patience=patience).run(
            full=full
        )
        tell(outcome)
        result.spaces.append(outcome)
    with index.transaction():
        index.set_meta("web_base", client.urls.web_base)
    index.compact()
    result.requests = client.request_count - sent
    result.seconds = time.monotonic() - started
    return result


async def choose_spaces(
    client: ConfluenceClient,
    index: SiteIndex,
    keys: list[str],
    all_spaces: bool,
    include_personal: bool,
) -> tuple[list[Space], list[str]]:
    """``(spaces to sync, indexed space keys to remove)``."""
    if include_personal and not all_spaces:
        raise UsageError(
            "--include-personal goes with --all (a personal space is synced when you name it, "
            "e.g. workbench sync '~alice')."
        )
    if keys:
        if all_spaces:
            raise UsageError("Name spaces or use --all, not both.")
        found = await spaces_by_key(client, keys)
        missing = [k for k in keys if k not in found]
        if missing:
            raise NotFound(
                f"No space {', '.join(printable(k) for k in missing)} is visible to this login "
                "(keys are case-sensitive; 'workbench spaces' lists them).",
                status=404,
            )
        return [found[k] for k in dict.fromkeys(keys)], []
    indexed = [s.key for s in index.spaces()]
    if all_spaces:
        visible = [s async for s in client.spaces()]
        chosen = [
            s for s in visible if s.status == "current" and (include_personal or s.type != PERSONAL)
        ]
        known = {s.key for s in visible}
        return chosen, _safe_to_remove(indexed, [k for k in indexed if k not in known])
    if not indexed:
        raise UsageError(
            "Nothing is indexed for this site yet: name the spaces to sync (workbench sync ENG OPS) "
            "or use --all."
        )
    found = await spaces_by_key(client, indexed)
    return [found[k] for k in indexed if k in found], _safe_to_remove(
        indexed, [k for k in indexed if k not in found]
    )


def _safe_to_remove(indexed: list[str], gone: list[str]) -> list[str]:
    if gone and len(gone) == len(indexed):
        raise WorkbenchError(
            "None of the indexed spaces is visible to this login any more, so nothing was synced or removed. "
            "If that is right, delete the index file; if not, check the login ('workbench sites')."
        )
    return gone


async def spaces_by_key(client: ConfluenceClient, keys: list[str]) -> dict[str, Space]:
    """The visible spaces among ``keys`` (Cloud: one request per 100 keys; Data Center: one per key)."""
    wanted = list(dict.fromkeys(keys))
    found: dict[str, Space] = {}
    if client.is_dc:
        for key in wanted:
            try:
                found[key] = await client.space_by_key(key)
            except NotFound:
                continue
        return found
    for start in range(0, len(wanted), 100):
        async for space in client.spaces(keys=wanted[start : start + 100]):
            if space.key in wanted:
                found[space.key] = space
    return found
