"""What each part of the :class:`~workbench.emulator.store.Store` may use of the others, declared once.

Every part (``store_pages``, ``store_spaces``, ``store_queries``, ``store_social``, ``store_inline``,
``store_content``, ``store_lifecycle``, ``store_attachments``, ``store_people``, ``jira.store``)
subclasses :class:`StoreBase`: the plumbing it owns (:class:`~workbench.emulator.store_db.Database`:
``db``, ``lock``, ``transaction()``, ``query…()``) and :class:`StoreCalls`, the methods one part
calls on another. ``StoreCalls`` is a Protocol: its bodies are empty, so mypy counts each member as
abstract until a part implements it, and reports ``Store()`` if one is missing; at run time the
parts come first in the method order, so their methods are the ones called.
"""

from __future__ import annotations

from typing import Any, Protocol

from workbench.emulator.store_db import Database


class StoreCalls(Protocol):
    """The methods one part of the store calls on another (who implements each: the comment)."""

    # store_pages
    def next_content_id(self) -> int: ...
    def reindex(self, page_id: int) -> None: ...
    def page_row(
        self, page_id: int | str, *, trashed: bool = False, kinds: tuple[str, ...] | None = None
    ) -> dict[str, Any]: ...

    def check_title_free(
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

    # store_spaces
    def get_space(self, space_id: int | str) -> dict[str, Any]: ...

    # store_social
    def get_comment(self, comment_id: int | str) -> dict[str, Any]: ...

    # store_lifecycle
    def check_editable(self, page_id: int | str, what: str = "page") -> None: ...

    # store_queries
    def ancestors(self, page_id: int | str) -> list[dict[str, Any]]: ...


class StoreBase(Database, StoreCalls):
    """The base of every part of the store: the plumbing, and the calls declared above."""
