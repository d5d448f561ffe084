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
    read_only: set[int]  # content the API user may not change (store_lifecycle.restrict_edits)
    long_tasks: dict[str, dict[str, Any]]  # v1 long tasks by id (store_lifecycle)

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

        def _check_title_free(
            self, space_id: int, title: str, kind: str = "page", created: str = ""
        ) -> None: ...
        def get_page(
            self,
            page_id: int | str,
            *,
            version: int | None = None,
            trashed: bool = False,
            kinds: tuple[str, ...] | None = None,
        ) -> dict[str, Any]: ...
        def create_page(
            self,
            space_id: int | str,
            title: str,
            body: str,
            *,
            parent_id: int | str | None = None,
            author: str = ...,
            created_at: str | None = None,
            message: str = "",
            root: bool = False,
            kind: str = "page",
            embed_url: str | None = None,
            status: str = "current",
        ) -> dict[str, Any]: ...
        def update_page(
            self,
            page_id: int | str,
            storage: str,
            *,
            title: str | None = None,
            version: int | None = None,
            author: str = ...,
            message: str = "",
            minor_edit: bool = False,
            parent_id: int | str | None = None,
            when: str | None = None,
            kinds: tuple[str, ...] | None = None,
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
