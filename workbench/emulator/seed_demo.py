"""Builds the ``demo`` seed from the fixed content in ``seed_demo_eng``, ``seed_demo_team`` and ``seed_catalogue``."""

from __future__ import annotations

from typing import Any

from workbench.emulator.schema import iso_ago, utcnow
from workbench.emulator.seed_people import ALIASES
from workbench.emulator.store import Store


def build_demo(store: Store) -> None:
    # lazy, for start-up: workbench.emulator.seed_catalogue … loads on first use
    from workbench.emulator import (
        seed_attachments,
        seed_catalogue,
        seed_demo_eng,
        seed_demo_kinds,
        seed_demo_team,
    )

    now = utcnow()
    with store.transaction():
        eng = _space(store, seed_demo_eng.SPACE, [*seed_demo_eng.PAGES, seed_catalogue.PAGE], now)
        prod = _space(store, seed_demo_team.SPACE, seed_demo_team.PAGES, now)
        _space(store, seed_demo_team.PERSONAL_SPACE, seed_demo_team.PERSONAL_PAGES, now)
        _tree(store, prod, seed_demo_kinds.PROD_TREE, now)
        for space, key in ((eng, "ENG"), (prod, "PROD")):
            _blog(store, space, seed_demo_kinds.BLOG_POSTS[key], now)
        seed_attachments.attach_demo(store, ALIASES, lambda days: iso_ago(days, now=now))


def _tree(store: Store, space: dict[str, Any], items: list[dict[str, Any]], now) -> None:
    """Folders, whiteboards, databases, smart links and the pages inside them."""
    ids: dict[str, int] = {}
    for item in items:
        parent = ids[item["parent"]] if item.get("parent") else None
        row = store.create_page(
            space["id"],
            item["title"],
            item.get("body", ""),
            parent_id=parent,
            author=ALIASES[item["author"]],
            created_at=iso_ago(item["days"], now=now),
            kind=item["kind"],
            embed_url=item.get("embed_url"),
        )
        ids[item["title"]] = int(row["id"])


def _blog(store: Store, space: dict[str, Any], posts: list[dict[str, Any]], now) -> None:
    for post in posts:
        row = store.create_page(
            space["id"],
            post["title"],
            post["body"],
            author=ALIASES[post["author"]],
            created_at=iso_ago(post["days"], now=now),
            kind="blogpost",
        )
        _extras(store, row, post, now)


def _space(store: Store, spec: dict[str, Any], pages: list[dict[str, Any]], now) -> dict[str, Any]:
    space = store.create_space(
        spec["key"],
        spec["name"],
        type=spec.get("type", "global"),
        description=spec["description"],
        author=ALIASES[spec["author"]],
        created_at=iso_ago(spec["days"], now=now),
        homepage_body=spec["home"],
    )
    ids = {spec["name"]: int(space["homepage_id"])}
    for page in pages:
        parent = ids[page["parent"]] if page.get("parent") else None
        row = store.create_page(
            space["id"],
            page["title"],
            page["body"],
            parent_id=parent,
            author=ALIASES[page["author"]],
            created_at=iso_ago(page["days"], now=now),
        )
        ids[page["title"]] = int(row["id"])
        _extras(store, row, page, now)
    return space


def _extras(store: Store, row: dict[str, Any], page: dict[str, Any], now) -> None:
    """Edits, labels and comments of a page or blog post."""
    for edit in page.get("edits", []):
        store.update_page(
            row["id"],
            edit["body"],
            author=ALIASES[edit["author"]],
            message=edit["message"],
            when=iso_ago(edit["days"], now=now),
        )
    if page.get("labels"):
        store.add_labels(row["id"], [("global", name) for name in page["labels"]])
    for comment in page.get("comments", []):
        root = store.add_comment(
            comment["body"],
            page_id=row["id"],
            author=ALIASES[comment["author"]],
            created_at=iso_ago(comment["days"], now=now),
        )
        for reply in comment.get("replies", []):
            store.add_comment(
                reply["body"],
                parent_comment_id=root["id"],
                author=ALIASES[reply["author"]],
                created_at=iso_ago(reply["days"], now=now),
            )
