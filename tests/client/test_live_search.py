"""CQL search against the local Confluence: hits, highlights, cursor paging, invalid CQL."""

from __future__ import annotations

import pytest

from workbench.confluence.errors import BadQuery

from .helpers import client_for


@pytest.fixture
def server(local_confluence):
    return local_confluence("large:600")


async def test_search_pages_through_all_hits_with_cursors(server):
    async with client_for(server) as client:
        first = await client.search_page("type = page and space = LARGE", limit=100)
        assert first.total_size == 600 and len(first.results) == 100 and first.next_cursor
        before = client.request_count
        ids = [r.id async for r in client.search("type = page and space = LARGE", limit=None)]
        assert client.request_count - before == 6  # 100 per request
    assert len(ids) == 600 and len(set(ids)) == 600


async def test_search_limit_is_a_total(server):
    async with client_for(server) as client:
        results = [r async for r in client.search("type = page", limit=7)]
    assert len(results) == 7


async def test_hits_carry_highlights_and_urls(server):
    async with client_for(server) as client:
        results = [r async for r in client.search('type = page and text ~ "throughput"', limit=3)]
    assert results, "the large seed mentions throughput on every page"
    hit = results[0]
    assert "@@@hl@@@" in hit.excerpt and "@@@" not in hit.plain_excerpt
    assert "throughput" in hit.plain_excerpt.lower()
    assert hit.space_key == "LARGE" and hit.type == "page" and hit.title
    assert hit.url.startswith(server.base_url + "/spaces/LARGE/pages/")


async def test_invalid_cql_is_bad_query_saying_where(server):
    async with client_for(server) as client:
        with pytest.raises(BadQuery) as info:
            await client.search_page('titl "x"')
    err = info.value
    assert (
        err.exit_code == 2 and "Could not parse cql" in err.message and "character" in err.message
    )
