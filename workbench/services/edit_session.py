"""One editing session: an open page from the moment it is opened until it is saved.

The TUI editor, the agent's apply and ``workbench push`` all edit through :class:`EditSession`; none
of them keeps its own copy of "save → conflict → merge". The session owns:

- the pinned base (``opened``: the version the edit started from) and, after a concurrent save,
  the :class:`~workbench.services.pages.Conflict` whose ``theirs`` is the new base;
- the text (``text``), what counts as "nothing to save", the wanted title (``rename``);
- the draft: its key (site, page — or parent + a stable id for a page not created yet — and base
  version), when it is due (:class:`~workbench.services.drafts.DraftSchedule`), writing it and
  discarding it;
- saving, and the outcome (:mod:`workbench.services.save_outcome`): callers only decide how to show
  it.

A save (:meth:`EditSession.save`) is at most two requests when nobody else saved: a GET of the page
(its current version *and* storage), then the PUT of base+1.

- The GET tells a page trashed or deleted since it was opened (before a PUT that would take it out of
  the trash without the edit, as Confluence does) and a concurrent save (a merge, no PUT).
- It also sees what a version number cannot: an inline comment added since the page was opened
  changes the storage **without a new version** (hunyadi/md2conf#277). Its marker is merged into the
  text (:func:`workbench.services.markers.keep_markers`) and the text is converted against the
  current storage, so the comment stays anchored.
- The answer to the PUT is verified: the same page, at base+1, carrying what was sent. Anything else
  is not reported as saved (the text is kept).

Nothing is sent when there is nothing to save, or when conflict markers are still in the text.

The session is made of: :mod:`workbench.services.session_state` (what is edited, the text, the
draft, looks at the server), :mod:`workbench.services.session_save` (saving, merges, a page gone
meanwhile, taken titles), :mod:`workbench.services.save_verify` (checking the answer to the PUT)
and :mod:`workbench.services.session_remedies` (restore, save as a new page, write to a file; the
creation of a new page). Their names are importable from here, as before.
"""

from __future__ import annotations

from workbench.services.session_remedies import RemediesMixin
from workbench.services.session_state import LONG_EDIT as LONG_EDIT
from workbench.services.session_state import MERGE_MESSAGE as MERGE_MESSAGE
from workbench.services.session_state import NewPage as NewPage
from workbench.services.session_state import Remote as Remote
from workbench.services.session_state import title_taken as title_taken


class EditSession(RemediesMixin):
    """An open page being edited (or a new page being written). See the module docstring."""
