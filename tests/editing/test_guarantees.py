"""The editing session's guarantees, each checked for all three callers (TUI through Pilot, the
agent's apply, ``workbench push``) against the local Confluence over loopback HTTP.

What happens between "open" and "save" is done to the server directly (another person's save, the
trash, an inline comment through the real ``POST /inline-comments``), as it would happen on a site.
"""

from __future__ import annotations

import httpx
import pytest

from .callers import CALLERS, caller

INFO = (
    '<ac:structured-macro ac:name="info" ac:schema-version="1" ac:macro-id="b1-info-1">'
    "<ac:rich-text-body><p>Ask in #ops first.</p></ac:rich-text-body></ac:structured-macro>"
)
BODY = (
    "<p>Deploys happen on Tuesdays after the stand-up.</p>"
    + INFO
    + "<p>Roll back with the previous release tag if the error rate climbs.</p>"
)
AUTH = ("demo@example.com", "demo-token")


@pytest.fixture
def page(demo_server):
    space = demo_server.store.space_by_key("ENG")
    parent = demo_server.store.query_one("SELECT id FROM pages WHERE title = 'Runbooks'")["id"]
    row = demo_server.store.create_page(space["id"], "Release day", BODY, parent_id=parent)
    return str(row["id"])


@pytest.fixture
def use(demo_server, page, tmp_path, capsys, monkeypatch):
    def make(name):
        return caller(name, demo_server, page, tmp_path, capsys=capsys, monkeypatch=monkeypatch)

    return make


def _row(server, page_id):
    return server.store.get_page(page_id, trashed=True)


def _inline_comment(server, page_id: str, selection: str) -> dict:
    with httpx.Client(base_url=server.origin, auth=AUTH, timeout=10) as http:
        made = http.post(
            "/wiki/api/v2/inline-comments",
            json={
                "pageId": page_id,
                "body": {"representation": "storage", "value": "<p>Which tag?</p>"},
                "inlineCommentProperties": {
                    "textSelection": selection,
                    "textSelectionMatchCount": 1,
                    "textSelectionMatchIndex": 0,
                },
            },
        )
        assert made.status_code == 201, made.text
        return made.json()


def _resolution(server, comment_id: str) -> str:
    with httpx.Client(base_url=server.origin, auth=AUTH, timeout=10) as http:
        return http.get(f"/wiki/api/v2/inline-comments/{comment_id}").json()["resolutionStatus"]


# -- a save is verified, and costs at most two requests -----------------------------------------------
@pytest.mark.parametrize("name", CALLERS)
async def test_a_save_lands_as_base_plus_one_in_at_most_two_requests(use, demo_server, page, name):
    async with use(name) as c:
        await c.open()
        await c.change("on Tuesdays", "on Wednesdays")
        result = await c.save()
    assert result.kind == "saved", result.shown
    row = _row(demo_server, page)
    assert (
        row["version"] == 2 and "on Wednesdays" in row["body"] and row["body"].endswith(BODY[-60:])
    )
    assert INFO in row["body"]  # the macro byte for byte
    assert result.requests <= 2 and result.writes == 1, result


# -- nothing to save, nothing sent -----------------------------------------------------------------------
@pytest.mark.parametrize("name", CALLERS)
async def test_nothing_to_save_sends_nothing(use, demo_server, page, name):
    async with use(name) as c:
        await c.open()
        result = await c.save()
    assert result.kind == "nothing", result.shown
    assert "nothing" in result.shown.lower()
    assert result.writes == 0 and _row(demo_server, page)["version"] == 1
    if name != "push":  # push reads the page to compare the file with it; the others know the base
        assert result.requests == 0


# -- a page trashed or deleted since it was opened --------------------------------------------------------
@pytest.mark.parametrize("name", CALLERS)
async def test_saving_onto_a_trashed_page_says_so_and_writes_nothing(use, demo_server, page, name):
    async with use(name) as c:
        await c.open()
        await c.change("on Tuesdays", "on Fridays")
        demo_server.store.delete_page(page)  # to the trash, as DELETE /pages/{id} does
        result = await c.save()
        assert result.kind == "trashed", result.shown
        assert "trash" in result.shown and result.writes == 0
        row = _row(demo_server, page)
        assert (
            row["status"] == "trashed" and row["version"] == 1
        )  # not taken out of the trash without the edit
        assert c.text_kept("on Fridays")
        if name == "tui":  # the remedies are offered; r restores it and saves on top
            assert result.extra["keys"] == ["r", "n", "f"]
            await c.pilot.press("r")
            from tests.tui.helpers import settle

            await settle(c.app, c.pilot)
        elif name == "push":
            result = await c.save(restore=True)
            assert result.kind == "saved", result.shown
    if name in ("tui", "push"):
        row = _row(demo_server, page)
        assert row["status"] == "current" and row["version"] == 2 and "on Fridays" in row["body"]


@pytest.mark.parametrize("name", CALLERS)
async def test_saving_onto_a_deleted_page_says_so_and_keeps_the_text(use, demo_server, page, name):
    async with use(name) as c:
        await c.open()
        await c.change("on Tuesdays", "on Mondays")
        demo_server.store.delete_page(page)
        demo_server.store.delete_page(page, purge=True)  # gone for good
        result = await c.save()
        assert (
            result.kind in ("deleted", "error") if name == "push" else result.kind == "deleted"
        ), result.shown
        assert result.writes == 0 and c.text_kept("on Mondays")
        assert "retry" not in result.shown and "try again" not in result.shown
        if name == "tui":  # n: save the text as a new page under the same parent
            from tests.tui.helpers import settle

            assert result.extra["keys"] == ["n", "f"]
            await c.pilot.press("n")
            await c.pilot.pause()
            assert c.app.screen.id == "new-page-title"
            await c.pilot.press("enter")
            await settle(c.app, c.pilot)
            made = demo_server.store.query_one(
                "SELECT id, parent_id, body FROM pages WHERE title = 'Release day'"
                " AND status = 'current'"
            )
            assert made is not None and "on Mondays" in made["body"] and INFO in made["body"]
            runbooks = demo_server.store.query_one("SELECT id FROM pages WHERE title = 'Runbooks'")[
                "id"
            ]
            assert made["parent_id"] == runbooks


# -- inline comments survive ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", CALLERS)
async def test_an_inline_comment_added_since_opening_stays_anchored(use, demo_server, page, name):
    async with use(name) as c:
        await c.open()
        await c.change("on Tuesdays", "on Thursdays")
        comment = _inline_comment(demo_server, page, "previous release tag")  # no new version
        assert _row(demo_server, page)["version"] == 1
        result = await c.save()
    assert result.kind == "saved", result.shown
    body = _row(demo_server, page)["body"]
    ref = comment["properties"]["inlineMarkerRef"]
    assert (
        f'<ac:inline-comment-marker ac:ref="{ref}">previous release tag</ac:inline-comment-marker>'
        in body
    )
    assert "on Thursdays" in body and INFO in body
    assert _resolution(demo_server, comment["id"]) == "open"  # not dangling
    assert result.requests <= 2, result


@pytest.mark.parametrize("name", CALLERS)
async def test_an_inline_comment_on_the_edited_sentence_follows_its_words(
    use, demo_server, page, name
):
    async with use(name) as c:
        await c.open()
        comment = _inline_comment(demo_server, page, "stand-up")
        await c.change("on Tuesdays", "on Thursdays")
        result = await c.save()
    assert result.kind == "saved", result.shown
    body = _row(demo_server, page)["body"]
    assert (
        "on Thursdays after the " in body
        and f'ac:ref="{comment["properties"]["inlineMarkerRef"]}">stand-up<' in body
    )
    assert _resolution(demo_server, comment["id"]) == "open"


# -- other writers: a concurrent save becomes a merge, never an overwrite -----------------------------------
@pytest.mark.parametrize("name", CALLERS)
async def test_a_concurrent_save_is_merged_not_overwritten(use, demo_server, page, name):
    async with use(name) as c:
        await c.open()
        await c.change("on Tuesdays", "on Thursdays")
        demo_server.store.update_page(page, BODY.replace("previous release tag", "last good tag"))
        result = await c.save()
    assert result.kind == "merge", result.shown
    row = _row(demo_server, page)
    assert (
        row["version"] == 2 and "last good tag" in row["body"] and "on Thursdays" not in row["body"]
    )
    assert result.writes == 0


# -- version messages and minor edits ------------------------------------------------------------------------
@pytest.mark.parametrize("name", CALLERS)
async def test_a_save_carries_a_version_message_and_a_minor_edit(use, demo_server, page, name):
    minor = name != "agent"  # the agent's writes always notify watchers
    async with use(name) as c:
        await c.open()
        await c.change("on Tuesdays", "on Wednesdays")
        result = await c.save(message="Moved release day", minor=minor)
    assert result.kind == "saved", result.shown
    version = demo_server.store.query_one(
        "SELECT message, minor_edit FROM page_versions WHERE page_id = ? AND number = 2", (page,)
    )
    assert "Moved release day" in version["message"]
    assert bool(version["minor_edit"]) is minor


# -- errors that retrying cannot fix do not say "retry" -------------------------------------------------------
@pytest.mark.parametrize("name", CALLERS)
async def test_a_refused_save_never_says_retry(use, demo_server, page, name):
    async with use(name) as c:
        await c.open()
        await c.change(
            "Roll back with", "Roll back with " + "x" * 6_000_000
        )  # over Confluence's 5 MB
        result = await c.save()
    assert result.kind == "error" and (
        "5 MB" in result.shown or "too large" in result.shown.lower()
    ), result.shown
    assert "retry" not in result.shown.lower() and "try again" not in result.shown.lower()
    assert _row(demo_server, page)["version"] == 1
