"""Bad input to the local Confluence gets a 4xx with a JSON error body, never a 500, and changes nothing."""

from __future__ import annotations

import httpx
import pytest

AUTH = ("demo@example.com", "demo-token")
ODD = [None, 1, 1.5, True, [], {}, "x", [1], {"a": 1}, "   "]


@pytest.fixture(scope="module")
def server():
    from workbench.emulator.runner import start_in_thread

    running = start_in_thread(seed="demo")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def ids(server):
    page = server.store.query_one("SELECT id, version FROM pages WHERE title = 'Runbooks'")
    return str(page["id"]), page["version"], str(server.store.space_by_key("ENG")["id"])


@pytest.fixture
def http(server):
    with httpx.Client(base_url=server.base_url, auth=AUTH, timeout=10) as client:
        yield client


def assert_clean_4xx(r: httpx.Response) -> None:
    assert 400 <= r.status_code < 500, (
        r.request.method,
        r.request.url,
        r.request.content[:200],
        r.text[:300],
    )
    body = r.json()
    assert ("errors" in body and body["errors"][0]["title"]) or body.get("message"), body


@pytest.mark.parametrize(
    "field", ["id", "status", "title", "body", "version", "parentId", "spaceId"]
)
def test_page_update_with_odd_values(http, ids, field, server):
    page_id = ids[0]
    version = server.store.get_page(page_id)["version"]
    for value in ODD:
        body = {
            "id": page_id,
            "status": "current",
            "title": "Runbooks",
            "version": {"number": version + 1},
            "body": {"representation": "storage", "value": "<p>changed</p>"},
            field: value,
        }
        r = http.put(f"/api/v2/pages/{page_id}", json=body)
        if (
            r.status_code == 200
        ):  # a value that happens to be acceptable (e.g. parentId None): undo nothing
            version += 1
            continue
        assert_clean_4xx(r)
    assert server.store.get_page(page_id)["version"] == version


@pytest.mark.parametrize("field", ["spaceId", "title", "body", "parentId", "status"])
def test_page_create_with_odd_values(http, ids, field, server):
    _, _, space_id = ids
    for n, value in enumerate(ODD):
        body = {
            "spaceId": space_id,
            "title": f"Odd {field} {n}",
            "body": {"representation": "storage", "value": "<p>x</p>"},
            field: value,
        }
        before = server.store.query_one("SELECT count(*) AS n FROM pages")["n"]
        r = http.post("/api/v2/pages", json=body)
        if r.status_code != 200:
            assert_clean_4xx(r)
        after = server.store.query_one("SELECT count(*) AS n FROM pages")["n"]
        assert after - before == (1 if r.status_code == 200 else 0), (field, value, r.status_code)


def test_odd_values_elsewhere(http, ids, server):
    page_id = ids[0]
    for value in ODD:
        version = server.store.get_page(page_id)["version"]
        for field in ("pageId", "parentCommentId", "body"):
            r = http.post(
                "/api/v2/footer-comments",
                json={"pageId": page_id, "body": {"value": "<p>x</p>"}, field: value},
            )
            if r.status_code != 201:
                assert_clean_4xx(r)
        for r in (
            http.post(f"/rest/api/content/{page_id}/label", json=value),
            http.post(f"/rest/api/content/{page_id}/label", json=[{"name": "ok", "prefix": value}]),
            http.post("/api/v2/users-bulk", json=value),
            http.put(
                f"/rest/api/content/{page_id}",
                json={
                    "type": "page",
                    "title": value,
                    "version": {"number": version + 1},
                    "body": {"storage": {"value": "<p>x</p>"}},
                },
            ),
            http.put(
                f"/rest/api/content/{page_id}",
                json={
                    "type": "page",
                    "title": "Runbooks",
                    "version": {"number": version + 1},
                    "ancestors": value,
                    "body": {"storage": {"value": "<p>x</p>"}},
                },
            ),
            http.post(
                "/rest/api/content",
                json={
                    "type": "comment",
                    "container": value,
                    "body": {"storage": {"value": "<p>x</p>"}},
                },
            ),
            http.post(
                "/rest/api/content",
                json={
                    "type": "page",
                    "space": value,
                    "title": "x",
                    "body": {"storage": {"value": "<p>x</p>"}},
                },
            ),
        ):
            if r.status_code != 200:
                assert_clean_4xx(r)


@pytest.mark.parametrize("raw", [b"[]", b"null", b"1", b'"x"', b"{", b"\xff\xfe"])
def test_non_object_bodies(http, ids, raw, server):
    page_id, _, _ = ids
    counts = (
        "SELECT (SELECT count(*) FROM pages) AS pages, (SELECT count(*) FROM comments) AS comments, "
        "(SELECT count(*) FROM page_labels) AS labels, (SELECT version FROM pages WHERE id = ?) AS version"
    )
    before = server.store.query_one(counts, (page_id,))
    for method, url in (
        ("PUT", f"/api/v2/pages/{page_id}"),
        ("POST", "/api/v2/pages"),
        ("POST", "/api/v2/footer-comments"),
        ("PUT", f"/rest/api/content/{page_id}"),
        ("POST", "/rest/api/content"),
        ("POST", "/api/v2/users-bulk"),
        ("POST", f"/rest/api/content/{page_id}/label"),
    ):
        assert_clean_4xx(http.request(method, url, content=raw))
    assert server.store.query_one(counts, (page_id,)) == before


def test_odd_query_parameters(http, ids):
    page_id, _, space_id = ids
    for url, params in (
        (f"/api/v2/spaces/{space_id}/pages", {"depth": "sideways"}),
        (f"/api/v2/spaces/{space_id}/pages", {"sort": "colour"}),
        ("/api/v2/pages", {"space-id": "ENG"}),
        ("/api/v2/pages", {"limit": "0"}),
        ("/api/v2/pages", {"limit": "ten"}),
        ("/api/v2/spaces", {"limit": "99999999999999999999999"}),
        (f"/api/v2/pages/{page_id}", {"version": "latest"}),
        (f"/api/v2/pages/{page_id}/versions", {"sort": "name"}),
        ("/api/v2/pages/abc", {}),
        ("/api/v2/pages/99999999999999999999999", {}),
        (f"/api/v2/pages/{page_id}", {"version": "99999999999999999999999"}),
        ("/api/v2/pages", {"id": "99999999999999999999999"}),
        ("/api/v2/pages", {"cursor": "d2I6OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5"}),
        (f"/api/v2/pages/{page_id}/versions/99999999999999999999999", {}),
        ("/rest/api/content/99999999999999999999999", {}),
        ("/api/v2/footer-comments/99999999999999999999999", {}),
        ("/api/v2/spaces/99999999999999999999999", {}),
        ("/rest/api/search", {"cql": "type = page", "start": "-5"}),
        ("/rest/api/search", {"cql": "type = page", "cqlcontext": "{nope"}),
        ("/rest/api/space/ENG/content/page", {"start": "-1"}),
    ):
        assert_clean_4xx(http.get(url, params=params))


def test_a_limit_that_is_not_a_number_is_named(http):
    r = http.get("/api/v2/pages", params={"limit": "ten"})
    assert r.status_code == 400
    assert r.json()["errors"][0]["title"] == "The parameter 'limit' must be a number, not 'ten'."
    assert (
        len(http.get("/api/v2/pages", params={"limit": "1000"}).json()["results"]) <= 250
    )  # clamped
