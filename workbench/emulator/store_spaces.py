"""Spaces of the local Confluence (mixed into :class:`~workbench.emulator.store.Store`): each is
created with its homepage, titled after the space, as Confluence does."""

from __future__ import annotations

from typing import Any

from workbench.emulator.errors import bad_request, not_found
from workbench.emulator.schema import DEMO_ACCOUNT_ID, FIRST_SPACE_ID, iso, utcnow
from workbench.emulator.store_base import StoreBase
from workbench.emulator.store_db import row_id


class SpacesMixin(StoreBase):
    """Uses the rest of the store through :class:`StoreBase`."""

    def create_space(
        self,
        key: str,
        name: str,
        *,
        type: str = "global",
        description: str = "",
        author: str = DEMO_ACCOUNT_ID,
        created_at: str | None = None,
        homepage_body: str | None = None,
    ) -> dict[str, Any]:
        """Create a space and its homepage (titled after the space, as Confluence does)."""
        with self.lock, self.transaction():
            if self.scalar("SELECT 1 FROM spaces WHERE key = ?", (key,)):
                raise bad_request(f"A space with key '{key}' already exists.")
            space_id = max(int(self.scalar("SELECT MAX(id) FROM spaces") or 0) + 1, FIRST_SPACE_ID)
            created = created_at or iso(utcnow())
            self.db.execute(
                "INSERT INTO spaces(id, key, name, type, author_id, created_at, description) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (space_id, key, name, type, author, created, description),
            )
            body = homepage_body if homepage_body is not None else f"<p>Welcome to {name}.</p>"
            home = self.create_page(
                space_id, name, body, author=author, created_at=created, root=True
            )
            self.db.execute(
                "UPDATE spaces SET homepage_id = ? WHERE id = ?", (int(home["id"]), space_id)
            )
        return self.get_space(space_id)

    def get_space(self, space_id: int | str) -> dict[str, Any]:
        space = self.query_one("SELECT * FROM spaces WHERE id = ?", (row_id(space_id, "space"),))
        if space is None:
            raise not_found("The space")
        return space

    def space_by_key(self, key: str) -> dict[str, Any] | None:
        return self.query_one("SELECT * FROM spaces WHERE key = ?", (key,))
