"""Writes against the real local Confluence: base+1 updates, 409s, create/delete, comments, labels,
and the Data Center (v1) flavour."""

from __future__ import annotations

import pytest

from workbench.confluence.errors import BadRequest, NotFound, VersionConflict

from .helpers import client_for


@pytest.fixture
def server(local_confluence):
    return local_confluence("large:30")


async def _some_page(client):
    space = await client.space_by_key("LARGE")
    pages = [p async for p in client.space_pages(space.id, depth="all")]
    return space, await client.get_page(pages[-1].id)


async def test_update_sends_base_plus_one_in_one_request(server):
    async with client_for(server) as client:
        _, page = await _some_page(client)
        before = client.request_count
        saved = await client.update_page(
            page.id,
            title=page.title,
            storage="<p>new body</p>",
            base_version=page.version.number,
            message="from test",
        )
        assert client.request_count - before == 1
    assert saved.version.number == page.version.number + 1
    assert saved.storage == "<p>new body</p>" and saved.version.message == "from test"
    assert server.store.get_page(page.id)["body"] == "<p>new body</p>"


async def test_stale_save_is_409_and_overwrites_nothing(server):
    async with client_for(server) as client:
        _, page = await _some_page(client)
        # another user saves in between (straight into the server's storage)
        server.store.update_page(page.id, "<p>their edit</p>")
        with pytest.raises(VersionConflict) as info:
            await client.update_page(
                page.id, title=page.title, storage="<p>mine</p>", base_version=page.version.number
            )
        err = info.value
        assert (err.current, err.provided) == (page.version.number + 1, page.version.number + 1)
        assert err.exit_code == 3 and f"since version {page.version.number}" in err.message
        current = await client.get_page(page.id)
    assert (
        current.storage == "<p>their edit</p>" and current.version.number == page.version.number + 1
    )


async def test_update_never_rereads_current_to_add_one(server):
    async with client_for(server) as client:
        _, page = await _some_page(client)
        server.store.update_page(page.id, "<p>v2</p>")
        server.store.update_page(page.id, "<p>v3</p>")
        with pytest.raises(VersionConflict):
            await client.update_page(page.id, title=page.title, storage="<p>x</p>", base_version=1)
    assert server.store.get_page(page.id)["body"] == "<p>v3</p>"


async def test_old_version_and_history(server):
    async with client_for(server) as client:
        _, page = await _some_page(client)
        await client.update_page(page.id, title=page.title, storage="<p>two</p>", base_version=1)
        old = await client.get_page(page.id, version=1)
        assert old.version.number == 1 and old.storage == page.storage
        history = [v.number async for v in client.versions(page.id)]
    assert history == [2, 1]


async def test_create_find_delete(server):
    async with client_for(server) as client:
        space, parent = await _some_page(client)
        made = await client.create_page(
            space_id=space.id,
            title="Made by the client",
            storage="<p>hello</p>",
            parent_id=parent.id,
        )
        assert made.version.number == 1 and made.parent_id == parent.id
        found = await client.find_page(space.id, "Made by the client")
        assert found is not None and found.id == made.id and found.storage == "<p>hello</p>"
        assert await client.find_page(space.id, "No such title") is None
        with pytest.raises(BadRequest):  # duplicate title in the space
            await client.create_page(
                space_id=space.id, title="Made by the client", storage="<p>x</p>"
            )
        await client.delete_page(made.id)
        with pytest.raises(NotFound):
            await client.get_page(made.id)


async def test_comments_with_replies(server):
    async with client_for(server) as client:
        _, page = await _some_page(client)
        root = await client.add_comment(page.id, "<p>LGTM</p>")
        reply = await client.add_comment(page.id, "<p>thanks</p>", parent_id=root.id)
        assert reply.parent_id == root.id
        threads = await client.comments(page.id)
    assert [c.id for c in threads] == [root.id]
    assert [r.storage for r in threads[0].replies] == ["<p>thanks</p>"]


async def test_labels_add_list_remove(server):
    async with client_for(server) as client:
        _, page = await _some_page(client)
        await client.add_labels(page.id, ["release", "draft"])
        assert {x.name for x in await client.labels(page.id)} >= {"release", "draft"}
        await client.remove_label(page.id, "draft")
        names = {x.name for x in await client.labels(page.id)}
    assert "release" in names and "draft" not in names


async def test_users_bulk_gives_display_names(server):
    async with client_for(server) as client:
        users = await client.users(["557058:demo-user"])
    assert users["557058:demo-user"].display_name


async def test_data_center_flavour_reads_and_writes_v1(server):
    async with client_for(server) as cloud:
        _, page = await _some_page(cloud)
    async with client_for(server, kind="dc") as client:
        dc_page = await client.get_page(page.id)
        assert dc_page.title == page.title and dc_page.storage == page.storage
        assert dc_page.space_key == "LARGE" and dc_page.space_id == "LARGE"
        saved = await client.update_page(
            page.id, title=page.title, storage="<p>dc edit</p>", base_version=dc_page.version.number
        )
        assert saved.version.number == dc_page.version.number + 1
        with pytest.raises(VersionConflict) as info:
            await client.update_page(
                page.id,
                title=page.title,
                storage="<p>stale</p>",
                base_version=dc_page.version.number,
            )
        assert info.value.current == saved.version.number
        old = await client.get_page(page.id, version=dc_page.version.number)
        assert old.version.number == dc_page.version.number and old.storage == dc_page.storage
    assert server.store.get_page(page.id)["body"] == "<p>dc edit</p>"
