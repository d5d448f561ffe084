"""Recorded real answers — paging, search, Data Center under a context path, errors, login refusals —
served over loopback by ``replay.Replay`` to the real client.

Sources, licences and what (if anything) was composed around a recording: ``SOURCES.md``.
"""

from __future__ import annotations

import json
import re

import httpx
import pytest

from workbench.confluence.client import ConfluenceClient
from workbench.confluence.errors import (
    BadQuery,
    LoginBlocked,
    LoginRedirect,
    RateLimited,
    ServerError,
)

from .replay import Answer, Replay, recorded


def client(base: str, **options) -> ConfluenceClient:
    options.setdefault("auth", httpx.BasicAuth("user", "secret"))
    return ConfluenceClient(base, backoff_base=0, **options)


def link_header() -> str:
    """The ``Link`` value of the docToolchain wire log (between ``Link: `` and the logged CRLF)."""
    line = recorded("doctoolchain__cloud_v2_pages_link_header.txt")
    return re.search(r'"Link: (.*)\[\\r\]\[\\n\]"', line).group(1)


def head(name: str) -> dict[str, str]:
    """Response headers from a recorded head (``< Name: value`` lines, or a Python dict's repr)."""
    text = recorded(name)
    pairs = re.findall(r"^< ([\w-]+): (.*)$", text, re.M) or re.findall(
        r"'([\w-]+)': '([^']*)'", text
    )
    return {
        name: value
        for name, value in pairs
        if name.lower() not in ("content-length", "date", "server")
    }


# -- paging ----------------------------------------------------------------------------------------
async def test_v2_paging_follows_the_real_link_header_and_its_padded_cursor():
    item = json.loads(recorded("arcade__cloud_create_page_under_folder_tool_output.json"))["page"]
    first = json.dumps({"results": [item], "_links": {"base": "https://XXXXX.atlassian.net/wiki"}})
    last = json.dumps({"results": [], "_links": {"base": "https://XXXXX.atlassian.net/wiki"}})
    path = "/wiki/api/v2/spaces/XXXXX/pages"
    with Replay(
        {("GET", path): [Answer(200, first, {"Link": link_header()}), Answer(200, last)]}
    ) as site:
        async with client(site.origin + "/wiki") as api:
            pages = [p async for p in api.space_pages("XXXXX", depth="all")]
    assert [p.id for p in pages] == ["5439489"]
    assert len(site.seen) == 2 and "cursor" not in site.seen[0].params
    follow = site.seen[1]
    # the cursor (base64 with its "=" padding, not the last parameter) came back byte for byte
    cursor = "eyJpZCI6IjMwMjczNyIsImNvbnRlbnRPcmRlciI6ImlkIiwiY29udGVudE9yZGVyVmFsdWUiOjMwMjczN30="
    assert follow.params["cursor"] == [cursor]
    assert follow.params["depth"] == ["all"] and follow.params["limit"] == ["100"]


async def test_v1_space_list_next_is_resolved_against_the_context_and_a_repeat_stops():
    body = recorded(
        "mcp_atlassian__cloud_v1_spaces.json"
    )  # next: /rest/api/space?next=true&limit=5&start=5
    with Replay({("GET", "/wiki/rest/api/space"): Answer(200, body)}) as site:
        async with client(site.origin + "/wiki", kind="dc") as api:
            got = []
            with pytest.raises(ServerError, match="same 'next' link twice"):
                async for space in api.spaces():
                    got.append(space)
    assert [s.key for s in got[:2]] == ["~user1", "PROJ"] and got[0].status == "archived"
    assert [(s.path, s.params.get("start")) for s in site.seen[:2]] == [
        ("/wiki/rest/api/space", None),
        ("/wiki/rest/api/space", ["5"]),
    ]  # context /wiki kept, start followed
    assert site.seen[1].params["next"] == ["true"]


async def test_data_center_spaces_under_a_context_path():
    with Replay(
        {("GET", "/confluence/rest/api/space"): Answer(200, recorded("virtomize__dc7_spaces.json"))}
    ) as site:
        async with client(site.origin + "/confluence", kind="dc") as api:
            spaces = [s async for s in api.spaces()]
    assert [(s.id, s.key, s.type, s.webui) for s in spaces] == [
        ("ds", "ds", "global", "/display/ds"),
        ("~admin", "~admin", "personal", "/spaces/viewspace.action?key=~admin"),
    ]
    assert [s.path for s in site.seen] == [
        "/confluence/rest/api/space"
    ]  # no next link: one request


# -- search and content ----------------------------------------------------------------------------
async def test_v1_search_through_the_gateway_links_to_the_site():
    gateway = "/ex/confluence/5f2c2a7b-0000-4000-8000-000000000000"
    routes = {
        ("GET", gateway + "/wiki/rest/api/search"): Answer(
            200, recorded("mcp_atlassian__cloud_v1_search.json")
        )
    }
    with Replay(routes) as site:
        async with client(site.origin + gateway, auth=None) as api:
            page = await api.search_page("parent = 123456789")
    hit = page.results[0]
    assert (hit.id, hit.plain_title, hit.space_name, page.total_size) == (
        "123456789",
        "2024-01-01: Team Progress Meeting 01",
        "Team Space",
        1,
    )
    assert hit.url == (
        "https://example.atlassian.net/wiki/spaces/TEAM/pages/123456789/"
        "2024-01-01+Team+Progress+Meeting+01"
    )
    assert site.seen[0].params["expand"] == ["content.space,content.version"]


async def test_v1_content_parses_with_its_own_site_links():
    body = recorded("mcp_atlassian__cloud_v1_content.json")
    with Replay({("GET", "/wiki/rest/api/content/987654321"): Answer(200, body)}) as site:
        async with client(site.origin + "/wiki", kind="dc") as api:
            page = await api.get_page("987654321")
    assert (page.title, page.version.number, page.space_key, page.version.author_id) == (
        "Example Meeting Notes",
        1,
        "PROJ",
        "user123",
    )
    assert page.storage.startswith('<h2><ac:emoticon ac:name="blue-star" />')
    assert (
        page.url
        == "https://example.atlassian.net/wiki/spaces/PROJ/pages/987654321/Example+Meeting+Notes"
    )


# -- errors ----------------------------------------------------------------------------------------
async def test_a_data_center_search_400_keeps_its_words():
    body = recorded("confserver_101465__dc_search_400.json")
    with Replay({("GET", "/confluence/rest/api/search"): Answer(400, body)}) as site:
        async with client(site.origin + "/confluence", kind="dc") as api:
            with pytest.raises(BadQuery) as caught:
                await api.search_page("space = 'thisspace'")
    assert "parameters should not be empty" in caught.value.message
    assert len(site.seen) == 1  # a 400 is not retried


async def test_a_cloud_cql_400_loses_its_java_prefix():
    message = json.loads(
        "{" + recorded("atlassian_community__cloud_cql_400_message.txt").strip() + "}"
    )["message"]
    body = json.dumps({"statusCode": 400, "message": message})
    with Replay({("GET", "/wiki/rest/api/search"): Answer(400, body)}) as site:
        async with client(site.origin + "/wiki") as api:
            with pytest.raises(BadQuery) as caught:
                await api.search_page("content.property[ms-nav-product-id].value.id=123-ABC")
    assert (
        caught.value.said
        == "Could not parse cql : content.property[ms-nav-product-id].value.id=123-ABC"
    )
    assert "BadRequestException" not in caught.value.message


async def test_a_data_center_authentication_denied_is_said_and_nothing_more_is_sent():
    headers = head("atlassian_kb__dc_authentication_denied_head.txt")
    assert headers["X-Seraph-LoginReason"] == "AUTHENTICATION_DENIED"
    answer = Answer(401, "<html><body>Unauthorized</body></html>", headers, "")
    with Replay({("GET", "/confluence/rest/api/content/65551"): answer}) as site:
        async with client(site.origin + "/confluence", kind="dc") as api:
            for _ in range(3):
                with pytest.raises(LoginBlocked) as caught:
                    await api.get_page("65551")
    assert "AUTHENTICATION_DENIED" in caught.value.message and "browser" in caught.value.message
    assert len(site.seen) == 1  # every further try would be another failed login


async def test_a_captcha_401_names_the_login_page_of_the_same_site():
    with Replay({}) as site:
        reason = f"CAPTCHA_CHALLENGE; login-url={site.origin}/confluence/login.action"
        headers = {
            **head("atlassian_kb__dc_authentication_denied_head.txt"),
            "X-Authentication-Denied-Reason": reason,
        }
        site.routes[("GET", "/confluence/rest/api/space")] = [
            Answer(401, "<html></html>", headers, "")
        ]
        async with client(site.origin + "/confluence", kind="dc") as api:
            with pytest.raises(LoginBlocked) as caught:
                [s async for s in api.spaces()]
    assert caught.value.login_url == f"{site.origin}/confluence/login.action"
    assert "CAPTCHA" in caught.value.message and caught.value.login_url in caught.value.message


async def test_a_login_redirect_says_use_a_personal_access_token():
    with Replay({}) as site:
        location = f"{site.origin}/confluence/login.action?os_destination=%2Frest%2Fapi%2Fspace"
        site.routes[("GET", "/confluence/rest/api/space")] = [
            Answer(302, "", {"Location": location}, "")
        ]
        async with client(site.origin + "/confluence", kind="dc") as api:
            with pytest.raises(LoginRedirect) as caught:
                [s async for s in api.spaces()]
    assert caught.value.location == f"{site.origin}/confluence/login.action"
    assert "personal access token" in caught.value.message and len(site.seen) == 1


async def test_a_retry_after_of_long_max_is_a_refusal_not_a_day_long_pause():
    headers = head("atlassian_community__dc_429_head.txt")
    assert headers["Retry-After"] == "9223372036854775807"
    routes = {
        ("GET", "/rest/api/content/5/label"): Answer(
            429, "", headers
        ),  # recorded on another endpoint
        ("GET", "/rest/api/content/5"): Answer(
            200, recorded("mcp_atlassian__cloud_v1_content.json")
        ),
    }
    with Replay(routes) as site:
        async with client(site.origin, kind="dc") as api:
            with pytest.raises(RateLimited) as caught:
                await api.labels("5")
            page = await api.get_page("5")  # the site is not blocked: other endpoints still answer
    assert page.title == "Example Meeting Notes"
    assert (
        "names no time" in caught.value.message and "X-RateLimit-Limit: 0" in caught.value.message
    )
    assert [s.path for s in site.seen] == ["/rest/api/content/5/label", "/rest/api/content/5"]
