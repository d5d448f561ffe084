"""Helpers for the local-index tests: a site in the environment, the CLI in-process, the index read back."""

from __future__ import annotations

import gzip
import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from workbench.index.sites import resolve_site
from workbench.index.snapshot import snapshot_of
from workbench.index.store import SiteIndex

INDEXED_KINDS = ("page", "blogpost", "folder")


@dataclass
class Ran:
    code: int
    out: str
    err: str

    def json_lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.out.splitlines() if line.strip()]


@pytest.fixture
def site(local_confluence, monkeypatch) -> Callable[..., Any]:
    """``site(seed, **options)``: start the local Confluence and point ``CONFLUENCE_*`` at it."""

    def start(seed: str = "demo", **options: Any):
        server = local_confluence(seed, **options)
        dc = options.get("flavour") == "dc"
        monkeypatch.setenv("CONFLUENCE_URL", server.base_url)
        monkeypatch.setenv("CONFLUENCE_USERNAME", "demo" if dc else "demo@example.com")
        monkeypatch.setenv("CONFLUENCE_API_TOKEN", "demo-password" if dc else "demo-token")
        monkeypatch.setenv("CONFLUENCE_FLAVOUR", "dc" if dc else "cloud")
        return server

    return start


@pytest.fixture
def cli(capsys) -> Callable[..., Ran]:
    """Run ``workbench ARGS`` in this process; exit code and captured output."""
    from workbench.cli import main

    def run(*args: str) -> Ran:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Ran(code, captured.out, captured.err)

    return run


@pytest.fixture
def index() -> Iterator[Callable[[], SiteIndex]]:
    """``index()`` opens the current site's index read-only (closed at the end of the test)."""
    opened: list[SiteIndex] = []

    def open_() -> SiteIndex:
        found = SiteIndex(resolve_site().path, readonly=True)
        opened.append(found)
        return found

    yield open_
    for found in opened:
        found.close()


def server_ids(server, space_key: str, kinds: tuple[str, ...] = INDEXED_KINDS) -> set[int]:
    """What the local Confluence holds as current content of a space (the truth an index must match)."""
    space = server.store.space_by_key(space_key)
    marks = ",".join("?" * len(kinds))
    rows = server.store.query(
        f"SELECT id FROM pages WHERE space_id = ? AND status = 'current' AND type IN ({marks})",
        (space["id"], *kinds),
    )
    return {int(r["id"]) for r in rows}


def indexed_ids(found: SiteIndex, space_key: str) -> set[int]:
    return set(found.ids_of_space(space_key))


def as_file(path) -> None:
    """The index of ``path`` as a file in WAL mode, as Workbench left it before snapshots (the
    snapshot is the gzip of that file)."""
    path.write_bytes(gzip.decompress(snapshot_of(path).read_bytes()))
    snapshot_of(path).unlink()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal"
    db.close()
