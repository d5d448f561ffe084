"""What the :class:`~workbench.emulator.store.Store` mixins may use of the store, declared once.

Each mixin (``store_queries``, ``store_social``, ``store_inline``, ``store_content``) subclasses
:class:`StoreBase`, so the type checker knows ``self.db``, ``self.query(...)`` and the rest;
``Store`` (store.py) implements them and mixes everything together. The method declarations exist
for the type checker only (at run time the class body holds just the attribute annotations), so the
MRO finds ``Store``'s and the mixins' real methods.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any


class StoreBase:
    lock: threading.RLock
    db: sqlite3.Connection

    if TYPE_CHECKING:
        # store.py: the plumbing
        def transaction(self) -> AbstractContextManager[Any]: ...
        def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]: ...
        def query_one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None: ...
        def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any: ...
        def next_content_id(self) -> int: ...
        def reindex(self, page_id: int) -> None: ...
        def _page_row(
            self, page_id: int | str, *, trashed: bool = False, kinds: tuple[str, ...] | None = None
        ) -> dict[str, Any]: ...

        # one mixin's method another one calls
        def get_comment(self, comment_id: int | str) -> dict[str, Any]: ...  # store_social
        def list_pages(  # store_queries
            self,
            *,
            space_ids: Sequence[int] | None = None,
            ids: Sequence[int] | None = None,
            title: str | None = None,
            parent_id: int | None = None,
            root_only: bool = False,
            statuses: Sequence[str] = ("current", "archived"),
            sort: str = "id",
            offset: int = 0,
            limit: int = 25,
            with_body: bool = False,
            types: Sequence[str] | None = ("page",),
        ) -> list[dict[str, Any]]: ...
