"""Users, groups, group membership and space permissions of the local Confluence (mixed into
:class:`~workbench.emulator.store.Store`).

Groups have an id (Cloud: a UUID), a name and a site access level (``user``, ``admin``,
``site-admin``: the values of v1 ``GET /group?accessType=``). A site admin is a member of a
``site-admin`` group (Cloud's ``site-admins``, Data Center's ``confluence-administrators``): only
they may change memberships, as the v1 spec says of ``/group/userByGroupId``. A user whose email is
hidden (``people_privacy``) is shown with an empty email to everyone else (the v1 ``User`` schema:
"Depending on the user's privacy setting, this may return an empty string").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from workbench.emulator.errors import bad_request, not_found
from workbench.emulator.store_base import StoreBase

ACCESS_LEVELS = ("user", "admin", "site-admin")


class PeopleMixin(StoreBase):
    """Uses the store through :class:`StoreBase`."""

    # -- users --------------------------------------------------------------------------------
    def add_user(
        self, account_id: str, display_name: str, email: str = "", time_zone: str = "Etc/UTC"
    ) -> None:
        with self.lock:
            self.db.execute(
                "INSERT OR REPLACE INTO users(account_id, display_name, email, time_zone) VALUES (?, ?, ?, ?)",
                (account_id, display_name, email, time_zone),
            )

    def user(self, account_id: str) -> dict[str, Any] | None:
        return self.query_one("SELECT * FROM users WHERE account_id = ?", (account_id,))

    def users(self, account_ids: Iterable[str]) -> list[dict[str, Any]]:
        ids = list(dict.fromkeys(account_ids))
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        return self.query(f"SELECT * FROM users WHERE account_id IN ({marks})", ids)

    def people(self) -> list[dict[str, Any]]:
        """Every user with ``email_visible``, ordered by display name."""
        return self.query(
            "SELECT u.*, COALESCE(p.email_visible, 1) AS email_visible FROM users u "
            "LEFT JOIN people_privacy p ON p.account_id = u.account_id "
            "ORDER BY u.display_name COLLATE NOCASE, u.account_id"
        )

    def person(self, account_id: str) -> dict[str, Any] | None:
        rows = [u for u in self.people() if u["account_id"] == account_id]
        return rows[0] if rows else None

    def person_by_username(self, username: str) -> dict[str, Any] | None:
        """Data Center: the username is the email's local part here (see ``shapes_v1.user_dc``)."""
        for user in self.people():
            if (user["email"] or user["account_id"]).split("@")[0].lower() == username.lower():
                return user
        return None

    def hide_email(self, account_id: str, hidden: bool = True) -> None:
        with self.lock:
            self.db.execute(
                "INSERT OR REPLACE INTO people_privacy(account_id, email_visible) VALUES (?, ?)",
                (account_id, 0 if hidden else 1),
            )

    # -- groups -------------------------------------------------------------------------------
    def add_group(self, group_id: str, name: str, access: str = "user") -> dict[str, Any]:
        if access not in ACCESS_LEVELS:
            raise ValueError(f"unknown group access {access!r}")
        with self.lock:
            self.db.execute(
                "INSERT OR REPLACE INTO people_groups(id, name, access) VALUES (?, ?, ?)",
                (group_id, name, access),
            )
        return self.group(group_id)

    def groups(self, access: str | None = None) -> list[dict[str, Any]]:
        """Every group, by name (v1 ``GET /group``: "ordered alphabetically in ascending order")."""
        if access:
            return self.query(
                "SELECT * FROM people_groups WHERE access = ? ORDER BY name COLLATE NOCASE",
                (access,),
            )
        return self.query("SELECT * FROM people_groups ORDER BY name COLLATE NOCASE")

    def group(self, group_id: str) -> dict[str, Any]:
        row = self.query_one("SELECT * FROM people_groups WHERE id = ?", (group_id,))
        if row is None:
            raise not_found(f"The group with id '{group_id}'")
        return row

    def group_named(self, name: str) -> dict[str, Any]:
        row = self.query_one("SELECT * FROM people_groups WHERE name = ?", (name,))
        if row is None:
            raise not_found(f"The group '{name}'")
        return row

    def members(self, group_id: str) -> list[dict[str, Any]]:
        """The group's members (users with ``email_visible``), by display name."""
        self.group(group_id)
        ids = {
            r["account_id"]
            for r in self.query(
                "SELECT account_id FROM people_group_members WHERE group_id = ?", (group_id,)
            )
        }
        return [u for u in self.people() if u["account_id"] in ids]

    def groups_of(self, account_id: str) -> list[dict[str, Any]]:
        return self.query(
            "SELECT g.* FROM people_groups g JOIN people_group_members m ON m.group_id = g.id "
            "WHERE m.account_id = ? ORDER BY g.name COLLATE NOCASE",
            (account_id,),
        )

    def is_site_admin(self, account_id: str) -> bool:
        return any(g["access"] == "site-admin" for g in self.groups_of(account_id))

    def add_member(self, group_id: str, account_id: str) -> bool:
        """True when the user was added, False when already a member."""
        with self.lock:
            self.group(group_id)
            if self.person(account_id) is None:
                raise not_found(f"The user with account id '{account_id}'")
            return bool(
                self.db.execute(
                    "INSERT OR IGNORE INTO people_group_members(group_id, account_id) VALUES (?, ?)",
                    (group_id, account_id),
                ).rowcount
            )

    def remove_member(self, group_id: str, account_id: str) -> bool:
        """True when the user was removed, False when not a member (the API still answers 204)."""
        with self.lock:
            group = self.group(group_id)
            if self.person(account_id) is None:
                raise not_found(f"The user with account id '{account_id}'")
            if group["access"] == "site-admin" and self._last_admin(group_id, account_id):
                raise bad_request(
                    f"{group['name']} would have no members left: a site needs an admin."
                )
            return bool(
                self.db.execute(
                    "DELETE FROM people_group_members WHERE group_id = ? AND account_id = ?",
                    (group_id, account_id),
                ).rowcount
            )

    def _last_admin(self, group_id: str, account_id: str) -> bool:
        members = self.query(
            "SELECT account_id FROM people_group_members WHERE group_id = ?", (group_id,)
        )
        return [m["account_id"] for m in members] == [account_id]

    # -- space permissions --------------------------------------------------------------------
    def grant_space(
        self, space_id: int, principal_type: str, principal_id: str, operations: list[str]
    ) -> None:
        """``operations``: ``"key:targetType"`` pairs, e.g. ``read:space``, ``create:page``."""
        with self.lock:
            for op in operations:
                key, _, target = op.partition(":")
                self.db.execute(
                    "INSERT INTO space_permissions(space_id, principal_type, principal_id, operation, "
                    "target_type) VALUES (?, ?, ?, ?, ?)",
                    (space_id, principal_type, principal_id, key, target),
                )

    def space_permissions(self, space_id: int | str) -> list[dict[str, Any]]:
        return self.query(
            "SELECT * FROM space_permissions WHERE space_id = ? ORDER BY id", (int(space_id),)
        )
