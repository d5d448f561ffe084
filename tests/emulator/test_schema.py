"""Every implemented v2 endpoint answers with JSON that validates against the official OpenAPI spec,
and so do the v1 search, content, label and current-user answers against the v1 spec.

``/pages/{id}/descendants`` and ``/direct-children`` are newer than the stored v2 snapshot, so the
spec has nothing to check them against; DELETE answers 204 with no body.

The spec is OpenAPI 3.0: ``nullable: true`` is turned into JSON Schema's ``null`` type before
validating. One documented deviation: the spec types ``parentId``/``parentType`` as plain strings
while its own descriptions (and the live service) say they are null for a root page, so those two
are allowed to be null.
"""

from __future__ import annotations

import httpx
import pytest

from tests.openapi_check import SPECS, check, load

SPEC = SPECS / "confluence-cloud-v2.openapi.json"
SPEC_V1 = SPECS / "confluence-cloud-v1.openapi.json"
AUTH = ("demo@example.com", "demo-token")
NULL_AT_ROOT = ("PageBulk", "PageSingle")  # parentId/parentType null at the root


@pytest.fixture(scope="module")
def spec():
    return load(SPEC.name, null_at_root=NULL_AT_ROOT)


@pytest.fixture(scope="module")
def server():
    from workbench.emulator.runner import start_in_thread

    running = start_in_thread(seed="demo")
    yield running
    running.stop()


def test_every_implemented_v2_endpoint_matches_the_spec(spec, server):
    http = httpx.Client(base_url=server.base_url + "/api/v2", auth=AUTH, timeout=10)

    def get(spec_path, url, **params):
        r = http.get(url, params=params)
        assert r.status_code == 200, (url, r.text)
        check(spec, spec_path, "get", 200, r.json())
        return r.json()

    spaces = get("/spaces", "/spaces", limit=2)
    get("/spaces", "/spaces", keys="ENG,PROD", type="global")
    space_id = spaces["results"][0]["id"]
    get("/spaces/{id}", f"/spaces/{space_id}")
    get("/spaces/{id}/pages", f"/spaces/{space_id}/pages", depth="root")
    listed = get(
        "/spaces/{id}/pages", f"/spaces/{space_id}/pages", **{"body-format": "storage", "limit": 50}
    )
    get("/pages", "/pages", **{"space-id": space_id, "title": "Runbooks"})
    page = next(p for p in listed["results"] if p["title"] == "Runbook: Payments API latency")
    home = next(p for p in listed["results"] if p["parentId"] is None)
    parent_id = page["parentId"]
    get("/pages/{id}", f"/pages/{page['id']}", **{"body-format": "storage"})
    get("/pages/{id}", f"/pages/{home['id']}")
    get(
        "/pages/{id}",
        f"/pages/{page['id']}",
        version="1",
        **{"body-format": "storage", "include-labels": "true"},
    )
    get("/pages/{id}/children", f"/pages/{parent_id}/children", limit=2)
    get("/pages/{id}/ancestors", f"/pages/{page['id']}/ancestors")
    get("/pages/{id}/versions", f"/pages/{page['id']}/versions", **{"body-format": "storage"})
    for number in (1, 2, 3):
        get("/pages/{page-id}/versions/{version-number}", f"/pages/{page['id']}/versions/{number}")
    get("/pages/{id}/labels", f"/pages/{page['id']}/labels")
    comments = get(
        "/pages/{id}/footer-comments",
        f"/pages/{page['id']}/footer-comments",
        **{"body-format": "storage"},
    )
    comment_id = comments["results"][0]["id"]
    get(
        "/footer-comments/{comment-id}",
        f"/footer-comments/{comment_id}",
        **{"body-format": "storage"},
    )
    get(
        "/footer-comments/{id}/children",
        f"/footer-comments/{comment_id}/children",
        **{"body-format": "storage"},
    )

    users = http.post(
        "/users-bulk", json={"accountIds": ["557058:demo-user", "5b10ac8d82e05b22cc7d4ef5"]}
    )
    check(spec, "/users-bulk", "post", 200, users.json())

    created = http.post(
        "/pages",
        json={
            "spaceId": space_id,
            "status": "current",
            "title": "Schema probe",
            "parentId": parent_id,
            "body": {"representation": "storage", "value": "<p>probe</p>"},
        },
    )
    check(spec, "/pages", "post", 200, created.json())
    updated = http.put(
        f"/pages/{created.json()['id']}",
        json={
            "id": created.json()["id"],
            "status": "current",
            "title": "Schema probe",
            "body": {"representation": "storage", "value": "<p>probe 2</p>"},
            "version": {"number": 2},
        },
    )
    check(spec, "/pages/{id}", "put", 200, updated.json())
    comment = http.post(
        "/footer-comments",
        json={
            "pageId": created.json()["id"],
            "body": {"representation": "storage", "value": "<p>c</p>"},
        },
    )
    check(spec, "/footer-comments", "post", 201, comment.json())
    reply = http.post(
        "/footer-comments",
        json={
            "parentCommentId": comment.json()["id"],
            "body": {"representation": "storage", "value": "<p>r</p>"},
        },
    )
    check(spec, "/footer-comments", "post", 201, reply.json())
    edited = http.put(
        f"/footer-comments/{reply.json()['id']}",
        json={
            "version": {"number": 2},
            "body": {"representation": "storage", "value": "<p>r2</p>"},
        },
    )
    check(spec, "/footer-comments/{comment-id}", "put", 200, edited.json())
    assert http.delete(f"/pages/{created.json()['id']}").status_code == 204
    http.close()


@pytest.fixture(scope="module")
def spec_v1():
    return load(SPEC_V1.name)


def test_v1_search_content_labels_and_user_match_the_spec(spec_v1, server):
    http = httpx.Client(base_url=server.base_url + "/rest/api", auth=AUTH, timeout=10)

    def v1(method, path, url, body=None, **params):
        r = http.request(method.upper(), url, params=params, json=body)
        assert r.status_code == 200, (url, r.text)
        check(spec_v1, "/wiki/rest/api" + path, method, 200, r.json())
        return r.json()

    found = v1("get", "/search", "/search", cql='text ~ "failover"', limit=2)
    v1("get", "/search", "/search", cql="space = PROD", expand="content.version")
    v1("get", "/content/search", "/content/search", cql="label = runbook", expand="space,version")
    page_id = found["results"][0]["content"]["id"]
    page = v1(
        "get",
        "/content/{id}",
        f"/content/{page_id}",
        expand="body.storage,version,space,ancestors,history",
    )
    v1(
        "put",
        "/content/{id}",
        f"/content/{page_id}",
        body={
            "type": "page",
            "title": page["title"],
            "version": {"number": page["version"]["number"] + 1},
            "body": {"storage": {"value": "<p>v1 schema</p>", "representation": "storage"}},
        },
    )
    v1("get", "/content/{id}/label", f"/content/{page_id}/label")
    v1(
        "post",
        "/content/{id}/label",
        f"/content/{page_id}/label",
        body=[{"prefix": "global", "name": "schema"}],
    )
    v1("get", "/user/current", "/user/current")
    http.close()


def test_the_check_catches_a_wrong_shape(spec):
    with pytest.raises(AssertionError, match="id"):
        check(spec, "/spaces/{id}", "get", 200, {"id": 98305, "key": "ENG"})
