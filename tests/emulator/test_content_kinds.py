"""Every kind of content on the local Confluence, checked against Atlassian's published specs.

Blog posts (v2 ``/blogposts`` and v1 ``content`` type blogpost), folders / whiteboards / databases /
smart links (v2), the all-content ``direct-children`` listings in Confluence's order, ``ancestors``
with their types, v1 history and versions as each flavour serves them (Cloud v1 ``/version`` list
and ``/version/{n}``; Data Center only ``/rest/experimental``), content properties (v1 and v2) and
the rendered ``view``/``export_view`` bodies. Response bodies are validated against
``tests/specs`` (the v2 2025-02 snapshot and the v1 spec) where the spec has the endpoint.
"""

from __future__ import annotations

import httpx
import pytest

from tests.openapi_check import check, load

AUTH = ("demo@example.com", "demo-token")
DC_AUTH = ("demo", "demo-password")


@pytest.fixture(scope="module")
def v2_spec():
    return load(
        "confluence-cloud-v2.openapi.json",
        null_at_root=(
            "PageBulk",
            "PageSingle",
            "FolderSingle",
            "WhiteboardSingle",
            "DatabaseSingle",
            "SmartLinkSingle",
        ),
    )


@pytest.fixture(scope="module")
def v1_spec():
    return load("confluence-cloud-v1.openapi.json")


@pytest.fixture(scope="module")
def cloud():
    from workbench.emulator.runner import start_in_thread

    running = start_in_thread(seed="demo")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def dc():
    from workbench.emulator.runner import start_in_thread

    running = start_in_thread(seed="demo", flavour="dc", context_path="/confluence")
    yield running
    running.stop()


@pytest.fixture
def v2(cloud):
    with httpx.Client(base_url=cloud.base_url + "/api/v2", auth=AUTH, timeout=10) as client:
        yield client


@pytest.fixture
def v1(cloud):
    with httpx.Client(base_url=cloud.base_url + "/rest/api", auth=AUTH, timeout=10) as client:
        yield client


def ident(server, title: str) -> str:
    row = server.store.query_one("SELECT id FROM pages WHERE title = ?", (title,))
    assert row is not None, title
    return str(row["id"])


def test_folders_whiteboards_databases_and_smart_links_match_the_spec(v2, v2_spec, cloud):
    folder = v2.get(f"/folders/{ident(cloud, 'Design handbook')}").json()
    check(v2_spec, "/folders/{id}", "get", 200, folder)
    assert (
        folder["type"] == "folder" and folder["parentType"] == "page" and folder["_links"]["webui"]
    )
    for path, title in (
        ("/whiteboards/{id}", "Checkout flow board"),
        ("/databases/{id}", "Research participants"),
        ("/embeds/{id}", "Figma: checkout redesign"),
    ):
        body = v2.get(path.replace("{id}", ident(cloud, title))).json()
        check(v2_spec, path, "get", 200, body)
        assert body["title"] == title
    assert (
        v2.get(f"/embeds/{ident(cloud, 'Figma: checkout redesign')}")
        .json()["embedUrl"]
        .startswith("https://")
    )
    # one kind's endpoint does not serve another kind (404, as for a missing page)
    assert v2.get(f"/pages/{ident(cloud, 'Design handbook')}").status_code == 404
    assert v2.get(f"/folders/{ident(cloud, 'Buttons')}").status_code == 404
    made = v2.post(
        "/folders",
        json={
            "spaceId": folder["spaceId"]
            if "spaceId" in folder
            else str(cloud.store.space_by_key("PROD")["id"]),
            "title": "Made here",
            "parentId": folder["id"],
        },
    )
    assert made.status_code == 200, made.text
    check(v2_spec, "/folders", "post", 200, made.json())
    assert made.json()["parentId"] == folder["id"] and made.json()["parentType"] == "folder"
    assert v2.delete(f"/folders/{made.json()['id']}").status_code == 204


def test_direct_children_list_every_kind_in_confluence_order(v2, cloud):
    home = str(cloud.store.space_by_key("PROD")["homepage_id"])
    items = v2.get(f"/pages/{home}/direct-children", params={"limit": 250}).json()["results"]
    assert {"id", "status", "title", "type", "spaceId", "childPosition"} == set(items[0])
    kinds = {i["title"]: i["type"] for i in items}
    assert kinds["Design handbook"] == "folder" and kinds["Checkout flow board"] == "whiteboard"
    assert kinds["Research participants"] == "database" and kinds["Roadmap 2027"] == "page"
    positions = [i["childPosition"] for i in items]
    assert positions == sorted(positions)
    inside = v2.get(f"/folders/{ident(cloud, 'Design handbook')}/direct-children").json()["results"]
    assert [(i["title"], i["type"]) for i in inside] == [
        ("Handbook overview", "page"),
        ("Components", "folder"),
        ("Figma: checkout redesign", "embed"),
    ]
    deepest = v2.get(f"/folders/{ident(cloud, 'Forms')}/direct-children").json()["results"]
    assert [i["title"] for i in deepest] == ["Form field guidelines", "Validation messages"]
    # the deprecated pages-only listing does not show them (which is why the tree cannot use it)
    pages_only = v2.get(f"/pages/{home}/children", params={"limit": 250}).json()["results"]
    assert "Design handbook" not in {i["title"] for i in pages_only}
    # paging keeps the order
    first = v2.get(f"/pages/{home}/direct-children", params={"limit": 3}).json()
    second = v2.get(first["_links"]["next"].removeprefix("/wiki/api/v2")).json()
    assert [i["id"] for i in first["results"] + second["results"]] == [i["id"] for i in items[:6]]


def test_ancestors_name_their_kind(v2, v2_spec, cloud):
    chain = v2.get(f"/pages/{ident(cloud, 'Form field guidelines')}/ancestors").json()
    check(v2_spec, "/pages/{id}/ancestors", "get", 200, chain)
    assert [a["type"] for a in chain["results"]] == ["page", "folder", "folder", "folder"]
    page = v2.get(f"/pages/{ident(cloud, 'Form field guidelines')}").json()
    assert page["parentType"] == "folder" and page["parentId"] == ident(cloud, "Forms")


def test_blog_posts_v2(v2, v2_spec, cloud):
    space = str(cloud.store.space_by_key("PROD")["id"])
    listing = v2.get(
        f"/spaces/{space}/blogposts", params={"sort": "-created-date", "body-format": "storage"}
    ).json()
    check(v2_spec, "/spaces/{id}/blogposts", "get", 200, listing)
    titles = [b["title"] for b in listing["results"]]
    assert titles == [
        "Workbench 1.0 beta opens to all teams",
        "What we learned from five merchant interviews",
    ]
    post_id = listing["results"][0]["id"]
    post = v2.get(
        f"/blogposts/{post_id}", params={"body-format": "storage", "include-labels": "true"}
    ).json()
    check(v2_spec, "/blogposts/{id}", "get", 200, post)
    assert "/blog/" in post["_links"]["webui"] and "parentId" not in post
    assert {x["name"] for x in post["labels"]["results"]} == {"launch", "announcement"}
    assert v2.get(f"/pages/{post_id}").status_code == 404  # blog posts are not pages
    versions = v2.get(
        f"/blogposts/{ident(cloud, 'What we learned from five merchant interviews')}/versions"
    ).json()
    check(v2_spec, "/blogposts/{id}/versions", "get", 200, versions)
    assert [v["number"] for v in versions["results"]] == [2, 1] and "blogpost" in versions[
        "results"
    ][0]
    comments = v2.get(
        f"/blogposts/{post_id}/footer-comments", params={"body-format": "storage"}
    ).json()
    check(v2_spec, "/blogposts/{id}/footer-comments", "get", 200, comments)
    assert comments["results"][0]["blogPostId"] == post_id
    labels = v2.get(f"/blogposts/{post_id}/labels").json()
    check(v2_spec, "/blogposts/{id}/labels", "get", 200, labels)
    made = v2.post(
        "/blogposts",
        json={
            "spaceId": space,
            "status": "current",
            "title": "Fresh post",
            "body": {"representation": "storage", "value": "<p>New.</p>"},
        },
    )
    assert made.status_code == 200, made.text
    check(v2_spec, "/blogposts", "post", 200, made.json())
    updated = v2.put(
        f"/blogposts/{made.json()['id']}",
        json={
            "id": made.json()["id"],
            "status": "current",
            "title": "Fresh post",
            "body": {"representation": "storage", "value": "<p>Newer.</p>"},
            "version": {"number": 2},
        },
    )
    assert updated.status_code == 200 and updated.json()["version"]["number"] == 2
    check(v2_spec, "/blogposts/{id}", "put", 200, updated.json())
    stale = v2.put(
        f"/blogposts/{made.json()['id']}",
        json={
            "id": made.json()["id"],
            "status": "current",
            "title": "Fresh post",
            "body": {"representation": "storage", "value": "<p>x</p>"},
            "version": {"number": 2},
        },
    )
    assert stale.status_code == 409
    reply = v2.post(
        "/footer-comments",
        json={
            "blogPostId": made.json()["id"],
            "body": {"representation": "storage", "value": "<p>Nice</p>"},
        },
    )
    assert reply.status_code == 201 and reply.json()["blogPostId"] == made.json()["id"]
    assert (
        v2.post(
            "/footer-comments",
            json={
                "pageId": made.json()["id"],  # a blog post is not a page
                "body": {"representation": "storage", "value": "<p>x</p>"},
            },
        ).status_code
        == 404
    )
    assert v2.delete(f"/blogposts/{made.json()['id']}").status_code == 204


def test_v1_content_types_and_history_on_cloud(v1, v1_spec, cloud):
    post_id = ident(cloud, "What we learned from five merchant interviews")
    content = v1.get(f"/content/{post_id}", params={"expand": "body.storage,version,space"}).json()
    assert content["type"] == "blogpost"
    check(v1_spec, "/wiki/rest/api/content/{id}", "get", 200, content)
    folder = v1.get(f"/content/{ident(cloud, 'Forms')}").json()
    assert folder["type"] == "folder"
    page = ident(cloud, "Runbooks")
    history = v1.get(f"/content/{page}/history").json()
    check(v1_spec, "/wiki/rest/api/content/{id}/history", "get", 200, history)
    assert history["latest"] is True and history["lastUpdated"]["number"] >= 1
    versions = v1.get(f"/content/{post_id}/version").json()
    check(v1_spec, "/wiki/rest/api/content/{id}/version", "get", 200, versions)
    assert [v["number"] for v in versions["results"]] == [2, 1]
    one = v1.get(f"/content/{post_id}/version/1").json()
    check(v1_spec, "/wiki/rest/api/content/{id}/version/{versionNumber}", "get", 200, one)
    assert one["number"] == 1
    assert v1.get(f"/content/{post_id}/version/9").status_code == 404
    # Cloud has no /rest/experimental version resource
    experimental = httpx.get(
        f"{cloud.base_url}/rest/experimental/content/{post_id}/version", auth=AUTH
    )
    assert experimental.status_code == 404
    # a blog post saved through v1 keeps its type
    put = v1.put(
        f"/content/{post_id}",
        json={
            "id": post_id,
            "type": "blogpost",
            "title": content["title"],
            "version": {"number": 3},
            "body": {"storage": {"value": "<p>v3</p>", "representation": "storage"}},
        },
    )
    assert put.status_code == 200 and put.json()["type"] == "blogpost"
    wrong = v1.put(
        f"/content/{post_id}",
        json={
            "id": post_id,
            "type": "page",
            "title": content["title"],
            "version": {"number": 4},
            "body": {"storage": {"value": "<p>v4</p>", "representation": "storage"}},
        },
    )
    assert wrong.status_code == 400


def test_data_center_versions_live_under_rest_experimental(dc):
    with httpx.Client(base_url=f"{dc.origin}/confluence", auth=DC_AUTH, timeout=10) as http:
        page = ident(dc, "Runbook: Payments API latency")  # three versions
        assert http.get(f"/rest/api/content/{page}/version").status_code == 404  # as real DC
        listing = http.get(f"/rest/experimental/content/{page}/version").json()
        # the recorded DC answer's members (Virtomize/confluence-go-api mocks/version.json)
        item = listing["results"][0]
        assert {
            "by",
            "when",
            "message",
            "number",
            "minorEdit",
            "hidden",
            "_links",
            "_expandable",
        } <= set(item)
        assert item["_links"]["self"].startswith(
            f"{dc.origin}/confluence/rest/experimental/content/{page}/version/"
        )
        assert listing["_links"]["context"] == "/confluence" and listing["start"] == 0
        assert http.get(f"/rest/experimental/content/{page}/version/1").json()["number"] == 1
        history = http.get(f"/rest/api/content/{page}/history").json()
        assert history["lastUpdated"]["_links"]["self"].startswith(
            f"{dc.origin}/confluence/rest/experimental/"
        )
        body = http.get(
            f"/rest/api/content/{page}",
            params={"status": "historical", "version": 1, "expand": "body.storage,version"},
        ).json()
        assert body["version"]["number"] == 1 and body["status"] == "historical"


def test_data_center_has_no_folders(dc):
    with httpx.Client(
        base_url=f"{dc.origin}/confluence/rest/api", auth=DC_AUTH, timeout=10
    ) as http:
        assert http.get(f"/content/{ident(dc, 'Design handbook')}").status_code == 404
        assert http.get(f"/content/{ident(dc, 'Checkout flow board')}").status_code == 404
        home = str(dc.store.space_by_key("PROD")["homepage_id"])
        assert http.get(f"/content/{home}/child/folder").status_code == 404
        kids = [
            k["title"]
            for k in http.get(f"/content/{home}/child/page", params={"limit": 100}).json()[
                "results"
            ]
        ]
        # the pages a Cloud folder holds show where the folder is (DC has no folders)
        assert "Handbook overview" in kids and "Design handbook" not in kids
        deep = http.get(
            f"/content/{ident(dc, 'Handbook overview')}", params={"expand": "ancestors"}
        ).json()
        assert [a["type"] for a in deep["ancestors"]] == ["page"]
        posts = http.get("/space/PROD/content/blogpost").json()["results"]
        assert {p["type"] for p in posts} == {"blogpost"} and len(posts) == 2
        assert "/display/PROD/" in posts[0]["_links"]["webui"]
        found = http.get("/search", params={"cql": "type = folder"}).json()
        assert found["totalSize"] == 0


def test_content_properties_v1_and_v2(v1, v2, v1_spec, v2_spec, cloud):
    page = ident(cloud, "Buttons")
    made = v1.post(f"/content/{page}/property", json={"key": "review", "value": {"state": "draft"}})
    assert made.status_code == 200, made.text
    check(v1_spec, "/wiki/rest/api/content/{id}/property", "post", 200, made.json())
    assert (
        v1.post(f"/content/{page}/property", json={"key": "review", "value": 1}).status_code == 400
    )
    listing = v1.get(f"/content/{page}/property").json()
    check(v1_spec, "/wiki/rest/api/content/{id}/property", "get", 200, listing)
    stale = v1.put(
        f"/content/{page}/property/review",
        json={"value": {"state": "done"}, "version": {"number": 1}},
    )
    assert stale.status_code == 409
    fresh = v1.put(
        f"/content/{page}/property/review",
        json={"value": {"state": "done"}, "version": {"number": 2}},
    )
    assert fresh.status_code == 200 and fresh.json()["value"] == {"state": "done"}
    props = v2.get(f"/pages/{page}/properties").json()
    check(v2_spec, "/pages/{page-id}/properties", "get", 200, props)
    prop = props["results"][0]
    assert prop["key"] == "review" and prop["version"]["number"] == 2
    one = v2.get(f"/pages/{page}/properties/{prop['id']}").json()
    check(v2_spec, "/pages/{page-id}/properties/{property-id}", "get", 200, one)
    put = v2.put(
        f"/pages/{page}/properties/{prop['id']}",
        json={"key": "review", "value": True, "version": {"number": 3}},
    )
    assert put.status_code == 200 and put.json()["value"] is True
    assert v2.delete(f"/pages/{page}/properties/{prop['id']}").status_code == 204
    assert v1.get(f"/content/{page}/property/review").status_code == 404


def test_view_and_export_view_bodies(v1, v2, cloud):
    page = ident(cloud, "Runbooks")
    view = v2.get(f"/pages/{page}", params={"body-format": "view"}).json()["body"]["view"]
    assert view["representation"] == "view" and "<" in view["value"] and "ac:" not in view["value"]
    export = v2.get(f"/pages/{page}", params={"body-format": "export_view"}).json()["body"][
        "export_view"
    ]
    assert export["representation"] == "export_view"
    both = v1.get(
        f"/content/{page}", params={"expand": "body.view,body.export_view,body.storage"}
    ).json()["body"]
    assert {"view", "export_view", "storage"} <= set(both) and "ac:" not in both["view"]["value"]
    assert v2.get(f"/pages/{page}", params={"body-format": "wiki"}).status_code == 400
