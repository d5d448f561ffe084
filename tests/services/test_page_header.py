"""The page's header in two round trips: its first round (the ancestors' ids, the comments) goes out
with the page's own request, and the breadcrumb the tree cache knows is there before any of them
answers — the server's answer corrects it (a page moved since the cache was written). Order of
events and contents, not times: the local Confluence answers slowly (latency) so that "sent before
the page's answer" is a fact of the exchange, not a race."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from workbench.confluence.client import ConfluenceClient
from workbench.services.cache import TreeCache
from workbench.services.workspace import Workspace

AUTH = httpx.BasicAuth("demo@example.com", "demo-token")
RUNBOOK = "Runbook: Database failover"  # demo: Platform Engineering › (homepage) › Runbooks


def page_id(server, title: str) -> str:
    return str(server.store.query_one("SELECT id FROM pages WHERE title = ?", (title,))["id"])


def round_trips(events: list[tuple[str, int]]) -> int:
    """The longest chain of requests each sent after the one before it was answered, from the
    order of the client's own events ("sent"/"answered", request number)."""
    depth: dict[int, int] = {}
    answered: list[int] = []  # requests answered so far, in order
    for what, number in events:
        if what == "sent":
            depth[number] = 1 + max((depth[n] for n in answered), default=0)
        else:
            answered.append(number)
    return max(depth.values(), default=0)


async def test_the_whole_header_is_two_round_trips_the_first_sent_with_the_page(
    local_confluence, tmp_path
):
    server = local_confluence("demo", latency_ms=150)
    pid = page_id(server, RUNBOOK)
    events: list[tuple[str, int]] = []
    numbers: dict[int, int] = {}
    page_path = f"/wiki/api/v2/pages/{pid}"
    page_answered_after: list[list[str]] = []
    sent_paths: list[str] = []

    async def sent(request: httpx.Request) -> None:
        numbers[id(request)] = len(numbers)
        events.append(("sent", numbers[id(request)]))
        sent_paths.append(request.url.path)

    async def answered(response: httpx.Response) -> None:
        events.append(("answered", numbers[id(response.request)]))
        if response.request.url.path == page_path:
            page_answered_after.append(list(sent_paths))

    async with ConfluenceClient(server.base_url, auth=AUTH) as client:
        ws = Workspace.create(client, "s", "Local", tmp_path / "c", tmp_path / "d")
        client._http.event_hooks = {"request": [sent], "response": [answered]}
        opened, header = await ws.open_with_header(pid)
        extras = await header
    assert opened.page.title == RUNBOOK
    # the ancestors' ids and the comments were on their way before the page's answer came back
    before = page_answered_after[0]
    assert f"{page_path}/ancestors" in before and f"{page_path}/footer-comments" in before
    assert round_trips(events) == 2  # then the titles and the names, together
    assert len(sent_paths) == len(set(sent_paths))  # nothing asked for twice
    assert extras.ancestors[-1] == "Runbooks" and extras.editor_name


async def test_a_page_that_cannot_be_read_cancels_its_first_round(demo_server, tmp_path):
    from workbench.confluence.errors import NotFound

    async with ConfluenceClient(demo_server.base_url, auth=AUTH) as client:
        ws = Workspace.create(client, "s", "Local", tmp_path / "c", tmp_path / "d")
        with pytest.raises(NotFound, match="999999999"):
            await ws.open_with_header("999999999")
        # the first round (ancestors, comments) was stopped, not left running unwatched
        left = [
            t
            for t in asyncio.all_tasks()
            if "ancestor_chain" in repr(t) or "SocialApi.comments" in repr(t)
        ]
        assert all(t.cancelling() for t in left)
        for outcome in await asyncio.gather(*left, return_exceptions=True):
            assert isinstance(outcome, asyncio.CancelledError)


async def _fill_cache(client, ws: Workspace, space_title: str) -> None:
    """What the tree stores as it is expanded: the spaces, a space's root, each level below."""
    spaces = await ws.spaces()
    ws.cache.put_spaces(spaces)
    space = next(s for s in spaces if s.name == space_title)
    pending = [f"space:{space.id}"]
    while pending:
        key = pending.pop()
        async for batch in ws.pages_under(key):
            pending += [f"{r.type}:{r.id}" for r in batch if r.type in ("page", "folder")]


async def test_the_cached_breadcrumb_is_the_trees_and_the_header_corrects_a_move(
    demo_server, tmp_path
):
    pid = page_id(demo_server, RUNBOOK)
    async with ConfluenceClient(demo_server.base_url, auth=AUTH) as client:
        ws = Workspace.create(client, "s", "Local", tmp_path / "c", tmp_path / "d")
        await _fill_cache(client, ws, "Platform Engineering")
        opened = await ws.open(pid)
        extras = await ws.extras(opened)
        cached = ws.cached_crumbs(opened.page)
        assert cached == list(extras.ancestors)  # the same breadcrumb, known without asking
        assert cached[-1] == "Runbooks"

        # moved on the site after the cache was written: the cache still says Runbooks …
        target = page_id(demo_server, "Service catalogue")
        demo_server.store.move_page(pid, "append", target)
        moved = await ws.open(pid)
        assert ws.cached_crumbs(moved.page)[-1] != "Runbooks"  # the page's own answer names
        # its new parent, which the cache knows under its own parent: the crumbs follow it
        assert ws.cached_crumbs(moved.page)[-1] == "Service catalogue"
        truth = await ws.extras(moved)
        assert truth.ancestors[-1] == "Service catalogue"

        # a parent the cache never saw: no breadcrumb rather than a wrong one
        elsewhere = page_id(demo_server, "ADR-003: Event bus on NATS JetStream")
        fresh = Workspace.create(client, "t", "Local", tmp_path / "c2", tmp_path / "d2")
        assert fresh.cached_crumbs((await fresh.open(elsewhere)).page) == []


def test_the_trail_of_rows_that_loop_or_lost_their_parent_is_unknown(tmp_path):
    from workbench.confluence.models import PageSummary

    cache = TreeCache(tmp_path, "site")
    cache.put_children("page:1", [PageSummary("2", "Two", "S")])
    cache.put_children("page:2", [PageSummary("1", "One", "S")])  # 1 under 2 under 1
    assert cache.trail("2") is None
    cache.put_children("space:S", [PageSummary("10", "Home", "S")])
    cache.put_children("page:10", [PageSummary("11", "Child", "S")])
    assert cache.trail("11") == ["Home", "Child"]
    assert cache.trail("99") is None
