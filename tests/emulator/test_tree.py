"""Tree operations on the local Confluence: descendants, moves, trash, root-level pages, embedded labels."""

from __future__ import annotations

import httpx
import pytest

AUTH = ("demo@example.com", "demo-token")


@pytest.fixture
def http(demo_server):
    with httpx.Client(base_url=demo_server.base_url + "/api/v2", auth=AUTH, timeout=10) as client:
        yield client


def by_title(http, title: str) -> dict:
    return http.get("/pages", params={"title": title}).json()["results"][0]


def test_descendants_top_down_with_depth(http):
    home = by_title(http, "Platform Engineering")
    everything = http.get(f"/pages/{home['id']}/descendants", params={"limit": 250}).json()[
        "results"
    ]
    depths = [d["depth"] for d in everything]
    assert depths == sorted(depths) and set(depths) == {1, 2}
    assert {"Runbooks", "Runbook: Database failover"} <= {d["title"] for d in everything}
    level_one = http.get(
        f"/pages/{home['id']}/descendants", params={"depth": 1, "limit": 250}
    ).json()["results"]
    assert {d["depth"] for d in level_one} == {1} and all(
        d["parentId"] == home["id"] for d in level_one
    )
    first = http.get(f"/pages/{home['id']}/descendants", params={"limit": 5}).json()
    rest = http.get(demo_url(http, first["_links"]["next"])).json()
    assert [d["id"] for d in first["results"] + rest["results"]][:10] == [
        d["id"] for d in everything
    ][:10]


def demo_url(http, link: str) -> str:
    return str(http.base_url).split("/wiki/")[0] + link


def test_direct_children_carry_type(http):
    runbooks = by_title(http, "Runbooks")
    kids = http.get(f"/pages/{runbooks['id']}/direct-children").json()["results"]
    assert len(kids) == 3 and all(k["type"] == "page" for k in kids)


def test_move_page_with_parent_id(http):
    page = by_title(http, "Code review guidelines")
    target = by_title(http, "Runbooks")
    body = {
        "id": page["id"],
        "status": "current",
        "title": page["title"],
        "parentId": target["id"],
        "body": {"representation": "storage", "value": "<p>moved</p>"},
        "version": {"number": page["version"]["number"] + 1},
    }
    r = http.put(f"/pages/{page['id']}", json=body)
    assert r.status_code == 200 and r.json()["parentId"] == target["id"]
    chain = http.get(f"/pages/{page['id']}/ancestors").json()["results"]
    assert chain[-1]["id"] == target["id"]
    # not under itself, not into another space
    loop = {**body, "parentId": page["id"], "version": {"number": page["version"]["number"] + 2}}
    assert http.put(f"/pages/{page['id']}", json=loop).status_code == 400
    other_space = by_title(http, "Roadmap 2027")
    away = {
        **body,
        "parentId": other_space["id"],
        "version": {"number": page["version"]["number"] + 2},
    }
    r = http.put(f"/pages/{page['id']}", json=away)
    assert r.status_code == 400 and "another space" in r.json()["errors"][0]["title"]


def test_trash_keeps_children_and_frees_the_title(http):
    parent = by_title(http, "Onboarding: your first week")
    kids_before = http.get(f"/pages/{parent['id']}/children").json()["results"]
    assert http.delete(f"/pages/{parent['id']}").status_code == 204
    trashed = http.get(f"/pages/{parent['id']}", params={"status": "trashed"}).json()
    assert trashed["status"] == "trashed"
    for kid in kids_before:
        assert http.get(f"/pages/{kid['id']}").json()["parentId"] == parent["parentId"]
    assert http.get("/pages", params={"title": parent["title"]}).json()["results"] == []
    again = http.post(
        "/pages",
        json={
            "spaceId": parent["spaceId"],
            "title": parent["title"],
            "body": {"representation": "storage", "value": "<p>new</p>"},
        },
    )
    assert again.status_code == 200
    assert http.delete(f"/pages/{parent['id']}").status_code == 404
    # restoring needs the title free again
    restore = {
        "id": parent["id"],
        "status": "current",
        "title": parent["title"],
        "version": {"number": 99},
        "body": {"representation": "storage", "value": "<p>ignored</p>"},
    }
    clash = http.put(f"/pages/{parent['id']}", json=restore)
    assert clash.status_code == 400 and "already exists" in clash.json()["errors"][0]["title"]
    assert http.delete(f"/pages/{again.json()['id']}").status_code == 204
    back = http.put(f"/pages/{parent['id']}", json=restore)
    assert back.status_code == 200 and back.json()["status"] == "current"
    assert (
        back.json()["version"] == parent["version"]
        and "ignored" not in back.json()["body"]["storage"]["value"]
    )
    assert (
        http.get("/pages", params={"title": parent["title"]}).json()["results"][0]["id"]
        == parent["id"]
    )


def test_purge_only_from_the_trash(http, demo_server):
    page = by_title(http, "Colour tokens")
    r = http.delete(f"/pages/{page['id']}", params={"purge": "true"})
    assert r.status_code == 400 and "trash" in r.json()["errors"][0]["title"]
    assert http.delete(f"/pages/{page['id']}").status_code == 204
    assert http.delete(f"/pages/{page['id']}", params={"purge": "true"}).status_code == 204
    assert http.get(f"/pages/{page['id']}", params={"status": "trashed"}).status_code == 404
    assert not demo_server.store.query(
        "SELECT 1 FROM page_versions WHERE page_id = ?", (int(page["id"]),)
    )


def test_create_root_level_and_under_homepage(http):
    space = http.get("/spaces", params={"keys": "PROD"}).json()["results"][0]
    default = http.post(
        "/pages",
        json={
            "spaceId": space["id"],
            "title": "Under home",
            "body": {"representation": "storage", "value": "<p>a</p>"},
        },
    ).json()
    assert default["parentId"] == space["homepageId"]
    root = http.post(
        "/pages?root-level=true",
        json={
            "spaceId": space["id"],
            "title": "At root",
            "body": {"representation": "storage", "value": "<p>b</p>"},
        },
    )
    assert root.status_code == 200 and root.json()["parentId"] is None
    both = http.post(
        "/pages?root-level=true",
        json={
            "spaceId": space["id"],
            "title": "Both",
            "parentId": space["homepageId"],
            "body": {"representation": "storage", "value": "<p>c</p>"},
        },
    )
    assert both.status_code == 400
    missing = http.post(
        "/pages",
        json={
            "spaceId": "424242",
            "title": "Nowhere",
            "body": {"representation": "storage", "value": "<p>d</p>"},
        },
    )
    assert missing.status_code == 404
    untitled = http.post(
        "/pages",
        json={
            "spaceId": space["id"],
            "title": "  ",
            "body": {"representation": "storage", "value": "<p>e</p>"},
        },
    )
    assert untitled.status_code == 400


def test_include_labels_and_unsupported_body_format(http):
    page = by_title(http, "Roadmap 2027")
    got = http.get(f"/pages/{page['id']}", params={"include-labels": "true"}).json()
    assert {label["name"] for label in got["labels"]["results"]} == {"roadmap", "planning"}
    r = http.get(f"/pages/{page['id']}", params={"body-format": "atlas_doc_format"})
    assert r.status_code == 400 and "storage" in r.json()["errors"][0]["title"]


def test_body_over_5_mb_is_413(http):
    page = by_title(http, "Team directory")
    huge = "<p>" + "x" * (5 * 1024 * 1024) + "</p>"
    r = http.put(
        f"/pages/{page['id']}",
        json={
            "id": page["id"],
            "status": "current",
            "title": page["title"],
            "body": {"representation": "storage", "value": huge},
            "version": {"number": page["version"]["number"] + 1},
        },
    )
    assert r.status_code == 413 and r.json()["errors"][0]["code"] == "REQUEST_ENTITY_TOO_LARGE"
    assert http.get(f"/pages/{page['id']}").json()["version"]["number"] == page["version"]["number"]


def test_every_body_over_5_mb_is_413_and_changes_nothing(http, demo_server):
    """The limit is one rule for pages (v2 and v1) and comments, and a 413 writes nothing."""
    page = by_title(http, "Team directory")
    huge = "<p>" + "x" * (5 * 1024 * 1024) + "</p>"
    origin = demo_server.base_url
    comments_before = http.get(f"/pages/{page['id']}/footer-comments").json()["results"]
    v1 = http.put(
        f"{origin}/rest/api/content/{page['id']}",
        json={
            "type": "page",
            "title": page["title"],
            "version": {"number": page["version"]["number"] + 1},
            "body": {"storage": {"value": huge, "representation": "storage"}},
        },
    )
    assert (
        v1.status_code == 413 and v1.json()["statusCode"] == 413 and "5 MB" in v1.json()["message"]
    )
    comment = http.post(
        "/footer-comments",
        json={"pageId": page["id"], "body": {"representation": "storage", "value": huge}},
    )
    assert (
        comment.status_code == 413
        and comment.json()["errors"][0]["code"] == "REQUEST_ENTITY_TOO_LARGE"
    )
    assert http.get(f"/pages/{page['id']}").json()["version"]["number"] == page["version"]["number"]
    assert http.get(f"/pages/{page['id']}/footer-comments").json()["results"] == comments_before


def test_a_body_in_another_representation_is_refused_by_name(http, demo_server):
    page = by_title(http, "Runbooks")
    wiki = {"representation": "wiki", "value": "h1. Title"}
    edit = http.put(
        f"/pages/{page['id']}",
        json={
            "id": page["id"],
            "status": "current",
            "title": page["title"],
            "body": wiki,
            "version": {"number": page["version"]["number"] + 1},
        },
    )
    reply = http.post("/footer-comments", json={"pageId": page["id"], "body": wiki})
    v1 = http.post(
        f"{demo_server.base_url}/rest/api/content",
        json={
            "type": "page",
            "title": "Wiki markup",
            "space": {"key": "ENG"},
            "body": {"storage": wiki},
        },
    )
    for r in (edit, reply):
        assert (
            r.status_code == 400
            and "'wiki' is not accepted here; send 'storage'" in r.json()["errors"][0]["title"]
        )
    assert v1.status_code == 400 and "'wiki' is not accepted here" in v1.json()["message"]
    v1_flat = http.post(
        f"{demo_server.base_url}/rest/api/content",
        json={
            "type": "page",
            "title": "Flat body",
            "space": {"key": "ENG"},
            "body": {"value": "<p>x</p>"},
        },
    )
    assert v1_flat.status_code == 400 and v1_flat.json()["message"].endswith(
        ": body.storage.value is required."
    )
