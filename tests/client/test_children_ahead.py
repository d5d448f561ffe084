"""The children listing asks for the next page while its caller works on the current one: one
request ahead at most, each page once, in order; a caller that stops early leaves no request
behind, and a failed page fails where the caller reaches it."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from workbench.confluence.client import ConfluenceClient
from workbench.confluence.errors import NotFound

PAGES = 4
PER_PAGE = 3


def listing(calls: list[str], fail_at: int | None = None):
    def handler(request: httpx.Request) -> httpx.Response:
        cursor = int(request.url.params.get("cursor", "0"))
        calls.append(request.url.path + f"?cursor={cursor}")
        if cursor == fail_at:
            return httpx.Response(404, json={"message": "gone"})
        results = [
            {"id": str(cursor * PER_PAGE + i), "title": f"T{cursor * PER_PAGE + i}", "type": "page"}
            for i in range(PER_PAGE)
        ]
        links = {}
        if cursor + 1 < PAGES:
            links["next"] = f"/wiki/api/v2/pages/7/direct-children?cursor={cursor + 1}"
        return httpx.Response(200, json={"results": results, "_links": links})

    return handler


def client_with(handler) -> ConfluenceClient:
    return ConfluenceClient(
        "https://acme.atlassian.net/wiki",
        auth=httpx.BasicAuth("u", "t"),
        transport=httpx.MockTransport(handler),
        backoff_base=0,
    )


async def test_the_next_page_is_asked_for_before_this_one_is_handed_out():
    calls: list[str] = []
    async with client_with(listing(calls)) as client:
        rows = client.children("7")
        first = await anext(rows)
        await asyncio.sleep(0.01)  # the caller busy with the first row: the next page comes
        assert len(calls) == 2
        rest = [row async for row in rows]
    assert [r.id for r in [first, *rest]] == [str(i) for i in range(PAGES * PER_PAGE)]
    assert all(r.parent_id == "7" for r in rest)
    assert calls == [f"/wiki/api/v2/pages/7/direct-children?cursor={i}" for i in range(PAGES)]
    assert client.request_count == PAGES


async def test_a_caller_that_stops_early_leaves_no_request_behind():
    calls: list[str] = []
    unhandled: list[dict] = []
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda _loop, context: unhandled.append(context))
    async with client_with(listing(calls, fail_at=1)) as client:
        rows = client.children("7")
        assert (await anext(rows)).id == "0"
        await rows.aclose()  # the page asked for ahead failed meanwhile, or was cancelled
        await asyncio.sleep(0.01)
        assert len(calls) <= 2
    assert unhandled == []


async def test_a_page_that_fails_fails_where_the_caller_reaches_it():
    calls: list[str] = []
    seen: list[str] = []
    async with client_with(listing(calls, fail_at=2)) as client:
        with pytest.raises(NotFound):
            async for row in client.children("7"):
                seen.append(row.id)
    assert seen == [str(i) for i in range(2 * PER_PAGE)]  # the two pages before it, whole
