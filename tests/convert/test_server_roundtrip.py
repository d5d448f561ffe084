"""The converter against the real local Confluence over loopback HTTP: every demo page reads and saves
back unchanged, and a one-word edit saved through the page service changes that word only."""

from __future__ import annotations

import httpx

from tests.convert.helpers import CORPUS, read
from workbench.confluence.client import ConfluenceClient
from workbench.convert import markdown_to_storage, storage_to_markdown
from workbench.services.edit_session import EditSession
from workbench.services.pages import open_page


def _client(server) -> ConfluenceClient:
    return ConfluenceClient(
        server.base_url, auth=httpx.BasicAuth("demo@example.com", "demo-token"), timeout=10.0
    )


async def test_demo_pages_round_trip_and_a_saved_word_edit_stays_local(demo_server):
    async with _client(demo_server) as client:
        pages = []
        async for space in client.spaces():
            async for summary in client.space_pages(space.id, depth="all"):
                pages.append(summary)
        assert len(pages) >= 10
        for summary in pages:
            opened = await open_page(client, summary.id)
            storage = opened.page.storage or ""
            assert markdown_to_storage(opened.markdown, base=storage, fast=False) == storage

        catalogue = next(p for p in pages if p.title == "Service catalogue")
        opened = await open_page(client, catalogue.id)
        before = opened.page.storage or ""
        assert "handles the api side" in opened.markdown
        edited = opened.markdown.replace("handles the api side", "owns the api side", 1)
        saved = await EditSession(client, opened, text=edited).save()
        assert saved.opened.page.version.number == opened.base_version + 1
        after = (await client.get_page(catalogue.id)).storage
        assert after == before.replace("handles the api side", "owns the api side", 1)


async def test_a_corpus_page_saved_through_the_server_keeps_every_byte(demo_server):
    storage = read(CORPUS / "cmroundtrip__cloud_test_page.xml")
    async with _client(demo_server) as client:
        space = [s async for s in client.spaces()][0]
        page = await client.create_page(space_id=space.id, title="Round trip", storage=storage)
        opened = await open_page(client, page.id)
        assert opened.markdown == storage_to_markdown(storage)
        edited = opened.markdown.replace("More text and text", "More words and text")
        await EditSession(client, opened, text=edited).save()
        after = (await client.get_page(page.id)).storage
        assert after == storage.replace("More text and text", "More words and text")
