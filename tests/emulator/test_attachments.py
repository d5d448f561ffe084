"""Attachments on the local Confluence over loopback HTTP: the v1 upload rules (XSRF header, duplicate
names, new versions), lists with paging on v1 and v2, the download redirect and the bytes, versions,
the trash, Data Center's differences, files kept in the data directory, and the spec's shapes."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

SPECS = Path(__file__).resolve().parents[1] / "specs"
AUTH = ("demo@example.com", "demo-token")
NO_CHECK = {"X-Atlassian-Token": "no-check"}
POSTMORTEM = "Incident postmortem: 2026-09-14 checkout outage"


@pytest.fixture
def site(demo_server):
    with httpx.Client(base_url=demo_server.base_url, auth=AUTH, timeout=10) as http:
        yield demo_server, http


def page_id(http: httpx.Client, title: str) -> str:
    return http.get("/api/v2/pages", params={"title": title}).json()["results"][0]["id"]


def upload(http, page, name, data, *, method="POST", headers=NO_CHECK, **form):
    return http.request(
        method,
        f"/rest/api/content/{page}/child/attachment",
        files={"file": (name, data)},
        data=form,
        headers=headers,
    )


def test_an_upload_without_the_no_check_header_is_refused_and_stores_nothing(site):
    server, http = site
    page = page_id(http, "Runbooks")
    for method in ("POST", "PUT"):
        refused = upload(http, page, "plan.txt", b"x", method=method, headers={})
        assert refused.status_code == 403 and refused.text == "XSRF check failed"
    wrong = upload(http, page, "plan.txt", b"x", headers={"X-Atlassian-Token": "yes"})
    assert wrong.status_code == 403
    assert http.get(f"/api/v2/pages/{page}/attachments").json()["results"] == []
    assert (
        server.store.scalar("SELECT COUNT(*) FROM attachments WHERE container_id = ?", (page,)) == 0
    )
    # the spec's own spelling (Cloud accepts it)
    assert (
        upload(http, page, "plan.txt", b"x", headers={"X-Atlassian-Token": "nocheck"}).status_code
        == 200
    )


def test_post_refuses_a_duplicate_name_and_put_makes_a_new_version(site):
    _, http = site
    page = page_id(http, "Runbooks")
    first = upload(http, page, "plan.txt", b"one", comment="first cut", minorEdit="true")
    assert first.status_code == 200
    (created,) = first.json()["results"]
    assert created["id"].startswith("att") and created["type"] == "attachment"
    assert created["version"]["number"] == 1 and created["version"]["minorEdit"] is True
    assert (
        created["extensions"]["fileSize"] == 3 and created["extensions"]["comment"] == "first cut"
    )
    assert created["extensions"]["collectionName"] == f"contentId-{page}"
    again = upload(http, page, "plan.txt", b"two")
    assert again.status_code == 400 and "same file name" in again.json()["message"]
    put = upload(http, page, "plan.txt", b"two!", method="PUT", comment="second")
    (updated,) = put.json()["results"]
    assert updated["id"] == created["id"] and updated["version"]["number"] == 2
    data = http.post(
        f"/rest/api/content/{page}/child/attachment/{created['id']}/data",
        files={"file": ("plan.txt", b"three")},
        headers=NO_CHECK,
    )
    assert data.status_code == 200 and data.json()["version"]["number"] == 3
    versions = http.get(f"/api/v2/attachments/{created['id']}/versions").json()["results"]
    assert [v["number"] for v in versions] == [3, 2, 1]
    assert [v["message"] for v in versions] == ["", "second", "first cut"]


def test_several_files_with_comments_in_order_and_bad_multipart_bodies(site):
    _, http = site
    page = page_id(http, "Runbooks")
    both = http.post(
        f"/rest/api/content/{page}/child/attachment",
        files=[("file", ("a.txt", b"a")), ("file", ("b.txt", b"bb"))],
        data={"comment": ["for a", "for b"]},
        headers=NO_CHECK,
    )
    assert [(r["title"], r["extensions"]["comment"]) for r in both.json()["results"]] == [
        ("a.txt", "for a"),
        ("b.txt", "for b"),
    ]
    one_comment = http.post(
        f"/rest/api/content/{page}/child/attachment",
        files=[("file", ("c.txt", b"c")), ("file", ("d.txt", b"d"))],
        data={"comment": "only one"},
        headers=NO_CHECK,
    )
    assert one_comment.status_code == 400 and "comment" in one_comment.json()["message"]
    json_body = http.post(
        f"/rest/api/content/{page}/child/attachment", json={"file": "x"}, headers=NO_CHECK
    )
    assert json_body.status_code == 400
    no_file = http.post(
        f"/rest/api/content/{page}/child/attachment",
        data={"comment": "x"},
        files={},
        headers=NO_CHECK,
    )
    assert no_file.status_code == 400
    slash = upload(http, page, "../etc/passwd", b"x")
    assert slash.status_code == 400
    missing = upload(http, "999999999", "x.txt", b"x")
    assert missing.status_code == 404


def test_v2_lists_page_with_a_cursor_and_v1_with_start(site):
    _, http = site
    page = page_id(http, "Runbooks")
    for n in range(5):
        assert upload(http, page, f"f{n}.txt", b"%d" % n).status_code == 200
    seen, url = [], f"/api/v2/pages/{page}/attachments?limit=2"
    while url:
        body = http.get(url).json()
        seen += [a["title"] for a in body["results"]]
        url = body["_links"].get("next", "").removeprefix("/wiki") or None
    assert seen == [f"f{n}.txt" for n in range(5)]
    seen, url = [], f"/rest/api/content/{page}/child/attachment?limit=2"
    while url:
        body = http.get(url).json()
        seen += [a["title"] for a in body["results"]]
        url = body["_links"].get("next")
    assert seen == [f"f{n}.txt" for n in range(5)]
    only = http.get(f"/api/v2/pages/{page}/attachments", params={"filename": "f3.txt"}).json()
    assert [a["title"] for a in only["results"]] == ["f3.txt"]
    v1_only = http.get(
        f"/rest/api/content/{page}/child/attachment", params={"filename": "f1.txt"}
    ).json()
    assert [a["title"] for a in v1_only["results"]] == ["f1.txt"]
    assert http.get(f"/api/v2/pages/{page}/attachments?sort=size").status_code == 400


def test_downloads_redirect_to_the_bytes_of_each_version(site):
    _, http = site
    page = page_id(http, "Runbooks")
    blob = bytes(range(256)) * 1000
    (att,) = upload(http, page, "data.bin", blob).json()["results"]
    upload(http, page, "data.bin", b"v2", method="PUT")
    redirect = http.get(f"/rest/api/content/{page}/child/attachment/{att['id']}/download")
    assert redirect.status_code == 302
    assert http.get(redirect.headers["location"]).content == b"v2"
    old = http.get(
        f"/rest/api/content/{page}/child/attachment/{att['id']}/download",
        params={"version": 1},
        follow_redirects=True,
    )
    assert old.content == blob and old.headers["content-disposition"].startswith("attachment")
    past = http.get(
        f"/rest/api/content/{page}/child/attachment/{att['id']}/download", params={"version": 3}
    )
    assert past.status_code == 400
    listed = http.get(f"/api/v2/pages/{page}/attachments").json()
    (item,) = listed["results"]
    link = listed["_links"]["base"] + item["downloadLink"]
    assert item["downloadLink"].startswith(f"/download/attachments/{page}/data.bin?version=2")
    assert httpx.get(link, auth=AUTH).content == b"v2"
    assert httpx.get(link).status_code == 401  # the bytes need a login too


def test_delete_moves_to_the_trash_and_purge_removes_it_for_good(site):
    server, http = site
    page = page_id(http, "Runbooks")
    (att,) = upload(http, page, "gone.txt", b"bye").json()["results"]
    assert http.delete(f"/api/v2/attachments/{att['id']}?purge=true").status_code == 400
    assert http.delete(f"/api/v2/attachments/{att['id']}").status_code == 204
    assert http.get(f"/api/v2/attachments/{att['id']}").status_code == 404
    assert http.get(f"/api/v2/pages/{page}/attachments").json()["results"] == []
    trashed = http.get(f"/api/v2/pages/{page}/attachments", params={"status": "trashed"}).json()
    assert [a["title"] for a in trashed["results"]] == ["gone.txt"]
    # the name is free again once the old one is in the trash
    assert upload(http, page, "gone.txt", b"new").status_code == 200
    assert http.delete(f"/api/v2/attachments/{att['id']}?purge=true").status_code == 204
    assert (
        server.store.scalar("SELECT COUNT(*) FROM attachments WHERE id = ?", (int(att["id"][3:]),))
        == 0
    )


def test_blog_posts_carry_attachments_too(site):
    _, http = site
    post = http.get("/api/v2/blogposts", params={"limit": 1}).json()["results"][0]["id"]
    assert upload(http, post, "photo.png", b"\x89PNG").status_code == 200
    (item,) = http.get(f"/api/v2/blogposts/{post}/attachments").json()["results"]
    assert item["blogPostId"] == post and "pageId" not in item
    assert item["mediaType"] == "image/png" and item["mediaTypeDescription"] == "PNG Image"
    assert http.get(f"/api/v2/pages/{post}/attachments").status_code == 404


def test_the_demo_has_an_image_in_two_versions_and_an_unreferenced_file(site):
    _, http = site
    page = page_id(http, POSTMORTEM)
    items = http.get(f"/api/v2/pages/{page}/attachments").json()["results"]
    by_name = {a["title"]: a for a in items}
    chart = by_name["checkout-errors.png"]
    assert chart["version"]["number"] == 2 and chart["mediaType"] == "image/png"
    body = http.get(
        f"/rest/api/content/{page}/child/attachment/{chart['id']}/download", follow_redirects=True
    ).content
    assert body.startswith(b"\x89PNG\r\n\x1a\n") and len(body) == chart["fileSize"]
    assert "outage-timeline-draft.png" in by_name
    runbook = page_id(http, "Runbook: Rotating TLS certificates")
    (sheet,) = http.get(f"/api/v2/pages/{runbook}/attachments").json()["results"]
    xlsx = http.get(
        f"/rest/api/content/{runbook}/child/attachment/{sheet['id']}/download",
        follow_redirects=True,
    ).content
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        assert "legacy.example.com" in archive.read("xl/worksheets/sheet1.xml").decode()


def test_files_live_in_the_data_dir_and_survive_a_restart(local_confluence, tmp_path):
    first = local_confluence("demo", data_dir=tmp_path)
    with httpx.Client(base_url=first.base_url, auth=AUTH, timeout=10) as http:
        page = page_id(http, "Runbooks")
        (att,) = upload(http, page, "keep.txt", b"kept bytes").json()["results"]
    first.stop()
    assert any(p.read_bytes() == b"kept bytes" for p in (tmp_path / "attachments").iterdir())
    second = local_confluence("demo", data_dir=tmp_path)
    with httpx.Client(base_url=second.base_url, auth=AUTH, timeout=10) as http:
        got = http.get(
            f"/rest/api/content/{page}/child/attachment/{att['id']}/download", follow_redirects=True
        )
        assert got.content == b"kept bytes"


def test_a_schema_4_data_dir_is_upgraded_in_place(local_confluence, tmp_path):
    first = local_confluence("demo", data_dir=tmp_path)
    store = first.store
    with store.lock:
        store.db.execute("DROP TABLE attachment_versions")
        store.db.execute("DROP TABLE attachments")
    store.set_meta("schema", "4")
    first.stop()
    second = local_confluence("demo", data_dir=tmp_path)
    assert second.store.meta("schema") == "5"
    with httpx.Client(base_url=second.base_url, auth=AUTH, timeout=10) as http:
        page = page_id(http, "Runbooks")
        assert upload(http, page, "after.txt", b"ok").status_code == 200


def test_data_center_serves_the_v1_endpoints_only_and_wants_no_check_exactly(local_confluence):
    server = local_confluence("demo", flavour="dc", context_path="/confluence")
    with httpx.Client(base_url=server.base_url, auth=("demo", "demo-password"), timeout=10) as http:
        found = http.get("/rest/api/content", params={"title": "Runbooks", "spaceKey": "ENG"})
        page = found.json()["results"][0]["id"]
        nocheck = upload(http, page, "dc.txt", b"x", headers={"X-Atlassian-Token": "nocheck"})
        assert nocheck.status_code == 403
        (att,) = upload(http, page, "dc.txt", b"dc one").json()["results"]
        assert att["_links"]["download"].startswith(f"/download/attachments/{page}/dc.txt?")
        assert upload(http, page, "dc.txt", b"x", method="PUT").status_code == 405
        data = http.post(
            f"/rest/api/content/{page}/child/attachment/{att['id']}/data",
            files={"file": ("dc.txt", b"dc two")},
            headers=NO_CHECK,
        )
        assert data.json()["version"]["number"] == 2
        listed = http.get(f"/rest/api/content/{page}/child/attachment").json()
        assert listed["_links"]["context"] == "/confluence"
        link = listed["_links"]["base"] + listed["results"][0]["_links"]["download"]
        assert httpx.get(link, auth=("demo", "demo-password")).content == b"dc two"
        assert http.get(f"/api/v2/pages/{page}/attachments").status_code == 404
        assert http.delete(f"/rest/api/content/{att['id']}").status_code == 204
        assert http.get(f"/rest/api/content/{page}/child/attachment").json()["results"] == []


def test_v2_answers_match_the_spec(site):
    import copy

    import jsonschema

    from tests.openapi_check import load

    spec = load("confluence-cloud-v2.openapi.json")
    spec_v1 = load("confluence-cloud-v1.openapi.json")

    def check(document_spec, path, method, body):
        schema = document_spec["paths"][path][method]["responses"]["200"]["content"][
            "application/json"
        ]["schema"]
        validator = jsonschema.Draft7Validator(
            {**copy.deepcopy(schema), "components": document_spec["components"]}
        )
        errors = list(validator.iter_errors(body))
        assert not errors, [e.message for e in errors[:3]]

    _, http = site
    page = page_id(http, POSTMORTEM)
    listed = http.get(f"/api/v2/pages/{page}/attachments").json()
    check(spec, "/pages/{id}/attachments", "get", listed)
    att = listed["results"][0]["id"]
    one = http.get(f"/api/v2/attachments/{att}", params={"include-versions": "true"}).json()
    check(spec, "/attachments/{id}", "get", one)
    check(
        spec,
        "/attachments/{id}/versions",
        "get",
        http.get(f"/api/v2/attachments/{att}/versions").json(),
    )
    v1_list = http.get(f"/rest/api/content/{page}/child/attachment").json()
    check(spec_v1, "/wiki/rest/api/content/{id}/child/attachment", "get", v1_list)
    created = upload(http, page, "shape.txt", b"s").json()
    check(spec_v1, "/wiki/rest/api/content/{id}/child/attachment", "post", created)
