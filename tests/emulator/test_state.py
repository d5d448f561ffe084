"""Seeds, persistence, comments, labels and users on the local Confluence."""

from __future__ import annotations

import xml.dom.minidom

import httpx
import pytest

from workbench.emulator.seed import parse_seed
from workbench.errors import UsageError

AUTH = ("demo@example.com", "demo-token")


@pytest.fixture
def http(demo_server):
    with httpx.Client(base_url=demo_server.base_url, auth=AUTH, timeout=10) as client:
        yield client


def _wellformed(storage: str) -> None:
    doc = (
        '<!DOCTYPE r [<!ENTITY nbsp "&#160;">]><r xmlns:ac="http://atlassian.com/content" '
        f'xmlns:ri="http://atlassian.com/resource/identifier">{storage}</r>'
    )
    xml.dom.minidom.parseString(doc.encode())


def test_demo_seed_is_realistic_and_uses_every_construct(demo_server):
    store = demo_server.store
    spaces = {s["key"] for s in store.list_spaces(limit=50)}
    assert {"ENG", "PROD"} <= spaces
    pages = store.query("SELECT title, body FROM pages")
    assert len(pages) >= 30
    everything = "".join(p["body"] for p in pages)
    for construct in (
        'ac:name="code"',
        'ac:name="info"',
        'ac:name="warning"',
        'ac:name="note"',
        'ac:name="tip"',
        'ac:name="panel"',
        'ac:name="expand"',
        'ac:name="status"',
        'ac:name="toc"',
        "<ac:task-list",
        "<ac:layout>",
        'rowspan="2"',
        'colspan="2"',
        "<ri:page ",
        "<ri:user ri:account-id=",
        "<ac:image",
        "<ac:emoticon",
        "<time datetime=",
        "ac:macro-id=",
        "local-id=",
        'ac:name="jira"',
        "<ri:attachment",
        "<![CDATA[",
        "<ac:inline-comment-marker",
        "<ac:placeholder>",
        'ac:name="excerpt"',
        'ac:name="children"',
        'ac:name="anchor"',
    ):
        assert construct in everything, construct
    for page in pages:
        _wellformed(page["body"])
    catalogue = next(p for p in pages if p["title"] == "Service catalogue")
    assert 90_000 <= len(catalogue["body"].encode()) <= 140_000
    # several versions of some pages, comments with replies, labels
    assert store.scalar("SELECT COUNT(*) FROM pages WHERE version >= 3") >= 2
    assert store.scalar("SELECT COUNT(*) FROM comments WHERE parent_comment_id IS NOT NULL") >= 3
    assert store.scalar("SELECT COUNT(DISTINCT name) FROM labels") >= 15


def test_demo_seed_is_the_same_every_time(local_confluence):
    def snapshot(server):
        rows = server.store.query("SELECT id, title, body, version FROM pages ORDER BY id")
        return [(r["id"], r["title"], r["body"], r["version"]) for r in rows]

    assert snapshot(local_confluence("demo")) == snapshot(local_confluence("demo"))


def test_empty_seed(local_confluence):
    server = local_confluence("empty")
    with httpx.Client(base_url=server.base_url, auth=AUTH) as http:
        assert http.get("/api/v2/spaces").json()["results"] == []
        assert http.get("/rest/api/user/current").json()["displayName"] == "Demo User"


def test_large_seed_is_deep_and_deterministic(local_confluence):
    server = local_confluence("large:5000")  # its speed is measured by bench/emulator_server.py
    store = server.store
    assert store.scalar("SELECT COUNT(*) FROM pages") == 5000
    depth = store.scalar(
        "WITH RECURSIVE t(id, d) AS (SELECT id, 0 FROM pages WHERE parent_id IS NULL "
        "UNION ALL SELECT p.id, t.d + 1 FROM pages p JOIN t ON p.parent_id = t.id) SELECT MAX(d) FROM t"
    )
    widest = store.scalar("SELECT MAX(n) FROM (SELECT COUNT(*) n FROM pages GROUP BY parent_id)")
    assert depth >= 4 and widest >= 200
    other = local_confluence("large:5000")
    assert other.store.query(
        "SELECT id, parent_id, title FROM pages ORDER BY id LIMIT 50 OFFSET 4000"
    ) == store.query("SELECT id, parent_id, title FROM pages ORDER BY id LIMIT 50 OFFSET 4000")
    with httpx.Client(base_url=server.base_url, auth=AUTH) as http:
        body = http.get(
            "/rest/api/search", params={"cql": 'text ~ "throughput" and space = LARGE'}
        ).json()
        assert body["totalSize"] == 4999


def test_wide_seed_is_one_page_with_n_children_in_order(local_confluence):
    server = local_confluence("wide:600")  # bench/tree_large.py measures the tree with it
    with httpx.Client(base_url=server.base_url, auth=AUTH) as http:
        space = http.get("/api/v2/spaces", params={"keys": "WIDE"}).json()["results"][0]
        home = http.get(f"/api/v2/pages/{space['homepageId']}/direct-children").json()["results"]
        assert [c["title"] for c in home] == ["Wide"]
        url, params, titles = f"/api/v2/pages/{home[0]['id']}/direct-children", {"limit": 250}, []
        while url:
            body = http.get(url, params=params).json()
            titles += [c["title"] for c in body["results"]]
            url, params = body["_links"].get("next", "").removeprefix("/wiki"), None
    assert titles == [f"Child {n:06d}" for n in range(1, 601)]
    with pytest.raises(UsageError, match="wide:N needs a page count"):
        parse_seed("wide:0")


def test_data_dir_keeps_state_across_restarts(local_confluence, tmp_path):
    first = local_confluence("demo", data_dir=tmp_path / "state")
    page = first.store.query_one("SELECT id FROM pages WHERE title = 'Runbooks'")
    first.store.update_page(page["id"], "<p>kept</p>", message="persisted")
    first.stop()
    second = local_confluence("empty", data_dir=tmp_path / "state")  # seed ignored: data exists
    with httpx.Client(base_url=second.base_url, auth=AUTH) as http:
        got = http.get(f"/api/v2/pages/{page['id']}", params={"body-format": "storage"}).json()
    assert (
        got["body"]["storage"]["value"] == "<p>kept</p>"
        and got["version"]["message"] == "persisted"
    )


def test_footer_comments_and_replies(http):
    page = http.get(
        "/api/v2/pages", params={"title": "ADR-003: Event bus on NATS JetStream"}
    ).json()["results"][0]
    roots = http.get(
        f"/api/v2/pages/{page['id']}/footer-comments", params={"body-format": "storage"}
    ).json()
    assert len(roots["results"]) == 2
    first = roots["results"][0]
    assert first["pageId"] == page["id"] and "replay" in first["body"]["storage"]["value"]
    replies = http.get(f"/api/v2/footer-comments/{first['id']}/children").json()["results"]
    assert len(replies) == 2 and all(r["parentCommentId"] == first["id"] for r in replies)

    r = http.post(
        "/api/v2/footer-comments",
        json={
            "pageId": page["id"],
            "body": {"representation": "storage", "value": "<p>Agreed.</p>"},
        },
    )
    assert r.status_code == 201 and r.headers["location"].endswith(
        f"/footer-comments/{r.json()['id']}"
    )
    assert r.json()["version"]["authorId"] == "557058:demo-user"
    reply = http.post(
        "/api/v2/footer-comments",
        json={
            "parentCommentId": r.json()["id"],
            "body": {"storage": {"representation": "storage", "value": "<p>Reply</p>"}},
        },
    )
    assert reply.status_code == 201 and reply.json()["parentCommentId"] == r.json()["id"]
    assert reply.json()["pageId"] == page["id"]
    one = http.get(
        f"/api/v2/footer-comments/{reply.json()['id']}", params={"body-format": "storage"}
    ).json()
    assert one["body"]["storage"]["value"] == "<p>Reply</p>"
    edit = {
        "version": {"number": 2},
        "body": {"representation": "storage", "value": "<p>Edited</p>"},
    }
    edited = http.put(f"/api/v2/footer-comments/{reply.json()['id']}", json=edit)
    assert edited.status_code == 200 and edited.json()["version"]["number"] == 2
    stale = http.put(f"/api/v2/footer-comments/{reply.json()['id']}", json=edit)
    assert stale.status_code == 409 and "Current Version: [2]" in stale.json()["errors"][0]["title"]
    assert http.delete(f"/api/v2/footer-comments/{reply.json()['id']}").status_code == 204
    assert http.get(f"/api/v2/footer-comments/{reply.json()['id']}").status_code == 404
    assert (
        http.post("/api/v2/footer-comments", json={"body": {"value": "<p>x</p>"}}).status_code
        == 400
    )
    assert (
        http.post(
            "/api/v2/footer-comments", json={"pageId": "1", "body": {"value": "<p>x</p>"}}
        ).status_code
        == 404
    )


def test_labels_v1_add_remove_and_v2_list(http):
    page = http.get("/api/v2/pages", params={"title": "Runbooks"}).json()["results"][0]
    r = http.post(
        f"/rest/api/content/{page['id']}/label",
        json=[{"prefix": "global", "name": "Ops-Ready"}, {"name": "tier1"}],
    )
    assert r.status_code == 200
    names = {label["name"] for label in r.json()["results"]}
    assert {"runbook", "ops-ready", "tier1"} <= names  # existing labels stay; names are lower-cased
    single = http.post(
        f"/rest/api/content/{page['id']}/label", json={"prefix": "global", "name": "single"}
    )
    assert "single" in {label["name"] for label in single.json()["results"]}
    v2 = http.get(f"/api/v2/pages/{page['id']}/labels").json()["results"]
    assert {"ops-ready", "tier1", "single"} <= {label["name"] for label in v2}
    assert http.delete(f"/rest/api/content/{page['id']}/label/tier1").status_code == 204
    assert http.delete(f"/rest/api/content/{page['id']}/label/tier1").status_code == 404
    bad = http.post(f"/rest/api/content/{page['id']}/label", json=[{"name": "has space"}])
    assert bad.status_code == 400 and bad.json()["statusCode"] == 400
    found = http.get("/rest/api/search", params={"cql": "label = ops-ready"}).json()
    assert [x["content"]["id"] for x in found["results"]] == [page["id"]]
    by_text = http.get(
        "/rest/api/search", params={"cql": 'text ~ "ops-ready"'}
    ).json()  # text covers labels
    assert [x["content"]["id"] for x in by_text["results"]] == [page["id"]]
    http.delete(f"/rest/api/content/{page['id']}/label/ops-ready")
    assert (
        http.get("/rest/api/search", params={"cql": 'text ~ "ops-ready"'}).json()["totalSize"] == 0
    )


def test_users_bulk_and_current_user(http):
    ids = ["557058:demo-user", "5b10ac8d82e05b22cc7d4ef5", "unknown:nobody"]
    users = http.post("/api/v2/users-bulk", json={"accountIds": ids}).json()["results"]
    assert {u["accountId"]: u["displayName"] for u in users} == {
        "557058:demo-user": "Demo User",
        "5b10ac8d82e05b22cc7d4ef5": "Hana Kowalczyk",
    }
    assert http.post("/api/v2/users-bulk", json={"accountIds": "x"}).status_code == 400
    me = http.get("/rest/api/user/current").json()
    assert me["accountId"] == "557058:demo-user" and me["email"] == "demo@example.com"


def test_v1_content_get_and_put_as_data_center(http, demo_server):
    page = demo_server.store.query_one(
        "SELECT id, version, title FROM pages WHERE title = 'Team directory'"
    )
    got = http.get(
        f"/rest/api/content/{page['id']}", params={"expand": "body.storage,version,space,ancestors"}
    )
    body = got.json()
    assert body["version"]["number"] == page["version"] and body["space"]["key"] == "PROD"
    assert body["body"]["storage"]["representation"] == "storage"
    assert [a["title"] for a in body["ancestors"]] == ["Product & Design"]
    update = {
        "type": "page",
        "title": page["title"],
        "version": {"number": page["version"] + 1},
        "body": {"storage": {"value": "<p>v1 edit</p>", "representation": "storage"}},
    }
    assert http.put(f"/rest/api/content/{page['id']}", json=update).status_code == 200
    stale = http.put(f"/rest/api/content/{page['id']}", json=update)
    assert stale.status_code == 409 and stale.json()["statusCode"] == 409
    assert stale.json()["message"].endswith(f"Current version is: {page['version'] + 1}")
    missing = http.put(
        f"/rest/api/content/{page['id']}", json={k: v for k, v in update.items() if k != "version"}
    )
    assert missing.status_code == 400 and "version" in missing.json()["message"]
    old = http.get(
        f"/rest/api/content/{page['id']}", params={"version": 1, "expand": "body.storage"}
    ).json()
    assert old["body"]["storage"]["value"] != "<p>v1 edit</p>"


def test_data_from_another_schema_version_is_refused(local_confluence, tmp_path):
    from workbench.errors import UsageError

    first = local_confluence("empty", data_dir=tmp_path)
    first.store.set_meta("schema", "0")
    first.stop()
    with pytest.raises(UsageError, match="another version of the local Confluence"):
        local_confluence("empty", data_dir=tmp_path)


def test_one_server_per_data_dir(local_confluence, tmp_path):
    from workbench.errors import UsageError

    first = local_confluence("empty", data_dir=tmp_path)
    with pytest.raises(UsageError, match="in use by another local Confluence"):
        local_confluence("empty", data_dir=tmp_path)
    first.stop()
    local_confluence("empty", data_dir=tmp_path)  # free again once the first one stopped


def test_a_server_that_does_not_start_in_time_is_a_plain_error_and_frees_its_data_dir(
    local_confluence, tmp_path, monkeypatch
):
    import asyncio

    import uvicorn

    from workbench.emulator import runner
    from workbench.errors import WorkbenchError

    class SlowToStart(uvicorn.Server):  # the real server, on a machine too busy to start it in time
        async def startup(self, sockets=None):
            await asyncio.sleep(1)
            await super().startup(sockets=sockets)

    real = runner._uvicorn_server
    monkeypatch.setattr(
        runner, "_uvicorn_server", lambda app, quiet: SlowToStart(real(app, quiet=quiet).config)
    )
    monkeypatch.setattr(runner, "START_TIMEOUT", 0.2)
    with pytest.raises(WorkbenchError, match="did not start within 0.2 seconds"):
        runner.start_in_thread("empty", data_dir=tmp_path)
    monkeypatch.undo()
    again = local_confluence("empty", data_dir=tmp_path)  # the store was closed, its lock released
    assert again.store.meta("seed") == "empty"


def test_a_port_in_use_leaves_the_data_dir_free(local_confluence, tmp_path):
    from workbench.errors import UsageError

    busy = local_confluence("empty")
    with pytest.raises(UsageError, match=f"Port {busy.port} .* already in use"):
        local_confluence("empty", data_dir=tmp_path, port=busy.port)
    local_confluence("empty", data_dir=tmp_path)  # not locked by the server that never started


def test_a_data_dir_holding_something_else_is_a_plain_error(local_confluence, tmp_path):
    from workbench.emulator.runner import DB_NAME
    from workbench.errors import UsageError

    (tmp_path / DB_NAME).write_text("not a database")
    with pytest.raises(
        UsageError, match="is not a local Confluence database .* use another --data directory"
    ):
        local_confluence("empty", data_dir=tmp_path)
    assert (tmp_path / DB_NAME).read_text() == "not a database"
    (tmp_path / DB_NAME).unlink()
    local_confluence("empty", data_dir=tmp_path)  # the data dir's lock was released
