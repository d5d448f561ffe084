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


async def test_a_page_is_one_request_and_its_header_one_more(server, ws):
    pid = page_id(server, ADR)
    server.store.add_labels(pid, [("global", "adr"), ("global", "messaging")])
    server.requests.clear()
    opened = await ws.open(pid)
    assert [(m, p) for m, p, _ in seen(server)] == [("GET", f"/wiki/api/v2/pages/{pid}")]
    assert opened.page.labels_complete  # the page's answer carried every label …
    server.requests.clear()
    extras = await ws.extras(opened)
    sent = seen(server)
    # the whole header — ancestors with titles, comments with replies, their authors' names — in
    # ONE request; beside it, the names of the people the page itself mentions (one users request)
    assert sorted((m, p) for m, p, _ in sent) == [
        ("GET", f"/wiki/rest/api/content/{pid}"),
        ("POST", "/wiki/api/v2/users-bulk"),
    ]
    query = next(q for _, p, q in sent if p.startswith("/wiki/rest"))
    assert "descendants.comment" in query and "ancestors" in query
    assert {"adr", "messaging"} <= set(extras.labels)  # … so they are not asked for again
    assert sorted(extras.labels) == sorted(r["name"] for r in server.store.labels(pid))
    assert extras.ancestors[-1] == "Architecture decisions" and len(extras.comments) == 2
    assert sum(len(c.replies) for c in extras.comments) == 2
    people = {r["account_id"]: r["display_name"] for r in server.store.query("SELECT * FROM users")}
    authors = {c.author for c in extras.comments} | {
        r.author for c in extras.comments for r in c.replies
    }
    assert authors <= set(people.values())  # named by the header's own answer, no users request
    assert extras.editor_name in people.values()


async def test_where_v1_content_is_gone_the_header_goes_the_v2_way_once_asked(server, ws):
    """Some Cloud sites answer 410 Gone for v1 content reads: the header is then the v2 way
    (ancestors' ids + comments, then titles + names), and the one-request form is not tried again."""
    pid = page_id(server, ADR)
    server.state.extras["chaos"].refuse(r"/rest/api/content/\d+$", 410, "Gone")
    opened = await ws.open(pid)
    server.requests.clear()
    extras = await ws.extras(opened)
    sent = seen(server)
    gets = [s for s in sent if s[0] == "GET"]
    assert len(set(gets)) == len(gets), sent  # nothing asked for twice
    paths = [p for _, p, _ in sent]
    assert paths.count(f"/wiki/rest/api/content/{pid}") == 1  # asked once, answered 410
    assert paths.count(f"/wiki/api/v2/pages/{pid}/ancestors") == 1
    assert paths.count(f"/wiki/api/v2/pages/{pid}/footer-comments") == 1
    assert paths.count("/wiki/api/v2/pages") == 1  # the ancestors' titles, in one request
    # the names: those the page mentions were asked for beside the one-request header (which
    # failed), the commenters' once their comments were in — each person once
    assert paths.count("/wiki/api/v2/users-bulk") == 2
    assert len([p for p in paths if p.endswith("/children")]) == 4  # a listing per comment
    assert extras.ancestors[-1] == "Architecture decisions" and len(extras.comments) == 2
    assert sum(len(c.replies) for c in extras.comments) == 2 and extras.editor_name
    server.requests.clear()
    again = await ws.extras(opened)
    assert not [p for _, p, _ in seen(server) if p.startswith("/wiki/rest/api/content")]
    assert again == extras


async def test_more_comments_than_the_header_answer_carries_are_listed(server, ws):
    pid = page_id(server, "Runbook: Database failover")
    for n in range(30):  # the answer carries the first 25
        server.store.add_comment(f"<p>Comment {n}</p>", page_id=pid)
    opened = await ws.open(pid)
    server.requests.clear()
    extras = await ws.extras(opened)
    paths = [p for _, p, _ in seen(server)]
    assert paths.count(f"/wiki/rest/api/content/{pid}") == 1
    assert paths.count(f"/wiki/api/v2/pages/{pid}/footer-comments") == 1  # the whole list, once
    assert len(extras.comments) == 30
    assert extras.ancestors[-1] == "Runbooks"  # from the header's answer: no v2 ancestors
    assert f"/wiki/api/v2/pages/{pid}/ancestors" not in paths


async def test_a_refused_label_listing_keeps_the_page_and_the_header(server, ws):
    pid = page_id(server, "Runbook: Database failover")
    server.store.add_labels(pid, [("global", f"label-{n:02d}") for n in range(60)])
    server.state.extras["chaos"].refuse(r"/labels$", 403, "You may not see these labels.")
    opened = await ws.open(pid)
    assert not opened.page.labels_complete and len(opened.page.labels) == 50
    extras = await ws.extras(opened)
    assert len(extras.labels) == 50  # the 50 the page's answer carried
    assert extras.ancestors[-1] == "Runbooks" and extras.editor_name


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
