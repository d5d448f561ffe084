"""JSON shapes of the v1 API (``/wiki/rest/api``), as Confluence Cloud (older) and Data Center serve them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote_plus

from workbench.emulator.flavour import context_of, is_dc
from workbench.emulator.schema import parse_iso
from workbench.emulator.shapes import content_webui, page_webui, tiny
from workbench.emulator.shapes_v1_comments import embedded_comments


def page_webui_for(base: str, space_key: str, page_id: int, title: str) -> str:
    """``_links.webui`` of a page: Cloud ``/spaces/KEY/pages/ID/Title``; Data Center
    ``/pages/viewpage.action?pageId=ID`` (the form DC uses for any title; recorded DC answers in
    Virtomize/confluence-go-api ``mocks/`` and the DC REST reference show it and ``/display/KEY/…``)."""
    if is_dc(base):
        return f"/pages/viewpage.action?pageId={page_id}"
    return page_webui(space_key, page_id, title)


def webui_for(base: str, row: dict[str, Any], space_key: str) -> str:
    """``_links.webui`` of any content: a Data Center blog post is ``/display/KEY/YYYY/MM/DD/Title``
    (its posting day; DC addresses blog posts by day and title); the rest as on each site."""
    kind = row.get("type") or "page"
    if is_dc(base):
        if kind == "blogpost":
            return f"/display/{space_key}/{row['created_at'][:10].replace('-', '/')}/{quote_plus(row['title'])}"
        return f"/pages/viewpage.action?pageId={row['id']}"
    return content_webui(row, space_key)


def space_webui_for(base: str, key: str) -> str:
    """``_links.webui`` of a space: Cloud ``/spaces/KEY``; Data Center ``/display/KEY``
    (Virtomize/confluence-go-api ``mocks/spaces.json``, a real DC 7 answer)."""
    return f"/display/{key}" if is_dc(base) else f"/spaces/{key}"


def user_v1(user: dict[str, Any], base: str) -> dict[str, Any]:
    if is_dc(base):
        return user_dc(user, base)
    return {
        "type": "known",
        "accountId": user["account_id"],
        "accountType": "atlassian",
        "email": user.get("email", ""),
        "publicName": user["display_name"],
        "displayName": user["display_name"],
        "timeZone": user.get("time_zone", "Etc/UTC"),
        "isExternalCollaborator": False,
        "profilePicture": {
            "path": f"/wiki/aa-avatar/{user['account_id']}",
            "width": 48,
            "height": 48,
            "isDefault": True,
        },
        "_links": {
            "self": f"{base}/rest/api/user?accountId={user['account_id']}",
            "base": base,
            "context": "/wiki",
        },
    }


def user_dc(user: dict[str, Any], base: str) -> dict[str, Any]:
    """A Data Center user: ``username`` and ``userKey``, no ``accountId`` or email (DC REST reference,
    ``GET /rest/api/user/current``; the same members in recorded DC answers, see tests/contract/SOURCES.md).
    Here the user key is the account id (both are opaque) and the username the email's local part."""
    username = (user.get("email") or user["account_id"]).split("@")[0]
    context = context_of(base)
    return {
        "type": "known",
        "username": username,
        "userKey": user["account_id"],
        "profilePicture": {
            "path": f"{context}/images/icons/profilepics/default.svg",
            "width": 48,
            "height": 48,
            "isDefault": True,
        },
        "displayName": user["display_name"],
        "_links": {
            "self": f"{base}/rest/api/user?key={user['account_id']}",
            "base": base,
            "context": context,
        },
        "_expandable": {"status": ""},
    }


def friendly(when: str) -> str:
    moment: datetime = parse_iso(when)
    return moment.strftime("%b %d, %Y")


def _by(store, account_id: str, base: str) -> dict[str, Any]:
    user = store.user(account_id) or {"account_id": account_id, "display_name": account_id}
    return user_v1(user, base)


def space_v1(
    space: dict[str, Any], base: str, expand: frozenset[str] | set[str] = frozenset()
) -> dict[str, Any]:
    out = {
        "id": int(space["id"]),
        "key": space["key"],
        "name": space["name"],
        "type": space["type"],
        "status": space["status"],
        "_links": {
            "webui": space_webui_for(base, space["key"]),
            "self": f"{base}/rest/api/space/{space['key']}",
        },
        "_expandable": {"homepage": f"/rest/api/content/{space['homepage_id']}"},
    }
    if "description.plain" in expand or "description" in expand:
        out["description"] = {"plain": {"value": space["description"], "representation": "plain"}}
    if "homepage" in expand and space["homepage_id"] is not None:
        out["homepage"] = {"id": str(space["homepage_id"]), "type": "page", "status": "current"}
        del out["_expandable"]["homepage"]
    return out


def version_v1(store, row: dict[str, Any], base: str) -> dict[str, Any]:
    """A v1 ``Version`` of content ``row`` (its current version unless the row is a historical one)."""
    return {
        "by": _by(store, row["modified_by"], base),
        "when": row["modified_at"],
        "friendlyWhen": friendly(row["modified_at"]),
        "message": row["version_message"],
        "number": row["version"],
        "minorEdit": bool(row["minor_edit"]),
        "contentTypeModified": False,
        "_links": {"self": f"{base}/rest/api/content/{row['id']}/version/{row['version']}"},
    }


def content_v1(
    store, row: dict[str, Any], expand: set[str], base: str, kinds: Sequence[str] | None = None
) -> dict[str, Any]:
    """Content as v1 ``content`` (its ``type``: page, blogpost, folder, …); ``expand`` picks ``space``,
    ``version``, ``body.storage``, ``body.view``, ``body.export_view``, ``ancestors``, ``history``,
    ``metadata.labels``, ``descendants.comment`` and ``children.comment``
    (:mod:`~workbench.emulator.shapes_v1_comments`). ``kinds``: the kinds this site has (Data
    Center leaves folders out of ``ancestors``)."""
    space = store.get_space(row["space_id"])
    out: dict[str, Any] = {
        "id": str(row["id"]),
        "type": row.get("type") or "page",
        "status": row["status"],
        "title": row["title"],
        "_links": {
            "webui": webui_for(base, row, space["key"]),
            "tinyui": tiny(row["id"]),
            "edit": f"/pages/resumedraft.action?draftId={row['id']}",
            "self": f"{base}/rest/api/content/{row['id']}",
            "base": base,
            "context": context_of(base),
        },
        "_expandable": {},
    }
    if "space" in expand:
        out["space"] = space_v1(space, base)
    if "version" in expand:
        out["version"] = version_v1(store, row, base)
    if "body.storage" in expand or "body" in expand:
        out["body"] = {"storage": {"value": row["body"], "representation": "storage"}}
    for fmt in ("view", "export_view"):
        if f"body.{fmt}" in expand:  # rendered HTML (an approximation of Confluence's renderer)
            # lazy, for start-up: workbench.emulator.render_view loads on first use
            from workbench.emulator.render_view import render_view

            html = render_view(
                row.get("body") or "",
                base=base,
                space_key=space["key"],
                absolute=fmt == "export_view",
            )
            out.setdefault("body", {})[fmt] = {"value": html, "representation": fmt}
    if "history" in expand:
        out["history"] = {
            "latest": row["status"] == "current",
            "createdBy": _by(store, row["author_id"], base),
            "createdDate": row["created_at"],
        }
    if "metadata.labels" in expand:
        labels = store.labels(row["id"])
        out["metadata"] = {
            "labels": {
                "results": [
                    {
                        "prefix": r["prefix"],
                        "name": r["name"],
                        "id": str(r["id"]),
                        "label": r["name"],
                    }
                    for r in labels
                ],
                "start": 0,
                "limit": 200,
                "size": len(labels),
            }
        }
    out["extensions"] = {"position": row["position"]}
    if "ancestors" in expand:
        out["ancestors"] = (
            [
                {"id": str(a["id"]), "type": a["type"], "status": a["status"], "title": a["title"]}
                for a in store.ancestors(row["id"])
                if kinds is None or a["type"] in kinds
            ]
            if row["status"] != "historical"
            else []
        )
    out.update(embedded_comments(store, row, expand, base, lambda c: comment_v1(store, c, base)))
    for name, link in (
        ("space", f"/rest/api/space/{space['key']}"),
        ("version", ""),
        ("body", ""),
        ("ancestors", ""),
        ("children", f"/rest/api/content/{row['id']}/child"),
        ("history", f"/rest/api/content/{row['id']}/history"),
        ("descendants", f"/rest/api/content/{row['id']}/descendant"),
    ):
        if name not in out:
            out["_expandable"][name] = link
    return out


def comment_v1(store, row: dict[str, Any], base: str) -> dict[str, Any]:
    out = {
        "id": str(row["id"]),
        "type": "comment",
        "status": row["status"],
        "title": f"Re: {row['page_title']}",
        "container": {
            "id": str(row["page_id"]),
            "type": row.get("page_type") or "page",
            "title": row["page_title"],
        },
        "body": {"storage": {"value": row["body"], "representation": "storage"}},
        "version": {
            "by": _by(store, row["author_id"], base),
            "when": row["created_at"],
            "number": row["version"],
            "message": "",
            "minorEdit": False,
        },
        "_links": {
            "self": f"{base}/rest/api/content/{row['id']}",
            "base": base,
            "context": context_of(base),
        },
    }
    if row.get("parent_comment_id") is not None:
        # a ``Content`` each (the spec requires its ``type`` and ``status``)
        out["ancestors"] = [
            {"id": str(row["parent_comment_id"]), "type": "comment", "status": "current"}
        ]
    else:
        out["ancestors"] = []
    # extensions.location, and for inline comments extensions.inlineProperties {originalSelection,
    # markerRef} and extensions.resolution {status, lastModifier, lastModifiedDate} (the v1 spec's
    # comment expansions "extensions.inlineProperties" and "extensions.resolution").
    location = row.get("location") or "footer"
    out["extensions"] = {"location": location}
    if location == "inline":
        status = store.resolution_of(row)
        out["extensions"]["inlineProperties"] = {
            "originalSelection": row.get("selection") or "",
            "markerRef": row.get("marker_ref") or "",
        }
        resolution: dict[str, Any] = {"status": status}
        if row.get("resolved_by"):
            resolution["lastModifier"] = _by(store, row["resolved_by"], base)
            resolution["lastModifiedDate"] = row["resolved_at"]
        out["extensions"]["resolution"] = resolution
    return out


def labels_v1(rows: list[dict[str, Any]]) -> dict[str, Any]:
    results = [
        {"prefix": r["prefix"], "name": r["name"], "id": str(r["id"]), "label": r["name"]}
        for r in rows
    ]
    return {"results": results, "start": 0, "limit": 200, "size": len(results), "_links": {}}
