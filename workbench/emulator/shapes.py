"""JSON shapes of the v2 API (Confluence Cloud), built from store rows."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus


def tiny(content_id: int) -> str:
    """A short ``/x/…`` link like Confluence's tiny links (base64 of the id, little-endian)."""
    import base64

    raw = int(content_id).to_bytes(8, "little").rstrip(b"\0") or b"\0"
    return "/x/" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def page_webui(space_key: str, page_id: int, title: str) -> str:
    return f"/spaces/{space_key}/pages/{page_id}/{quote_plus(title)}"


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


def page_v2(row: dict[str, Any], space_key: str, *, body: bool = False, base: str | None = None) -> dict[str, Any]:
    """PageBulk (``base`` unset) or PageSingle (``base`` set); ``body`` adds ``body.storage``."""
    page_id = row["id"]
    out: dict[str, Any] = {
        "id": str(page_id),
        "status": row["status"],
        "title": row["title"],
        "spaceId": str(row["space_id"]),
        "parentId": str(row["parent_id"]) if row["parent_id"] is not None else None,
        "parentType": "page" if row["parent_id"] is not None else None,
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


def child_v2(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(row["id"]),
        "status": row["status"],
        "title": row["title"],
        "spaceId": str(row["space_id"]),
        "childPosition": row["position"],
    }


def page_version_v2(row: dict[str, Any], *, body: bool = False) -> dict[str, Any]:
    """An item of ``GET /pages/{id}/versions``."""
    page: dict[str, Any] = {"id": str(row["page_id"]), "title": row["title"]}
    if body:
        page["body"] = {"storage": {"representation": "storage", "value": row["body"]}}
    return {
        "createdAt": row["created_at"],
        "message": row["message"],
        "number": row["number"],
        "minorEdit": bool(row["minor_edit"]),
        "authorId": row["author_id"],
        "page": page,
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


def comment_v2(row: dict[str, Any], space_key: str, *, body: bool = True, base: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": str(row["id"]),
        "status": row["status"],
        "title": f"Re: {row['page_title']}",
        "pageId": str(row["page_id"]),
        "version": {
            "createdAt": row["created_at"],
            "message": "",
            "number": row["version"],
            "minorEdit": False,
            "authorId": row["author_id"],
        },
        "body": {"storage": {"representation": "storage", "value": row["body"]}} if body else {},
        "_links": {
            "webui": page_webui(space_key, row["page_id"], row["page_title"])
            + f"?focusedCommentId={row['id']}#comment-{row['id']}",
        },
    }
    if row.get("parent_comment_id") is not None:
        out["parentCommentId"] = str(row["parent_comment_id"])
    if base:
        out["_links"]["base"] = base
    return out


def inline_comment_v2(row: dict[str, Any], space_key: str, *, body: bool = True,
                      base: str | None = None) -> dict[str, Any]:
    """InlineCommentModel / PageInlineCommentModel / InlineCommentChildrenModel (v2 spec).

    ``properties`` carries ``inlineMarkerRef`` and ``inlineOriginalSelection`` and, as Cloud still
    sends them, the deprecated ``inline-marker-ref`` / ``inline-original-selection`` spellings
    (InlineCommentProperties). ``resolutionStatus`` is InlineCommentResolutionStatus; the
    ``resolutionLastModifier…`` fields appear once a comment was resolved or reopened.
    ``row["resolution"]`` is the reported status (the store works out ``dangling``).
    """
    out = comment_v2(row, space_key, body=body, base=base)
    out["_links"]["webui"] = (page_webui(space_key, row["page_id"], row["page_title"])
                              + f"?focusedCommentId={row['id']}")
    out["resolutionStatus"] = row["resolution"]
    if row.get("resolved_by"):
        out["resolutionLastModifierId"] = row["resolved_by"]
        out["resolutionLastModifiedAt"] = row["resolved_at"]
    ref, selection = row.get("marker_ref") or "", row.get("selection") or ""
    out["properties"] = {"inlineMarkerRef": ref, "inlineOriginalSelection": selection,
                         "inline-marker-ref": ref, "inline-original-selection": selection}
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
