"""The local Confluence's two flavours: Cloud (``/wiki``, v2 + v1) and Data Center (v1 only, under any
context path), over loopback HTTP and through the real client."""

from __future__ import annotations

import re

import httpx
import pytest

from workbench.emulator.flavour import normalise_context
from workbench.errors import UsageError

DC_AUTH = ("demo", "demo-password")
CLOUD_AUTH = ("demo@example.com", "demo-token")


@pytest.mark.parametrize("context", ["/confluence", None])
def test_data_center_serves_v1_under_its_context_path_and_no_v2(local_confluence, context):
    server = local_confluence("demo", flavour="dc", context_path=context)
    ctx = context or ""
    assert server.base_url == server.origin + ctx and server.flavour == "dc"
    with httpx.Client(base_url=server.origin, auth=DC_AUTH, timeout=10) as http:
        me = http.get(f"{ctx}/rest/api/user/current")
        assert me.status_code == 200
        user = me.json()
        # a DC user: username + userKey, no accountId
        assert user["username"] == "demo" and user["userKey"] and "accountId" not in user
        assert user["_links"] == {
            "self": f"{server.base_url}/rest/api/user?key={user['userKey']}",
            "base": server.base_url,
            "context": ctx,
        }
        spaces = http.get(f"{ctx}/rest/api/space", params={"limit": 1}).json()
        assert spaces["_links"]["base"] == server.base_url and spaces["_links"]["context"] == ctx
        assert spaces["_links"]["next"].startswith("/rest/api/space?")  # relative to the context
        assert spaces["results"][0]["_links"]["webui"] == f"/display/{spaces['results'][0]['key']}"
        hit = http.get(f"{ctx}/rest/api/search", params={"cql": "type = page", "limit": 1}).json()[
            "results"
        ][0]
        assert re.fullmatch(r"/pages/viewpage\.action\?pageId=\d+", hit["url"])
        assert hit["content"]["_links"]["webui"] == hit["url"]
        # no REST v2, no Cloud paths, nothing outside the context path: Confluence's HTML 404
        for path in (
            f"{ctx}/api/v2/spaces",
            "/wiki/api/v2/spaces",
            "/wiki/rest/api/space",
            f"/ex/confluence/x{ctx}/rest/api/space",
        ):
            if ctx == "" and path == "/wiki/rest/api/space":
                continue  # with no context path this is a (missing) page of the site, checked below
            answer = http.get(path)
            assert answer.status_code == 404 and "text/html" in answer.headers["content-type"], path
        # Cloud's credentials (email + API token) are not a DC login; the PAT is
        assert http.get(f"{ctx}/rest/api/user/current", auth=CLOUD_AUTH).status_code == 401
        pat = http.get(
            f"{ctx}/rest/api/user/current",
            auth=None,
            headers={"Authorization": "Bearer demo-token"},
        )
        assert pat.status_code == 200 and pat.json()["displayName"] == "Demo User"
        # DC's web addresses are served under the context path, and its pages link within it
        view = http.get(server.base_url + hit["url"])
        assert view.status_code == 200 and f'href="{ctx}/display/' in view.text
        assert http.get(f"{ctx}/display/ENG").status_code == 200


def test_cloud_serves_only_under_wiki_and_the_gateway(demo_server):
    with httpx.Client(base_url=demo_server.origin, auth=CLOUD_AUTH, timeout=10) as http:
        assert http.get("/wiki/rest/api/user/current").json()["accountId"] == "557058:demo-user"
        assert (
            http.get("/rest/api/user/current").status_code == 404
        )  # Cloud has no REST API outside /wiki
        gateway = f"/ex/confluence/{demo_server.state.cloud_id}"
        bearer = {"Authorization": "Bearer demo-token"}
        assert http.get(gateway + "/rest/api/space", auth=None, headers=bearer).status_code == 200
        assert http.get("/_edge/tenant_info").json() == {"cloudId": demo_server.state.cloud_id}
        assert http.get("/wiki/rest/api/user/current", auth=DC_AUTH).status_code == 401


async def test_the_client_walks_a_data_center_site_under_a_context_path(local_confluence):
    from workbench.confluence.client import ConfluenceClient

    server = local_confluence("large:120", flavour="dc", context_path="/confluence")
    async with ConfluenceClient(
        server.base_url, auth=httpx.BasicAuth(*DC_AUTH), kind="dc"
    ) as client:
        pages = [p async for p in client.space_pages("LARGE", depth="all")]
        me = await client.current_user()
        hits = [h async for h in client.search("space = LARGE", limit=150)]
    assert len(pages) == 120 and len({p.id for p in pages}) == 120
    assert me.account_id and me.display_name == "Demo User"
    assert len(hits) == 120 and all(
        h.url.startswith(server.base_url + "/pages/viewpage.action?pageId=") for h in hits
    )
    seen = server.requests.entries(path_prefix="/wiki/rest/api/space/LARGE/content/page")
    assert len(seen) == 2  # 100 per page: the next link was followed under /confluence


@pytest.mark.parametrize(
    ("flavour", "given", "expected"),
    [
        ("cloud", None, "/wiki"),
        ("cloud", "/wiki/", "/wiki"),
        ("dc", None, ""),
        ("dc", "/", ""),
        ("dc", "confluence", "/confluence"),
        ("dc", "/a/b-c/", "/a/b-c"),
    ],
)
def test_context_paths_are_normalised(flavour, given, expected):
    assert normalise_context(flavour, given) == expected


@pytest.mark.parametrize(
    ("flavour", "given", "says"),
    [
        ("cloud", "/confluence", "always serves under /wiki"),
        ("dc", "/rest", "hide the REST API"),
        ("dc", "/a b", "not a path"),
        ("dc", "/../x", "not a path"),
        ("server", None, "'cloud' or 'dc'"),
    ],
)
def test_bad_flavour_options_are_one_line_errors(local_confluence, flavour, given, says):
    with pytest.raises(UsageError, match=re.escape(says)):
        local_confluence("empty", flavour=flavour, context_path=given)


def test_data_center_refusals_have_seraph_shapes(local_confluence):
    server = local_confluence("empty", flavour="dc", context_path="/confluence", captcha_after=2)
    url = server.base_url + "/rest/api/space"
    for _ in range(2):
        wrong = httpx.get(url, auth=("demo", "nope"), timeout=10)
        assert (
            wrong.status_code == 401
            and wrong.headers["x-seraph-loginreason"] == "AUTHENTICATED_FAILED"
        )
        assert wrong.headers["content-type"].startswith("text/html")
    locked = httpx.get(
        url, auth=DC_AUTH, timeout=10
    )  # the right password, but the CAPTCHA comes first
    assert (
        locked.status_code == 401
        and locked.headers["x-seraph-loginreason"] == "AUTHENTICATION_DENIED"
    )
    assert locked.headers["x-authentication-denied-reason"] == (
        f"CAPTCHA_CHALLENGE; login-url={server.base_url}/login.action"
    )
    assert (
        httpx.get(url, headers={"Authorization": "Bearer demo-token"}, timeout=10).status_code
        == 200
    )
    server.state.auth_gate.reset_failed_logins()
    assert httpx.get(url, auth=DC_AUTH, timeout=10).status_code == 200


def test_a_single_sign_on_data_center_redirects_to_its_login_page(local_confluence):
    server = local_confluence(
        "empty", flavour="dc", context_path="/confluence", login_redirect=True
    )
    answer = httpx.get(server.base_url + "/rest/api/space?limit=1", auth=DC_AUTH, timeout=10)
    assert answer.status_code == 302
    assert answer.headers["location"] == (
        f"{server.base_url}/login.action?os_destination=%2Frest%2Fapi%2Fspace%3Flimit%3D1"
    )
    pat = httpx.get(
        server.base_url + "/rest/api/space",
        headers={"Authorization": "Bearer demo-token"},
        timeout=10,
    )
    assert pat.status_code == 200


def test_data_center_behaviours_need_the_data_center_flavour(local_confluence):
    with pytest.raises(UsageError, match="add --flavour dc"):
        local_confluence("empty", captcha_after=3)
    with pytest.raises(UsageError, match="add --flavour dc"):
        local_confluence("empty", login_redirect=True)
