"""The client against the real local Confluence over loopback HTTP: reads, paging, errors."""

from __future__ import annotations

import socket

import httpx
import pytest

from workbench.confluence.client import ConfluenceClient
from workbench.confluence.errors import AuthError, NetworkError, NotFound

from .helpers import client_for


@pytest.fixture
def large(local_confluence):
    return local_confluence("large:600")


async def test_pages_through_600_pages_with_v2_cursors(large):
    async with client_for(large) as client:
        space = await client.space_by_key("LARGE")
        before = client.request_count
        pages = [p async for p in client.space_pages(space.id, depth="all")]
        requests = client.request_count - before
    ids = [p.id for p in pages]
    assert len(ids) == 600 and len(set(ids)) == 600
    assert all(p.space_id == space.id for p in pages)
    assert requests == 3  # 250 + 250 + 100: the next links were followed, not re-guessed
    roots = [p for p in pages if p.parent_id is None]
    assert [r.id for r in roots] == [space.homepage_id]


async def test_root_children_ancestors_and_page(large):
    async with client_for(large) as client:
        space = await client.space_by_key("LARGE")
        roots = [p async for p in client.space_pages(space.id, depth="root")]
        assert [r.id for r in roots] == [space.homepage_id]
        kids = [c async for c in client.children(roots[0].id)]
        assert kids and all(k.parent_id == roots[0].id for k in kids)
        deep = [p async for p in client.space_pages(space.id, depth="all")][-1]
        chain = await client.ancestors(deep.id)
        assert chain[0].id == space.homepage_id and chain[-1].id == deep.parent_id
        assert all(a.title for a in chain)
        before = client.request_count
        page = await client.get_page(deep.id)
        assert client.request_count - before == 1  # one request per page open
        assert page.storage and page.version.number == 1 and page.title == deep.title
        assert page.space_key == "LARGE"  # from the web path: v2 pages do not carry the key
        assert page.url.startswith(large.base_url + "/spaces/LARGE/pages/")
        assert await client.get_space(space.id) == space


async def test_spaces_and_current_user(large):
    async with client_for(large) as client:
        spaces = [s async for s in client.spaces()]
        assert "LARGE" in [s.key for s in spaces]
        me = await client.current_user()
        assert me.account_id == "557058:demo-user"


async def test_missing_page_is_not_found(large):
    async with client_for(large) as client:
        with pytest.raises(NotFound) as info:
            await client.get_page("999999999")
    assert info.value.exit_code == 5 and "999999999" in info.value.message


async def test_wrong_credentials_is_auth_error_without_the_secret(large):
    async with client_for(large, auth=("demo@example.com", "not-the-token-s3cret")) as client:
        with pytest.raises(AuthError) as info:
            async for _ in client.spaces():
                pass
    assert info.value.exit_code == 4
    assert "s3cret" not in info.value.message and "workbench login" in info.value.message
    assert "s3cret" not in repr(client)


async def test_unreachable_host_is_network_error_naming_the_host():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # nothing listens on that port now
    client = ConfluenceClient(
        f"http://127.0.0.1:{port}/wiki",
        auth=httpx.BasicAuth("a", "b"),
        backoff_base=0,
        max_attempts=2,
    )
    async with client:
        with pytest.raises(NetworkError) as info:
            await client.get_page("1")
        assert client.request_count == 2  # connection errors on reads are retried, boundedly
    assert "127.0.0.1" in info.value.message
