"""What came of a save, for the TUI, the agent and ``workbench push`` alike.

Every outcome has ``message``: plain sentences about what happened and what is kept, with no keys
or flags in it (each caller adds how *it* offers the next step). Callers dispatch on the type:

- :class:`Saved` — the page is now at base+1 carrying what was sent (or was created);
- :class:`NothingToSave` — the text is the page's; no request was sent;
- :class:`Unresolved` — conflict markers are still in the text; no request was sent;
- :class:`NeedsMerge` — someone saved in between (or comments were anchored in a way that touches
  the edit): nothing was written; ``conflict`` holds the 3-way merge to approve or resolve;
- :class:`Gone` — the page was trashed or deleted since it was opened: nothing was written, the
  text is kept, and ``remedies`` says what can be done with it (:data:`RESTORE`, :data:`SAVE_AGAIN`,
  :data:`NEW_PAGE`, :data:`TO_FILE`);
- :class:`TitleTaken` — another page in the space has that title: rename, then save again;
- :class:`Failed` — anything else; ``retryable`` is True only when the same save may work later
  (no connection, the server had a problem, rate limited), never for 400/403/404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.services.pages import Conflict, OpenedPage

RESTORE = "restore"  # take the page out of the trash and save on top of it
SAVE_AGAIN = (
    "save-again"  # the page is back (a save took it out of the trash as it was): save on top
)
NEW_PAGE = "new-page"  # save the text as a new page under the same parent
TO_FILE = "file"  # write the text to a file


@dataclass(frozen=True, slots=True)
class Saved:
    opened: OpenedPage  # the page as saved: the new pinned base
    message: str
    created: bool = False
    markers_kept: int = 0  # inline-comment markers added since the page was opened, kept
    markers_dropped: int = 0  # ... whose text the edit removed
    note: str = ""  # sentences about the markers, also at the end of ``message``
    draft_kept = False

    @property
    def version(self) -> int:
        return self.opened.base_version


@dataclass(frozen=True, slots=True)
class NothingToSave:
    message: str
    draft_kept = False


@dataclass(frozen=True, slots=True)
class Unresolved:
    message: str
    draft_kept = True


@dataclass(frozen=True, slots=True)
class NeedsMerge:
    conflict: Conflict
    message: str
    comments_only: bool = False  # theirs differs only by inline-comment markers (no new version)
    draft_kept = True

    @property
    def clean(self) -> bool:
        return self.conflict.merge.clean


@dataclass(frozen=True, slots=True)
class Gone:
    state: str  # "trashed", "deleted", or "restored" (a save took it out of the trash, without the edit)
    message: str
    remedies: tuple[str, ...] = field(default=())
    draft_kept = True


@dataclass(frozen=True, slots=True)
class TitleTaken:
    title: str
    existing_id: str
    message: str
    draft_kept = True


@dataclass(frozen=True, slots=True)
class Failed:
    error: WorkbenchError
    message: str
    retryable: bool
    draft_kept = True


SaveOutcome = Saved | NothingToSave | Unresolved | NeedsMerge | Gone | TitleTaken | Failed


def failed(error: WorkbenchError, what: str = "") -> Failed:
    """A :class:`Failed` for ``error``: retryable only when trying again can help."""
    # lazy, for start-up: workbench.confluence.errors loads on first use
    from workbench.confluence.errors import NetworkError, RateLimited, ServerError

    retryable = isinstance(error, NetworkError | RateLimited | ServerError)
    prefix = f"{what}: " if what else ""
    return Failed(error, f"{prefix}{error.message} Nothing is lost: your text is kept.", retryable)
