"""Groups, memberships, email privacy and space permissions of the seeded sites.

Every seed gets the groups (a real site always has ``confluence-users`` and its admins' group);
the demo seed also grants its spaces to them. Group ids are fixed UUIDs, as Cloud's are UUIDs.
Hana Kowalczyk keeps her email private: other callers see it empty.
"""

from __future__ import annotations

from workbench.emulator.schema import DEMO_ACCOUNT_ID
from workbench.emulator.space_access import ALL_OPERATIONS
from workbench.emulator.store import Store

PRIYA = "557058:6f1c2a9e-3b7d-4c1e-9a55-2d8e4f0b7c31"
MARCUS = "712020:0b9d8e2c-47a1-4f3e-b6c2-91e5d7a4f208"
HANA = "5b10ac8d82e05b22cc7d4ef5"
TOMAS = "557058:c4e7a1d2-8f3b-4a6c-b2d9-5e1f0a3c7b64"
GRACE = "63f2b9e1c7a4d5e6f7a8b9c0"
EVERYONE = (DEMO_ACCOUNT_ID, PRIYA, MARCUS, HANA, TOMAS, GRACE)
#: the short names the demo content gives its authors (``"author": "grace"``)
ALIASES = {
    "demo": DEMO_ACCOUNT_ID,
    "priya": PRIYA,
    "marcus": MARCUS,
    "hana": HANA,
    "tomas": TOMAS,
    "grace": GRACE,
}

#: name -> (id, access, members)
GROUPS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "site-admins": ("0d4b5c6e-1f2a-4b3c-8d9e-0a1b2c3d4e5f", "site-admin", (DEMO_ACCOUNT_ID,)),
    "confluence-users": ("7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d", "user", EVERYONE),
    "eng": (
        "c2e9f7a1-5b3d-4e6f-8a0b-1c2d3e4f5a6b",
        "user",
        (DEMO_ACCOUNT_ID, PRIYA, MARCUS, TOMAS),
    ),
    "design": ("e5f6a7b8-9c0d-4e1f-a2b3-c4d5e6f7a8b9", "user", (GRACE, HANA)),
    "contractors": ("f1e2d3c4-b5a6-4978-8a6b-5c4d3e2f1a0b", "user", (TOMAS, HANA)),
}

#: space key -> {group name: ["operation:targetType", …]} (v2 SpacePermissionAssignment keys)
SPACE_GRANTS: dict[str, dict[str, list[str]]] = {
    "ENG": {
        "site-admins": ["read:space", "administer:space"],
        "confluence-users": ["read:space"],
        "eng": ["read:space", "create:page", "delete:page", "create:blogpost", "create:comment"],
        "contractors": ["read:space", "create:comment", "create:attachment"],
    },
    "PROD": {
        "site-admins": ["read:space", "administer:space"],
        "confluence-users": ["read:space"],
        "design": ["read:space", "create:page", "create:blogpost", "create:comment"],
        "contractors": ["read:space", "create:comment"],
    },
    "~demo": {"site-admins": ["read:space", "administer:space"]},
}


def add_groups(store: Store) -> None:
    for name, (group_id, access, members) in GROUPS.items():
        store.add_group(group_id, name, access)
        for account_id in members:
            if store.user(account_id) is not None:
                store.add_member(group_id, account_id)
    store.hide_email(HANA)


def grant_demo_spaces(store: Store) -> None:
    """The demo spaces' permissions (spaces missing from the store are skipped): the groups' above,
    and every permission for the demo user, who made the spaces (Confluence gives a space's creator
    all of them). The local server enforces them (:mod:`workbench.emulator.space_access`)."""
    spaces = {key: store.space_by_key(key) for key in SPACE_GRANTS}
    for key, grants in SPACE_GRANTS.items():
        space = spaces.get(key)
        if space is None:
            continue
        for name, operations in grants.items():
            store.grant_space(int(space["id"]), "group", GROUPS[name][0], operations)
        store.grant_space(int(space["id"]), "user", DEMO_ACCOUNT_ID, list(ALL_OPERATIONS))
