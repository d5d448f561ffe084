"""Mentions by name through the real local Confluence: open, edit, save, merge, with the same ids after."""

from __future__ import annotations

import httpx
import pytest

from workbench.confluence.client import ConfluenceClient
from workbench.services import save_outcome as so
from workbench.services.edit_session import EditSession
from workbench.services.pages import open_page, to_storage, with_names
from workbench.services.users import UserDirectory
from workbench.services.workspace import Workspace

PRIYA = "557058:6f1c2a9e-3b7d-4c1e-9a55-2d8e4f0b7c31"  # demo users (every seed has them)
MARCUS = "712020:0b9d8e2c-47a1-4f3e-b6c2-91e5d7a4f208"
DEMO = "557058:demo-user"
OTHER_PRIYA = "557058:0000aaaa-second-priya"  # added below: a second person called Priya Raman
GHOST = "557058:deleted-account"  # nobody: the server has no user with this id

INFO = (
    '<ac:structured-macro ac:name="info" ac:schema-version="1" ac:macro-id="m-1">'
    "<ac:rich-text-body><p>Owned by the platform team.</p></ac:rich-text-body></ac:structured-macro>"
)


def mention(account_id: str) -> str:
    return f'<ac:link><ri:user ri:account-id="{account_id}" /></ac:link>'


BODY = (
    "<h1>Rota</h1>"
    f"<p>Lead: {mention(PRIYA)} (ask first).</p>"
    + INFO
    + f"<p>Backup: {mention(MARCUS)}, then {mention(GHOST)}.</p>"
    "<p>Handover happens on Mondays.</p>"
    "<p>Escalate after 30 minutes.</p>"
)
TWINS = f"<p>Pair: {mention(PRIYA)} and {mention(OTHER_PRIYA)}.</p><p>Rotate weekly.</p>"


@pytest.fixture
def server(local_confluence):
    server = local_confluence("empty")
    server.store.add_user(OTHER_PRIYA, "Priya Raman", "priya.two@example.com")
    space = server.store.create_space("OPS", "Operations")
    server.rota = str(server.store.create_page(space["id"], "Rota", BODY)["id"])
    server.twins = str(server.store.create_page(space["id"], "Twins", TWINS)["id"])
    return server


@pytest.fixture
async def client(server):
    async with ConfluenceClient(
        server.base_url, auth=httpx.BasicAuth("demo@example.com", "demo-token")
    ) as c:
        yield c


def body(server, page_id: str) -> str:
    return server.store.get_page(page_id)["body"]


async def test_open_is_one_request_and_names_are_a_pure_rerender(server, client):
    directory = UserDirectory(client)
    before = client.request_count
    first = await open_page(client, server.rota, directory=directory)
    assert client.request_count - before == 1  # the page GET only: names are not waited for
    assert f"⟦@{PRIYA}⟧" in first.markdown and first.users == {}

    await directory.learn([PRIYA, MARCUS, GHOST])
    await directory.learn([PRIYA, MARCUS, GHOST])  # remembered, including the id nobody has
    assert client.request_count - before == 2
    named = with_names(first, directory.names)
    assert named.page is first.page
    assert "Lead: ⟦@Priya Raman⟧ (ask first)." in named.markdown
    assert "⟦@Marcus Oyelaran⟧, then ⟦@557058:deleted-account⟧" in named.markdown
    assert with_names(named, directory.names) is named

    again = await open_page(
        client, server.rota, directory=directory
    )  # names cached: still one request
    assert client.request_count - before == 3 and again.markdown == named.markdown


async def test_unchanged_markdown_with_names_saves_the_same_storage(server, client):
    opened = await open_page(client, server.rota, directory=UserDirectory(client), learn=True)
    assert "⟦@Priya Raman⟧" in opened.markdown
    assert to_storage(opened, opened.markdown).storage == BODY  # names convert back to the same ids
    before = client.request_count
    outcome = await EditSession(client, opened).save()
    assert (
        isinstance(outcome, so.NothingToSave) and client.request_count == before
    )  # and nothing is sent
    edited = opened.markdown.replace("(ask first)", "(ask first, please)")
    outcome = await EditSession(client, opened, text=edited).save()
    assert (
        isinstance(outcome, so.Saved) and client.request_count - before == 2
    )  # a look, then the PUT
    assert body(server, server.rota) == BODY.replace("(ask first)", "(ask first, please)")
    assert outcome.version == opened.base_version + 1


async def test_edit_beside_a_concurrent_edit_keeps_every_mention(server, client):
    opened = await open_page(
        client, server.rota, directory=UserDirectory.for_client(client), learn=True
    )
    mine = opened.markdown.replace("Handover happens on Mondays.", "Handover happens on Tuesdays.")
    # Someone else edits another paragraph and adds a mention of a person not on the page yet.
    theirs_body = BODY.replace(
        "<p>Escalate after 30 minutes.</p>", f"<p>Escalate to {mention(DEMO)}.</p>"
    )
    server.store.update_page(server.rota, theirs_body)
    session = EditSession(client, opened, text=mine, directory=UserDirectory.for_client(client))
    outcome = await session.save()
    assert isinstance(outcome, so.NeedsMerge)
    conflict = outcome.conflict
    assert conflict.merge.clean
    assert "Escalate to ⟦@Demo User⟧." in conflict.theirs.markdown  # named, like the rest
    assert conflict.theirs.users[PRIYA] == "Priya Raman"
    saved = await session.save()  # the merge, on top of theirs
    assert isinstance(saved, so.Saved) and saved.version == opened.base_version + 2
    assert body(server, server.rota) == theirs_body.replace("on Mondays", "on Tuesdays")


async def test_a_typed_mention_of_a_known_person_becomes_real(server, client):
    directory = UserDirectory(client)
    opened = await open_page(client, server.rota, directory=directory, learn=True)
    await directory.learn([DEMO])  # e.g. the current user, known to the TUI
    mine = opened.markdown.replace(
        "Escalate after 30 minutes.", "Escalate to ⟦@Demo User⟧, not ⟦@Nobody Known⟧."
    )
    saved = (await EditSession(client, opened, text=mine, known=directory.names).save()).opened
    assert "Escalate to ⟦@Demo User⟧, not @Nobody Known." in saved.markdown
    expected = BODY.replace(
        "<p>Escalate after 30 minutes.</p>",
        f'<p>Escalate to <ac:link><ri:user ri:account-id="{DEMO}" /></ac:link>, not @Nobody Known.</p>',
    )
    assert body(server, server.rota) == expected


async def test_two_people_with_one_name_stay_apart(server, client):
    directory = UserDirectory(client)
    opened = await open_page(client, server.twins, directory=directory, learn=True)
    assert opened.markdown.startswith(f"Pair: ⟦@{PRIYA}⟧ and ⟦@{OTHER_PRIYA}⟧.")
    mine = opened.markdown.replace("Rotate weekly.", "Rotate weekly with ⟦@Priya Raman⟧.")
    saved = (
        await EditSession(client, opened, text=mine, known=directory.names).save()
    ).opened  # both known
    assert saved.users == {} and saved.markdown.startswith(
        f"Pair: ⟦@{PRIYA}⟧ and ⟦@{OTHER_PRIYA}⟧."
    )
    stored = body(server, server.twins)
    assert stored.startswith(TWINS.split("<p>Rotate")[0])  # both ids untouched
    assert stored.endswith(
        "<p>Rotate weekly with @Priya Raman.</p>"
    )  # the ambiguous name is not guessed


async def test_workspace_shows_names_after_extras_and_saves_ids(server, client, tmp_path):
    ws = Workspace.create(
        client, "site", "Local", cache_dir=tmp_path / "c", data_dir=tmp_path / "d"
    )
    before = client.request_count
    opened = await ws.open(server.rota)
    assert client.request_count - before == 1 and f"⟦@{PRIYA}⟧" in opened.markdown
    server.requests.clear()
    extras = await ws.extras(
        opened
    )  # ancestors, labels, comments, ONE users call for authors + mentions
    assert len(server.requests.entries(method="POST", path_prefix="/wiki/api/v2/users-bulk")) == 1
    assert extras.editor_name  # the author's name came with the same call
    named = ws.with_names(opened)
    assert "⟦@Priya Raman⟧" in named.markdown and named.users == {
        PRIYA: "Priya Raman",
        MARCUS: "Marcus Oyelaran",
    }
    assert ws.directory is UserDirectory.for_client(client)  # one cache per client

    before = client.request_count
    reopened = await ws.open(server.rota)  # now named at once, still one request
    assert client.request_count - before == 1 and reopened.markdown == named.markdown
    saved = (
        await ws.edit(named, named.markdown.replace("(ask first)", "(ask her first)")).save()
    ).opened
    assert body(server, server.rota) == BODY.replace("(ask first)", "(ask her first)")
    assert saved.users == named.users


async def test_a_draft_on_an_older_version_and_the_history_diff_use_one_mapping(
    server, client, tmp_path
):
    ws = Workspace.create(
        client, "site", "Local", cache_dir=tmp_path / "c", data_dir=tmp_path / "d"
    )
    await ws.directory.learn([PRIYA, MARCUS, GHOST])
    old = await ws.open(server.rota)
    draft = old.markdown.replace("Handover happens on Mondays.", "Handover happens on Fridays.")
    newer = BODY.replace(
        "<p>Escalate after 30 minutes.</p>", f"<p>Escalate to {mention(DEMO)}.</p>"
    )
    server.store.update_page(server.rota, newer)
    current = ws.with_names(await ws.open(server.rota))
    session = ws.edit(current)
    merge = await session.resume(ws.drafts.save(server.rota, old.base_version, "Rota", draft))
    conflict = merge.conflict
    assert (
        conflict.base.users == current.users and conflict.merge.clean
    )  # names only: no false conflict
    assert isinstance(await session.save(), so.Saved)
    assert body(server, server.rota) == newer.replace("on Mondays", "on Fridays")

    diff = "".join(await ws.version_diff(server.rota, 1, 2))
    assert "-Escalate after 30 minutes." in diff and "+Escalate to ⟦@Demo User⟧." in diff
    assert "Priya" not in diff  # the unchanged mention lines are the same on both sides


async def test_a_page_with_a_draft_waits_for_the_names(server, client, tmp_path):
    ws = Workspace.create(
        client, "site", "Local", cache_dir=tmp_path / "c", data_dir=tmp_path / "d"
    )
    ws.drafts.save(server.rota, 1, "Rota", "Lead: ⟦@Priya Raman⟧ (ask first).\n")
    before = client.request_count
    opened = await ws.open(server.rota)
    assert client.request_count - before == 2  # the page, then the names the draft is written with
    assert "Lead: ⟦@Priya Raman⟧ (ask first)." in opened.markdown
