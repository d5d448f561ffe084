"""Write proposals about a page's world — a reply to a comment, labels on a page, a new page with
labels or as a draft — through the real toolkit and apply against the local Confluence over HTTP
(Cloud v2, and Data Center v1 for the draft): nothing is written by a tool; only applying writes,
and only what was accepted."""

from __future__ import annotations

import httpx
import pytest

from workbench.agent.apply import NOTHING, WRITTEN, apply_proposal
from workbench.agent.audit import AuditLog
from workbench.agent.fences import Fence
from workbench.agent.proposals import ACCEPTED, LABELS, REJECTED, REPLY
from workbench.agent.toolkit import Toolkit


@pytest.fixture
def audit(tmp_path):
    return AuditLog(tmp_path / "audit.jsonl")


@pytest.fixture
def kit(client, audit):
    return Toolkit(client, Fence.build("propose", ()), audit)


async def test_reply_to_a_footer_comment(site, kit, client, audit):
    site.store.add_user("acc-priya", "Priya Raman")
    root = site.store.add_comment(
        "<p>Should deploys move to Wednesday?</p>", page_id=site.runbook, author="acc-priya"
    )
    result = await kit.call(
        "propose_comment",
        {
            "page_id": site.runbook,
            "reply_to": str(root["id"]),
            "markdown": "No: Tuesdays **stay**.",
        },
    )
    assert result.ok, result.text
    proposal = result.proposal
    assert (
        proposal.kind == REPLY
        and proposal.comment_id == str(root["id"])
        and not proposal.comment_inline
    )
    assert (
        proposal.target == f"reply to comment {root['id']} on page {site.runbook} 'Runbook' (ENG)"
    )
    assert proposal.summary == "Reply to Priya Raman: \u201cShould deploys move to Wednesday?\u201d"
    assert site.store.comment_children(root["id"]) == []  # the tool wrote nothing
    proposal.set_all(ACCEPTED)
    applied = await apply_proposal(client, proposal, kit.fence, audit)
    assert (
        applied.status == WRITTEN
        and applied.message == f"Replied to comment {root['id']} on page {site.runbook}."
    )
    (reply,) = site.store.comment_children(root["id"])
    assert "<strong>stay</strong>" in reply["body"]
    assert audit.entries()[-1]["outcome"] == f"reply {reply['id']} to comment {root['id']}"


async def test_reply_needs_a_comment_of_that_page(site, kit):
    other = site.store.add_comment("<p>elsewhere</p>", page_id=site.injection)
    for comment_id, said in [
        (str(other["id"]), "has no comment"),
        ("999999", "has no comment"),
        ("abc", "is not a comment id"),
        ("\u0666\u0665", "is not a comment id"),
    ]:
        result = await kit.call(
            "propose_comment", {"page_id": site.runbook, "reply_to": comment_id, "markdown": "hi"}
        )
        assert result.text.startswith("error: ") and said in result.text, result.text
    empty = await kit.call(
        "propose_comment", {"page_id": site.runbook, "reply_to": str(other["id"]), "markdown": "  "}
    )
    assert empty.text == "error: The reply is empty."


async def test_labels_added_and_removed_hunk_by_hunk(site, kit, client, audit):
    site.store.add_labels(site.runbook, [("global", "ops"), ("global", "stale")])
    result = await kit.call(
        "propose_labels",
        {"page_id": site.runbook, "add": ["Deploy", "runbook"], "remove": ["stale"]},
    )
    assert result.ok, result.text
    proposal = result.proposal
    assert (
        proposal.kind == LABELS and proposal.summary == "Labels: add deploy, runbook; remove stale"
    )
    assert proposal.before == "ops\nstale\n" and proposal.after == "deploy\nops\nrunbook\n"
    diff = proposal.unified_diff()
    assert diff.startswith("--- labels of Runbook (now)\n+++ labels of Runbook (proposed)\n")
    assert "+deploy\n" in diff and "-stale\n" in diff
    assert {row["name"] for row in site.store.labels(site.runbook)} == {
        "ops",
        "stale",
    }  # nothing written yet
    assert [proposal.hunk_lines(h) for h in proposal.hunks] == [
        [("+", "deploy")],
        [("-", "stale")],
        [("+", "runbook")],
    ]
    proposal.set_state(0, ACCEPTED)  # deploy
    proposal.set_state(1, REJECTED)  # stale stays
    proposal.set_state(2, REJECTED)  # runbook
    applied = await apply_proposal(client, proposal, kit.fence, audit)
    assert (
        applied.status == WRITTEN
        and applied.message == f"Labels of page {site.runbook}: added deploy."
    )
    assert {row["name"] for row in site.store.labels(site.runbook)} == {"deploy", "ops", "stale"}
    proposal.set_all(REJECTED)
    nothing = await apply_proposal(client, proposal, kit.fence, audit)
    assert nothing.status == NOTHING


@pytest.mark.parametrize(
    ("args", "said"),
    [
        ({"add": ["two words"]}, "not a valid label"),
        ({"add": ["a:b"]}, "not a valid label"),
        ({"add": "ops"}, "must be a list"),
        ({"add": [""]}, "empty label"),
        ({}, "Give labels to add or to remove"),
        ({"add": ["x"], "remove": ["x"]}, "both added and removed"),
        ({"remove": ["absent"]}, "change nothing"),
        ({"add": [f"l{n}" for n in range(21)]}, "at most 20 item(s)"),
    ],
)
async def test_label_mistakes_are_answered(site, kit, args, said):
    result = await kit.call("propose_labels", {"page_id": site.runbook, **args})
    assert result.text.startswith("error: ") and said in result.text, result.text


async def test_labels_on_a_fenced_page_are_refused(site, client, audit):
    kit = Toolkit(client, Fence.build("propose", ["ENG"]), audit)
    result = await kit.call("propose_labels", {"page_id": site.secret, "add": ["x"]})
    assert result.text.startswith("refused: Space SECRET")


async def test_new_page_with_labels_as_a_draft(site, kit, client, audit):
    result = await kit.call(
        "propose_page",
        {
            "space_key": "ENG",
            "parent_id": site.runbook,
            "title": "Drill notes",
            "markdown": "# Drill\n\nNotes.",
            "labels": ["Drill", "ops"],
            "draft": True,
        },
    )
    assert result.ok, result.text
    proposal = result.proposal
    assert proposal.target == (
        "new page 'Drill notes' in space ENG, under "
        f"{site.runbook} 'Runbook', "
        "as a draft, labels: drill, ops"
    )
    proposal.set_all(ACCEPTED)
    applied = await apply_proposal(client, proposal, kit.fence, audit)
    assert applied.status == WRITTEN
    page_id = applied.written.id
    assert (
        applied.message
        == f"Created page {page_id} 'Drill notes' in ENG as a draft, labelled drill, ops."
    )
    row = site.store.get_page(page_id)
    assert row["status"] == "draft" and row["title"] == "Drill notes"
    assert {r["name"] for r in site.store.labels(page_id)} == {"drill", "ops"}
    tree = [p.id async for p in client.children(site.runbook)]
    assert page_id not in tree  # a draft is not in the page tree


async def test_new_page_arguments_are_checked(site, kit):
    bad = await kit.call(
        "propose_page",
        {"space_key": "ENG", "parent_id": None, "title": "T", "markdown": "x", "draft": "yes"},
    )
    assert bad.text.startswith("error: ") and "draft must be true or false" in bad.text
    bad = await kit.call(
        "propose_page",
        {
            "space_key": "ENG",
            "parent_id": None,
            "title": "T",
            "markdown": "x",
            "labels": ["no good"],
        },
    )
    assert "not a valid label" in bad.text


async def test_draft_with_labels_on_data_center(local_confluence, tmp_path):
    from workbench.confluence.client import ConfluenceClient

    server = local_confluence("empty", flavour="dc", context_path="/confluence")
    space = server.store.create_space("OPS", "Operations")
    async with ConfluenceClient(
        server.base_url, auth=httpx.BasicAuth("demo", "demo-password"), kind="dc"
    ) as client:
        kit = Toolkit(client, Fence.build("propose", ()), AuditLog(tmp_path / "a.jsonl"))
        result = await kit.call(
            "propose_page",
            {
                "space_key": "OPS",
                "parent_id": str(space["homepage_id"]),
                "title": "Plan",
                "markdown": "Plan.",
                "labels": ["q3"],
                "draft": True,
            },
        )
        assert result.ok, result.text
        result.proposal.set_all(ACCEPTED)
        applied = await apply_proposal(client, result.proposal, kit.fence, kit.audit)
        assert applied.status == WRITTEN, applied.message
        row = server.store.get_page(applied.written.id)
        assert row["status"] == "draft"
        assert [r["name"] for r in server.store.labels(applied.written.id)] == ["q3"]


async def test_panel_reviews_and_applies_a_reply_and_labels(site, client, llm, tmp_path):
    from textual.widgets import Static

    from workbench.agent.model import ModelConfig
    from workbench.tui.agent.review import ProposalReview

    from .harness import PanelHarness
    from .helpers import call

    root = site.store.add_comment("<p>Is ten minutes enough?</p>", page_id=site.runbook)
    site.store.add_labels(site.runbook, [("global", "stale")])

    def reply(body):
        assert f"[comment {root['id']}]" in body["messages"][-1]["content"]
        return {
            "tool_calls": [
                call(
                    "propose_comment",
                    page_id=site.runbook,
                    reply_to=str(root["id"]),
                    markdown="Yes, ten is enough.",
                ),
                call("propose_labels", page_id=site.runbook, add=["ops"], remove=["stale"]),
            ]
        }

    model = llm(
        [
            {"tool_calls": [call("get_comments", page_id=site.runbook)]},
            reply,
            {"text": "Proposed both."},
        ]
    )
    app = PanelHarness(
        client=client,
        model=ModelConfig(base_url=model.base_url, model="scripted", timeout=30),
        audit=AuditLog(tmp_path / "audit.jsonl"),
    )
    async with app.run_test(size=(140, 45)) as pilot:
        from textual.widgets import Input

        app.panel.query_one(Input).value = "Answer the comment and fix the labels."
        app.panel.query_one(Input).focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        review = app.panel.query_one(ProposalReview)
        header = str(review.query_one(".review-header", Static).render())
        assert f"reply to comment {root['id']}" in header and "Is ten minutes enough?" in header
        assert "enter post accepted" in str(review.query_one(".review-footer", Static).render())
        await pilot.press("Y", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        review = app.panel.query_one(ProposalReview)
        assert "labels of page" in str(review.query_one(".review-header", Static).render())
        assert "enter change accepted" in str(review.query_one(".review-footer", Static).render())
        await pilot.press("n", "y", "enter")  # keep stale (hunk 1: -stale), add ops (hunk 2: +ops)
        await app.workers.wait_for_complete()
        await pilot.pause()
        transcript = "\n".join(str(w.render()) for w in app.panel.query("#agent-transcript Static"))
        assert f"✓ Replied to comment {root['id']}" in transcript
        assert f"✓ Labels of page {site.runbook}: added ops." in transcript
    (posted,) = site.store.comment_children(root["id"])
    assert "ten is enough" in posted["body"]
    assert {r["name"] for r in site.store.labels(site.runbook)} == {"ops", "stale"}


def test_cli_prints_label_and_reply_proposals(site, env, llm, capsys):
    from workbench.cli import main

    from .helpers import call

    root = site.store.add_comment("<p>Question?</p>", page_id=site.runbook)
    model = llm(
        [
            {
                "tool_calls": [
                    call("propose_labels", page_id=site.runbook, add=["ops"]),
                    call(
                        "propose_comment",
                        page_id=site.runbook,
                        reply_to=str(root["id"]),
                        markdown="Answer.",
                    ),
                ]
            },
            {"text": "Done."},
        ]
    )
    env.setenv("OPENAI_BASE_URL", model.base_url)
    env.setenv("WORKBENCH_MODEL", "scripted")
    assert main(["agent", site.runbook, "Label it and answer"]) == 6  # proposals left unwritten
    out, err = capsys.readouterr()
    assert (
        "--- labels of Runbook (now)\n+++ labels of Runbook (proposed)\n" in out and "+ops\n" in out
    )
    assert "+Answer.\n" in out
    assert "# proposal" in err and f"reply to comment {root['id']} on page {site.runbook}" in err
    assert site.store.labels(site.runbook) == [] and site.store.comment_children(root["id"]) == []


async def test_inline_comments_are_read_and_replied_to(site, kit, client, audit):
    root = site.store.add_inline_comment(
        "<p>Is ten enough?</p>", page_id=site.runbook, selection="ten minutes"
    )
    site.store.add_inline_comment("<p>Yes.</p>", parent_comment_id=root["id"])
    site.store.resolve_inline_comment(root["id"], True)
    read = (await kit.call("get_comments", {"page_id": site.runbook})).text
    assert "0 footer comment(s), 2 inline comment(s)" in read
    assert f"[comment {root['id']}] inline by " in read and 'on "ten minutes" (resolved)' in read
    assert "  Is ten enough?" in read and "reply by" in read and "    Yes." in read
    result = await kit.call(
        "propose_comment",
        {
            "page_id": site.runbook,
            "reply_to": str(root["id"]),
            "markdown": "Reopening: make it thirty.",
        },
    )
    assert result.ok, result.text
    proposal = result.proposal
    assert proposal.comment_inline and proposal.target.startswith(
        f"reply to inline comment {root['id']}"
    )
    proposal.set_all(ACCEPTED)
    applied = await apply_proposal(client, proposal, kit.fence, audit)
    assert applied.status == WRITTEN
    threads = await client.inline_comments(site.runbook)
    (thread,) = threads
    assert [r.storage for r in thread.replies][-1].count("make it thirty") == 1
    assert site.version(site.runbook) == 1  # a reply is not a page edit
