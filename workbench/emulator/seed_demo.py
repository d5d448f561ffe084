"""Builds the ``demo`` seed from the fixed content in ``seed_demo_eng``, ``seed_demo_team`` and ``seed_catalogue``."""

from __future__ import annotations

from typing import Any

from workbench.emulator.schema import iso_ago, utcnow
from workbench.emulator.seed import ALIASES
from workbench.emulator.store import Store


def build_demo(store: Store) -> None:
    from workbench.emulator import seed_catalogue, seed_demo_eng, seed_demo_team

    now = utcnow()
    with store.transaction():
        _space(store, seed_demo_eng.SPACE, [*seed_demo_eng.PAGES, seed_catalogue.PAGE], now)
        _space(store, seed_demo_team.SPACE, seed_demo_team.PAGES, now)
        _space(store, seed_demo_team.PERSONAL_SPACE, seed_demo_team.PERSONAL_PAGES, now)


def _space(store: Store, spec: dict[str, Any], pages: list[dict[str, Any]], now) -> None:
    space = store.create_space(
        spec["key"], spec["name"], type=spec.get("type", "global"), description=spec["description"],
        author=ALIASES[spec["author"]], created_at=iso_ago(spec["days"], now=now), homepage_body=spec["home"],
    )
    ids = {spec["name"]: int(space["homepage_id"])}
    for page in pages:
        parent = ids[page["parent"]] if page.get("parent") else None
        row = store.create_page(
            space["id"], page["title"], page["body"], parent_id=parent, author=ALIASES[page["author"]],
            created_at=iso_ago(page["days"], now=now),
        )
        ids[page["title"]] = int(row["id"])
        for edit in page.get("edits", []):
            store.update_page(row["id"], edit["body"], author=ALIASES[edit["author"]], message=edit["message"],
                              when=iso_ago(edit["days"], now=now))
        if page.get("labels"):
            store.add_labels(row["id"], [("global", name) for name in page["labels"]])
        for comment in page.get("comments", []):
            root = store.add_comment(comment["body"], page_id=row["id"], author=ALIASES[comment["author"]],
                                     created_at=iso_ago(comment["days"], now=now))
            for reply in comment.get("replies", []):
                store.add_comment(reply["body"], parent_comment_id=root["id"], author=ALIASES[reply["author"]],
                                  created_at=iso_ago(reply["days"], now=now))
