"""``GET /rest/api/content/{id}`` with the page header's expansions (``ancestors``, ``version``,
``descendants.comment`` and its sub-expansions) answers what the v1 spec promises (operation
``getContentById``: ``Content``, its ``descendants`` a ``ContentChildren`` whose ``comment`` is a
``ContentArray``), on Cloud and on Data Center: every comment and reply, each reply naming the
comment it answers in ``ancestors``, inline ones marked by ``extensions.location``, the first 25
with a ``next`` link past them, and ``children.comment`` the root level only."""

from __future__ import annotations

import httpx
import pytest

from tests.openapi_check import check, load
from workbench.confluence.page_header import HEADER_EXPAND

ADR = "ADR-003: Event bus on NATS JetStream"  # demo: 2 comments with 2 replies


@pytest.fixture(scope="module")
def spec_v1():
    return load("confluence-cloud-v1.openapi.json")


def page_id(server, title: str) -> str:
    return str(server.store.query_one("SELECT id FROM pages WHERE title = ?", (title,))["id"])


@pytest.mark.parametrize("flavour", ["cloud", "dc"])
def test_the_headers_expansions_match_the_spec(local_confluence, spec_v1, flavour):
    options = {"flavour": "dc", "context_path": "/confluence"} if flavour == "dc" else {}
    server = local_confluence("demo", **options)
    auth = ("demo@example.com", "demo-token") if flavour == "cloud" else ("demo", "demo-password")
    pid = page_id(server, ADR)
    server.store.add_inline_comment("<p>Inline note.</p>", page_id=pid, selection="NATS")
    with httpx.Client(base_url=server.base_url + "/rest/api", auth=auth, timeout=10) as http:
        answer = http.get(f"/content/{pid}", params={"expand": HEADER_EXPAND})
        assert answer.status_code == 200, answer.text
        data = answer.json()
        check(spec_v1, "/wiki/rest/api/content/{id}", "get", 200, data)
        comments = data["descendants"]["comment"]
        rows = comments["results"]
        footer = [r for r in rows if r["extensions"]["location"] == "footer"]
        inline = [r for r in rows if r["extensions"]["location"] == "inline"]
        stored = server.store.query(
            "SELECT id, parent_comment_id FROM comments WHERE page_id = ? AND location = 'footer'",
            (int(pid),),
        )
        assert sorted(r["id"] for r in footer) == sorted(str(r["id"]) for r in stored)
        assert (
            len(inline) == 1 and comments["size"] == len(rows) and "next" not in comments["_links"]
        )
        parents = {str(r["id"]): r["parent_comment_id"] for r in stored}
        for row in footer:  # a reply names the comment it answers, a root comment none
            named = [a["id"] for a in row["ancestors"] if a["type"] == "comment"]
            want = parents[row["id"]]
            assert named == ([str(want)] if want is not None else [])
            assert row["version"]["by"]["displayName"] and row["body"]["storage"]["value"]
        assert [a["title"] for a in data["ancestors"]][-1] == "Architecture decisions"
        assert data["version"]["by"]["displayName"]
        assert "body" not in data  # the header's request carries no page body

        roots = http.get(f"/content/{pid}", params={"expand": "children.comment"}).json()
        check(spec_v1, "/wiki/rest/api/content/{id}", "get", 200, roots)
        assert {r["id"] for r in roots["children"]["comment"]["results"]} == {
            str(i) for i, p in parents.items() if p is None
        } | {r["id"] for r in inline}


def test_past_25_comments_the_embedded_list_says_there_are_more(demo_server, spec_v1):
    pid = page_id(demo_server, "Runbook: Database failover")
    for n in range(30):
        demo_server.store.add_comment(f"<p>Comment {n}</p>", page_id=pid)
    with httpx.Client(
        base_url=demo_server.base_url + "/rest/api", auth=("demo@example.com", "demo-token")
    ) as http:
        data = http.get(f"/content/{pid}", params={"expand": HEADER_EXPAND}).json()
    check(spec_v1, "/wiki/rest/api/content/{id}", "get", 200, data)
    block = data["descendants"]["comment"]
    assert block["size"] == block["limit"] == len(block["results"]) == 25
    assert block["_links"]["next"].startswith(f"/rest/api/content/{pid}/descendant/comment?")
