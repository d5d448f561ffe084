"""Retries through the local Confluence's ``--rate-limit`` and ``--fault-rate``: reads succeed,
and every save lands exactly once (no lost and no doubled write)."""

from __future__ import annotations

import pytest

from workbench.confluence.errors import RateLimited

from .helpers import WaitLog, client_for


async def test_reads_and_writes_through_a_rate_limit(local_confluence):
    server = local_confluence("large:60", rate_limit=5)
    log = WaitLog()  # real sleeps: the limiter only refills with time
    # no slowing down on X-RateLimit-NearLimit here: this test is about the 429s it would avoid
    async with client_for(server, log=log, max_wait=3.0, near_limit_interval=0) as client:
        space = await client.space_by_key("LARGE")
        pages = [p async for p in client.space_pages(space.id, depth="all")]
        target = pages[-1]
        opened = [await client.get_page(p.id) for p in pages[:8]]
        page = await client.get_page(target.id)
        start = page.version.number
        refused_before = server.state.extras["chaos"].counts["429"]
        for i in range(
            12
        ):  # writes are retried on 429 (the server refused them before running them)
            page = await client.update_page(
                target.id,
                title=page.title,
                storage=f"<p>rate limited {i}</p>",
                base_version=page.version.number,
                message=f"r{i}",
            )
    assert len(pages) == 60 and len(opened) == 8
    assert page.version.number == start + 12
    assert (
        server.state.extras["chaos"].counts["429"] > refused_before
    )  # some writes were refused and resent
    assert [
        server.store.version(target.id, n)["message"] for n in range(start + 1, start + 13)
    ] == [f"r{i}" for i in range(12)]
    assert server.state.extras["chaos"].counts["429"] > 0
    assert log.waits and all(reason == "rate limited by Confluence" for _, reason in log.waits)
    assert all(0 < seconds <= 3.0 for seconds, _ in log.waits)  # Retry-After honoured, capped


async def test_rate_limit_beyond_budget_is_a_clear_error(local_confluence):
    server = local_confluence("large:10", rate_limit=1)
    async with client_for(server, max_attempts=1, near_limit_interval=0) as client:
        space = await client.space_by_key("LARGE")
        with pytest.raises(RateLimited) as info:
            for _ in range(5):
                await client.get_space(space.id)
    assert info.value.retry_after is not None and "Try again in" in info.value.message


async def test_saves_land_exactly_once_under_faults(local_confluence):
    server = local_confluence("large:20", fault_rate=0.3)
    log = WaitLog(cap=0.01)  # the injected 503s ask for 1 s; record it, wait 10 ms
    saves = 25
    async with client_for(server, log=log) as client:
        space = await client.space_by_key("LARGE")
        pages = [p async for p in client.space_pages(space.id, depth="all")]
        page = await client.get_page(pages[-1].id)
        start = page.version.number
        for i in range(saves):
            page = await client.update_page(
                page.id,
                title=page.title,
                storage=f"<p>save {i}</p>",
                base_version=page.version.number,
                message=f"save {i}",
            )
            assert page.version.number == start + i + 1
    chaos = server.state.extras["chaos"]
    assert chaos.counts["lost"] > 0 and chaos.counts["503"] > 0  # the faults really happened
    stored = server.store.get_page(page.id)
    assert stored["version"] == start + saves  # nothing doubled
    history = [server.store.version(page.id, n) for n in range(start + 1, start + saves + 1)]
    assert [h["message"] for h in history] == [f"save {i}" for i in range(saves)]  # nothing lost


async def test_creates_and_comments_land_exactly_once_under_faults(local_confluence):
    server = local_confluence("large:5", fault_rate=0.3)
    log = WaitLog(cap=0.01)
    async with client_for(server, log=log) as client:
        space = await client.space_by_key("LARGE")
        made = [
            await client.create_page(
                space_id=space.id, title=f"Fault page {i}", storage=f"<p>{i}</p>"
            )
            for i in range(8)
        ]
        for i in range(8):
            await client.add_comment(made[0].id, f"<p>comment {i}</p>")
        pages = [p async for p in client.space_pages(space.id, depth="all")]
        comments = await client.comments(made[0].id)
    titles = [p.title for p in pages if p.title.startswith("Fault page")]
    assert sorted(titles) == sorted(f"Fault page {i}" for i in range(8))
    assert sorted(c.storage for c in comments) == sorted(f"<p>comment {i}</p>" for i in range(8))
    assert server.state.extras["chaos"].counts["lost"] > 0
