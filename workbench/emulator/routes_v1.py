"""REST v1 routes (``/wiki/rest/api/...``): current user, content GET/PUT/POST as Data Center
serves them, labels, the CQL search (:mod:`~workbench.emulator.routes_search`) and the Data Center
lists (:mod:`~workbench.emulator.routes_v1_dc`)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from workbench.emulator import shapes_v1
from workbench.emulator.errors import bad_request
from workbench.emulator.http import (
    account_of,
    endpoint,
    expand_param,
    id_field,
    int_param,
    json_body,
    object_body,
    state_of,
    storage_value,
    store_of,
    text_field,
)
from workbench.emulator.paging import site_base
from workbench.emulator.routes_lifecycle import lifecycle_routes
from workbench.emulator.routes_properties import v1_property_routes
from workbench.emulator.routes_search import search_routes
from workbench.emulator.routes_v1_attachments import attachment_routes_v1
from workbench.emulator.routes_v1_dc import dc_routes
from workbench.emulator.routes_v1_history import experimental_routes, history_routes
from workbench.emulator.space_access import check_change, check_view
from workbench.emulator.store_content import (
    BLOGPOST,
    BODY_KINDS,
    DC_KINDS,
    TREE_KINDS,
    kind_name,
)

PREFIX = "/wiki/rest/api"
EXPERIMENTAL = "/wiki/rest/experimental"


async def current_user(request: Request) -> Response:
    user = store_of(request).user(account_of(request))
    if user is None:
        user = {
            "account_id": account_of(request),
            "display_name": account_of(request),
            "email": "",
            "time_zone": "Etc/UTC",
        }
    return JSONResponse(shapes_v1.user_v1(user, site_base(request)))


def kinds_of(request: Request) -> tuple[str, ...]:
    """The kinds of content this site has: Data Center has pages and blog posts only (no folders,
    whiteboards, databases or smart links: those are Cloud's, and DC answers 404 for them)."""
    return DC_KINDS if state_of(request).is_dc else (*TREE_KINDS, BLOGPOST)


async def get_content(request: Request) -> Response:
    """``GET /content/{id}``: any kind of content; ``version=N`` (with or without
    ``status=historical``) an older version of it."""
    store = store_of(request)
    trashed = request.query_params.get("status") in (
        "trashed",
        "any",
    )  # v1: status filters, "any" too
    row = store.get_page(
        request.path_params["id"],
        version=int_param(request, "version"),
        trashed=trashed,
        kinds=kinds_of(request),
    )
    check_view(store, account_of(request), row)  # getContentById: 404 without view permission
    return JSONResponse(
        shapes_v1.content_v1(
            store,
            row,
            expand_param(request) or {"space", "version"},
            site_base(request),
            kinds=kinds_of(request),
        )
    )


def _parent_v1(data: dict[str, Any]) -> str | None:
    """The new parent from ``ancestors: [{"id": …}]`` (the last one), if any."""
    ancestors = data.get("ancestors")
    if ancestors in (None, []):
        return None
    if not isinstance(ancestors, list) or not isinstance(ancestors[-1], dict):
        raise bad_request('ancestors must be a list like [{"id": "65537"}].')
    return id_field(ancestors[-1], "id")


async def update_content(request: Request) -> Response:
    data = object_body(await json_body(request))
    version = data.get("version")
    if not isinstance(version, dict) or type(version.get("number")) is not int:
        raise bad_request("version.number is required: send the current version number plus one.")
    title = text_field(data, "title")
    kind = text_field(data, "type")
    if kind not in BODY_KINDS:
        raise bad_request("Only pages and blog posts can be updated on the local Confluence.")
    message = version.get("message") or ""
    if not isinstance(message, str):
        raise bad_request("version.message must be a string.")
    store = store_of(request)
    current = store.get_page(request.path_params["id"], trashed=True, kinds=kinds_of(request))
    # updateContent: 404 without view permission, 403 when the user can not update it
    check_change(store, account_of(request), current["space_id"], current["type"], "create")
    if current["type"] != kind:
        raise bad_request(
            f"Content {current['id']} is a {kind_name(current['type'])}, not a {kind_name(kind)}; "
            "its type cannot be changed."
        )
    if current["status"] == "trashed":  # status current restores it, content untouched (as v2 does)
        if (data.get("status") or "current") != "current":
            raise bad_request("A page in the trash can only be restored (status current).")
        row = store.restore_page(current["id"])
        return JSONResponse(
            shapes_v1.content_v1(
                store,
                row,
                {"space", "version", "body.storage"},
                site_base(request),
                kinds=kinds_of(request),
            )
        )
    row = store.update_page(
        current["id"],
        storage_value(data.get("body"), v1=True),
        title=title,
        version=version["number"],
        author=account_of(request),
        message=message,
        minor_edit=bool(version.get("minorEdit")),
        parent_id=_parent_v1(data),
        kinds=(kind,),
    )
    return JSONResponse(
        shapes_v1.content_v1(
            store,
            row,
            {"space", "version", "body.storage"},
            site_base(request),
            kinds=kinds_of(request),
        )
    )


async def create_content(request: Request) -> Response:
    """Data Center style create: pages (``space.key``, optional ``ancestors``), blog posts (no
    ancestors) and footer comments (``container`` a page or a blog post)."""
    data = object_body(await json_body(request))
    store = store_of(request)
    kind = text_field(data, "type")
    if kind == "comment":
        container = data.get("container")
        if not isinstance(container, dict):
            raise bad_request('A comment needs a container like {"id": "65537", "type": "page"}.')
        parent = _parent_v1(data)  # a reply names its parent comment in ancestors
        storage = storage_value(data.get("body"), v1=True)
        page_id = id_field(container, "id", required=True)
        store.get_page(page_id, kinds=DC_KINDS)  # comments go on pages and blog posts
        sent = data.get("extensions")
        extensions: dict[str, Any] = sent if isinstance(sent, dict) else {}
        parent_row = store.get_comment(parent) if parent else None
        if extensions.get("location") == "inline" or (
            parent_row and parent_row["location"] == "inline"
        ):
            row = _add_inline_v1(store, storage, page_id, parent, extensions, account_of(request))
        else:
            row = store.add_comment(
                storage, page_id=page_id, parent_comment_id=parent, author=account_of(request)
            )
        return JSONResponse(shapes_v1.comment_v1(store, row, site_base(request)))
    if kind not in BODY_KINDS:
        raise bad_request("type must be 'page', 'blogpost' or 'comment'.")
    if kind == BLOGPOST and data.get("ancestors"):
        raise bad_request("A blog post has no ancestors; it is published in the space's blog.")
    space_block = data.get("space")
    key = text_field(space_block, "key") if isinstance(space_block, dict) else None
    space = store.space_by_key(key) if key else None
    if space is None:
        raise bad_request(f'No space with key {key!r}; send "space": {{"key": "ENG"}}.')
    # createContent: 403 when the user may not create content in the space
    check_change(store, account_of(request), space["id"], kind or "page", "create")
    status = (
        text_field(data, "status", required=False) or "current"
    )  # Content.status: current or draft
    row = store.create_page(
        space["id"],
        text_field(data, "title"),
        storage_value(data.get("body"), v1=True),
        parent_id=_parent_v1(data),
        author=account_of(request),
        kind=kind,
        status=status,
    )
    return JSONResponse(
        shapes_v1.content_v1(
            store,
            row,
            {"space", "version", "body.storage"},
            site_base(request),
            kinds=kinds_of(request),
        )
    )


def _add_inline_v1(
    store, storage: str, page_id: str, parent: str | None, extensions: dict, author: str
):
    """v1 inline comment: ``extensions.inlineProperties`` {originalSelection, numMatches, matchIndex}
    (the fields Confluence's own editor sends; ``extensions.location`` is ``inline``)."""
    if parent:
        return store.add_inline_comment(storage, parent_comment_id=parent, author=author)
    props = extensions.get("inlineProperties")
    if not isinstance(props, dict) or not isinstance(props.get("originalSelection"), str):
        raise bad_request("An inline comment needs extensions.inlineProperties.originalSelection.")
    count, index = props.get("numMatches"), props.get("matchIndex", 0)
    if (count is not None and type(count) is not int) or type(index) is not int:
        raise bad_request("extensions.inlineProperties.numMatches and matchIndex must be integers.")
    return store.add_inline_comment(
        storage,
        page_id=page_id,
        selection=props["originalSelection"],
        match_count=count,
        match_index=index,
        author=author,
    )


async def get_labels(request: Request) -> Response:
    rows = store_of(request).labels(
        request.path_params["id"], prefix=request.query_params.get("prefix") or None
    )
    return JSONResponse(shapes_v1.labels_v1(rows))


async def add_labels(request: Request) -> Response:
    data = await json_body(request)
    items = data if isinstance(data, list) else [data]
    if not items:
        raise bad_request('No labels given; send [{"prefix": "global", "name": "release"}].')
    labels = []
    for item in items:
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("name"), str)
            or not isinstance(item.get("prefix") or "global", str)
        ):
            raise bad_request(
                'Each label must be an object like {"prefix": "global", "name": "release"}.'
            )
        labels.append((item.get("prefix") or "global", item["name"]))
    rows = store_of(request).add_labels(request.path_params["id"], labels)
    return JSONResponse(shapes_v1.labels_v1(rows))


async def remove_label(request: Request) -> Response:
    store_of(request).remove_label(request.path_params["id"], request.path_params["label"])
    return Response(status_code=204)


async def remove_label_by_query(request: Request) -> Response:
    name = request.query_params.get("name")
    if not name:
        raise bad_request("The label name is required (?name=…).")
    store_of(request).remove_label(request.path_params["id"], name)
    return Response(status_code=204)


def routes() -> list[Route]:
    def r(path: str, fn, methods=("GET",)) -> Route:
        return Route(PREFIX + path, endpoint(fn, "v1"), methods=list(methods))

    return [
        *[
            Route(PREFIX + path, endpoint(fn, "v1"), methods=m)
            for path, fn, m in attachment_routes_v1()
        ],
        *[Route(PREFIX + path, endpoint(fn, "v1"), methods=m) for path, fn, m in search_routes()],
        r("/user/current", current_user),
        r("/content", create_content, ("POST",)),
        r("/content/{id}", get_content),
        r("/content/{id}", update_content, ("PUT",)),
        r("/content/{id}/label", get_labels),
        r("/content/{id}/label", add_labels, ("POST",)),
        r("/content/{id}/label", remove_label_by_query, ("DELETE",)),
        r("/content/{id}/label/{label}", remove_label, ("DELETE",)),
        *[Route(PREFIX + path, endpoint(fn, "v1"), methods=m) for path, fn, m in dc_routes()],
        *[
            Route(PREFIX + path, endpoint(fn, "v1"), methods=m)
            for path, fn, m in lifecycle_routes()
        ],
        *[Route(PREFIX + path, endpoint(fn, "v1"), methods=m) for path, fn, m in history_routes()],
        *[
            Route(PREFIX + path, endpoint(fn, "v1"), methods=m)
            for path, fn, m in v1_property_routes()
        ],
        *[
            Route(EXPERIMENTAL + path, endpoint(fn, "v1"), methods=m)
            for path, fn, m in experimental_routes()
        ],
    ]
