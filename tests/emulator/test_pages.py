"""The local Confluence over real loopback HTTP: spaces, pages, versions, conflicts, tree, paging."""

from __future__ import annotations

import httpx
import pytest

AUTH = ("demo@example.com", "demo-token")


@pytest.fixture
def http(demo_server):
    with httpx.Client(base_url=demo_server.base_url, auth=AUTH, timeout=10) as client:
        yield client


def space_id(http, key="ENG") -> str:
    return http.get("/api/v2/spaces", params={"keys": key}).json()["results"][0]["id"]


def page_by_title(http, title: str, key="ENG") -> dict:
    results = http.get(
        "/api/v2/pages", params={"space-id": space_id(http, key), "title": title}
    ).json()["results"]
    assert len(results) == 1, results
    return results[0]


def test_runner_contract(demo_server):
    assert demo_server.base_url == f"http://127.0.0.1:{demo_server.port}/wiki"
    assert demo_server.origin == f"http://127.0.0.1:{demo_server.port}"
    assert demo_server.store.scalar("SELECT COUNT(*) FROM pages") >= 30


def test_auth_required(demo_server):
    r = httpx.get(demo_server.base_url + "/api/v2/spaces")
    assert r.status_code == 401
    assert r.json()["errors"][0]["status"] == 401
    r = httpx.get(demo_server.base_url + "/api/v2/spaces", auth=("demo@example.com", "wrong"))
    assert r.status_code == 401
    r = httpx.get(demo_server.base_url + "/rest/api/user/current", auth=AUTH)
    assert r.status_code == 200 and r.json()["accountId"] == "557058:demo-user"
    # the demo token also works as a Bearer token (a stand-in for an OAuth access token on Cloud)
    r = httpx.get(
        demo_server.base_url + "/rest/api/user/current",
        headers={"Authorization": "Bearer demo-token"},
    )
    assert r.json()["displayName"] == "Demo User"
    # Cloud has no REST API outside /wiki (only through the gateway)
    assert httpx.get(demo_server.origin + "/rest/api/user/current", auth=AUTH).status_code == 404


def test_spaces_filters(http):
    spaces = http.get("/api/v2/spaces").json()["results"]
    assert {"ENG", "PROD", "~demo"} <= {s["key"] for s in spaces}
    assert [
        s["key"] for s in http.get("/api/v2/spaces", params={"keys": "PROD,ENG"}).json()["results"]
    ] == ["ENG", "PROD"]
    personal = http.get("/api/v2/spaces", params={"type": "personal"}).json()["results"]
    assert [s["key"] for s in personal] == ["~demo"]
    one = http.get(f"/api/v2/spaces/{spaces[0]['id']}").json()
    assert one["key"] == spaces[0]["key"] and one["_links"]["base"].endswith("/wiki")
    assert http.get("/api/v2/spaces/999999").status_code == 404


def test_cursor_paging_follows_next_links(http, demo_server):
    sid = space_id(http)
    seen, url, pages = [], f"/wiki/api/v2/spaces/{sid}/pages?limit=4", 0
    while url:
        r = http.get(demo_server.origin + url)
        body = r.json()
        seen += [p["id"] for p in body["results"]]
        pages += 1
        nxt = body["_links"].get("next")
        if nxt:
            assert nxt.startswith("/wiki/api/v2/spaces/")
            assert r.headers["link"].startswith(f'<{nxt}>; rel="next"')
        else:
            assert "link" not in r.headers
        url = nxt
    everything = http.get(f"/api/v2/spaces/{sid}/pages", params={"limit": 250}).json()
    assert "next" not in everything["_links"]
    assert seen == [p["id"] for p in everything["results"]]
    assert pages == -(-len(seen) // 4)


def test_limit_is_clamped_and_validated(http):
    assert len(http.get("/api/v2/pages", params={"limit": 1000}).json()["results"]) <= 250
    r = http.get("/api/v2/pages", params={"limit": "lots"})
    assert r.status_code == 400 and "limit" in r.json()["errors"][0]["title"]
    assert http.get("/api/v2/pages", params={"cursor": "garbage!"}).status_code == 400


def test_depth_root_and_title_filter(http):
    sid = space_id(http)
    roots = http.get(f"/api/v2/spaces/{sid}/pages", params={"depth": "root"}).json()["results"]
    assert [p["title"] for p in roots] == ["Platform Engineering"]
    assert roots[0]["parentId"] is None
    found = http.get(f"/api/v2/spaces/{sid}/pages", params={"title": "Runbooks"}).json()["results"]
    assert len(found) == 1 and found[0]["body"] == {}


def test_get_page_body_and_old_version(http):
    page = page_by_title(http, "Runbook: Payments API latency")
    latest = http.get(f"/api/v2/pages/{page['id']}", params={"body-format": "storage"}).json()
    assert latest["version"]["number"] == 3
    assert "Escalation" in latest["body"]["storage"]["value"]
    v1 = http.get(
        f"/api/v2/pages/{page['id']}", params={"body-format": "storage", "version": 1}
    ).json()
    assert v1["version"]["number"] == 1 and "Escalation" not in v1["body"]["storage"]["value"]
    assert "800 ms" in v1["body"]["storage"]["value"]
    assert http.get(f"/api/v2/pages/{page['id']}", params={"version": 99}).status_code == 404


def test_create_update_conflict_delete(http, demo_server):
    sid = space_id(http)
    parent = page_by_title(http, "Runbooks")
    r = http.post(
        "/api/v2/pages",
        json={
            "spaceId": sid,
            "status": "current",
            "title": "Runbook: Cache flush",
            "parentId": parent["id"],
            "body": {"representation": "storage", "value": "<p>one</p>"},
        },
    )
    assert r.status_code == 200, r.text
    page = r.json()
    assert page["version"]["number"] == 1 and page["parentId"] == parent["id"]

    dup = http.post(
        "/api/v2/pages",
        json={
            "spaceId": sid,
            "title": "runbook: cache FLUSH",
            "body": {"representation": "storage", "value": "<p>x</p>"},
        },
    )
    assert dup.status_code == 400 and "already exists" in dup.json()["errors"][0]["title"]

    update = {
        "id": page["id"],
        "status": "current",
        "title": page["title"],
        "body": {"representation": "storage", "value": "<p>two</p>"},
        "version": {"number": 2, "message": "second"},
    }
    r = http.put(f"/api/v2/pages/{page['id']}", json=update)
    assert r.status_code == 200 and r.json()["version"] == {
        **r.json()["version"],
        "number": 2,
        "message": "second",
    }

    # someone else edits (version 3); our stale PUT of version 3 is refused with the numbers
    demo_server.store.update_page(
        page["id"], "<p>theirs</p>", author="5b10ac8d82e05b22cc7d4ef5", message="theirs"
    )
    update["version"]["number"] = 3
    r = http.put(f"/api/v2/pages/{page['id']}", json=update)
    assert r.status_code == 409
    error = r.json()["errors"][0]
    assert error["code"] == "CONFLICT" and error["detail"] is None
    assert error["title"] == (
        "Version must be incremented when updating a page. "
        "Current Version: [3]. Provided version: [3]"
    )
    update["version"]["number"] = 9
    assert http.put(f"/api/v2/pages/{page['id']}", json=update).status_code == 409

    no_version = {k: v for k, v in update.items() if k != "version"}
    r = http.put(f"/api/v2/pages/{page['id']}", json=no_version)
    assert r.status_code == 400 and "version" in r.json()["errors"][0]["title"]
    assert http.put(f"/api/v2/pages/{page['id']}", content=b"{not json").status_code == 400

    # every version is kept
    versions = http.get(f"/api/v2/pages/{page['id']}/versions").json()["results"]
    assert [v["number"] for v in versions] == [3, 2, 1]
    bodies = [
        http.get(
            f"/api/v2/pages/{page['id']}", params={"version": n, "body-format": "storage"}
        ).json()["body"]["storage"]["value"]
        for n in (1, 2, 3)
    ]
    assert bodies == ["<p>one</p>", "<p>two</p>", "<p>theirs</p>"]
    one = http.get(f"/api/v2/pages/{page['id']}/versions/2").json()
    assert one["number"] == 2 and one["prevVersion"] == 1 and one["nextVersion"] == 3

    assert http.delete(f"/api/v2/pages/{page['id']}").status_code == 204
    assert http.get(f"/api/v2/pages/{page['id']}").status_code == 404


def test_children_and_ancestors(http):
    runbooks = page_by_title(http, "Runbooks")
    kids = http.get(f"/api/v2/pages/{runbooks['id']}/children").json()["results"]
    assert [k["title"] for k in kids][:3] == [
        "Runbook: Payments API latency",
        "Runbook: Database failover",
        "Runbook: Rotating TLS certificates",
    ]
    assert [k["childPosition"] for k in kids] == sorted(k["childPosition"] for k in kids)
    chain = http.get(f"/api/v2/pages/{kids[0]['id']}/ancestors").json()["results"]
    assert [a["id"] for a in chain] == [runbooks["parentId"], runbooks["id"]]
    assert all(a["type"] == "page" for a in chain)
    top = http.get(f"/api/v2/pages/{kids[0]['id']}/ancestors", params={"limit": 1}).json()[
        "results"
    ]
    assert [a["id"] for a in top] == [runbooks["id"]]


def test_path_forms(demo_server):
    cloud = demo_server.state.cloud_id
    for url in (
        f"{demo_server.origin}/wiki/rest/api/user/current",
        f"{demo_server.origin}/ex/confluence/{cloud}/wiki/rest/api/user/current",
        f"{demo_server.origin}/ex/confluence/{cloud}/rest/api/user/current",
    ):
        assert httpx.get(url, auth=AUTH).status_code == 200, url
    r = httpx.get(
        f"{demo_server.origin}/ex/confluence/{cloud}/wiki/api/v2/spaces",
        params={"limit": 1},
        auth=AUTH,
    )
    assert r.status_code == 200
    assert r.json()["_links"]["next"].startswith("/wiki/api/v2/spaces?")
    assert (
        httpx.get(
            f"{demo_server.origin}/ex/confluence/not-a-site/wiki/api/v2/spaces", auth=AUTH
        ).status_code
        == 404
    )
    assert httpx.get(f"{demo_server.origin}/wiki/api/v2/nothing-here", auth=AUTH).status_code == 404


def test_concurrent_updates_exactly_one_wins(http, demo_server):
    """Eight writers race with the same base version: one lands, the rest get 409, nothing is lost."""
    from concurrent.futures import ThreadPoolExecutor

    page = page_by_title(http, "Q4 OKRs", key="PROD")
    base = page["version"]["number"]

    def put(n: int) -> int:
        with httpx.Client(base_url=demo_server.base_url, auth=AUTH, timeout=10) as client:
            return client.put(
                f"/api/v2/pages/{page['id']}",
                json={
                    "id": page["id"],
                    "status": "current",
                    "title": page["title"],
                    "body": {"representation": "storage", "value": f"<p>writer {n}</p>"},
                    "version": {"number": base + 1},
                },
            ).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(put, range(8)))
    assert sorted(codes) == [200] + [409] * 7
    versions = http.get(f"/api/v2/pages/{page['id']}/versions").json()["results"]
    assert [v["number"] for v in versions][:2] == [base + 1, base]


def test_request_log_counts_from_the_server_side(http, demo_server):
    page = page_by_title(http, "Runbooks")
    demo_server.requests.clear()
    http.get(f"/api/v2/pages/{page['id']}", params={"body-format": "storage"})
    http.get("/api/v2/pages/0")
    seen = demo_server.requests.entries()
    assert [(s.method, s.path, s.status) for s in seen] == [
        ("GET", f"/wiki/api/v2/pages/{page['id']}", 200),
        ("GET", "/wiki/api/v2/pages/0", 404),
    ]
    assert seen[0].query == "body-format=storage"
    assert demo_server.requests.entries(method="PUT") == []
