"""The local Confluence's people endpoints over loopback HTTP: refusals first (a member removed by a
non-admin, bad parameters, unknown groups and users, a CQL with other fields), then every answer
validated against Atlassian's v1/v2 specs, paging, email privacy, and the Data Center forms."""

from __future__ import annotations

import httpx
import pytest

from tests.people.spec_check import check
from workbench.emulator.seed_people import GROUPS, HANA, PRIYA, TOMAS

AUTH = ("demo@example.com", "demo-token")
CONTRACTORS = GROUPS["contractors"][0]
ENG = GROUPS["eng"][0]
V1 = "/wiki/rest/api"


@pytest.fixture(scope="module")
def server():
    from workbench.emulator.runner import start_in_thread

    running = start_in_thread(seed="demo")
    # Priya (not a site admin) and Hana (who hides her email) can log in too
    running.state.auth_gate.credentials["priya.raman@example.com"] = ("priya-token", PRIYA)
    running.state.auth_gate.credentials["hana.kowalczyk@example.com"] = ("hana-token", HANA)
    yield running
    running.stop()


def api(server, auth=AUTH) -> httpx.Client:
    return httpx.Client(base_url=server.base_url + "/rest/api", auth=auth, timeout=10)


def members(server, group_id: str) -> set[str]:
    return {u["account_id"] for u in server.store.members(group_id)}


def test_a_non_admin_cannot_remove_or_add_a_member_and_nothing_changes(server):
    before = members(server, CONTRACTORS)
    priya = api(server, ("priya.raman@example.com", "priya-token"))
    removed = priya.delete(
        "/group/userByGroupId", params={"groupId": CONTRACTORS, "accountId": TOMAS}
    )
    added = priya.post("/group/userByGroupId", params={"groupId": ENG}, json={"accountId": HANA})
    assert (removed.status_code, added.status_code) == (403, 403)
    assert "site admin" in removed.json()["message"]
    assert members(server, CONTRACTORS) == before
    assert HANA not in members(server, ENG)


@pytest.mark.parametrize(
    ("method", "path", "params", "status"),
    [
        ("DELETE", "/group/userByGroupId", {"accountId": TOMAS}, 400),  # no groupId
        ("DELETE", "/group/userByGroupId", {"groupId": CONTRACTORS}, 400),  # no accountId
        ("DELETE", "/group/userByGroupId", {"groupId": "nope", "accountId": TOMAS}, 404),
        ("DELETE", "/group/userByGroupId", {"groupId": CONTRACTORS, "accountId": "nobody"}, 404),
        ("GET", "/group/nope/membersByGroupId", {}, 404),
        ("GET", f"/group/{ENG}/membersByGroupId", {"limit": "201"}, 400),
        ("GET", "/user", {"accountId": "nobody"}, 404),
        ("GET", "/user", {}, 400),
        ("GET", "/group/by-id", {"id": "nope"}, 404),
        ("GET", "/search/user", {"cql": 'text ~ "roadmap"'}, 400),
        ("GET", "/search/user", {"cql": 'user.fullname ~ "pri" AND'}, 400),
        ("GET", "/search/user", {"cql": ""}, 400),
        ("GET", "/group", {"accessType": "root"}, 400),
    ],
)
def test_bad_requests_get_clear_refusals(server, method, path, params, status):
    response = api(server).request(method, path, params=params)
    assert response.status_code == status, response.text
    assert response.json()["message"]


def test_a_post_without_an_account_id_is_refused(server):
    response = api(server).post("/group/userByGroupId", params={"groupId": ENG}, json={})
    assert response.status_code == 400
    assert "accountId" in response.json()["message"]


def test_the_last_site_admin_cannot_be_removed(server):
    admins = GROUPS["site-admins"][0]
    response = api(server).delete(
        "/group/userByGroupId", params={"groupId": admins, "accountId": "557058:demo-user"}
    )
    assert response.status_code == 400
    assert server.store.is_site_admin("557058:demo-user")


def test_every_people_answer_matches_the_spec(server):
    http = api(server)
    search = http.get("/search/user", params={"cql": 'user.fullname ~ "ra"'})
    check("v1", f"{V1}/search/user", "get", 200, search.json())
    assert {r["entityType"] for r in search.json()["results"]} == {"user"}
    user = http.get("/user", params={"accountId": PRIYA})
    check("v1", f"{V1}/user", "get", 200, user.json())
    groups = http.get("/user/memberof", params={"accountId": TOMAS})
    check("v1", f"{V1}/user/memberof", "get", 200, groups.json())
    every = http.get("/group")
    check("v1", f"{V1}/group", "get", 200, every.json())
    one = http.get("/group/by-id", params={"id": ENG})
    check("v1", f"{V1}/group/by-id", "get", 200, one.json())
    picked = http.get("/group/picker", params={"query": "contract"})
    check("v1", f"{V1}/group/picker", "get", 200, picked.json())
    listed = http.get(f"/group/{ENG}/membersByGroupId")
    check("v1", f"{V1}/group/{{groupId}}/membersByGroupId", "get", 200, listed.json())
    space = server.store.space_by_key("ENG")
    grants = httpx.get(
        f"{server.base_url}/api/v2/spaces/{space['id']}/permissions", auth=AUTH, timeout=10
    )
    check("v2", "/spaces/{id}/permissions", "get", 200, grants.json())
    assert {"type": "group", "id": CONTRACTORS} in [
        g["principal"] for g in grants.json()["results"]
    ]
    assert [g["name"] for g in groups.json()["results"]] == [
        "confluence-users",
        "contractors",
        "eng",
    ]
    assert [g["name"] for g in picked.json()["results"]] == ["contractors"]
    assert [g["name"] for g in every.json()["results"]] == sorted(
        g["name"] for g in every.json()["results"]
    )


@pytest.mark.parametrize(
    ("cql", "names"),
    [
        ('user.fullname ~ "pri"', ["Priya Raman"]),
        ("user.fullname~ra", ["Priya Raman"]),  # a word of the name starts with it
        ('user.fullname ~ "tomás fer"', ["Tomás Ferreira"]),
        (f'user = "{PRIYA}"', ["Priya Raman"]),
        (f'user.accountid IN ("{PRIYA}", "{HANA}")', ["Hana Kowalczyk", "Priya Raman"]),
        (f'type = user AND user NOT IN ("{PRIYA}")', None),
        ('user.fullname ~ "grace" OR user.fullname ~ "hana"', ["Grace Liu", "Hana Kowalczyk"]),
        ('user.fullname ~ "zzz"', []),
    ],
)
def test_the_user_search_takes_the_specs_cql(server, cql, names):
    found = api(server).get("/search/user", params={"cql": cql}).json()
    got = [r["user"]["displayName"] for r in found["results"]]
    if names is None:
        assert "Priya Raman" not in got and len(got) == 5
    else:
        assert got == names
    assert found["totalSize"] == len(got)


def test_members_are_paged_with_start_and_limit_and_the_next_link(server):
    http = api(server)
    group = GROUPS["confluence-users"][0]
    first = http.get(f"/group/{group}/membersByGroupId", params={"limit": 4}).json()
    assert (first["start"], first["limit"], first["size"]) == (0, 4, 4)
    rest = httpx.get(
        server.origin + "/wiki" + first["_links"]["next"], auth=AUTH, timeout=10
    ).json()
    assert rest["size"] == 2 and "next" not in rest["_links"]
    names = [u["displayName"] for u in first["results"] + rest["results"]]
    assert len(set(names)) == 6


def test_a_hidden_email_is_empty_for_others_and_shown_to_its_owner(server):
    seen_by_demo = api(server).get("/user", params={"accountId": HANA}).json()
    seen_by_hana = (
        api(server, ("hana.kowalczyk@example.com", "hana-token"))
        .get("/user", params={"accountId": HANA})
        .json()
    )
    assert seen_by_demo["email"] == ""
    assert seen_by_hana["email"] == "hana.kowalczyk@example.com"
    priya = api(server).get("/user", params={"accountId": PRIYA}).json()
    assert priya["email"] == "priya.raman@example.com"


def test_an_admin_removes_and_adds_a_member_and_removing_again_is_still_204(local_confluence):
    server = local_confluence("demo")
    http = api(server)
    gone = http.delete("/group/userByGroupId", params={"groupId": CONTRACTORS, "accountId": TOMAS})
    again = http.delete("/group/userByGroupId", params={"groupId": CONTRACTORS, "accountId": TOMAS})
    assert (gone.status_code, again.status_code) == (204, 204)  # the spec: 204 when not a member
    assert TOMAS not in members(server, CONTRACTORS)
    back = http.post(
        "/group/userByGroupId", params={"groupId": CONTRACTORS}, json={"accountId": TOMAS}
    )
    assert back.status_code == 201
    assert TOMAS in members(server, CONTRACTORS)


def test_data_center_names_users_and_groups_and_has_no_cloud_paths(local_confluence):
    server = local_confluence("demo", flavour="dc", context_path="/confluence")
    http = httpx.Client(
        base_url=server.base_url + "/rest/api", auth=("demo", "demo-password"), timeout=10
    )
    user = http.get("/user", params={"username": "priya.raman"}).json()
    assert (user["username"], user["displayName"]) == ("priya.raman", "Priya Raman")
    groups = http.get("/user/memberof", params={"username": "tomas.ferreira"}).json()
    assert [g["name"] for g in groups["results"]] == ["confluence-users", "contractors", "eng"]
    assert "id" not in groups["results"][0]
    listed = http.get("/group/contractors/member").json()
    assert sorted(u["username"] for u in listed["results"]) == ["hana.kowalczyk", "tomas.ferreira"]
    for path in ("/search/user?cql=type=user", f"/group/{ENG}/membersByGroupId"):
        assert http.get(path).status_code == 404
    assert (
        http.delete("/group/userByGroupId", params={"groupId": ENG, "accountId": TOMAS}).status_code
        == 404
    )
    # Data Center 8.4+: DELETE /user/{username}/group/{groupName}, administrators only
    assert http.delete("/user/tomas.ferreira/group/contractors").status_code == 204
    assert TOMAS not in members(server, CONTRACTORS)
    assert http.put("/user/tomas.ferreira/group/contractors").status_code == 204
    assert TOMAS in members(server, CONTRACTORS)


def test_the_user_search_folds_accents_both_ways_and_nothing_else(server):
    """``user.fullname ~`` compares names case- and accent-folded (see workbench.emulator.people_cql):
    "zoe" finds Zoë, "zoë" finds Zoe, "lukasz" finds Łukasz; a different letter is still different."""
    zoe_accent = "557058:cccccccc-0000-4000-8000-000000000003"
    zoe_plain = "557058:cccccccc-0000-4000-8000-000000000004"
    lukasz = "557058:cccccccc-0000-4000-8000-000000000005"
    server.store.add_user(zoe_accent, "Zoë Lefèvre")
    server.store.add_user(zoe_plain, "Zoe Smith")
    server.store.add_user(lukasz, "Łukasz Straße")
    try:

        def names(cql: str) -> list[str]:
            found = api(server).get("/search/user", params={"cql": cql})
            assert found.status_code == 200, found.text
            return sorted(r["user"]["displayName"] for r in found.json()["results"])

        assert names('user.fullname ~ "Zoe"') == ["Zoe Smith", "Zoë Lefèvre"]
        assert names('user.fullname ~ "ZOË"') == ["Zoe Smith", "Zoë Lefèvre"]
        assert names('user.fullname ~ "zoe lefevre"') == ["Zoë Lefèvre"]
        assert names('user.fullname ~ "tomas"') == ["Tomás Ferreira"]
        assert names('user.fullname ~ "lukasz strasse"') == ["Łukasz Straße"]
        assert names('user.fullname = "zoe lefevre"') == ["Zoë Lefèvre"]
        # folding is not fuzziness: other letters, and a word that only contains the name, do not match
        assert names('user.fullname ~ "zoa"') == []
        assert names('user.fullname ~ "oe"') == []
        assert names('user.fullname ~ "tomasz"') == []
    finally:
        with server.store.lock:
            server.store.db.execute(
                "DELETE FROM users WHERE account_id IN (?, ?, ?)", (zoe_accent, zoe_plain, lukasz)
            )
