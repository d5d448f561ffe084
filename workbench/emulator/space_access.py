"""Space permissions, enforced: who may view a space's content, and who may add, edit or delete it.

The permissions are the v2 space permission assignments the store keeps (``space_permissions``:
a user or a group principal, an ``operation`` key and ``targetType``, as
``GET /wiki/api/v2/spaces/{id}/permissions`` serves them; the demo's are in
:mod:`workbench.emulator.seed_people`). The specs say what each request needs and what a caller
without it gets (``tests/specs/confluence-cloud-v2.openapi.json``, ``…-v1.openapi.json``):

- viewing (``read:space``): v2 ``getPageById``/``getBlogPostById``/``getSpaceById``/
  ``getPagesInSpace`` answer **404** ("the calling user does not have permission to view …"); v1
  ``getContentById`` and ``getSpace`` answer 404 too; the lists (``getSpaces``, ``getPages``,
  CQL search) return "only [what] the user has permission to view";
- adding and editing (``create:page`` for pages, ``create:blogpost`` for blog posts — Confluence's
  "Add" permission is also the edit permission): v2 ``createPage``/``updatePage`` answer **404**
  ("the user does not have the needed permissions"); v1 ``updateContent`` answers **403** ("the
  calling user can not update the content") and ``createContent`` **403**;
- deleting (``delete:page``/``delete:blogpost``): v2 ``deletePage`` 404, v1 ``deleteContent`` 403.

Where the caller may not view the space at all, every request about its content is a 404 (v1
and v2 alike: a space one cannot see does not exist for one). A 403 :class:`ApiError` here becomes
v2's 404 at the HTTP layer (:func:`workbench.emulator.http._error_body`), as the spec says.

A space with no assignments at all is open to every caller: the local server's ``large`` and
``wide`` seeds and the spaces a test creates carry none (on Confluence the creator of a space gets
every permission; here nobody is refused where nothing was granted).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workbench.emulator.errors import ApiError, not_found
from workbench.emulator.store_content import BLOGPOST, kind_name

if TYPE_CHECKING:
    from workbench.emulator.store import Store

VIEW = "read:space"
#: every operation a space's creator gets (the demo user in the demo's spaces)
ALL_OPERATIONS = (
    "read:space",
    "create:page",
    "delete:page",
    "create:blogpost",
    "delete:blogpost",
    "create:comment",
    "delete:comment",
    "create:attachment",
    "delete:attachment",
    "administer:space",
)


def operations(store: Store, account: str, space_id: int | str) -> set[str] | None:
    """What ``account`` may do in the space (``"create:page"`` …), or None when the space has no
    assignments (open to everyone)."""
    rows = store.space_permissions(space_id)
    if not rows:
        return None
    groups = {g["id"] for g in store.groups_of(account)}
    return {
        f"{row['operation']}:{row['target_type']}"
        for row in rows
        if (row["principal_type"] == "user" and row["principal_id"] == account)
        or (row["principal_type"] == "group" and row["principal_id"] in groups)
    }


def may(store: Store, account: str, space_id: int | str, operation: str = VIEW) -> bool:
    allowed = operations(store, account, space_id)
    return allowed is None or operation in allowed


def visible_spaces(store: Store, account: str) -> set[int] | None:
    """The ids of the spaces ``account`` may view, or None when it may view every space."""
    open_all = True
    seen: set[int] = set()
    for space in store.list_spaces(limit=100_000):
        allowed = operations(store, account, space["id"])
        if allowed is None or VIEW in allowed:
            seen.add(int(space["id"]))
        else:
            open_all = False
    return None if open_all else seen


def viewable_sql(store: Store, account: str, column: str = "p.space_id") -> str:
    """An SQL condition (``AND …``, or '') keeping the rows of spaces ``account`` may view (the
    CQL search returns only content the user has permission to view: v1 ``searchByCQL``)."""
    seen = visible_spaces(store, account)
    if seen is None:
        return ""
    return f"AND {column} IN ({', '.join(str(int(i)) for i in sorted(seen)) or 'NULL'}) "


def check_view(store: Store, account: str, row: dict[str, Any]) -> None:
    """A 404 (the spec's "not found or no permission to view") when ``account`` may not view the
    space of ``row`` (a content row or a space row)."""
    space_id = row["space_id"] if "space_id" in row else row["id"]
    if not may(store, account, space_id):
        what = kind_name(row["type"]) if "space_id" in row else "space"
        raise not_found(f"The {what}")


def check_change(store: Store, account: str, space_id: int | str, kind: str, verb: str) -> None:
    """Refuse adding or editing (``verb`` ``"create"``) or deleting (``"delete"``) content of
    ``kind`` in the space: 404 when the space cannot be viewed, else 403 (v1's answer; v2 turns it
    into its 404)."""
    allowed = operations(store, account, space_id)
    if allowed is None:
        return
    if VIEW not in allowed:
        raise not_found("The space")
    target = "blogpost" if kind == BLOGPOST else "page"
    if f"{verb}:{target}" not in allowed:
        doing = {"create": "add or edit", "delete": "delete"}[verb]
        raise ApiError(
            403,
            "FORBIDDEN",
            f"You do not have permission to {doing} {kind_name(kind)}s in this space.",
        )
