"""The page lifecycle through the client against the local Confluence over loopback: rename, move,
reorder, copy (one page, a tree), delete with what it breaks, the trash, restore, restore a version —
each pinned where the API allows, refused plainly otherwise, and landing exactly once when an
answer is lost on the way back (the request ran; the client settles by re-reading)."""

from __future__ import annotations

import httpx
import pytest

from workbench.confluence.client import ConfluenceClient
from workbench.confluence.errors import NotAvailable, NotFound, PermissionDenied, VersionConflict
from workbench.errors import UsageError

from .helpers import DEMO_AUTH, client_for

RUNBOOKS, PAYMENTS, FAILOVER, TLS = "65538", "65539", "65542", "65543"
ADRS, RELEASES = "65544", "65552"


class LoseAnswers(httpx.AsyncBaseTransport):
    """Real HTTP to the server; the answers of matching requests are dropped after the server ran
    them (the first ``times`` matches), as a connection lost on the way back would."""

    def __init__(self, method: str, path_part: str, times: int = 1) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.method, self.path_part, self.left = method, path_part, times
        self.sent: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        self.sent.append(f"{request.method} {request.url.path}")
        if self.left and request.method == self.method and self.path_part in request.url.path:
            self.left -= 1
            await response.aread()
            await response.aclose()
            raise httpx.ReadError("connection lost before the answer arrived", request=request)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def lossy_client(server, transport: LoseAnswers) -> ConfluenceClient:
    return ConfluenceClient(
        server.base_url, auth=httpx.BasicAuth(*DEMO_AUTH), transport=transport, backoff_base=0.01
    )


async def test_rename_is_one_pinned_put_and_refuses_a_stale_base(demo_server):
    async with client_for(demo_server) as client:
        before = await client.get_page(TLS)
        count = client.request_count
        page = await client.rename_page(TLS, "Rotating certificates", base_version=1)
        assert client.request_count - count == 2  # the page, then the PUT
        assert page.title == "Rotating certificates" and page.version.number == 2
        assert page.parent_id == before.parent_id and page.storage == before.storage
        with pytest.raises(VersionConflict) as stale:
            await client.rename_page(TLS, "Again", base_version=1)
        assert "changed since version 1 (now 2)" in stale.value.message
        with pytest.raises(UsageError):
            await client.rename_page(TLS, "   ")
        taken = await client.rename_page(TLS, "Rotating certificates (2)")
        assert taken.version.number == 3
    stored = demo_server.store.get_page(TLS)
    assert stored["title"] == "Rotating certificates (2)" and stored["version"] == 3


async def test_a_rename_whose_answer_is_lost_lands_once(demo_server):
    transport = LoseAnswers("PUT", f"/pages/{TLS}")
    async with lossy_client(demo_server, transport) as client:
        page = await client.rename_page(TLS, "Renamed once")
    assert page.version.number == 2 and page.title == "Renamed once"
    assert demo_server.store.get_page(TLS)["version"] == 2  # not 3: settled by re-reading
    assert [s for s in transport.sent if s.startswith("PUT")] == [f"PUT /wiki/api/v2/pages/{TLS}"]


async def test_move_under_a_parent_is_pinned_reorder_uses_the_move_endpoint(demo_server):
    async with client_for(demo_server) as client:
        moved = await client.move_page(TLS, ADRS, base_version=1)
        assert moved.page.parent_id == ADRS and moved.new_version and moved.page.version.number == 2
        assert "pinned to version 1" in moved.request
        rows = [c.title async for c in client.children(ADRS)]
        assert rows[-1] == "Runbook: Rotating TLS certificates"
        reordered = await client.move_page(FAILOVER, PAYMENTS, position="before")
        assert not reordered.new_version and "/move/before/" in reordered.request
        assert [c.id async for c in client.children(RUNBOOKS)] == [FAILOVER, PAYMENTS]
        with pytest.raises(UsageError, match="own subtree"):
            await client.move_page(RUNBOOKS, PAYMENTS)
        with pytest.raises(UsageError, match="already under"):
            await client.move_page(TLS, ADRS)
        with pytest.raises(VersionConflict):
            await client.move_page(TLS, RUNBOOKS, base_version=1)


async def test_move_to_another_space_and_the_refusals(demo_server):
    demo_server.store.restrict_edits(RELEASES)
    async with client_for(demo_server) as client:
        prod = await client.space_by_key("PROD")
        moved = await client.move_page(RUNBOOKS, prod.homepage_id)
        assert moved.page.space_id == prod.id and not moved.new_version
        child = await client.get_page(PAYMENTS)
        assert child.space_id == prod.id  # the branch went along
        with pytest.raises(PermissionDenied):  # v1 move: 403
            await client.move_page(RELEASES, prod.homepage_id)
        with pytest.raises(NotFound):  # v2 PUT: 404 "or no permission" (the v2 spec)
            await client.move_page(RELEASES, ADRS)


async def test_data_center_moves_pinned_and_refuses_reordering(local_confluence):
    server = local_confluence("demo", flavour="dc", context_path="/confluence")
    async with client_for(server, kind="dc", auth=("demo", "demo-password")) as client:
        moved = await client.move_page(TLS, ADRS)
        assert moved.page.parent_id == ADRS and "pinned" in moved.request
        before = client.request_count
        with pytest.raises(NotAvailable, match="Data Center has no REST request"):
            await client.move_page(FAILOVER, PAYMENTS, position="before")
        assert client.request_count - before == 3  # reads only: page, target, ancestors


async def test_copy_plan_then_copy_one_page(demo_server):
    async with client_for(demo_server) as client:
        plan = await client.copy_plan(TLS, ADRS)
        assert [i.title for i in plan.items] == ["Copy of Runbook: Rotating TLS certificates"]
        assert not plan.clashes
        result = await client.copy(plan)
        copy = await client.get_page(result.root_id)
        assert copy.parent_id == ADRS and copy.storage == plan.source.storage
        again = await client.copy_plan(TLS, ADRS)
        assert (
            again.clashes
        )  # the same copy again: the title is taken, said before anything is sent
        sent = client.request_count
        with pytest.raises(Exception, match="Nothing was copied"):
            await client.copy(again)
        assert client.request_count == sent


async def test_copy_a_tree_polls_the_long_task(demo_server):
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    async with client_for(demo_server) as client:
        with pytest.raises(UsageError, match="prefix"):
            await client.copy_plan(RUNBOOKS, ADRS, tree=True, prefix="")
        plan = await client.copy_plan(RUNBOOKS, ADRS, tree=True, prefix="2027 ")
        assert [(i.title, i.depth) for i in plan.items] == [
            ("2027 Runbooks", 0),
            ("2027 Runbook: Payments API latency", 1),
            ("2027 Runbook: Database failover", 1),
            ("2027 Runbook: Rotating TLS certificates", 1),
        ]
        result = await client.copy(plan, sleep=sleep)
        assert result.created == 4 and slept  # the task was still running on the first read
        assert [c.title async for c in client.children(result.root_id)] == [
            i.title for i in plan.items[1:]
        ]


async def test_a_copy_whose_answer_is_lost_lands_once(demo_server):
    transport = LoseAnswers("POST", f"/content/{TLS}/copy")
    async with lossy_client(demo_server, transport) as client:
        plan = await client.copy_plan(TLS, ADRS, title="Lost and found")
        result = await client.copy(plan)
    titles = demo_server.store.scalar(
        "SELECT COUNT(*) FROM pages WHERE title = 'Lost and found' AND status = 'current'"
    )
    assert transport.left == 0  # the answer really was lost
    assert titles == 1 and result.title == "Lost and found"


async def test_delete_plan_names_children_and_linking_pages_then_undo(demo_server):
    async with client_for(demo_server) as client:
        eng = await client.space_by_key("ENG")
        linker = await client.create_page(
            space_id=eng.id,
            title="Where releases live",
            storage='<p>See <ac:link><ri:page ri:content-title="Release notes" /></ac:link> '
            "for Release notes.</p>",
        )
        plan = await client.delete_plan(RELEASES)
        assert [c.title for c in plan.children] == [
            "Release 2026.10",
            "Release 2026.11",
            "Release 2026.12 (draft notes)",
        ]
        assert plan.parent is not None and plan.parent.title == "Platform Engineering"
        assert [p.id for p in plan.links.pages] == [linker.id]
        assert "CQL" in plan.links.method
        await client.trash_page(RELEASES, base_version=plan.page.version.number)
        trash = await client.trash_list(eng.id, eng.key)
        assert [r.title for r in trash] == ["Release notes"]
        restored = await client.restore_from_trash(RELEASES)
        assert restored.status == "current" and restored.version.number == plan.page.version.number
        assert not await client.trash_list(eng.id, eng.key)


async def test_a_restore_whose_answer_is_lost_lands_once(demo_server):
    transport = LoseAnswers("PUT", f"/pages/{TLS}")
    async with client_for(demo_server) as plain:
        await plain.trash_page(TLS)
    async with lossy_client(demo_server, transport) as client:
        page = await client.restore_from_trash(TLS)
    assert transport.left == 0
    assert page.status == "current" and demo_server.store.get_page(TLS)["status"] == "current"


async def test_restore_a_version_is_pinned(demo_server):
    async with client_for(demo_server) as client:
        v1 = await client.get_page(PAYMENTS, version=1)
        page = await client.restore_version(PAYMENTS, 1, base_version=3)
        assert page.version.number == 4 and page.storage == v1.storage
        assert (await client.get_page(PAYMENTS)).version.message == "Restored version 1"
        with pytest.raises(VersionConflict):
            await client.restore_version(PAYMENTS, 2, base_version=3)
        with pytest.raises(UsageError, match="current version"):
            await client.restore_version(PAYMENTS, 4)
        with pytest.raises(UsageError, match="no version 9"):
            await client.restore_version(PAYMENTS, 9)


async def test_data_center_copies_a_tree_and_restores_a_version(local_confluence):
    server = local_confluence("demo", flavour="dc", context_path="/confluence")

    async def no_wait(_seconds: float) -> None:
        return None

    async with client_for(server, kind="dc", auth=("demo", "demo-password")) as client:
        plan = await client.copy_plan(RUNBOOKS, ADRS, tree=True, prefix="DC ")
        result = await client.copy(plan, sleep=no_wait)
        assert result.created == 4
        assert [c.title async for c in client.children(result.root_id)][0] == (
            "DC Runbook: Payments API latency"
        )
        page = await client.restore_version(PAYMENTS, 1)
        assert page.version.number == 4
        assert page.storage == (await client.get_page(PAYMENTS, version=1)).storage
