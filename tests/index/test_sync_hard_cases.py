"""The unhappy paths of ``workbench sync``: killed mid-sync (kill -9) and resumed, rate-limited
mid-sync, and the request budget of an incremental sync after 50 changes (counted by the server)."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.index.conftest import indexed_ids, server_ids
from workbench.index.sites import resolve_site


def _indexed_count(path: Path) -> int:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return int(db.execute("SELECT COUNT(*) FROM content").fetchone()[0])
        finally:
            db.close()
    except sqlite3.Error:
        return 0


def _fts_consistent(found) -> None:
    found.db.execute("PRAGMA query_only = 0")
    docs = found.db.execute("SELECT COUNT(*) FROM fts_docsize").fetchone()[0]
    assert docs == found.db.execute("SELECT COUNT(*) FROM content").fetchone()[0]


def test_a_sync_killed_with_sigkill_resumes_where_it_stopped(site, cli, index, tmp_path):
    server = site("large:3000", latency_ms=60)
    path = resolve_site().path
    env = {k: v for k, v in os.environ.items()}
    proc = subprocess.Popen(
        [sys.executable, "-m", "workbench", "sync", "LARGE"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while _indexed_count(path) < 600:
            assert proc.poll() is None, "the sync ended before it could be killed"
            assert time.monotonic() < deadline, "the sync made no progress"
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    at_kill = _indexed_count(path)
    assert 600 <= at_kill < 3000
    server.requests.clear()
    ran = cli("sync")
    assert ran.code == 0, ran.err
    found = index()
    assert indexed_ids(found, "LARGE") == server_ids(server, "LARGE")
    assert found.space("LARGE").state == "complete"
    _fts_consistent(found)
    # it went on from where it stopped: only the pages it had not indexed were read again
    read = sum(
        e.query.count("%2C") + 1
        for e in server.requests.entries(path_prefix="/wiki/api/v2/pages")
        if "id=" in e.query
    )
    assert read <= 3000 - at_kill + 300, f"read {read} bodies again after {at_kill} were indexed"


class Hammer:
    """Another client using up the site's rate limit (Cloud's quotas are shared by everything that calls
    the site): it sends requests until the sync's own requests have been answered 429 a few times."""

    PATH = "/wiki/rest/api/user/current"

    def __init__(self, server, until_429s: int = 3) -> None:
        import threading

        self.server = server
        self.until = until_429s
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def sync_429s(self) -> int:
        return sum(
            1 for e in self.server.requests.entries() if e.status == 429 and e.path != self.PATH
        )

    def _run(self) -> None:
        import httpx

        with httpx.Client(auth=("demo@example.com", "demo-token")) as client:
            deadline = time.monotonic() + 60
            while (
                not self.stop.is_set()
                and self.sync_429s() < self.until
                and time.monotonic() < deadline
            ):
                client.get(self.server.origin + self.PATH)

    def __enter__(self) -> Hammer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while (
            not any(e.status == 429 for e in self.server.requests.entries())
            and time.monotonic() < deadline
        ):
            time.sleep(0.01)  # the quota is used up before the sync starts
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(30)


def test_rate_limited_mid_sync_it_waits_and_goes_on(site, cli, index):
    server = site("large:1200", rate_limit=5)
    with Hammer(server) as hammer:
        ran = cli("sync", "LARGE", "--json")
    assert ran.code == 0, ran.err
    assert hammer.sync_429s() >= 1
    events = ran.json_lines()
    waits = [e for e in events if e["event"] == "wait"]
    assert waits and all(e["seconds"] > 0 for e in waits)
    assert any(e.status == 429 for e in server.requests.entries())
    assert indexed_ids(index(), "LARGE") == server_ids(server, "LARGE")


def test_past_the_transport_retries_a_429_is_waited_out_by_the_sync(site):
    """A client that gives up on the first 429 (max_attempts=1): the sync waits Confluence's
    Retry-After itself, tells the watcher, and finishes."""
    import httpx

    from workbench.confluence.client import ConfluenceClient
    from workbench.index.events import Waiting
    from workbench.index.store import SiteIndex
    from workbench.index.sync import sync_site

    server = site("large:600", rate_limit=5)
    events: list[object] = []

    async def run() -> None:
        async with ConfluenceClient(
            server.base_url, auth=httpx.BasicAuth("demo@example.com", "demo-token"), max_attempts=1
        ) as client:
            with SiteIndex(resolve_site().path) as found:
                await sync_site(
                    client, found, resolve_site(), spaces=["LARGE"], on_event=events.append
                )
                assert indexed_ids(found, "LARGE") == server_ids(server, "LARGE")

    with Hammer(server) as hammer:
        asyncio.run(run())
    assert hammer.sync_429s() >= 1
    assert any(isinstance(e, Waiting) and e.reason == "rate limited by Confluence" for e in events)


@pytest.mark.parametrize("flavour", ["cloud", "dc"])
def test_an_incremental_sync_after_50_changes_costs_at_most_60_requests(site, cli, index, flavour):
    options = {"flavour": flavour} if flavour == "dc" else {}
    server = site("large:2000", **options)
    assert cli("sync", "LARGE").code == 0
    store = server.store
    space = store.space_by_key("LARGE")
    ids = sorted(server_ids(server, "LARGE"))
    home = int(space["homepage_id"])
    pages = [i for i in ids if i != home]
    for n, page in enumerate(pages[100:130]):  # 30 edits
        store.update_page(page, f"<p>edit {n} with narwhal</p>")
    for n in range(10):  # 10 new pages
        store.create_page(
            space["id"], f"New page {n}", f"<p>new {n} with axolotl</p>", parent_id=pages[5]
        )
    for page in pages[200:205]:  # 5 to the trash
        store.delete_page(page)
    for page in pages[300:305]:  # 5 moves
        store.update_page(page, store.get_page(page)["body"], parent_id=pages[7])
    server.requests.clear()
    ran = cli("sync")
    assert ran.code == 0, ran.err
    sent = len(server.requests.entries())
    assert sent <= 60, f"{sent} requests for 50 changes"
    found = index()
    assert indexed_ids(found, "LARGE") == server_ids(server, "LARGE")
    assert all(found.row(p)["parent_id"] == pages[7] for p in pages[300:305])
    assert found.body(pages[100])[1] == "edit 0 with narwhal"
    print(f"{flavour}: {sent} requests after 50 changes")


def _no_bigger_than(limit: int):
    def apply() -> None:
        import resource

        signal.signal(
            signal.SIGXFSZ, signal.SIG_IGN
        )  # a write past the limit fails (EFBIG), no signal
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_full_disk_stops_the_sync_with_a_message_and_the_next_sync_goes_on(site, cli, index):
    """A file that may not grow (RLIMIT_FSIZE: what a full disk looks like to SQLite) stops the sync
    with a sentence, keeps what was committed, and a later sync with room finishes the job."""
    server = site("large:1500")
    path = resolve_site().path
    proc = subprocess.run(
        [sys.executable, "-m", "workbench", "sync", "LARGE"],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=240,
        preexec_fn=_no_bigger_than(400_000),
    )
    assert proc.returncode != 0
    assert "disk is full" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    kept = _indexed_count(path)
    assert kept < 1500
    ran = cli("sync")
    assert ran.code == 0, ran.err
    found = index()
    assert indexed_ids(found, "LARGE") == server_ids(server, "LARGE")
    _fts_consistent(found)
    assert found.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
