"""The user directory shared per client lets the client go: a memory leak of every client (and,
through its wait callback, of every TUI that made one) — about 5 MB per app, 1.3 GB in a test run."""

from __future__ import annotations

import gc
import weakref

from tests.conftest import DEMO_TOKEN, DEMO_USER
from workbench.confluence.client import ConfluenceClient
from workbench.services.users import UserDirectory

PRIYA = "557058:6f1c2a9e-3b7d-4c1e-9a55-2d8e4f0b7c31"  # Priya Raman, of the demo's people


async def test_the_shared_directory_asks_through_its_client_and_lets_it_go(demo_server):
    client = ConfluenceClient(demo_server.base_url, auth=(DEMO_USER, DEMO_TOKEN))
    async with client:
        directory = UserDirectory.for_client(client)
        assert UserDirectory.for_client(client) is directory  # one per client, shared
        await directory.learn([PRIYA])
        assert directory.name_of(PRIYA) == "Priya Raman"
        assert client.request_count == 1
    gone = weakref.ref(client)
    del client
    gc.collect()
    assert gone() is None, "the client outlived everything that used it"
    await directory.learn(["557058:someone-else"])  # its client gone: nothing to ask, no error
    assert directory.name_of(PRIYA) == "Priya Raman"
