"""Is the answer to a save's PUT what was sent? The same page, at base+1, with the title and the
content that were sent (a server may canonicalise the XHTML: then it must read the same as
Markdown). A PUT on a trashed page takes the page out of the trash without the edit: that is a
:class:`~workbench.services.save_outcome.Gone` (``restored``), not a save.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.services.save_outcome import (
    NEW_PAGE,
    SAVE_AGAIN,
    TO_FILE,
    Failed,
    Gone,
    SaveOutcome,
)

if TYPE_CHECKING:
    from workbench.confluence.models import Page
    from workbench.services.pages import OpenedPage


def verify(answer: Page, target: OpenedPage, title: str, storage: str) -> SaveOutcome | None:
    """None when ``answer`` is the page at base+1 carrying what was sent; the outcome otherwise."""
    # lazy, for start-up: workbench.confluence.errors … (with click, httpx …) loads on first use
    from workbench.confluence.errors import ServerError
    from workbench.confluence.writes import same_storage

    expected = target.base_version + 1
    if (
        answer.id == target.page.id
        and answer.version.number == target.base_version
        and (answer.status == "current")
    ):
        # A PUT on a trashed page takes it out of the trash and keeps its content (Confluence's
        # restore): the page is back, the edit is not in it.
        return Gone(
            "restored",
            f"“{target.page.title}” was in the trash. Confluence took it out of the "
            f"trash as it was (version {answer.version.number}) instead of saving your edit, so "
            "your edit is not on the page. Your text is kept: save again to put it on top.",
            (SAVE_AGAIN, NEW_PAGE, TO_FILE),
        )
    if (
        answer.id != target.page.id
        or answer.version.number != expected
        or answer.title.strip() != title.strip()
    ):
        error = ServerError(
            f"Confluence answered the save of page {target.page.id} with page {answer.id} "
            f"version {answer.version.number} “{answer.title}”, not version {expected}."
        )
        return Failed(
            error,
            f"Not saved: {error.message} Your text is kept; open the page again to see what "
            "it holds.",
            retryable=False,
        )
    if not same_storage(answer.storage, storage) and not _reads_the_same(
        answer.storage or "", storage
    ):
        error = ServerError(
            f"Confluence saved version {expected} of page {target.page.id} but answered with "
            "other content than was sent."
        )
        return Failed(
            error,
            f"Not confirmed: {error.message} Your text is kept; compare it with the page "
            "before saving again.",
            retryable=False,
        )
    return None


def _reads_the_same(a: str, b: str) -> bool:
    """Do two storage bodies read the same as Markdown (a server may canonicalise the XHTML)?"""
    # lazy, for start-up: workbench.convert loads on first use
    from workbench.convert import storage_to_markdown

    return storage_to_markdown(a) == storage_to_markdown(b)
