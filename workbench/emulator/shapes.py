"""JSON shapes of the v2 API (Confluence Cloud), built from store rows."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus


def tiny(content_id: int) -> str:
    """A short ``/x/…`` link as Confluence writes it (its ``TinyUrl`` encoding of the id; sources in
    :func:`workbench.confluence.page_ref.tiny_to_id`)."""
    # lazy, for start-up: workbench.confluence.page_ref loads on first use
    from workbench.confluence.page_ref import id_to_tiny

    return "/x/" + id_to_tiny(content_id)


def page_webui(space_key: str, page_id: int, title: str) -> str:
    return f"/spaces/{space_key}/pages/{page_id}/{quote_plus(title)}"


def blog_webui(space_key: str, post_id: int, title: str, created_at: str) -> str:
    """A Cloud blog post's address: ``/spaces/KEY/blog/YYYY/MM/DD/ID/Title`` (the posting day)."""
    day = created_at[:10].replace("-", "/")
    return f"/spaces/{space_key}/blog/{day}/{post_id}/{quote_plus(title)}"


def content_webui(row: dict[str, Any], space_key: str) -> str:
    """``_links.webui`` of any kind of content. Pages and blog posts as above; folders, whiteboards,
    databases and smart links as Cloud's own addresses name them (``/spaces/KEY/folder/ID``,
    ``…/whiteboard/ID``, ``…/database/ID``, ``…/embed/ID``) — the spec's ``FolderLinks`` and the like
    only say it is a web UI path."""
    kind = row.get("type") or "page"
    if kind == "page":
        return page_webui(space_key, row["id"], row["title"])
    if kind == "blogpost":
        return blog_webui(space_key, row["id"], row["title"], row["created_at"])
    return f"/spaces/{space_key}/{kind}/{row['id']}"


def version_v2(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "createdAt": row["modified_at"],
        "message": row["version_message"],
        "number": row["version"],
        "minorEdit": bool(row["minor_edit"]),
        "authorId": row["modified_by"],
    }


def space_v2(space: dict[str, Any], *, base: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": str(space["id"]),
        "key": space["key"],
        "name": space["name"],
        "type": space["type"],
        "status": space["status"],
        "authorId": space["author_id"],
        "createdAt": space["created_at"],
        "homepageId": str(space["homepage_id"]) if space["homepage_id"] is not None else None,
        "description": {"plain": {"representation": "plain", "value": space["description"]}},
        "_links": {"webui": f"/spaces/{space['key']}"},
    }
    if base:
        out["_links"]["base"] = base
    return out


def page_v2(
    row: dict[str, Any], space_key: str, *, body: bool = False, base: str | None = None
) -> dict[str, Any]:
    """PageBulk (``base`` unset) or PageSingle (``base`` set); ``body`` adds ``body.storage``."""
    page_id = row["id"]
    out: dict[str, Any] = {
        "id": str(page_id),
        "status": row["status"],
        "title": row["title"],
        "spaceId": str(row["space_id"]),
        "parentId": str(row["parent_id"]) if row["parent_id"] is not None else None,
        "parentType": (row.get("parent_type") or "page") if row["parent_id"] is not None else None,
        "position": row["position"],
        "authorId": row["author_id"],
        "ownerId": row["owner_id"],
        "lastOwnerId": None,
        "createdAt": row["created_at"],
        "version": version_v2(row),
        "body": {"storage": {"representation": "storage", "value": row["body"]}} if body else {},
        "_links": {
            "webui": page_webui(space_key, page_id, row["title"]),
            "editui": f"/pages/resumedraft.action?draftId={page_id}",
            "tinyui": tiny(page_id),
        },
    }
    if base:
        out["_links"]["base"] = base
    return out


def blogpost_v2(
    row: dict[str, Any], space_key: str, *, body: bool = False, base: str | None = None
) -> dict[str, Any]:
    """BlogPostBulk (``base`` unset) or BlogPostSingle (``base`` set): no parent, position or owner
    (v2 spec ``BlogPostBulk``/``BlogPostSingle``)."""
    post_id = row["id"]
    out: dict[str, Any] = {
        "id": str(post_id),
        "status": row["status"],
        "title": row["title"],
        "spaceId": str(row["space_id"]),
        "authorId": row["author_id"],
        "createdAt": row["created_at"],
        "version": version_v2(row),
        "body": {"storage": {"representation": "storage", "value": row["body"]}} if body else {},
        "_links": {
            "webui": blog_webui(space_key, post_id, row["title"], row["created_at"]),
            "editui": f"/pages/resumedraft.action?draftId={post_id}",
            "tinyui": tiny(post_id),
        },
    }
    if base:
        out["_links"]["base"] = base
    return out


def tree_item_v2(row: dict[str, Any], space_key: str, *, base: str | None = None) -> dict[str, Any]:
    """FolderSingle, WhiteboardSingle, DatabaseSingle or SmartLinkSingle (v2 spec): the same members,
    ``type`` naming the kind; a smart link adds ``embedUrl`` when it has one."""
    out: dict[str, Any] = {
        "id": str(row["id"]),
        "type": row["type"],
        "status": row["status"],
        "title": row["title"],
        "parentId": str(row["parent_id"]) if row["parent_id"] is not None else None,
        "parentType": (row.get("parent_type") or "page") if row["parent_id"] is not None else None,
        "position": row["position"],
        "authorId": row["author_id"],
        "ownerId": row["owner_id"],
        "createdAt": row["created_at"],
        "version": version_v2(row),
        "_links": {"webui": content_webui(row, space_key)},
    }
    if row["type"] == "embed" and row.get("embed_url"):
        out["embedUrl"] = row["embed_url"]
    if base:
        out["_links"]["base"] = base
    return out


def direct_child_v2(row: dict[str, Any]) -> dict[str, Any]:
    """An item of ``GET /{pages|folders|whiteboards|databases|embeds}/{id}/direct-children``: the
    current spec's ``ChildrenResponse`` (id, status, title, type, spaceId, childPosition), generated
    from Atlassian's openapi-v2.v3.json in voidrot/md-flux ``docs/ChildrenResponse.md``."""
    return {
        "id": str(row["id"]),
        "status": row["status"],
        "title": row["title"],
        "type": row["type"],
        "spaceId": str(row["space_id"]),
        "childPosition": row["position"],
    }


def child_v2(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(row["id"]),
        "status": row["status"],
        "title": row["title"],
        "spaceId": str(row["space_id"]),
        "childPosition": row["position"],
    }


def page_version_v2(
    row: dict[str, Any], *, body: bool = False, kind: str = "page"
) -> dict[str, Any]:
    """An item of ``GET /pages/{id}/versions`` (``PageVersion``: the page under ``page``) or of
    ``GET /blogposts/{id}/versions`` (``BlogPostVersion``: under ``blogpost``)."""
    page: dict[str, Any] = {"id": str(row["page_id"]), "title": row["title"]}
    if body:
        page["body"] = {"storage": {"representation": "storage", "value": row["body"]}}
    return {
        "createdAt": row["created_at"],
        "message": row["message"],
        "number": row["number"],
        "minorEdit": bool(row["minor_edit"]),
        "authorId": row["author_id"],
        ("blogpost" if kind == "blogpost" else "page"): page,
    }


def detailed_version_v2(row: dict[str, Any], collaborators: list[str]) -> dict[str, Any]:
    """``GET /pages/{id}/versions/{n}``: no body, with neighbours."""
    number = row["number"]
    out = {
        "number": number,
        "authorId": row["author_id"],
        "message": row["message"],
        "createdAt": row["created_at"],
        "minorEdit": bool(row["minor_edit"]),
        "contentTypeModified": False,
        "collaborators": collaborators,
    }
    if number > 1:
        out["prevVersion"] = number - 1
    if number < row["current"]:
        out["nextVersion"] = number + 1
    return out


def comment_v2(
    row: dict[str, Any], space_key: str, *, body: bool = True, base: str | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": str(row["id"]),
        "status": row["status"],
        "title": f"Re: {row['page_title']}",
        # FooterCommentModel: the container is pageId or blogPostId (v2 spec)
        ("blogPostId" if row.get("page_type") == "blogpost" else "pageId"): str(row["page_id"]),
        "version": {
            "createdAt": row["created_at"],
            "message": "",
            "number": row["version"],
            "minorEdit": False,
            "authorId": row["author_id"],
        },
        "body": {"storage": {"representation": "storage", "value": row["body"]}} if body else {},
        "_links": {
            "webui": content_webui(
                {
                    "id": row["page_id"],
                    "title": row["page_title"],
                    "type": row.get("page_type") or "page",
                    "created_at": row.get("page_created_at") or "",
                },
                space_key,
            )
            + f"?focusedCommentId={row['id']}#comment-{row['id']}",
        },
    }
    if row.get("parent_comment_id") is not None:
        out["parentCommentId"] = str(row["parent_comment_id"])
    if base:
        out["_links"]["base"] = base
    return out


def inline_comment_v2(
    row: dict[str, Any], space_key: str, *, body: bool = True, base: str | None = None
) -> dict[str, Any]:
    """InlineCommentModel / PageInlineCommentModel / InlineCommentChildrenModel (v2 spec).

    ``properties`` carries ``inlineMarkerRef`` and ``inlineOriginalSelection`` and, as Cloud still
    sends them, the deprecated ``inline-marker-ref`` / ``inline-original-selection`` spellings
    (InlineCommentProperties). ``resolutionStatus`` is InlineCommentResolutionStatus; the
    ``resolutionLastModifier…`` fields appear once a comment was resolved or reopened.
    ``row["resolution"]`` is the reported status (the store works out ``dangling``).
    """
    out = comment_v2(row, space_key, body=body, base=base)
    out["_links"]["webui"] = (
        page_webui(space_key, row["page_id"], row["page_title"]) + f"?focusedCommentId={row['id']}"
    )
    out["resolutionStatus"] = row["resolution"]
    if row.get("resolved_by"):
        out["resolutionLastModifierId"] = row["resolved_by"]
        out["resolutionLastModifiedAt"] = row["resolved_at"]
    ref, selection = row.get("marker_ref") or "", row.get("selection") or ""
    out["properties"] = {
        "inlineMarkerRef": ref,
        "inlineOriginalSelection": selection,
        "inline-marker-ref": ref,
        "inline-original-selection": selection,
    }
    if row.get("parent_comment_id") is not None:
        out.pop("pageId", None)  # InlineCommentChildrenModel names the parent, not the page
    return out


def label_v2(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": str(row["id"]), "name": row["name"], "prefix": row["prefix"]}


def user_v2(row: dict[str, Any]) -> dict[str, Any]:
    """An item of ``POST /users-bulk``."""
    return {
        "accountId": row["account_id"],
        "accountType": "atlassian",
        "accountStatus": "active",
        "displayName": row["display_name"],
        "publicName": row["display_name"],
        "email": row["email"],
        "timeZone": row["time_zone"],
        "profilePicture": {
            "path": f"/wiki/aa-avatar/{row['account_id']}",
            "width": 48,
            "height": 48,
            "isDefault": True,
        },
    }
