"""The state of the local Confluence: spaces, pages with every version, labels, comments, users.

:class:`Store` puts together the parts, each a module named for what it keeps; they share the
plumbing of :class:`~workbench.emulator.store_db.Database` (one SQLite connection under a re-entrant
lock; rows as plain dicts) and call each other only through what
:class:`~workbench.emulator.store_base.StoreBase` declares, which mypy checks ``Store`` against.
Methods raise :class:`~workbench.emulator.errors.ApiError` for what Confluence would refuse (404,
409, duplicate titles), so the HTTP layer only chooses the error body's dialect.
"""

from __future__ import annotations

from pathlib import Path

from workbench.emulator.jira.store import JiraMixin
from workbench.emulator.schema import DEMO_ACCOUNT_ID  # re-exported for the seeds
from workbench.emulator.store_attachments import AttachmentsMixin
from workbench.emulator.store_content import ContentMixin
from workbench.emulator.store_inline import InlineCommentsMixin
from workbench.emulator.store_lifecycle import LifecycleMixin
from workbench.emulator.store_pages import PagesMixin
from workbench.emulator.store_people import PeopleMixin
from workbench.emulator.store_queries import ReadQueriesMixin
from workbench.emulator.store_social import SocialMixin
from workbench.emulator.store_spaces import SpacesMixin

__all__ = ["DEMO_ACCOUNT_ID", "Store"]


class Store(
    ReadQueriesMixin,
    PeopleMixin,
    SocialMixin,
    InlineCommentsMixin,
    LifecycleMixin,
    AttachmentsMixin,
    ContentMixin,
    SpacesMixin,
    PagesMixin,
    JiraMixin,
):
    """All state of one local Confluence site."""

    def __init__(self, path: str | Path | None = None) -> None:
        super().__init__(path)
        self.seeded_now = False  # set by runner.open_store when it applied the seed to new data
