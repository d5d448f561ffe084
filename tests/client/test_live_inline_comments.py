"""The client's inline comments against the local Confluence: add (v2 and v1), list with replies,
the page's version untouched, lost answers settled exactly once."""

from __future__ import annotations

import pytest

from workbench.confluence.errors import BadRequest

from .helpers import DEMO_AUTH, WaitLog, client_for


async def _page(server, client, storage: str):
    space = await client.space_by_key("ENG")
    return await client.create_page(
        space_id=space.id, title="Inline comments here", storage=storage
    )


@pytest.mark.parametrize("kind", ["cloud", "dc"])
async def test_add_list_and_reply(local_confluence, kind):
    demo_server = local_confluence("demo", flavour=kind)
    auth = (
        ("demo", "demo-password") if kind == "dc" else DEMO_AUTH
    )  # Data Center: username + password
    async with client_for(demo_server, kind=kind, auth=auth) as client:
        space = await client.space_by_key("ENG")
        page = await client.create_page(
            space_id=space.id if kind == "cloud" else "ENG",
            title=f"Inline {kind}",
            storage="<p>ship it on Monday</p>",
        )
        before = client.request_count
        made = await client.add_inline_comment(page.id, "<p>Which Monday?</p>", selection="Monday")
        assert client.request_count - before == 1
        assert (
            made.inline
            and made.selection == "Monday"
            and made.resolution == "open"
            and made.marker_ref
        )
        reply = await client.add_inline_comment(page.id, "<p>The next one.</p>", parent_id=made.id)
        assert reply.parent_id == made.id and reply.inline
        roots = await client.inline_comments(page.id)
        assert [c.id for c in roots] == [made.id]
        assert roots[0].selection == "Monday" and [r.id for r in roots[0].replies] == [reply.id]
        assert await client.comments(page.id) == []  # footer comments only
        now = await client.get_page(page.id)
    assert now.version.number == page.version.number  # no new version...
    assert f'ac:ref="{made.marker_ref}">Monday</ac:inline-comment-marker>' in (
        now.storage or ""
    )  # ...new storage


async def test_a_selection_not_on_the_page_is_a_bad_request(demo_server):
    async with client_for(demo_server) as client:
        page = await _page(demo_server, client, "<p>plain text</p>")
        with pytest.raises(BadRequest) as info:
            await client.add_inline_comment(page.id, "<p>?</p>", selection="absent words")
    assert "not found" in info.value.message


async def test_lost_answers_land_exactly_once(local_confluence):
    server = local_confluence("large:5", fault_rate=0.3)
    log = WaitLog(cap=0.01)  # the injected 503s ask for 1 s; record it, wait 10 ms
    words = [f"word{i}" for i in range(8)]
    async with client_for(server, log=log) as client:
        space = await client.space_by_key("LARGE")
        page = await client.create_page(
            space_id=space.id, title="Inline faults", storage=f"<p>{' '.join(words)}</p>"
        )
        for word in words:
            await client.add_inline_comment(page.id, f"<p>about {word}</p>", selection=word)
        roots = await client.inline_comments(page.id)
    assert server.state.extras["chaos"].counts["lost"] > 0  # the faults really happened
    assert sorted(c.selection for c in roots) == sorted(words)  # each exactly once
    assert server.store.get_page(page.id)["body"].count("<ac:inline-comment-marker") == len(words)
