"""REST v2 routes for every kind of content (Confluence Cloud only).

Pages and blog posts (``/pages/{id}``, ``/blogposts/{id}`` and their versions, labels, footer
comments and properties) share one set of handlers bound to the kind, as the v2 spec gives them the
same shapes bar the tree members (``PageSingle`` / ``BlogPostSingle``). Folders, whiteboards,
databases and smart links (``/folders/{id}``, ``/whiteboards/{id}``, ``/databases/{id}``,
``/embeds/{id}``: ``FolderSingle`` & co.) can be created, read and deleted. Every tree kind lists its
``direct-children`` of any kind in Confluence's order (``childPosition``) and its ``ancestors`` with
their types; ``/pages/{id}/children`` (pages only, deprecated in the current spec) stays as it was.

Each answer's shape is the spec's (``tests/specs/confluence-cloud-v2.openapi.json``, 2025-02); the
``direct-children`` item is the newer spec's ``ChildrenResponse`` (see ``shapes.direct_child_v2``).
A request for a kind at another kind's endpoint answers 404, as Cloud does (``/pages/{id}`` of a
blog post is "not found").

This module is the route table; the handlers are in :mod:`~workbench.emulator.routes_v2_pages`
(pages and blog posts) and :mod:`~workbench.emulator.routes_v2_tree` (the other kinds, children,
ancestors, deleting), the shapes in :mod:`~workbench.emulator.content_v2`.
"""

from __future__ import annotations

from typing import Any

from workbench.emulator.content_v2 import content_list
from workbench.emulator.routes_v2_pages import (
    create_body_content,
    get_body_content,
    labels,
    list_blogposts,
    list_space_blogposts,
    update_body_content,
    version,
    versions,
)
from workbench.emulator.routes_v2_tree import (
    ancestors,
    create_tree_item,
    delete_content,
    direct_children,
    get_tree_item,
)
from workbench.emulator.store_content import BLOGPOST, DATABASE, EMBED, FOLDER, PAGE, WHITEBOARD

__all__ = ["content_list", "content_routes"]


def content_routes() -> list[tuple[str, Any, list[str]]]:
    """``(path, handler, methods)`` under ``/wiki/api/v2``."""
    out: list[tuple[str, Any, list[str]]] = []
    for collection, kind in (("pages", PAGE), ("blogposts", BLOGPOST)):
        out += [
            (f"/{collection}", create_body_content(kind), ["POST"]),
            (f"/{collection}/{{id}}", get_body_content(kind), ["GET"]),
            (f"/{collection}/{{id}}", update_body_content(kind), ["PUT"]),
            (f"/{collection}/{{id}}", delete_content(kind), ["DELETE"]),
            (f"/{collection}/{{id}}/versions", versions(kind), ["GET"]),
            (f"/{collection}/{{id}}/versions/{{number}}", version(kind), ["GET"]),
            (f"/{collection}/{{id}}/labels", labels(kind), ["GET"]),
        ]
    out += [
        ("/blogposts", list_blogposts, ["GET"]),
        ("/spaces/{id}/blogposts", list_space_blogposts, ["GET"]),
    ]
    for collection, kind in (
        ("folders", FOLDER),
        ("whiteboards", WHITEBOARD),
        ("databases", DATABASE),
        ("embeds", EMBED),
    ):
        out += [
            (f"/{collection}", create_tree_item(kind), ["POST"]),
            (f"/{collection}/{{id}}", get_tree_item(kind), ["GET"]),
            (f"/{collection}/{{id}}", delete_content(kind), ["DELETE"]),
        ]
    for collection, kind in (
        ("pages", PAGE),
        ("folders", FOLDER),
        ("whiteboards", WHITEBOARD),
        ("databases", DATABASE),
        ("embeds", EMBED),
    ):
        out += [
            (f"/{collection}/{{id}}/direct-children", direct_children(kind), ["GET"]),
            (f"/{collection}/{{id}}/ancestors", ancestors(kind), ["GET"]),
        ]
    return out
