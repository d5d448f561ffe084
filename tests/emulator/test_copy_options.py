"""The local Confluence honours the copy request's options (v1 spec ``CopyPageRequest`` and
``CopyPageHierarchyRequest``: ``copyAttachments``, ``copyPermissions``, ``copyLabels``,
``copyProperties``) — over loopback HTTP, then read back through the attachment endpoints."""

from __future__ import annotations

import httpx
import pytest

AUTH = ("demo@example.com", "demo-token")
RUNBOOKS, PAYMENTS, TLS, ADRS = "65538", "65539", "65543", "65544"


@pytest.fixture
def http(demo_server):
    with httpx.Client(base_url=demo_server.base_url, auth=AUTH, timeout=10) as client:
        yield client


def _attach(http, page: str, name: str, data: bytes, media: str = "text/plain") -> None:
    r = http.post(
        f"/rest/api/content/{page}/child/attachment",
        files={"file": (name, data, media)},
        headers={"X-Atlassian-Token": "no-check"},
    )
    assert r.status_code == 200, r.text


def _files(http, page: str) -> dict[str, bytes]:
    rows = http.get(f"/api/v2/pages/{page}/attachments").json()["results"]
    out = {}
    for row in rows:
        got = http.get(
            row["downloadLink"]
            if row["downloadLink"].startswith("/")
            else "/wiki" + row["downloadLink"],
            follow_redirects=True,
        )
        out[row["title"]] = got.content
    return out


def _copy(http, page: str, **flags) -> str:
    r = http.post(
        f"/rest/api/content/{page}/copy",
        json={
            "destination": {"type": "parent_page", "value": ADRS},
            "pageTitle": f"Copy {len(flags)} {sorted(flags.items())}",
            **flags,
        },
    )
    assert r.status_code == 200, r.text
    return r.json()["id"]


def test_copy_attachments_only_when_asked(http, demo_server):
    _attach(http, TLS, "notes.txt", b"first")
    r = http.put(  # a second version: the copy takes the latest
        f"/rest/api/content/{TLS}/child/attachment",
        files={"file": ("notes.txt", b"second version", "text/plain")},
        headers={"X-Atlassian-Token": "no-check"},
    )
    assert r.status_code == 200, r.text
    _attach(http, TLS, "chart.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml")
    plain = _copy(http, TLS)
    assert _files(http, plain) == {}
    with_files = _copy(http, TLS, copyAttachments=True)
    source = _files(http, TLS)
    assert len(source) >= 3 and source["notes.txt"] == b"second version"
    assert _files(http, with_files) == source  # every file, each at its latest version
    rows = http.get(f"/api/v2/pages/{with_files}/attachments").json()["results"]
    assert {r["version"]["number"] for r in rows} == {1}  # new attachments, version 1
    assert {r["title"]: r["mediaType"] for r in rows}["chart.svg"] == "image/svg+xml"
    # the source keeps its own (and both versions of notes.txt)
    assert _files(http, TLS)["notes.txt"] == b"second version"
    bad = http.post(
        f"/rest/api/content/{TLS}/copy",
        json={"destination": {"type": "parent_page", "value": ADRS}, "copyAttachments": "yes"},
    )
    assert bad.status_code == 400 and "copyAttachments" in bad.text


def test_a_copy_over_an_existing_page_adds_versions_to_same_named_files(http):
    _attach(http, TLS, "notes.txt", b"from the source")
    _attach(http, PAYMENTS, "notes.txt", b"the target's own")
    r = http.post(
        f"/rest/api/content/{TLS}/copy",
        json={
            "destination": {"type": "existing_page", "value": PAYMENTS},
            "pageTitle": "Payments, overwritten",
            "copyAttachments": True,
        },
    )
    assert r.status_code == 200, r.text
    rows = http.get(f"/api/v2/pages/{PAYMENTS}/attachments").json()["results"]
    [row] = [r for r in rows if r["title"] == "notes.txt"]
    assert row["version"]["number"] == 2  # the same name: a new version, not a second file
    assert _files(http, PAYMENTS)["notes.txt"] == b"from the source"


def test_a_tree_copy_takes_each_pages_attachments_and_restrictions(http, demo_server):
    _attach(http, PAYMENTS, "latency.csv", b"p50,p99\n12,80\n", "text/csv")
    demo_server.store.restrict_edits(PAYMENTS)
    r = http.post(
        f"/rest/api/content/{RUNBOOKS}/pagehierarchy/copy",
        json={
            "destinationPageId": ADRS,
            "titleOptions": {"prefix": "Old "},
            "copyAttachments": True,
            "copyPermissions": True,
        },
    )
    assert r.status_code == 202, r.text
    copied = demo_server.store.query_one(
        "SELECT id FROM pages WHERE title = ?", ("Old Runbook: Payments API latency",)
    )
    assert copied is not None
    assert _files(http, str(copied["id"])) == _files(http, PAYMENTS)
    assert _files(http, str(copied["id"]))["latency.csv"] == b"p50,p99\n12,80\n"
    assert not demo_server.store.may_edit(copied["id"])  # its restriction came along
    other = demo_server.store.query_one("SELECT id FROM pages WHERE title = ?", ("Old Runbooks",))
    assert demo_server.store.may_edit(other["id"])
    # without copyPermissions the copy is editable
    r = http.post(
        f"/rest/api/content/{PAYMENTS}/copy",
        json={"destination": {"type": "parent_page", "value": ADRS}, "pageTitle": "Open copy"},
    )
    assert r.status_code == 200 and demo_server.store.may_edit(r.json()["id"])
