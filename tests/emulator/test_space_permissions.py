"""The local Confluence enforces the demo's space permissions (``workbench.emulator.space_access``), with
the status codes of Atlassian's specs (``tests/specs``): a space one may not view is a 404 on v1 and
v2 alike and is missing from the lists and the search; content one may view but not change is a 403
on v1 (``updateContent``, ``createContent``, ``deleteContent``) and a 404 on v2 (``updatePage``,
``createPage``, ``deletePage``: "the user does not have the needed permissions"). Nothing changes
on a refusal. The demo user (every permission, as the spaces' creator) is refused nothing.

Who may do what (``workbench.emulator.seed_people``): Priya is in ``eng`` (adds, edits and deletes
in ENG) and ``confluence-users`` (views ENG and PROD); Hana is in ``design`` (adds and edits in
PROD, no delete) and ``contractors`` (comments in ENG); neither may view the demo user's personal
space ``~demo``."""

from __future__ import annotations

import httpx
import pytest

from workbench.emulator.seed_people import HANA, PRIYA

V1, V2 = "/wiki/rest/api", "/wiki/api/v2"
DEMO = ("demo@example.com", "demo-token")
PRIYA_LOGIN = ("priya.raman@example.com", "priya-token")
HANA_LOGIN = ("hana.kowalczyk@example.com", "hana-token")


@pytest.fixture
def server(local_confluence):
    running = local_confluence("demo")
    running.state.auth_gate.credentials["priya.raman@example.com"] = ("priya-token", PRIYA)
    running.state.auth_gate.credentials["hana.kowalczyk@example.com"] = ("hana-token", HANA)
    return running


def http(server, login) -> httpx.Client:
    return httpx.Client(base_url=server.origin, auth=login, timeout=10)


def page_in(server, key: str) -> dict:
    return server.store.query_one(
        "SELECT p.* FROM pages p JOIN spaces s ON s.id = p.space_id "
        "WHERE s.key = ? AND p.type = 'page' AND p.status = 'current' ORDER BY p.id LIMIT 1",
        (key,),
    )


def space_id(server, key: str) -> int:
    return int(server.store.space_by_key(key)["id"])


def v2_update(page: dict, title: str) -> dict:
    return {
        "id": str(page["id"]),
        "status": "current",
        "title": title,
        "body": {"representation": "storage", "value": "<p>Changed.</p>"},
        "version": {"number": page["version"] + 1},
    }


def v1_update(page: dict, title: str) -> dict:
    return {
        "type": "page",
        "title": title,
        "body": {"storage": {"value": "<p>Changed.</p>", "representation": "storage"}},
        "version": {"number": page["version"] + 1},
    }


def test_a_space_one_may_not_view_is_not_found_anywhere(server):
    personal = page_in(server, "~demo")
    hana = http(server, HANA_LOGIN)
    for path in (
        f"{V2}/pages/{personal['id']}",
        f"{V1}/content/{personal['id']}",
        f"{V2}/spaces/{space_id(server, '~demo')}",
        f"{V2}/spaces/{space_id(server, '~demo')}/pages",
    ):
        answer = hana.get(path)
        assert answer.status_code == 404, (path, answer.text)
    assert "permission" in hana.get(f"{V2}/pages/{personal['id']}").json()["errors"][0]["title"]
    # the lists and the search leave it out; ENG and PROD are there
    spaces = {s["key"] for s in hana.get(f"{V2}/spaces", params={"limit": 50}).json()["results"]}
    assert spaces == {"ENG", "PROD"}
    pages = hana.get(f"{V2}/pages", params={"limit": 250}).json()["results"]
    assert pages and str(personal["id"]) not in {p["id"] for p in pages}
    asked = hana.get(f"{V2}/pages", params={"space-id": space_id(server, "~demo")}).json()
    assert asked["results"] == []
    found = hana.get(f"{V1}/search", params={"cql": "type = page", "limit": 250}).json()
    keys = {r["resultGlobalContainer"]["displayUrl"].rsplit("/", 1)[-1] for r in found["results"]}
    assert keys == {"ENG", "PROD"} and found["totalSize"] == len(found["results"])
    # the demo user sees all three
    mine = http(server, DEMO).get(f"{V2}/spaces", params={"limit": 50}).json()["results"]
    assert {s["key"] for s in mine} == {"ENG", "PROD", "~demo"}


def test_editing_without_the_spaces_permission_is_refused_and_nothing_changes(server):
    prod = page_in(server, "PROD")
    before = server.store.get_page(prod["id"])
    priya = http(server, PRIYA_LOGIN)
    assert priya.get(f"{V2}/pages/{prod['id']}").status_code == 200  # she may read it
    v2 = priya.put(f"{V2}/pages/{prod['id']}", json=v2_update(prod, "Priya's title"))
    assert v2.status_code == 404, v2.text  # updatePage: 404 without the needed permission
    v1 = priya.put(f"{V1}/content/{prod['id']}", json=v1_update(prod, "Priya's title"))
    assert v1.status_code == 403, v1.text  # updateContent: 403 "can not update the content"
    assert "add or edit pages in this space" in v1.json()["message"]
    after = server.store.get_page(prod["id"])
    assert (after["title"], after["version"], after["body"]) == (
        before["title"],
        before["version"],
        before["body"],
    )
    # and adding a page there, on v2 and v1
    made = priya.post(
        f"{V2}/pages",
        json={"spaceId": str(space_id(server, "PROD")), "title": "Not here", "status": "current"},
    )
    assert made.status_code == 404, made.text
    made = priya.post(
        f"{V1}/content", json={"type": "page", "title": "Not here", "space": {"key": "PROD"}}
    )
    assert made.status_code == 403, made.text
    assert server.store.query_one("SELECT id FROM pages WHERE title = 'Not here'") is None


def test_deleting_without_the_delete_permission_is_refused(server):
    prod = page_in(server, "PROD")
    hana = http(server, HANA_LOGIN)  # design may add and edit in PROD, not delete
    assert hana.delete(f"{V2}/pages/{prod['id']}").status_code == 404
    assert hana.delete(f"{V1}/content/{prod['id']}").status_code == 403
    assert server.store.get_page(prod["id"])["status"] == "current"


def test_what_the_permissions_allow_goes_through(server):
    prod, eng = page_in(server, "PROD"), page_in(server, "ENG")
    hana, priya = http(server, HANA_LOGIN), http(server, PRIYA_LOGIN)
    done = hana.put(f"{V2}/pages/{prod['id']}", json=v2_update(prod, "Hana's edit"))
    assert done.status_code == 200, done.text
    done = priya.put(f"{V1}/content/{eng['id']}", json=v1_update(eng, "Priya's edit"))
    assert done.status_code == 200, done.text
    assert server.store.get_page(eng["id"])["title"] == "Priya's edit"
    # the demo user, the spaces' creator, may do anything in all three
    personal = page_in(server, "~demo")
    done = http(server, DEMO).put(f"{V2}/pages/{personal['id']}", json=v2_update(personal, "Mine"))
    assert done.status_code == 200, done.text


def test_a_space_with_no_permissions_recorded_is_open(local_confluence):
    """The large seed records none (as a space a test creates): every login may use it."""
    server = local_confluence("large:30")
    server.state.auth_gate.credentials["priya.raman@example.com"] = ("priya-token", PRIYA)
    page = page_in(server, "LARGE")
    answer = http(server, PRIYA_LOGIN).put(
        f"{V2}/pages/{page['id']}", json=v2_update(page, "Open to all")
    )
    assert answer.status_code == 200, answer.text
