"""What opening a page costs in requests, counted on the server's side (the local Confluence's
request log): the page is ONE request; its header (breadcrumb, labels, comments, names) asks for
nothing twice, takes the labels from the page's own answer when it carried them all, and the
history's diff and the agent never fetch again a version they already have. Counts, not times."""

from __future__ import annotations

import httpx
import pytest

from workbench.confluence.client import ConfluenceClient
from workbench.services.workspace import Workspace

AUTH = httpx.BasicAuth("demo@example.com", "demo-token")
ADR = "ADR-003: Event bus on NATS JetStream"  # demo: 2 comments with 2 replies, under a section


@pytest.fixture
def server(demo_server):
    return demo_server


@pytest.fixture
async def ws(server, tmp_path):
    async with ConfluenceClient(server.base_url, auth=AUTH) as client:
        yield Workspace.create(
            client, "site", "Local", cache_dir=tmp_path / "c", data_dir=tmp_path / "d"
        )


def page_id(server, title: str) -> str:
    return str(server.store.query_one("SELECT id FROM pages WHERE title = ?", (title,))["id"])


def seen(server) -> list[tuple[str, str, str]]:
    return [(e.method, e.path, e.query) for e in server.requests.entries()]


async def test_a_page_is_one_request_and_its_header_asks_for_nothing_twice(server, ws):
    pid = page_id(server, ADR)
    server.store.add_labels(pid, [("global", "adr"), ("global", "messaging")])
    server.requests.clear()
    opened = await ws.open(pid)
    assert [(m, p) for m, p, _ in seen(server)] == [("GET", f"/wiki/api/v2/pages/{pid}")]
    assert opened.page.labels_complete  # the page's answer carried every label …
    server.requests.clear()
    extras = await ws.extras(opened)
    sent = seen(server)
    assert len(set(sent)) == len(sent), sent  # nothing asked for twice
    paths = [p for _, p, _ in sent]
    assert not [p for p in paths if p.endswith("/labels")]  # … so they are not asked for again
    assert f"/wiki/api/v2/pages/{pid}" not in paths  # nor the page
    assert paths.count(f"/wiki/api/v2/pages/{pid}/ancestors") == 1
    assert paths.count(f"/wiki/api/v2/pages/{pid}/footer-comments") == 1
    assert paths.count("/wiki/api/v2/pages") == 1  # the ancestors' titles, in one request
    assert paths.count("/wiki/api/v2/users-bulk") <= 1
    replies = server.store.query(
        "SELECT id FROM comments WHERE page_id = ? AND location = 'footer'", (int(pid),)
    )
    # the replies of each comment: one listing per comment, no more
    assert len([p for p in paths if p.endswith("/children")]) == len(replies) == 4
    assert len(sent) == 4 + 4  # ancestors, titles, comments, names + the 4 reply listings
    assert {"adr", "messaging"} <= set(extras.labels)
    assert sorted(extras.labels) == sorted(r["name"] for r in server.store.labels(pid))
    assert extras.ancestors[-1] == "Architecture decisions" and len(extras.comments) == 2
    assert sum(len(c.replies) for c in extras.comments) == 2
    assert extras.editor_name  # learned in the same users request as the commenters


async def test_more_labels_than_the_page_answer_carries_are_listed_once(server, ws):
    pid = page_id(server, "Runbook: Database failover")
    server.store.add_labels(
        pid, [("global", f"label-{n:02d}") for n in range(60)]
    )  # the answer carries 50
    opened = await ws.open(pid)
    assert not opened.page.labels_complete and len(opened.page.labels) == 50
    server.requests.clear()
    extras = await ws.extras(opened)
    paths = [p for _, p, _ in seen(server)]
    assert paths.count(f"/wiki/api/v2/pages/{pid}/labels") == 1
    assert len(extras.labels) == 62  # its own two and the sixty


async def test_a_failing_header_request_fails_the_header_and_leaves_nothing_running(server, ws):
    pid = page_id(server, ADR)
    opened = await ws.open(pid)
    server.store.delete_page(
        pid
    )  # gone between the page and its header: ancestors and comments 404
    from workbench.confluence.errors import NotFound

    with pytest.raises(NotFound):
        await ws.extras(opened)
    # every request of the round was answered before the failure was raised (none left running)
    statuses = [e.status for e in server.requests.entries()]
    assert None not in statuses


async def test_the_diff_of_the_open_version_fetches_only_the_other_one(server, ws):
    pid = page_id(server, "Runbook: Database failover")
    server.store.update_page(pid, "<p>Version two.</p>", message="second")
    opened = await ws.open(pid)
    ws.current = opened  # open in the viewer (the page pane sets it)
    newest = opened.page.version.number
    server.requests.clear()
    diff = await ws.version_diff(pid, newest - 1, newest)
    sent = seen(server)
    assert [(m, p) for m, p, _ in sent] == [("GET", f"/wiki/api/v2/pages/{pid}")]
    assert f"version={newest - 1}" in sent[0][2]
    assert any(line.startswith("+Version two.") for line in diff)
    server.requests.clear()
    await ws.version_diff(pid, newest - 2, newest - 1)  # neither is open: both, once each
    queries = sorted(q for _, _, q in seen(server))
    assert len(queries) == 2 and len(set(queries)) == 2
