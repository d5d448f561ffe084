"""One login for both products: the OAuth login asks for Jira's scopes, the local consent grants them,
accessible-resources lists the site once per product, and the stored profile reaches Jira through
``/ex/jira/{cloudId}``; a login without Jira's scopes gets the gateway's refusal in plain words. API
tokens and personal access tokens reach Jira with the same stored profile."""

from __future__ import annotations

from dataclasses import replace

import httpx

from tests.auth.browser import demo_app, login
from workbench.jira.scopes import JIRA_SCOPES


async def test_oauth_login_finds_jira_on_the_chosen_site(demo_server):
    from workbench.auth.jira_connect import open_jira
    from workbench.auth.profiles import save_oauth_login

    app = demo_app(demo_server)
    assert set(JIRA_SCOPES) <= set(app.scopes)
    result, page = await login(demo_server, hint="Local Confluence")
    assert not isinstance(result, Exception), result
    assert page.status_code == 200
    assert result.site.has_jira
    assert set(JIRA_SCOPES) <= set(result.site.scopes)
    assert any(s.endswith(":confluence") for s in result.site.scopes)
    # accessible-resources lists the site once per product, the login merges them into one site
    async with httpx.AsyncClient() as http:
        listed = (
            await http.get(
                app.resources_url,
                headers={"Authorization": f"Bearer {result.tokens.access_token}"},
            )
        ).json()
    mine = [entry for entry in listed if entry["id"] == result.site.id]
    assert len(mine) == 2 and sorted(len(e["scopes"]) > 3 for e in mine) == [False, True]

    profile = save_oauth_login(result, app)
    jira = open_jira(profile.name)
    assert jira.root == f"{demo_server.origin}/ex/jira/{result.site.id}"
    async with jira:
        me = await jira.myself()
        keys = [i.key async for i in jira.search("project = PAY ORDER BY key")]
    assert me["accountId"] == "557058:demo-user"
    assert keys == ["PAY-1311", "PAY-1329", "PAY-1432"]
    seen = demo_server.requests.entries(path_prefix="/rest/api/3/search/jql")
    assert seen and seen[-1].status == 200


async def test_a_login_without_jira_scopes_says_what_is_missing(demo_server):
    from workbench.auth.jira_connect import open_jira
    from workbench.auth.oauth import WITHOUT_JIRA
    from workbench.auth.profiles import save_oauth_login
    from workbench.confluence.errors import ScopeMissing

    app = replace(demo_app(demo_server), scopes=WITHOUT_JIRA)
    result, _ = await login(demo_server, hint="Local Confluence", app=app)
    assert not isinstance(result, Exception), result
    assert not result.site.has_jira
    profile = save_oauth_login(result, app)
    async with open_jira(profile.name) as jira:
        try:
            await jira.issue("ENG-1")
        except ScopeMissing as exc:
            message = exc.message
            assert exc.scopes == ("read:jira-work",)
        else:
            raise AssertionError("the gateway let a token without Jira's scopes through")
    assert message.startswith(
        "The OAuth login does not include the Jira permission this request needs: it needs read:jira-work."
    )
    assert "workbench login" in message


def test_token_logins_reach_jira_with_the_stored_profile(local_confluence, monkeypatch):
    import asyncio

    from workbench.auth.jira_connect import open_jira
    from workbench.auth.token_login import save_token_login

    cloud = local_confluence()
    name, _ = save_token_login(
        cloud.base_url,
        username="demo@example.com",
        secret="demo-token",
        wanted="cloud",
        flavour="cloud",
        method="api-token",
    )
    dc = local_confluence(flavour="dc", context_path="/confluence")
    dc_name, _ = save_token_login(
        dc.base_url, username="", secret="demo-token", wanted="dc", flavour="dc", method="pat"
    )

    async def keys(profile: str) -> list[str]:
        async with open_jira(profile) as jira:
            return [i.key async for i in jira.search("assignee = currentUser()")]

    assert asyncio.run(keys(name)) == ["ENG-5"]
    assert asyncio.run(keys(dc_name)) == ["ENG-5"]
    assert dc.requests.entries(path_prefix="/rest/api/2/search")
    assert cloud.requests.entries(path_prefix="/rest/api/3/search/jql")
