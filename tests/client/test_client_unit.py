"""Client logic that the local server cannot provoke, with ``httpx.MockTransport``: the search
fallback (#1596), v1 offset paging with a context path, looping next links, ambiguous writes
whose re-read fails, HTML instead of JSON."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import httpx
import pytest

from workbench.confluence.client import ConfluenceClient
from workbench.confluence.errors import (
    BadQuery,
    LoginRedirect,
    NetworkError,
    ServerError,
    VersionConflict,
)
from workbench.errors import UsageError


def client_with(handler, base="https://acme.atlassian.net/wiki", **kw) -> ConfluenceClient:
    return ConfluenceClient(
        base,
        auth=httpx.BasicAuth("u", "t"),
        transport=httpx.MockTransport(handler),
        backoff_base=0,
        **kw,
    )


HIT = {
    "content": {
        "id": "123",
        "type": "page",
        "title": "Team meeting",
        "space": {"key": "TEAM", "name": "Team"},
        "_links": {"webui": "/spaces/TEAM/pages/123/Team+meeting"},
    },
    "title": "@@@hl@@@Team@@@endhl@@@ meeting",
    "excerpt": "notes for the @@@hl@@@team@@@endhl@@@",
    "url": "/spaces/TEAM/pages/123/Team+meeting",
    "lastModified": "2024-01-01T08:00:00.000Z",
    "entityType": "content",
}


async def test_search_parses_hits_and_follows_cursor_until_limit():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        q = parse_qs(request.url.query.decode())
        page = int(q.get("cursor", ["0"])[0])
        hits = [
            dict(HIT, content=dict(HIT["content"], id=str(100 + page * 2 + i))) for i in range(2)
        ]
        return httpx.Response(
            200,
            json={
                "results": hits,
                "totalSize": 9,
                "_links": {
                    "context": "/wiki",
                    "next": f"/rest/api/search?cql=x&limit=2&cursor={page + 1}",
                },
            },
        )

    async with client_with(handler) as client:
        results = [r async for r in client.search("type = page", limit=5)]
    assert [r.id for r in results] == ["100", "101", "102", "103", "104"]
    first = results[0]
    assert first.title == "Team meeting" and first.title_hl.startswith("@@@hl@@@")
    assert first.plain_excerpt == "notes for the team" and first.space_key == "TEAM"
    assert first.url == "https://acme.atlassian.net/wiki/spaces/TEAM/pages/123/Team+meeting"
    assert all(u.path == "/wiki/rest/api/search" for u in seen) and len(seen) == 3
    assert parse_qs(seen[0].query.decode())["expand"] == ["content.space,content.version"]


async def test_search_falls_back_to_content_search_on_html_400():
    paths = []

    def handler(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.path)
        if request.url.path.endswith("/rest/api/search"):
            return httpx.Response(
                400,
                text="<html><body>Bad Request</body></html>",
                headers={"Content-Type": "text/html"},
            )
        content = dict(HIT["content"], version={"number": 3, "when": "2024-02-02T00:00:00.000Z"})
        return httpx.Response(200, json={"results": [content], "_links": {}})

    async with client_with(handler) as client:
        page = await client.search_page("text ~ team")
        again = await client.search_page("text ~ team")
    assert paths == [
        "/wiki/rest/api/search",
        "/wiki/rest/api/content/search",
        "/wiki/rest/api/content/search",
    ]
    assert page.results[0].title == "Team meeting" and page.results[0].last_modified.startswith(
        "2024-02-02"
    )
    assert again.results[0].id == "123"


async def test_invalid_cql_json_400_does_not_fall_back():
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            400, json={"statusCode": 400, "message": "Could not parse cql : type = = page"}
        )

    async with client_with(handler) as client:
        with pytest.raises(BadQuery, match="Could not parse cql"):
            await client.search_page("type = = page")
        with pytest.raises(UsageError):
            await client.search_page("   ")
        with pytest.raises(UsageError):
            await client.search_page("x", cursor="https://evil.example.com/rest/api/search")
        assert client.request_count == 1


async def test_dc_offset_paging_with_context_path():
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/confluence/rest/api/space"
        start = int(parse_qs(request.url.query.decode()).get("start", ["0"])[0])
        results = [
            {"key": f"S{start + i}", "name": f"Space {start + i}", "type": "global"}
            for i in range(2)
        ]
        links = {"context": "/confluence"}
        if start < 4:
            links["next"] = f"/rest/api/space?limit=2&start={start + 2}"
        return httpx.Response(
            200, json={"results": results, "start": start, "limit": 2, "size": 2, "_links": links}
        )

    async with client_with(handler, base="https://dc.example.com/confluence", kind="dc") as client:
        spaces = [s async for s in client.spaces()]
    assert [s.key for s in spaces] == ["S0", "S1", "S2", "S3", "S4", "S5"]
    assert spaces[0].id == "S0"  # DC spaces are addressed by key


async def test_a_next_link_that_repeats_stops_the_loop():
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            json={
                "results": [{"id": "1", "key": "A", "name": "A"}],
                "_links": {"next": "/wiki/api/v2/spaces?cursor=same"},
            },
        )

    async with client_with(handler) as client:
        with pytest.raises(ServerError, match="same 'next' link"):
            [s async for s in client.spaces()]
        assert client.request_count == 2  # the first page, then the repeated link once


async def test_link_header_is_followed_when_the_body_has_no_next():
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        if "cursor" in str(request.url):
            return httpx.Response(200, json={"results": [{"id": "2", "key": "B", "name": "B"}]})
        return httpx.Response(
            200,
            json={"results": [{"id": "1", "key": "A", "name": "A"}]},
            headers={"Link": '</wiki/api/v2/spaces?cursor=N>; rel="next"'},
        )

    async with client_with(handler) as client:
        keys = [s.key async for s in client.spaces()]
    assert (
        keys == ["A", "B"] and calls[1] == "https://acme.atlassian.net/wiki/api/v2/spaces?cursor=N"
    )


async def test_html_instead_of_json_on_success():
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, text="<!DOCTYPE html><html>Log in</html>", headers={"Content-Type": "text/html"}
        )

    async with client_with(handler) as client:
        with pytest.raises(ServerError, match="HTML page instead of JSON"):
            await client.get_page("1")


async def test_redirect_to_a_login_page_is_explained():
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "https://id.example.com/login"})

    async with client_with(handler) as client:
        with pytest.raises(LoginRedirect, match="login page .*personal access token"):
            await client.get_page("1")


async def test_redirect_elsewhere_on_the_site_blames_the_url():
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(301, headers={"Location": "/other/place"})

    async with client_with(handler) as client:
        with pytest.raises(
            ServerError,
            match="redirected the request .301 to https://acme.atlassian.net/other/place",
        ):
            await client.get_page("1")


def _page(number: int, body: str) -> dict:
    return {
        "id": "5",
        "title": "T",
        "spaceId": "1",
        "status": "current",
        "version": {"number": number},
        "body": {"storage": {"value": body, "representation": "storage"}},
    }


async def test_lost_update_answer_then_page_shows_our_write():
    state = {"version": 4, "body": "<p>old</p>", "puts": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            state["puts"] += 1
            sent = json.loads(request.content)
            state.update(version=sent["version"]["number"], body=sent["body"]["value"])
            raise httpx.ReadError("connection reset after the write")
        return httpx.Response(200, json=_page(state["version"], state["body"]))

    async with client_with(handler) as client:
        page = await client.update_page("5", title="T", storage="<p>new</p>", base_version=4)
    assert page.version.number == 5 and state["puts"] == 1


async def test_lost_update_answer_confirmed_by_message_returns_the_body_sent():
    # The re-read shows base+1 with our version message but no body: the page returned still
    # carries the storage that was written (callers convert it; None would lose the page).
    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            raise httpx.ReadError("connection reset after the write")
        page = _page(5, "")
        page["version"]["message"] = "my edit"
        del page["body"]
        return httpx.Response(200, json=page)

    async with client_with(handler) as client:
        page = await client.update_page(
            "5", title="T", storage="<p>new</p>", base_version=4, message="my edit"
        )
    assert page.version.number == 5 and page.storage == "<p>new</p>"


async def test_lost_update_answer_and_someone_else_saved():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            raise httpx.ReadError("reset")
        return httpx.Response(200, json=_page(5, "<p>theirs</p>"))

    async with client_with(handler) as client:
        with pytest.raises(VersionConflict) as info:
            await client.update_page("5", title="T", storage="<p>mine</p>", base_version=4)
    assert info.value.current == 5 and info.value.provided == 5


async def test_write_fate_unknown_when_the_reread_fails_too():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            raise httpx.ReadError("reset")
        raise httpx.ConnectError("refused")

    async with client_with(handler, max_attempts=2) as client:
        with pytest.raises(NetworkError) as info:
            await client.update_page("5", title="T", storage="<p>x</p>", base_version=4)
    assert "may or may not have been saved" in info.value.message
    assert "Open it again" in info.value.message


async def test_update_not_landed_is_sent_again_at_most_boundedly():
    puts = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            puts.append(json.loads(request.content)["version"]["number"])
            return httpx.Response(503, json={"errors": [{"title": "busy"}]})
        return httpx.Response(200, json=_page(4, "<p>old</p>"))

    async with client_with(handler) as client:
        with pytest.raises(ServerError):
            await client.update_page("5", title="T", storage="<p>x</p>", base_version=4)
    assert puts == [5, 5, 5]  # always base+1, and bounded


async def test_dns_failure_names_the_host():
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -2] Name or service not known")

    async with client_with(
        handler, base="https://no-such-site.atlassian.net", max_attempts=1
    ) as client:
        with pytest.raises(NetworkError) as info:
            await client.current_user()
    assert (
        info.value.message
        == "Cannot find the host no-such-site.atlassian.net (DNS lookup failed). Check the URL."
    )


async def test_messages_never_carry_the_credentials():
    secret = "sup3r-secret-token"

    def handler(request: httpx.Request) -> httpx.Response:
        # a server echoing the request headers back must not leak them into our message either
        return httpx.Response(401, text="Unauthorized", headers={"Content-Type": "text/plain"})

    client = ConfluenceClient(
        "https://user:pw@acme.atlassian.net/wiki",
        auth=httpx.BasicAuth("me", secret),
        transport=httpx.MockTransport(handler),
        backoff_base=0,
    )
    async with client:
        with pytest.raises(Exception) as info:
            await client.get_page("1")
    text = str(info.value) + repr(client) + client.urls.host
    assert secret not in text and "pw@" not in text


async def test_dc_space_pages_root_and_title_lookup():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.path, dict(parse_qs(request.url.query.decode()))))
        item = {
            "id": "7",
            "type": "page",
            "title": "Home",
            "space": {"key": "ENG"},
            "ancestors": [],
            "version": {"number": 3},
        }
        return httpx.Response(
            200,
            json={
                "results": [item],
                "start": 0,
                "limit": 100,
                "size": 1,
                "_links": {"context": "/confluence"},
            },
        )

    async with client_with(handler, base="https://dc.example.com/confluence", kind="dc") as client:
        roots = [p async for p in client.space_pages("ENG", depth="root")]
        titled = [p async for p in client.space_pages("ENG", depth="all", title="Home")]
    assert (
        roots[0].id == "7"
        and roots[0].space_id == "ENG"
        and roots[0].parent_id is None
        and roots[0].version == 3
    )
    assert seen[0][0] == "/confluence/rest/api/space/ENG/content/page" and seen[0][1]["depth"] == [
        "root"
    ]
    assert seen[1][0] == "/confluence/rest/api/content" and seen[1][1]["title"] == ["Home"]
    assert titled[0].title == "Home"


async def test_users_bulk_post_is_retried_like_a_read():
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        if len(calls) == 1:
            return httpx.Response(503, json={"errors": [{"title": "busy"}]})
        return httpx.Response(200, json={"results": [{"accountId": "a1", "displayName": "Ann"}]})

    async with client_with(handler) as client:
        users = await client.users(["a1", "a1", ""])
    assert calls == ["POST", "POST"] and users["a1"].display_name == "Ann"


async def test_undecodable_answer_is_a_server_error_not_a_crash():
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            content=b"not gzip at all",
            headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
        )

    async with client_with(handler) as client:
        with pytest.raises(ServerError, match="could not be read"):
            await client.get_page("1")


async def test_certificate_failure_is_named():
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")

    async with client_with(handler, max_attempts=1) as client:
        with pytest.raises(NetworkError, match="TLS certificate of acme.atlassian.net"):
            await client.current_user()


async def test_dc_children_and_threaded_comments():
    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("/child/page"):
            return httpx.Response(
                200,
                json={
                    "results": [
                        {
                            "id": "11",
                            "type": "page",
                            "title": "Child",
                            "space": {"key": "ENG"},
                            "version": {"number": 2},
                        }
                    ],
                    "_links": {},
                },
            )
        if path.endswith("/child/comment"):
            assert parse_qs(request.url.query.decode())["depth"] == ["all"]
            body = {"storage": {"value": "<p>x</p>", "representation": "storage"}}
            return httpx.Response(
                200,
                json={
                    "results": [
                        {
                            "id": "1",
                            "type": "comment",
                            "container": {"id": "10"},
                            "ancestors": [],
                            "body": body,
                            "version": {
                                "number": 1,
                                "by": {"userKey": "k1"},
                                "when": "2024-01-01T00:00:00.000Z",
                            },
                        },
                        {
                            "id": "2",
                            "type": "comment",
                            "container": {"id": "10"},
                            "ancestors": [{"id": "1", "type": "comment"}],
                            "body": body,
                            "version": {"number": 1},
                        },
                        {
                            "id": "3",
                            "type": "comment",
                            "container": {"id": "10"},
                            "ancestors": [
                                {"id": "1", "type": "comment"},
                                {"id": "2", "type": "comment"},
                            ],
                            "body": body,
                            "version": {"number": 1},
                        },
                        {
                            "id": "4",
                            "type": "comment",
                            "container": {"id": "10"},
                            "ancestors": [],
                            "body": body,
                            "version": {"number": 1},
                        },
                    ],
                    "_links": {},
                },
            )
        raise AssertionError(path)

    async with client_with(handler, base="https://dc.example.com", kind="dc") as client:
        kids = [c async for c in client.children("10")]
        threads = await client.comments("10")
    assert kids[0].parent_id == "10" and kids[0].space_id == "ENG"
    assert [c.id for c in threads] == ["1", "4"]
    assert [r.id for r in threads[0].replies] == ["2"] and [
        r.id for r in threads[0].replies[0].replies
    ] == ["3"]
    assert threads[0].author_id == "k1"
