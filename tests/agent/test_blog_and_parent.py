"""Two things the agent said that were not true, made true (engineer c2's open points):

- ``propose_page`` with ``parent_id: null`` was described as "the space root", but Cloud's v2 create
  without ``parentId`` puts the page under the space homepage, and Data Center's v1 create
  without ``ancestors`` has no such rule. Now null means *under the space's homepage*, said in the
  proposal and sent as the parent, so the page lands in the same place on both (and at the top of
  a space that has no homepage, said as such).
- The agent could not read a blog post: ``get_page`` asked ``/pages/{id}`` only. The blog post
  the person has open (CLI or panel) is now read as one, a blog post's id found some other way is
  tried as one after the 404, and edits, comments and labels on it go to the blog-post endpoints.

Everything runs against the local Confluence over HTTP (Cloud and Data Center), with the scripted
model.
"""

from __future__ import annotations

import httpx

from workbench.agent.apply import WRITTEN, apply_proposal
from workbench.agent.audit import AuditLog
from workbench.agent.fences import Fence
from workbench.agent.proposals import ACCEPTED
from workbench.agent.toolkit import Toolkit
from workbench.cli import main

from .helpers import call, last_tool_result, version_in
from .test_cli_agent import _use_model
from .test_panel import _app, _ask, _status, _transcript

BLOG = "<p>We moved the build to the new runners this week.</p><p>Builds take four minutes now.</p>"


def _kit(client, tmp_path) -> Toolkit:
    return Toolkit(client, Fence.build("propose", ()), AuditLog(tmp_path / "audit.jsonl"))


def _blog(site) -> str:
    return str(site.store.create_page(int(site.eng_id), "Build news", BLOG, kind="blogpost")["id"])


# -- a null parent -------------------------------------------------------------------------
async def test_a_null_parent_is_the_space_homepage_named_in_the_proposal_and_written_there(
    site, client, tmp_path
):
    kit = _kit(client, tmp_path)
    result = await kit.call(
        "propose_page",
        {"space_key": "ENG", "parent_id": None, "title": "Release notes", "markdown": "Notes."},
    )
    assert result.ok, result.text
    proposal = result.proposal
    assert proposal.parent_id == site.home_id
    assert (
        proposal.target
        == f"new page 'Release notes' in space ENG, under {site.home_id} 'Engineering'"
    )
    assert "under " + site.home_id in result.text  # the model is told where it goes, too
    proposal.set_all(ACCEPTED)
    applied = await apply_proposal(client, proposal, kit.fence, kit.audit)
    assert applied.status == WRITTEN
    assert str(site.store.get_page(applied.written.id)["parent_id"]) == site.home_id


async def test_a_null_parent_lands_under_the_homepage_on_data_center_too(
    local_confluence, tmp_path
):
    from workbench.confluence.client import ConfluenceClient

    server = local_confluence("empty", flavour="dc", context_path="/confluence")
    space = server.store.create_space("OPS", "Operations")
    async with ConfluenceClient(
        server.base_url, auth=httpx.BasicAuth("demo", "demo-password"), kind="dc"
    ) as client:
        kit = _kit(client, tmp_path)
        result = await kit.call(
            "propose_page",
            {
                "space_key": "OPS",
                "parent_id": None,
                "title": "On call",
                "markdown": "Who is on call.",
            },
        )
        assert result.ok, result.text
        assert result.proposal.parent_id == str(space["homepage_id"])
        result.proposal.set_all(ACCEPTED)
        applied = await apply_proposal(client, result.proposal, kit.fence, kit.audit)
    # v1 create with ancestors = [homepage]: not beside the homepage at the top level
    assert applied.status == WRITTEN
    assert server.store.get_page(applied.written.id)["parent_id"] == space["homepage_id"]


async def test_a_space_without_a_homepage_gets_the_page_at_its_top_said_so(site, client, tmp_path):
    site.store.db.execute("UPDATE spaces SET homepage_id = NULL WHERE id = ?", (int(site.eng_id),))
    kit = _kit(client, tmp_path)
    result = await kit.call(
        "propose_page",
        {"space_key": "ENG", "parent_id": None, "title": "Loose page", "markdown": "x"},
    )
    assert result.ok, result.text
    assert result.proposal.parent_id is None
    assert result.proposal.target == "new page 'Loose page' in space ENG, at the top of the space"
    result.proposal.set_all(ACCEPTED)
    applied = await apply_proposal(client, result.proposal, kit.fence, kit.audit)
    assert (
        applied.status == WRITTEN and site.store.get_page(applied.written.id)["parent_id"] is None
    )


def test_the_tool_description_says_where_a_null_parent_goes():
    from workbench.agent.tool_specs import TOOL_SPECS

    text = TOOL_SPECS["propose_page"]["parameters"]["properties"]["parent_id"]["description"]
    assert (
        text == "Parent page id (a real page in that space), or null: under the space's homepage."
    )
    assert "root" not in text


# -- blog posts ----------------------------------------------------------------------------
async def test_a_blog_post_id_is_read_as_a_blog_post_and_its_world_too(site, client, tmp_path):
    blog = _blog(site)
    site.store.add_labels(blog, [("global", "news")])
    site.store.add_comment("<p>Nice, and the cache?</p>", page_id=blog)
    kit = _kit(client, tmp_path)
    page = await kit.call("get_page", {"page_id": blog})
    assert page.ok, page.text
    assert page.text.startswith(f'blog post {blog} "Build news" | space ENG | version 1')
    assert "a blog post in the space's blog: no parent, no children" in page.text
    assert "labels: news" in page.text and "Builds take four minutes now." in page.text
    assert kit.kinds[blog] == "blogpost"
    comments = await kit.call("get_comments", {"page_id": blog})
    assert comments.ok and "Nice, and the cache?" in comments.text
    history = await kit.call("get_history", {"page_id": blog})
    assert history.ok and history.text.startswith(f'blog post {blog} "Build news"')
    site.store.update_page(blog, "<p>Builds take three minutes now.</p>", message="faster")
    diff = await kit.call("get_history", {"page_id": blog, "from_version": 1})
    assert diff.ok and diff.text.startswith(
        f'blog post {blog} "Build news" | space ENG | version 1'
    )
    tree = await kit.call("get_page_tree", {"page_id": blog})
    assert tree.text.startswith(
        f"error: {blog} is a blog post: blog posts are outside the page tree"
    )
    missing = await kit.call(
        "get_page", {"page_id": "99999999"}
    )  # neither kind: the page's 404 is said
    assert missing.text.startswith("error: Page 99999999 was not found")


async def test_edits_comments_and_labels_on_a_blog_post_go_to_the_blog_post(site, client, tmp_path):
    blog = _blog(site)
    kit = _kit(client, tmp_path)
    edit = await kit.call(
        "propose_edit",
        {
            "page_id": blog,
            "base_version": 1,
            "summary": "faster",
            "edits": [{"old": "four minutes", "new": "three minutes"}],
        },
    )
    comment = await kit.call(
        "propose_comment", {"page_id": blog, "markdown": "Measured on the new runners."}
    )
    labels = await kit.call("propose_labels", {"page_id": blog, "add": ["ci"]})
    assert edit.ok and comment.ok and labels.ok, (edit.text, comment.text, labels.text)
    assert edit.proposal.target == f"blog post {blog} 'Build news' (ENG), base version 1"
    assert comment.proposal.target == f"comment on blog post {blog} 'Build news' (ENG)"
    for result in (edit, comment, labels):
        result.proposal.set_all(ACCEPTED)
        applied = await apply_proposal(client, result.proposal, kit.fence, kit.audit)
        assert applied.status == WRITTEN, applied.message
    row = site.store.get_page(blog)
    assert row["type"] == "blogpost" and row["version"] == 2 and "three minutes" in row["body"]
    assert [c["body"] for c in site.store.comments(blog)] == ["<p>Measured on the new runners.</p>"]
    assert [r["name"] for r in site.store.labels(blog)] == ["ci"]


async def test_a_blog_post_on_data_center_is_read_and_edited(local_confluence, tmp_path):
    from workbench.confluence.client import ConfluenceClient

    server = local_confluence("empty", flavour="dc", context_path="/confluence")
    space = server.store.create_space("OPS", "Operations")
    blog = str(server.store.create_page(space["id"], "Ops weekly", BLOG, kind="blogpost")["id"])
    async with ConfluenceClient(
        server.base_url, auth=httpx.BasicAuth("demo", "demo-password"), kind="dc"
    ) as client:
        kit = _kit(client, tmp_path)
        page = await kit.call("get_page", {"page_id": blog})
        assert page.text.startswith(f'blog post {blog} "Ops weekly" | space OPS | version 1'), (
            page.text
        )
        edit = await kit.call(
            "propose_edit",
            {
                "page_id": blog,
                "base_version": 1,
                "summary": "s",
                "edits": [{"old": "this week", "new": "on Monday"}],
            },
        )
        assert edit.ok, edit.text
        edit.proposal.set_all(ACCEPTED)
        applied = await apply_proposal(client, edit.proposal, kit.fence, kit.audit)
    assert applied.status == WRITTEN
    assert (
        "on Monday" in server.store.get_page(blog)["body"]
        and server.store.get_page(blog)["version"] == 2
    )


def _edit_blog(blog: str):
    def propose(body):
        text = last_tool_result(body)
        assert text.startswith(f'blog post {blog} "Build news"'), text
        return {
            "tool_calls": [
                call(
                    "propose_edit",
                    page_id=blog,
                    base_version=version_in(text),
                    summary="faster",
                    edits=[{"old": "four minutes", "new": "three minutes"}],
                )
            ]
        }

    return [{"tool_calls": [call("get_page", page_id=blog)]}, propose, {"text": "Changed it."}]


def test_the_command_line_runs_on_a_blog_post(site, env, llm, capsys):
    blog = _blog(site)
    model = llm(_edit_blog(blog))
    _use_model(env, model)
    code = main(["agent", blog, "Builds take three minutes now.", "--approve"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert (
        f": blog post {blog} 'Build news' (ENG), base version 1\n# faster\n# → will be written"
        in err
    )
    assert "+Builds take three minutes now." in out
    assert site.store.get_page(blog)["version"] == 2 and "three minutes" in site.body(blog)
    said = model.requests[0]["messages"][1]["content"]
    assert said.startswith(
        f'(The person is looking at blog post {blog} titled "Build news" in space ENG'
    )


async def test_the_panel_reads_the_open_blog_post_as_one(site, client, llm, tmp_path, monkeypatch):
    from workbench.services.pages import open_page
    from workbench.tui.agent.review import ProposalReview

    blog = _blog(site)
    opened = await open_page(client, blog, kind="blogpost")
    asked: list[tuple[str, str]] = []
    real = type(client).get_page

    async def spy(self, page_id, version=None, body=True, *, kind="page"):
        asked.append((page_id, kind))
        return await real(self, page_id, version, body, kind=kind)

    monkeypatch.setattr(type(client), "get_page", spy)
    model = llm(_edit_blog(blog))
    app = _app(client, model, tmp_path, current_page=lambda: opened)
    async with app.run_test(size=(140, 45)) as pilot:
        await _ask(pilot, app, "Builds take three minutes now.")
        assert _status(app) == "Done; 1 proposal(s) to review.", _status(app)
        review = app.panel.query_one(ProposalReview)
        assert review.proposal.page_kind == "blogpost"
        await pilot.press("Y", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Wrote version 2" in _transcript(app)
    assert asked and all(
        kind == "blogpost" for _, kind in asked
    )  # never a wasted /pages/{id} 404 first
    assert site.store.get_page(blog)["version"] == 2 and "three minutes" in site.body(blog)
