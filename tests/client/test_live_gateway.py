"""The OAuth gateway URL form and Bearer tokens against the local Confluence.

The trap: v2 ``next`` links start with ``/wiki/api/v2/…`` and must be appended to
``…/ex/confluence/{cloudId}``, not to the server's origin. The local server also answers on the
origin, so the test records every URL the client requested and checks they all went through the
gateway prefix.
"""

from __future__ import annotations

import httpx

from workbench.auth.connect import BearerAuth
from workbench.confluence.client import ConfluenceClient


class Recording(httpx.AsyncBaseTransport):
    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.urls: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(str(request.url))
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_paging_through_the_gateway_keeps_the_gateway_prefix(local_confluence):
    server = local_confluence("large:600")
    cloud_id = server.state.cloud_id
    recording = Recording()
    gateway = f"{server.origin}/ex/confluence/{cloud_id}"  # no /wiki: the client adds it
    client = ConfluenceClient(
        gateway, auth=BearerAuth("demo-token"), transport=recording, backoff_base=0
    )
    async with client:
        space = await client.space_by_key("LARGE")
        pages = [p async for p in client.space_pages(space.id, depth="all")]
        page = await client.get_page(pages[-1].id)
    assert len(pages) == 600 and page.storage
    assert len(recording.urls) == 5  # space lookup, 3 list pages, 1 page
    prefix = f"{gateway}/wiki/api/v2/"
    assert all(url.startswith(prefix) for url in recording.urls), recording.urls
    assert sum("cursor=" in url for url in recording.urls) == 2
    assert "demo-token" not in repr(client) and "demo-token" not in repr(BearerAuth("demo-token"))


async def test_personal_access_token_on_the_data_center_flavour(local_confluence):
    server = local_confluence("large:10", flavour="dc", context_path="/confluence")
    recording = Recording()
    client = ConfluenceClient(
        server.base_url, auth=BearerAuth("demo-token"), kind="dc", transport=recording
    )
    async with client:
        page_id = str(server.store.query_one("SELECT id FROM pages ORDER BY id DESC LIMIT 1")["id"])
        page = await client.get_page(page_id)
        me = await client.current_user()
    assert page.id == page_id and page.space_key == "LARGE" and page.storage
    assert me.account_id == "557058:demo-user"
    assert all(url.startswith(server.base_url + "/rest/api/") for url in recording.urls)


async def test_links_through_the_gateway_point_at_the_site(local_confluence):
    """Every link shown, copied or opened is the site's web address (``_links.base`` + ``webui``), never
    the API gateway's (interop report D7): search hits, pages from lists, single pages, spaces."""
    server = local_confluence("demo")
    gateway = f"{server.origin}/ex/confluence/{server.state.cloud_id}"
    site = (
        f"{server.origin}/wiki"  # what the emulator's _links.base names, as Cloud's names the site
    )
    async with ConfluenceClient(gateway, auth=BearerAuth("demo-token"), backoff_base=0) as client:
        assert client.urls.web_base == gateway + "/wiki"  # not known yet: nothing has answered
        hits = [h async for h in client.search("type = page and space = ENG", limit=5)]
        space = await client.space_by_key("ENG")
        found = await client.find_page(space.id, hits[0].plain_title)
        page = await client.get_page(hits[0].id)
    assert hits and all(h.url.startswith(site + "/spaces/ENG/pages/") for h in hits)
    assert found is not None and found.url.startswith(site + "/spaces/")
    assert (
        page.url.startswith(site + "/spaces/")
        and client.urls.web(space.webui) == f"{site}/spaces/ENG"
    )


async def test_a_profiles_site_url_is_used_before_anything_answers(local_confluence):
    server = local_confluence("demo")
    gateway = f"{server.origin}/ex/confluence/{server.state.cloud_id}"
    async with ConfluenceClient(
        gateway,
        auth=BearerAuth("demo-token"),
        site_url="https://acme.atlassian.net/wiki/",
        backoff_base=0,
    ) as client:
        assert client.urls.web("/spaces/ENG") == "https://acme.atlassian.net/wiki/spaces/ENG"
        hits = [h async for h in client.search("type = page", limit=1)]
    assert hits[0].url.startswith("https://acme.atlassian.net/wiki/spaces/")  # the given site stays
