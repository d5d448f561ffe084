"""The page's header in ONE round trip: its one request goes out with the page's own request, on Cloud
and on Data Center, and does not wait for (nor carry) the page's body; the breadcrumb the tree cache
knows is there before it answers — the server's answer corrects it (a page moved since the cache
was written). Order of events and contents, not times: the local Confluence answers slowly
(latency) so that "sent before the page's answer" is a fact of the exchange, not a race."""

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


class Exchange:
    """The client's own events: what was sent, and what was answered, in order."""

    def __init__(self, page_path: str) -> None:
        self.events: list[tuple[str, int]] = []
        self.numbers: dict[int, int] = {}
        self.sent_paths: list[str] = []
        self.page_path = page_path
        self.before_page_answer: list[str] | None = None
        self.answered_paths: list[str] = []

    async def sent(self, request: httpx.Request) -> None:
        self.numbers[id(request)] = len(self.numbers)
        self.events.append(("sent", self.numbers[id(request)]))
        self.sent_paths.append(request.url.path)

    async def answered(self, response: httpx.Response) -> None:
        self.events.append(("answered", self.numbers[id(response.request)]))
        self.answered_paths.append(response.request.url.path)
        if response.request.url.path == self.page_path and self.before_page_answer is None:
            self.before_page_answer = list(self.sent_paths)

    def watch(self, client: ConfluenceClient) -> None:
        client._http.event_hooks = {"request": [self.sent], "response": [self.answered]}


@pytest.mark.parametrize("flavour", ["cloud", "dc"])
async def test_the_whole_header_is_one_round_trip_sent_with_the_page(
    local_confluence, tmp_path, flavour
):
    options = {"flavour": "dc", "context_path": "/confluence"} if flavour == "dc" else {}
    server = local_confluence("demo", latency_ms=150, **options)
    pid = page_id(server, RUNBOOK)
    prefix = "/confluence" if flavour == "dc" else "/wiki"
    page_path = (
        f"{prefix}/rest/api/content/{pid}" if flavour == "dc" else f"/wiki/api/v2/pages/{pid}"
    )
    exchange = Exchange(page_path)
    auth = AUTH if flavour == "cloud" else httpx.BasicAuth("demo", "demo-password")
    async with ConfluenceClient(server.base_url, auth=auth, kind=flavour) as client:
        ws = Workspace.create(client, "s", "Local", tmp_path / "c", tmp_path / "d")
        exchange.watch(client)
        opened, header = await ws.open_with_header(pid)
        extras = await header
    assert opened.page.title == RUNBOOK
    # the header's one request was on its way before the page's answer came back
    assert exchange.before_page_answer is not None
    assert exchange.sent_paths.count(f"{prefix}/rest/api/content/{pid}") == 2 - (flavour == "cloud")
    assert len(exchange.before_page_answer) == 2
    assert round_trips(exchange.events) == 1  # nothing waited for another answer
    assert len(exchange.sent_paths) == 2  # the page and its header: nothing else
    assert extras.ancestors[-1] == "Runbooks" and extras.editor_name
    assert sorted(extras.labels) == ["postgres", "runbook"]


async def test_a_huge_page_does_not_hold_its_header(local_confluence, tmp_path):
    """The header's request carries no body: on a 3 MB page whose own answer is late, the header's
    answer is in first, small, and complete."""
    server = local_confluence("demo", latency_ms=50)
    pid = page_id(server, RUNBOOK)
    server.store.update_page(pid, "<p>" + "Failover steps, at length. " * 120_000 + "</p>")
    server.state.extras["chaos"].slow(rf"/api/v2/pages/{pid}$", 0.5)  # the body takes its time
    sizes: dict[str, int] = {}
    exchange = Exchange(f"/wiki/api/v2/pages/{pid}")

    async def answered(response: httpx.Response) -> None:
        await response.aread()
        sizes[response.request.url.path] = len(response.content)
        await exchange.answered(response)

    async with ConfluenceClient(server.base_url, auth=AUTH) as client:
        ws = Workspace.create(client, "s", "Local", tmp_path / "c", tmp_path / "d")
        client._http.event_hooks = {"request": [exchange.sent], "response": [answered]}
        opened, header = await ws.open_with_header(pid)
        extras = await header
    header_path = f"/wiki/rest/api/content/{pid}"
    assert exchange.answered_paths.index(header_path) < exchange.answered_paths.index(
        exchange.page_path
    )  # the header did not wait for the body
    assert sizes[header_path] < 20_000 < 3_000_000 < sizes[exchange.page_path]
    assert len(opened.page.storage or "") > 3_000_000
    assert extras.ancestors[-1] == "Runbooks" and extras.editor_name


async def test_a_page_that_cannot_be_read_cancels_its_first_round(demo_server, tmp_path):
    from workbench.confluence.errors import NotFound

    async with ConfluenceClient(demo_server.base_url, auth=AUTH) as client:
        ws = Workspace.create(client, "s", "Local", tmp_path / "c", tmp_path / "d")
        with pytest.raises(NotFound, match="999999999"):
            await ws.open_with_header("999999999")
        # the header's request was stopped, not left running unwatched
        me = asyncio.current_task()
        left = [t for t in asyncio.all_tasks() if t is not me and "page_header" in repr(t)]
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
