"""The local Confluence's page lifecycle over loopback HTTP: move/reorder (v1 move endpoint and v2
PUT parentId), copy a page and a tree (long task), restore a version, trash/purge through v1, and
the refusals Confluence gives (400 loop/title, 403/404 without permission, 409 stale version)."""

from __future__ import annotations

import httpx
import pytest

AUTH = ("demo@example.com", "demo-token")
RUNBOOKS, PAYMENTS, FAILOVER, TLS = "65538", "65539", "65542", "65543"
ADRS, HOME = "65544", "65537"


@pytest.fixture
def http(demo_server):
    with httpx.Client(base_url=demo_server.base_url, auth=AUTH, timeout=10) as client:
        yield client


def children(http, parent: str) -> list[str]:
    rows = http.get(f"/api/v2/pages/{parent}/direct-children").json()["results"]
    return [r["title"] for r in rows]


def test_move_append_before_after_and_no_version_spent(http, demo_server):
    before = demo_server.store.get_page(TLS)["version"]
    r = http.put(f"/rest/api/content/{TLS}/move/append/{ADRS}")
    assert r.status_code == 200 and r.json() == {"pageId": TLS}
    assert children(http, ADRS)[-1] == "Runbook: Rotating TLS certificates"
    assert "Runbook: Rotating TLS certificates" not in children(http, RUNBOOKS)
    assert demo_server.store.get_page(TLS)["version"] == before  # a move writes no version
    # reorder among siblings: before the first, after the first
    assert http.put(f"/rest/api/content/{FAILOVER}/move/before/{PAYMENTS}").status_code == 200
    assert children(http, RUNBOOKS) == [
        "Runbook: Database failover",
        "Runbook: Payments API latency",
    ]
    assert http.put(f"/rest/api/content/{FAILOVER}/move/after/{PAYMENTS}").status_code == 200
    assert children(http, RUNBOOKS) == [
        "Runbook: Payments API latency",
        "Runbook: Database failover",
    ]
    positions = [
        r["childPosition"]
        for r in http.get(f"/api/v2/pages/{RUNBOOKS}/direct-children").json()["results"]
    ]
    assert positions == sorted(positions)


def test_move_refusals_as_confluence_answers(http, demo_server):
    loop = http.put(f"/rest/api/content/{RUNBOOKS}/move/append/{PAYMENTS}")
    assert loop.status_code == 400 and "loop" in loop.json()["message"]
    assert http.put(f"/rest/api/content/{TLS}/move/sideways/{ADRS}").status_code == 400
    missing = http.put(f"/rest/api/content/{TLS}/move/append/999999")
    assert missing.status_code == 404 and missing.json()["statusCode"] == 404
    demo_server.store.restrict_edits(TLS)
    refused = http.put(f"/rest/api/content/{TLS}/move/append/{ADRS}")
    assert refused.status_code == 403 and "permission" in refused.json()["message"]
    # v2 says 404 for "no permission to update/delete" (PUT/DELETE /pages/{id} in the v2 spec)
    assert http.delete(f"/api/v2/pages/{TLS}").status_code == 404
    assert demo_server.store.get_page(TLS)["status"] == "current"


def test_move_to_another_space_takes_the_branch_and_checks_titles(http, demo_server):
    prod = http.get("/api/v2/spaces", params={"keys": "PROD"}).json()["results"][0]
    home = prod["homepageId"]
    r = http.put(f"/rest/api/content/{RUNBOOKS}/move/append/{home}")
    assert r.status_code == 200
    for page in (RUNBOOKS, PAYMENTS, FAILOVER):
        assert http.get(f"/api/v2/pages/{page}").json()["spaceId"] == prod["id"]
    # a page titled like one in the target space is refused
    eng_home = http.get(f"/api/v2/pages/{HOME}").json()
    clash = http.post(
        "/api/v2/pages",
        json={
            "spaceId": prod["id"],
            "title": "Release notes",
            "body": {"representation": "storage", "value": "<p>x</p>"},
        },
    )
    assert clash.status_code == 200
    refused = http.put(f"/rest/api/content/65552/move/append/{home}")
    assert refused.status_code == 400 and "already exists" in refused.json()["message"]
    assert eng_home["spaceId"] != prod["id"]


def test_v2_put_parent_moves_pinned_and_lands_last(http):
    page = http.get(f"/api/v2/pages/{TLS}", params={"body-format": "storage"}).json()
    body = {
        "id": TLS,
        "status": "current",
        "title": page["title"],
        "parentId": ADRS,
        "body": {"representation": "storage", "value": page["body"]["storage"]["value"]},
        "version": {"number": page["version"]["number"] + 1},
    }
    assert http.put(f"/api/v2/pages/{TLS}", json=body).status_code == 200
    assert children(http, ADRS)[-1] == page["title"]
    stale = http.put(f"/api/v2/pages/{TLS}", json={**body, "parentId": RUNBOOKS})
    assert stale.status_code == 409 and "Current Version" in stale.json()["errors"][0]["title"]


def test_copy_single_page_to_parent_space_and_existing(http, demo_server):
    http.post(f"/rest/api/content/{TLS}/label", json=[{"prefix": "global", "name": "tls"}])
    r = http.post(
        f"/rest/api/content/{TLS}/copy",
        json={
            "destination": {"type": "parent_page", "value": ADRS},
            "pageTitle": "TLS copy",
            "copyLabels": True,
        },
    )
    assert r.status_code == 200, r.text
    copy = r.json()
    assert copy["type"] == "page" and copy["title"] == "TLS copy"
    assert copy["version"]["number"] == 1 and copy["space"]["key"] == "ENG"
    labels = [x["name"] for x in demo_server.store.labels(copy["id"])]
    assert labels == [x["name"] for x in demo_server.store.labels(TLS)] and "tls" in labels
    assert demo_server.store.get_page(copy["id"])["body"] == demo_server.store.get_page(TLS)["body"]
    # same title in the same space: refused as any duplicate title
    dup = http.post(
        f"/rest/api/content/{TLS}/copy",
        json={"destination": {"type": "parent_page", "value": ADRS}},
    )
    assert dup.status_code == 400
    bad = http.post(f"/rest/api/content/{TLS}/copy", json={"destination": {"type": "moon"}})
    assert bad.status_code == 400
    to_space = http.post(
        f"/rest/api/content/{TLS}/copy", json={"destination": {"type": "space", "value": "PROD"}}
    )
    assert to_space.status_code == 200 and to_space.json()["space"]["key"] == "PROD"
    over = http.post(
        f"/rest/api/content/{PAYMENTS}/copy",
        json={
            "destination": {"type": "existing_page", "value": copy["id"]},
            "pageTitle": "TLS copy",
        },
    )
    assert over.status_code == 200 and over.json()["version"]["number"] == 2


def test_copy_hierarchy_is_a_long_task(http, demo_server):
    r = http.post(
        f"/rest/api/content/{RUNBOOKS}/pagehierarchy/copy",
        json={"destinationPageId": ADRS, "titleOptions": {"prefix": "Copy of "}},
    )
    assert r.status_code == 202
    task = r.json()
    assert task["links"]["status"] == f"/rest/api/longtask/{task['id']}"
    first = http.get(f"/rest/api/longtask/{task['id']}").json()
    assert first["finished"] is False and first["percentageComplete"] < 100
    done = http.get(f"/rest/api/longtask/{task['id']}").json()
    assert done["finished"] is True and done["successful"] is True
    assert (
        done["percentageComplete"] == 100 and done["additionalDetails"]["totalPageNeedToCopy"] == 4
    )
    root = done["additionalDetails"]["destinationId"]
    assert http.get(f"/api/v2/pages/{root}").json()["title"] == "Copy of Runbooks"
    assert children(http, root) == [
        "Copy of Runbook: Payments API latency",
        "Copy of Runbook: Database failover",
        "Copy of Runbook: Rotating TLS certificates",
    ]
    # without a prefix the titles clash in the same space: 400, nothing created
    count = demo_server.store.scalar("SELECT COUNT(*) FROM pages")
    clash = http.post(
        f"/rest/api/content/{RUNBOOKS}/pagehierarchy/copy", json={"destinationPageId": ADRS}
    )
    assert clash.status_code == 400
    assert demo_server.store.scalar("SELECT COUNT(*) FROM pages") == count
    into_itself = http.post(
        f"/rest/api/content/{RUNBOOKS}/pagehierarchy/copy",
        json={"destinationPageId": PAYMENTS, "titleOptions": {"prefix": "X "}},
    )
    assert into_itself.status_code == 400
    assert http.get("/rest/api/longtask/424242").status_code == 404


def test_restore_version_writes_a_new_version(http, demo_server):
    old = demo_server.store.get_page(PAYMENTS, version=1)
    r = http.post(
        f"/rest/api/content/{PAYMENTS}/version",
        json={"operationKey": "restore", "params": {"versionNumber": 1, "message": "back to v1"}},
    )
    assert r.status_code == 200, r.text
    version = r.json()
    assert version["number"] == 4 and version["message"] == "back to v1"
    assert version["content"]["id"] == PAYMENTS
    now = demo_server.store.get_page(PAYMENTS)
    assert now["version"] == 4 and now["body"] == old["body"]
    current = http.post(
        f"/rest/api/content/{PAYMENTS}/version",
        json={"operationKey": "restore", "params": {"versionNumber": 4, "message": ""}},
    )
    assert current.status_code == 400
    missing = http.post(
        f"/rest/api/content/{PAYMENTS}/version",
        json={"operationKey": "restore", "params": {"versionNumber": 99, "message": ""}},
    )
    assert missing.status_code == 400
    wrong = http.post(f"/rest/api/content/{PAYMENTS}/version", json={"operationKey": "undo"})
    assert wrong.status_code == 400


def test_trash_list_restore_and_purge(http, demo_server):
    eng = http.get("/api/v2/spaces", params={"keys": "ENG"}).json()["results"][0]["id"]
    assert http.delete(f"/api/v2/pages/{TLS}").status_code == 204
    trashed = http.get(f"/api/v2/spaces/{eng}/pages", params={"status": "trashed"}).json()
    assert [p["id"] for p in trashed["results"]] == [TLS]
    v1 = http.get(
        "/rest/api/content", params={"spaceKey": "ENG", "type": "page", "status": "trashed"}
    ).json()
    assert [p["id"] for p in v1["results"]] == [TLS]
    # purge through v1 needs status=trashed; the page is then gone for good
    assert http.delete(f"/rest/api/content/{TLS}", params={"status": "trashed"}).status_code == 204
    assert http.get(f"/api/v2/pages/{TLS}", params={"status": "trashed"}).status_code == 404


def test_data_center_has_no_move_endpoint(local_confluence):
    server = local_confluence("demo", flavour="dc", context_path="/confluence")
    with httpx.Client(base_url=server.base_url, auth=("demo", "demo-password")) as dc:
        r = dc.put(f"/rest/api/content/{TLS}/move/append/{ADRS}")
        assert r.status_code == 404 and "No API endpoint" in r.json()["message"]
        copied = dc.post(
            f"/rest/api/content/{TLS}/copy",
            json={"destination": {"type": "parent_page", "value": ADRS}, "pageTitle": "DC copy"},
        )
        assert copied.status_code == 200 and copied.json()["title"] == "DC copy"
