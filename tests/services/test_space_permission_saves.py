"""A save refused by the space's permissions says so, over loopback against the local Confluence that
enforces them (``workbench.emulator.space_access``): Priya may read the PROD space but not edit in it.
Cloud's v2 update answers 404 ("the user does not have the needed permissions", ``updatePage``), a
minor edit's v1 update 403 (``updateContent``); either way the save reads the page again, finds it
there, and says she may read it but not edit it — not that it was deleted. Nothing is written, the
text is kept, trying again is not offered."""

from __future__ import annotations

import httpx
import pytest

from workbench.confluence.client import ConfluenceClient
from workbench.emulator.seed_people import PRIYA
from workbench.services import save_outcome as so
from workbench.services.edit_session import EditSession
from workbench.services.pages import open_page


@pytest.fixture
def server(local_confluence):
    running = local_confluence("demo")
    running.state.auth_gate.credentials["priya.raman@example.com"] = ("priya-token", PRIYA)
    return running


def prod_page(server) -> str:
    row = server.store.query_one(
        "SELECT p.id FROM pages p JOIN spaces s ON s.id = p.space_id "
        "WHERE s.key = 'PROD' AND p.type = 'page' AND p.status = 'current' ORDER BY p.id LIMIT 1"
    )
    return str(row["id"])


@pytest.mark.parametrize("minor", [False, True], ids=["v2 update 404", "v1 minor edit 403"])
async def test_a_save_the_space_does_not_allow_says_so_and_keeps_the_text(server, minor):
    page = prod_page(server)
    before = server.store.get_page(page)
    auth = httpx.BasicAuth("priya.raman@example.com", "priya-token")
    async with ConfluenceClient(server.base_url, auth=auth, max_wait=1.0) as client:
        opened = await open_page(client, page)
        mine = opened.markdown + "\nPriya's addition.\n"
        outcome = await EditSession(client, opened, text=mine).save(minor_edit=minor)
    assert isinstance(outcome, so.Failed), outcome
    assert outcome.message.startswith(
        f"Not saved: you may read “{opened.page.title}” but not edit it"
    ), outcome.message
    assert "permission to edit pages in this space" in outcome.message
    assert "deleted" not in outcome.message and "Your text is kept." in outcome.message
    assert not outcome.retryable and outcome.draft_kept
    after = server.store.get_page(page)
    assert (after["version"], after["body"]) == (before["version"], before["body"])
