"""Seeds for the local Confluence: ``demo`` (realistic spaces), ``empty`` and ``large:N`` (benchmarks).

The demo content lives in ``seed_demo_*`` modules as fixed data (not generated at random); its
timestamps are relative to the moment of seeding so "modified last week" stays true.
``large:N`` is deterministic: a space of N pages in a deep tree, inserted in one transaction.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from workbench.emulator.schema import iso, plain_text, utcnow
from workbench.emulator.store import DEMO_ACCOUNT_ID, Store
from workbench.errors import UsageError

# account id -> (display name, email, time zone)
USERS: dict[str, tuple[str, str, str]] = {
    DEMO_ACCOUNT_ID: ("Demo User", "demo@example.com", "Europe/London"),
    "557058:6f1c2a9e-3b7d-4c1e-9a55-2d8e4f0b7c31": ("Priya Raman", "priya.raman@example.com", "Asia/Kolkata"),
    "712020:0b9d8e2c-47a1-4f3e-b6c2-91e5d7a4f208": ("Marcus Oyelaran", "marcus.oyelaran@example.com", "Europe/Berlin"),
    "5b10ac8d82e05b22cc7d4ef5": ("Hana Kowalczyk", "hana.kowalczyk@example.com", "Europe/Warsaw"),
    "557058:c4e7a1d2-8f3b-4a6c-b2d9-5e1f0a3c7b64": ("Tomás Ferreira", "tomas.ferreira@example.com", "America/Sao_Paulo"),
    "63f2b9e1c7a4d5e6f7a8b9c0": ("Grace Liu", "grace.liu@example.com", "America/Los_Angeles"),
}
ALIASES = {
    "demo": DEMO_ACCOUNT_ID,
    "priya": "557058:6f1c2a9e-3b7d-4c1e-9a55-2d8e4f0b7c31",
    "marcus": "712020:0b9d8e2c-47a1-4f3e-b6c2-91e5d7a4f208",
    "hana": "5b10ac8d82e05b22cc7d4ef5",
    "tomas": "557058:c4e7a1d2-8f3b-4a6c-b2d9-5e1f0a3c7b64",
    "grace": "63f2b9e1c7a4d5e6f7a8b9c0",
}


def parse_seed(seed: str) -> tuple[str, int]:
    """``("demo"|"empty"|"large", N)``; a clear :class:`UsageError` otherwise."""
    name, _, count = (seed or "").partition(":")
    if name in ("demo", "empty") and not count:
        return name, 0
    if name == "large":
        try:
            n = int(count)
        except ValueError:
            n = 0
        if n < 1 or n > 1_000_000:
            raise UsageError("--seed large:N needs a page count N between 1 and 1000000, e.g. large:5000.")
        return name, n
    raise UsageError(f"Unknown seed '{seed}'; use demo, empty or large:N (e.g. large:5000).")


def add_users(store: Store) -> None:
    for account_id, (name, email, zone) in USERS.items():
        store.add_user(account_id, name, email, zone)


def apply_seed(store: Store, seed: str) -> None:
    name, count = parse_seed(seed)
    add_users(store)
    if name == "demo":
        from workbench.emulator.seed_demo import build_demo

        build_demo(store)
    elif name == "large":
        build_large(store, count)


def build_large(store: Store, count: int, *, key: str = "LARGE") -> dict[str, Any]:
    """A space of ``count`` pages (homepage included) in a deep tree, deterministic.

    Shape: the homepage has up to 20 sections; every page below has a fan-out that shrinks with
    depth (300, 40, 8, 3, …) so some nodes hold hundreds of children and the tree is 6+ levels deep.
    """
    space = store.create_space(key, "Large space", description=f"{count} generated pages for benchmarks.",
                               homepage_body="<p>Root of the generated benchmark tree.</p>")
    home = int(space["homepage_id"])
    remaining = count - 1
    base = utcnow() - timedelta(days=400)
    fanouts = [20, 300, 40, 8, 3, 3, 2]
    next_id = store.next_content_id()
    authors = list(USERS)
    pages: list[tuple] = []
    frontier, depth = [home], 0
    while remaining > 0 and frontier:
        fanout = fanouts[min(depth, len(fanouts) - 1)]
        new_frontier: list[int] = []
        for parent in frontier:
            for position in range(fanout):
                if remaining <= 0:
                    break
                page_id = next_id
                next_id += 1
                remaining -= 1
                n = page_id - home
                title = f"Page {n:05d} (level {depth + 1})"
                body = (
                    f"<h2>Section {n}</h2><p>Generated page {n} at level {depth + 1}, child {position + 1} of "
                    f"page {parent}. It mentions <strong>throughput</strong>, <em>latency</em> and "
                    f"item-{n % 97}.</p><ul><li><p>first point {n % 13}</p></li><li><p>second point</p></li></ul>"
                )
                when = iso(base + timedelta(minutes=7 * n))
                author = authors[n % len(authors)]
                pages.append((page_id, space["id"], parent, title, position, author, when, body))
                new_frontier.append(page_id)
            if remaining <= 0:
                break
        frontier, depth = new_frontier, depth + 1
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
            "INSERT INTO pages_fts(rowid, title, text) VALUES (?, ?, ?)",
            [(i, t, plain_text(b)) for i, _s, _p, t, _pos, _a, _w, b in pages],
        )
    return space
