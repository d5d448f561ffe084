"""Seeds for the local Confluence: ``demo`` (realistic spaces), ``empty``, ``large:N`` and ``wide:N``
(benchmarks).

The demo content lives in ``seed_demo_*`` modules as fixed data (not generated at random); its
timestamps are relative to the moment of seeding so "modified last week" stays true.
``large:N`` is deterministic: a space of N pages in a deep tree, inserted in one transaction.
``wide:N`` is one page with N direct children (the width of one tree level is what costs a client).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from workbench.emulator.jira.seed import seed_demo as seed_jira_demo
from workbench.emulator.jira.seed import seed_schema
from workbench.emulator.schema import iso, plain_text, utcnow
from workbench.emulator.seed_demo import build_demo
from workbench.emulator.seed_people import add_groups, grant_demo_spaces
from workbench.emulator.seed_spec import parse_seed as parse_seed  # where it was
from workbench.emulator.store import DEMO_ACCOUNT_ID, Store

# account id -> (display name, email, time zone)
USERS: dict[str, tuple[str, str, str]] = {
    DEMO_ACCOUNT_ID: ("Demo User", "demo@example.com", "Europe/London"),
    "557058:6f1c2a9e-3b7d-4c1e-9a55-2d8e4f0b7c31": (
        "Priya Raman",
        "priya.raman@example.com",
        "Asia/Kolkata",
    ),
    "712020:0b9d8e2c-47a1-4f3e-b6c2-91e5d7a4f208": (
        "Marcus Oyelaran",
        "marcus.oyelaran@example.com",
        "Europe/Berlin",
    ),
    "5b10ac8d82e05b22cc7d4ef5": ("Hana Kowalczyk", "hana.kowalczyk@example.com", "Europe/Warsaw"),
    "557058:c4e7a1d2-8f3b-4a6c-b2d9-5e1f0a3c7b64": (
        "Tomás Ferreira",
        "tomas.ferreira@example.com",
        "America/Sao_Paulo",
    ),
    "63f2b9e1c7a4d5e6f7a8b9c0": ("Grace Liu", "grace.liu@example.com", "America/Los_Angeles"),
}


def add_users(store: Store) -> None:
    for account_id, (name, email, zone) in USERS.items():
        store.add_user(account_id, name, email, zone)


def apply_seed(store: Store, seed: str) -> None:
    name, count = parse_seed(seed)
    add_users(store)
    add_groups(store)
    seed_schema(store)  # Jira's issue types, priorities, statuses and workflow, in every seed
    if name == "demo":
        build_demo(store)
        grant_demo_spaces(store)
        seed_jira_demo(store)
    elif name == "large":
        build_large(store, count)
    elif name == "wide":
        build_wide(store, count)


def build_large(store: Store, count: int, *, key: str = "LARGE") -> dict[str, Any]:
    """A space of ``count`` pages (homepage included) in a deep tree, deterministic.

    Shape: the homepage has up to 10 sections. The first ("Archive") holds up to 300 direct children;
    the others split the remaining pages evenly into subtrees with a fan-out of 5, then 4, then 3, so
    the tree is 6+ levels deep for a few thousand pages.
    """
    space = store.create_space(
        key,
        "Large space",
        description=f"{count} generated pages for benchmarks.",
        homepage_body="<p>Root of the generated benchmark tree.</p>",
    )
    home = int(space["homepage_id"])
    base = utcnow() - timedelta(days=400)
    authors = list(USERS)
    pages: list[tuple] = []
    next_id = [store.next_content_id()]

    def add(parent: int, position: int, depth: int) -> int:
        page_id = next_id[0]
        next_id[0] += 1
        n = page_id - home
        title = f"Page {n:05d} (level {depth})"
        body = (
            f"<h2>Section {n}</h2><p>Generated page {n} at level {depth}, child {position + 1} of page {parent}. "
            f"It mentions <strong>throughput</strong>, <em>latency</em> and item-{n % 97}.</p>"
            f"<ul><li><p>first point {n % 13}</p></li><li><p>second point</p></li></ul>"
        )
        pages.append(
            (
                page_id,
                space["id"],
                parent,
                title,
                position,
                authors[n % len(authors)],
                iso(base + timedelta(minutes=7 * n)),
                body,
            )
        )
        return page_id

    def subtree(parent: int, budget: int, depth: int) -> None:
        """Place ``budget`` pages below ``parent``: evenly split among a few children, recursively."""
        if budget <= 0:
            return
        fanout = min(budget, 5 if depth <= 2 else 4 if depth <= 4 else 3)
        shares = [
            (budget - fanout) // fanout + (1 if i < (budget - fanout) % fanout else 0)
            for i in range(fanout)
        ]
        for position, share in enumerate(shares):
            subtree(add(parent, position, depth), share, depth + 1)

    remaining = count - 1
    sections = min(10, remaining)
    remaining -= sections
    ids = [add(home, position, 1) for position in range(sections)]
    if ids:
        wide = min(300, remaining)
        for position in range(wide):
            add(ids[0], position, 2)
        remaining -= wide
        rest = ids[1:] or ids[:1]
        for i, section in enumerate(rest):
            subtree(section, remaining // len(rest) + (1 if i < remaining % len(rest) else 0), 2)
    _insert_pages(store, pages)
    return space


def build_wide(store: Store, count: int, *, key: str = "WIDE") -> dict[str, Any]:
    """A space whose homepage holds one page, "Wide", with ``count`` direct children (deterministic)."""
    space = store.create_space(
        key,
        "Wide space",
        description=f"One page with {count} children, for benchmarks.",
        homepage_body="<p>Root of the wide benchmark tree.</p>",
    )
    home = int(space["homepage_id"])
    wide_page = store.create_page(
        space["id"], "Wide", "<p>A page with many children.</p>", parent_id=home
    )
    wide = int(wide_page["id"])
    base = utcnow() - timedelta(days=400)
    authors = list(USERS)
    first = store.next_content_id()
    pages = [
        (
            first + n,
            space["id"],
            wide,
            f"Child {n + 1:06d}",
            n,
            authors[n % len(authors)],
            iso(base + timedelta(minutes=n)),
            f"<p>Child {n + 1} of the wide page.</p>",
        )
        for n in range(count)
    ]
    _insert_pages(store, pages)
    return space


def _insert_pages(store: Store, pages: list[tuple]) -> None:
    """Rows ``(id, space id, parent id, title, position, author, when, body)`` in one transaction."""
    with store.transaction():
        store.db.executemany(
            "INSERT INTO pages(id, space_id, parent_id, title, position, author_id, owner_id, created_at, version, "
            "body, modified_at, modified_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)",
            [(i, s, p, t, pos, a, a, w, b, w, a) for i, s, p, t, pos, a, w, b in pages],
        )
        store.db.executemany(
            "INSERT INTO page_versions(page_id, number, title, body, author_id, created_at) VALUES (?, 1, ?, ?, ?, ?)",
            [(i, t, b, a, w) for i, _s, _p, t, _pos, a, w, b in pages],
        )
        store.db.executemany(
            "INSERT INTO pages_fts(rowid, title, text, labels) VALUES (?, ?, ?, '')",
            [(i, t, plain_text(b)) for i, _s, _p, t, _pos, _a, _w, b in pages],
        )
