"""Reading a page from the local index when the site cannot be reached (the page pane's fallback).

The copy is what the last ``workbench sync`` saw (``index.offline``): it opens in the viewer marked
as offline, with its version and age, and becomes the page being shown like any other, so ``e``
edits it — the text is kept as a draft as you type, and ``ctrl+s`` saves it through the editing
session once the site is back: the session reads the page first, so a newer version on the site is
merged (or shown as a conflict) as for any other edit, never overwritten. Comments, labels and
history need the site and say so when they cannot reach it.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from workbench.errors import WorkbenchError
from workbench.textsafe import printable

if TYPE_CHECKING:
    from workbench.index.offline import OfflinePage
    from workbench.services.pages import OpenedPage
    from workbench.tui.panes.page import PagePane


async def show_offline(pane: PagePane, page_id: str, error: WorkbenchError) -> bool:
    """Show the indexed copy of ``page_id`` because ``error`` kept the site from answering; False
    (nothing shown) when the site has no index or the index does not hold the page."""
    # lazy, for start-up: workbench.services.workspace loads on first use
    from workbench.services.workspace import PageExtras

    local = pane.host.local_index
    if not local.available:
        return False
    try:
        page = await asyncio.to_thread(local.offline_page, page_id)
    except WorkbenchError:
        return False
    ws = pane.host.workspace
    opened = page.opened()
    pane.extras = PageExtras(
        ancestors=tuple(title for _, title in page.ancestors), labels=page.labels
    )
    pane.offline = page
    if ws is not None:
        pane.set_current(opened)
    pane.show_page(opened)
    pane.query_one("#page-header", Static).update(offline_header(opened, page, error))
    pane.host.mark_connection(error)
    pane.notify(
        f"Offline: “{printable(page.title)}” version {page.version} from the local index "
        f"({page.age()}). Edits are kept as drafts; ctrl+s saves once the site is back.",
        severity="warning",
        timeout=8,
    )
    return True


def offline_header(opened: OpenedPage, page: OfflinePage, error: WorkbenchError) -> Text:
    """The usual header, then a line saying this is the index's copy: version, age, why."""
    # lazy, for start-up: workbench.services.workspace, workbench.tui.page_text loads on first use
    from workbench.services.workspace import PageExtras
    from workbench.tui.page_text import header_text

    extras = PageExtras(ancestors=tuple(title for _, title in page.ancestors), labels=page.labels)
    text = header_text(opened, extras, [])
    text.append("\n")
    text.append(" OFFLINE ", style="bold reverse")
    text.append(
        f" read-only copy from the local index: version {page.version}, {page.age()}"
        + ("" if page.complete else " (the space's first sync did not finish)"),
        style="bold",
    )
    text.append(
        f" — {printable(error.message)} e edits into a draft; ctrl+s saves when the site is back.",
        style="dim",
    )
    return text
