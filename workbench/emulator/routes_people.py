"""People endpoints: user search and lookup, groups, members, membership changes, space permissions.

Cloud (v1 spec ``tests/specs/confluence-cloud-v1.openapi.json``, v2 spec for the permissions):

- ``GET /rest/api/search/user?cql=`` (``searchUser``: SearchPageResponseSearchResult, each result a
  SearchResult with ``user`` and ``entityType: "user"``; CQL in :mod:`~workbench.emulator.people_cql`)
- ``GET /rest/api/user?accountId=`` (``getUser``: User; 404 when there is no such user)
- ``GET /rest/api/user/memberof?accountId=`` (``getGroupMembershipsForUser``: GroupArrayWithLinks)
- ``GET /rest/api/group`` (``getGroups``: by name, ``accessType`` filter), ``/group/by-id?id=``,
  ``/group/by-name?name=``, ``/group/picker?query=`` (Group / GroupArrayWithLinks)
- ``GET /rest/api/group/{groupId}/membersByGroupId`` (``getGroupMembersByGroupId``: UserArray, paged
  with start/limit; "400 if given limit is greater than 200")
- ``POST /rest/api/group/userByGroupId?groupId=`` with ``{"accountId": …}`` (201) and
  ``DELETE /rest/api/group/userByGroupId?groupId=&accountId=`` (204, also when the user was not a
  member); both "User must be a site admin", else 403
- ``GET /api/v2/spaces/{id}/permissions`` (``MultiEntityResult<SpacePermissionAssignment>``)

Data Center (DC REST reference, developer.atlassian.com/server/confluence/rest/v920/): users by
``username``/``key``, ``/user/memberof?username=``, ``/group`` (no ids: DC groups are named),
``/group/{groupName}/member``, and since 8.4 ``PUT``/``DELETE /user/{username}/group/{groupName}``
("Update/Delete user group": idempotent, 204, administrators only). Cloud-only paths answer DC's
404 here, and the DC-only ones Cloud's.

Email privacy: a user who hides their email is shown with ``email: ""`` to everyone else.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from workbench.emulator import shapes_v1
from workbench.emulator.errors import ApiError, bad_request, not_found
from workbench.emulator.http import (
    account_of,
    endpoint,
    int_param,
    json_body,
    object_body,
    state_of,
    store_of,
    text_field,
)
from workbench.emulator.paging import canonical_path, context_path, site_base, v2_list, window
from workbench.emulator.people_cql import matcher
from workbench.emulator.schema import iso, utcnow

PREFIX = "/wiki/rest/api"
MEMBERS_MAX = 200  # membersByGroupId: "Returned if given limit is greater than 200"


def _cloud_only(request: Request) -> None:
    if state_of(request).is_dc:
        raise not_found(f"No API endpoint at {request.scope.get('wb.sent_path', request.url.path)}")


def _dc_only(request: Request) -> None:
    if not state_of(request).is_dc:
        raise not_found(f"No API endpoint at {request.scope.get('wb.sent_path', request.url.path)}")


def _admin(request: Request) -> None:
    if not store_of(request).is_site_admin(account_of(request)):
        raise ApiError(
            403, "FORBIDDEN", "Only site admins can change group memberships; you are not one."
        )


def _seen(request: Request, user: dict[str, Any]) -> dict[str, Any]:
    """The user as the caller may see them: on Cloud a hidden email is empty for everyone else
    (Data Center users carry no email here, and their username comes from it)."""
    hidden = not user.get("email_visible", 1) and not state_of(request).is_dc
    if hidden and user["account_id"] != account_of(request):
        return {**user, "email": ""}
    return user


def _user(request: Request, user: dict[str, Any]) -> dict[str, Any]:
    return shapes_v1.user_v1(_seen(request, user), site_base(request))


def _group(request: Request, row: dict[str, Any]) -> dict[str, Any]:
    base = site_base(request)
    if state_of(request).is_dc:  # DC groups are known by name only
        return {
            "type": "group",
            "name": row["name"],
            "_links": {"self": f"{base}/rest/api/group/{row['name']}"},
        }
    return {
        "type": "group",
        "name": row["name"],
        "id": row["id"],
        "_links": {"self": f"{base}/rest/api/group/by-id?id={row['id']}"},
    }


def _window(request: Request, default: int, maximum: int | None = None) -> tuple[int, int]:
    start = int_param(request, "start", 0)
    limit = int_param(request, "limit", default)
    if start < 0 or limit < 0:
        raise bad_request("start and limit must be 0 or more.")
    if maximum is not None and limit > maximum:
        raise bad_request(f"The limit must be {maximum} or less.")
    return start, min(limit or default, 1000)


def _page(request: Request, rows: list[Any], start: int, limit: int, render) -> dict[str, Any]:
    """An offset page (``results``, ``start``, ``limit``, ``size``, ``_links`` with ``next``)."""
    chunk = rows[start : start + limit]
    path = canonical_path(request).removeprefix("/wiki")
    links: dict[str, Any] = {"base": site_base(request), "context": context_path(request)}
    links["self"] = f"{site_base(request)}{path}"
    if start + limit < len(rows):
        params = [
            (k, v) for k, v in request.query_params.multi_items() if k not in ("start", "limit")
        ]
        links["next"] = f"{path}?{urlencode([*params, ('start', start + limit), ('limit', limit)])}"
    return {
        "results": [render(r) for r in chunk],
        "start": start,
        "limit": limit,
        "size": len(chunk),
        "_links": links,
    }


def _account(request: Request) -> dict[str, Any]:
    """The user named by ``accountId``, ``key`` or ``username`` (DC) in the query."""
    store = store_of(request)
    params = request.query_params
    account = params.get("accountId") or params.get("key")
    username = params.get("username")
    if account:
        user = store.person(account)
    elif username:
        user = store.person_by_username(username)
    else:
        raise bad_request("Pass username or key." if state_of(request).is_dc else "Pass accountId.")
    if user is None:
        raise not_found(f"The user '{account or username}'")
    return user


# -- users ------------------------------------------------------------------------------------
async def search_users(request: Request) -> Response:
    _cloud_only(request)
    cql = request.query_params.get("cql") or ""
    matches = matcher(cql)
    start, limit = _window(request, 25)
    rows = [u for u in store_of(request).people() if matches(u)]
    now = iso(utcnow())

    def hit(user: dict[str, Any]) -> dict[str, Any]:
        return {
            "user": _user(request, user),
            "title": user["display_name"],
            "excerpt": "",
            "url": f"/people/{user['account_id']}",
            "breadcrumbs": [],
            "entityType": "user",
            "iconCssClass": "aui-icon content-type-profile",
            "lastModified": now,
            "score": 0.0,
        }

    body = _page(request, rows, start, limit, hit)
    body.update(totalSize=len(rows), cqlQuery=cql, searchDuration=1)
    return JSONResponse(body)


async def get_user(request: Request) -> Response:
    return JSONResponse(_user(request, _account(request)))


async def member_of(request: Request) -> Response:
    user = _account(request)
    start, limit = _window(request, 200)
    groups = store_of(request).groups_of(user["account_id"])
    return JSONResponse(_page(request, groups, start, limit, lambda g: _group(request, g)))


# -- groups -----------------------------------------------------------------------------------
async def list_groups(request: Request) -> Response:
    access = request.query_params.get("accessType")
    if access not in (None, "", "user", "admin", "site-admin"):
        raise bad_request("accessType must be user, admin or site-admin.")
    start, limit = _window(request, 200)
    groups = store_of(request).groups(access or None)
    return JSONResponse(_page(request, groups, start, limit, lambda g: _group(request, g)))


async def group_by_id(request: Request) -> Response:
    _cloud_only(request)
    group_id = request.query_params.get("id")
    if not group_id:
        raise bad_request("The group id is required (?id=…).")
    return JSONResponse(_group(request, store_of(request).group(group_id)))


async def group_by_name(request: Request) -> Response:
    name = request.path_params.get("name") or request.query_params.get("name")
    if not name:
        raise bad_request("The group name is required (?name=…).")
    return JSONResponse(_group(request, store_of(request).group_named(name)))


async def group_picker(request: Request) -> Response:
    _cloud_only(request)
    query = (request.query_params.get("query") or "").lower()
    start, limit = _window(request, 200, 200)
    groups = [g for g in store_of(request).groups() if query in g["name"].lower()]
    return JSONResponse(_page(request, groups, start, limit, lambda g: _group(request, g)))


async def members_by_group_id(request: Request) -> Response:
    _cloud_only(request)
    start, limit = _window(request, MEMBERS_MAX, MEMBERS_MAX)
    members = store_of(request).members(request.path_params["group_id"])
    return JSONResponse(_page(request, members, start, limit, lambda u: _user(request, u)))


async def members_by_name(request: Request) -> Response:
    store = store_of(request)
    group = store.group_named(request.path_params["name"])
    start, limit = _window(request, 200, 200)
    members = store.members(group["id"])
    return JSONResponse(_page(request, members, start, limit, lambda u: _user(request, u)))


# -- membership changes -----------------------------------------------------------------------
def _group_id_param(request: Request) -> str:
    group_id = request.query_params.get("groupId")
    if not group_id:
        raise bad_request("The groupId is required (?groupId=…).")
    return group_id


async def add_member(request: Request) -> Response:
    _cloud_only(request)
    group_id = _group_id_param(request)
    data = object_body(await json_body(request))
    account = text_field(data, "accountId")
    _admin(request)
    store_of(request).add_member(group_id, account)
    return Response(status_code=201)


async def remove_member(request: Request) -> Response:
    _cloud_only(request)
    group_id = _group_id_param(request)
    account = request.query_params.get("accountId")
    if not account:
        raise bad_request("The accountId of the member to remove is required (&accountId=…).")
    _admin(request)
    store_of(request).remove_member(group_id, account)  # 204 also when not a member (the spec)
    return Response(status_code=204)


async def dc_change_member(request: Request) -> Response:
    _dc_only(request)
    _admin(request)
    store = store_of(request)
    user = store.person_by_username(request.path_params["username"])
    if user is None:
        raise not_found(f"The user '{request.path_params['username']}'")
    group = store.group_named(request.path_params["name"])
    if request.method == "PUT":
        store.add_member(group["id"], user["account_id"])
    else:
        store.remove_member(group["id"], user["account_id"])
    return Response(status_code=204)


# -- space permissions (v2) -------------------------------------------------------------------
async def space_permissions(request: Request) -> Response:
    store = store_of(request)
    space = store.get_space(request.path_params["id"])
    offset, limit = window(request)
    rows = store.space_permissions(space["id"])[offset : offset + limit + 1]
    return v2_list(
        request,
        rows,
        offset,
        limit,
        lambda r: {
            "id": str(r["id"]),
            "principal": {"type": r["principal_type"], "id": r["principal_id"]},
            "operation": {"key": r["operation"], "targetType": r["target_type"]},
        },
    )


def routes() -> list[Route]:
    def v1(path: str, fn, methods=("GET",)) -> Route:
        return Route(PREFIX + path, endpoint(fn, "v1"), methods=list(methods))

    return [
        v1("/search/user", search_users),
        v1("/user", get_user),
        v1("/user/memberof", member_of),
        v1("/user/{username}/group/{name}", dc_change_member, ("PUT", "DELETE")),
        v1("/group", list_groups),
        v1("/group/by-id", group_by_id),
        v1("/group/by-name", group_by_name),
        v1("/group/picker", group_picker),
        v1("/group/userByGroupId", add_member, ("POST",)),
        v1("/group/userByGroupId", remove_member, ("DELETE",)),
        v1("/group/{group_id}/membersByGroupId", members_by_group_id),
        v1("/group/{name}/member", members_by_name),
        v1("/group/{name}", group_by_name),
        Route("/wiki/api/v2/spaces/{id}/permissions", endpoint(space_permissions), methods=["GET"]),
    ]
