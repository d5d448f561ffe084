"""The agent panel under Pilot, against the local Confluence and the scripted model (real HTTP)."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import Input, Static, TextArea

from tests.tui.helpers import wait_until
from workbench.agent.audit import AuditLog
from workbench.agent.model import ModelConfig
from workbench.agent.proposals import ACCEPTED, REJECTED
from workbench.tui.agent.review import ProposalReview
from workbench.tui.agent.screens import AuditLogScreen, MarkdownEditScreen

from .harness import PanelHarness
from .helpers import CODE_MACRO, INFO_MACRO, STATUS_MACRO, call, last_tool_result, version_in
from .test_agent_flow import ROLLBACK_NEW, ROLLBACK_OLD, STEPS_NEW, STEPS_OLD, _propose_two


def _app(client, model_server, tmp_path, **options) -> PanelHarness:
    model = (
        ModelConfig(base_url=model_server.base_url, model="scripted", timeout=30)
        if model_server
        else None
    )
    return PanelHarness(
        client=client, model=model, audit=AuditLog(tmp_path / "audit.jsonl"), **options
    )


async def _ask(pilot, app, text: str) -> None:
    app.panel.query_one(Input).value = text
    app.panel.query_one(Input).focus()
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()


def _transcript(app) -> str:
    return "\n".join(str(w.render()) for w in app.panel.query("#agent-transcript Static"))


def _status(app) -> str:
    return str(app.panel.query_one("#agent-status", Static).render())


async def test_ask_review_accept_one_reject_one_and_apply(site, client, llm, tmp_path):
    app = _app(client, llm(_propose_two(site)), tmp_path)
    async with app.run_test(size=(140, 45)) as pilot:
        await _ask(pilot, app, "Make the runbook deploy from tags.")
        text = _transcript(app)
        assert "› Make the runbook deploy from tags." in text
        assert "→ get_page(page_id=" in text and "→ propose_edit(" in text and "two changes" in text
        review = app.panel.query_one(ProposalReview)
        assert app.focused is review and review.proposal.base_version == 1
        await pilot.press("y")  # accept hunk 1, move to hunk 2
        await pilot.press("n")  # reject hunk 2
        assert [h.state for h in review.proposal.hunks] == [ACCEPTED, REJECTED]
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Wrote version 2" in _transcript(app)
        assert app.saved == [(site.runbook, 2)]
        assert not app.panel.query(ProposalReview)  # review closed, prompt focused again
        assert isinstance(app.focused, Input)
    body = site.body(site.runbook)
    assert STEPS_NEW in body and ROLLBACK_OLD in body and ROLLBACK_NEW not in body
    for macro in (INFO_MACRO, CODE_MACRO, STATUS_MACRO):
        assert macro in body


async def test_keys_move_and_mark_all(site, client, llm, tmp_path):
    app = _app(client, llm(_propose_two(site)), tmp_path)
    async with app.run_test(size=(140, 45)) as pilot:
        await _ask(pilot, app, "Deploy from tags.")
        review = app.panel.query_one(ProposalReview)
        await pilot.press("j")
        assert review.current == 1 and review.query_one("#hunk-1").has_class("-current")
        await pilot.press("k")
        assert review.current == 0
        await pilot.press("Y")
        assert all(h.state == ACCEPTED for h in review.proposal.hunks)
        await pilot.press("N")
        assert all(h.state == REJECTED for h in review.proposal.hunks)
        await pilot.press("enter")  # nothing accepted: refuses, writes nothing
        await pilot.pause()
        assert "No hunk is accepted" in _status(app)
        await pilot.press("escape")  # put aside
        await pilot.pause()
        assert not app.panel.query(ProposalReview) and "put aside" in _transcript(app)
    assert site.version(site.runbook) == 1


async def test_edit_by_hand_then_apply(site, client, llm, tmp_path):
    app = _app(client, llm(_propose_two(site)), tmp_path)
    async with app.run_test(size=(140, 45)) as pilot:
        await _ask(pilot, app, "Deploy from tags.")
        await pilot.press("y")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, MarkdownEditScreen)
        area = app.screen.query_one(TextArea)
        assert STEPS_NEW in area.text and ROLLBACK_OLD in area.text  # the accepted result
        area.text = area.text.replace(STEPS_NEW, "Run the deploy script from the signed tag.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        review = app.panel.query_one(ProposalReview)
        assert "Edited by hand" in review.note and len(review.proposal.hunks) == 1
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert "signed tag" in site.body(site.runbook) and site.version(site.runbook) == 2


async def test_concurrent_edit_shows_the_clean_merge_for_approval(site, client, llm, tmp_path):
    app = _app(client, llm(_propose_two(site)), tmp_path)
    async with app.run_test(size=(140, 45)) as pilot:
        await _ask(pilot, app, "Deploy from tags.")
        site.store.update_page(
            site.runbook, site.body(site.runbook).replace("Tuesdays", "Wednesdays")
        )
        await pilot.press("Y", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert site.version(site.runbook) == 2  # theirs only, nothing overwritten
        review = app.panel.query_one(ProposalReview)
        assert "merge cleanly on top of version 2" in review.note
        assert review.proposal.base_version == 2 and all(
            h.state == ACCEPTED for h in review.proposal.hunks
        )
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    body = site.body(site.runbook)
    assert (
        site.version(site.runbook) == 3
        and "Wednesdays" in body
        and STEPS_NEW in body
        and ROLLBACK_NEW in body
    )


async def test_conflicted_merge_opens_the_conflict_view(site, client, llm, tmp_path):
    def editing() -> TextArea | None:
        """The conflict view's text, once it is on top and mounted."""
        if not isinstance(app.screen, MarkdownEditScreen):
            return None
        return next(iter(app.screen.query(TextArea)), None)

    app = _app(client, llm(_propose_two(site)), tmp_path)
    async with app.run_test(size=(140, 45)) as pilot:
        await _ask(pilot, app, "Deploy from tags.")
        site.store.update_page(
            site.runbook, site.body(site.runbook).replace(STEPS_OLD, "Use the CI pipeline.")
        )
        await pilot.press("Y", "enter")
        await wait_until(app, pilot, lambda: editing() is not None)  # a worker, then a screen
        area = editing()
        assert area is not None
        assert "<<<<<<< mine" in area.text and ">>>>>>> theirs" in area.text
        await pilot.press("ctrl+s")  # markers left in: refused, nothing written
        await wait_until(app, pilot, lambda: "conflict markers" in _status(app))
        assert "conflict markers" in _status(app) and site.version(site.runbook) == 2
        app.panel.query_one(ProposalReview).post_message(
            ProposalReview.ApplyRequested(app.panel.reviewing)
        )
        await wait_until(app, pilot, lambda: editing() is not None)
        area = editing()
        assert area is not None
        lines = [
            ln
            for ln in area.text.splitlines()
            if not ln.startswith(("<<<<<<<", "=======", ">>>>>>>"))
            and "Use the CI pipeline." not in ln
        ]
        area.text = "\n".join(lines) + "\n"
        await pilot.press("ctrl+s")
        await wait_until(app, pilot, lambda: bool(app.panel.query(".msg-written")))  # written
    assert site.version(site.runbook) == 3 and STEPS_NEW in site.body(site.runbook)


async def test_no_model_configured_panel_says_how(site, client, tmp_path):
    app = _app(client, None, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        assert "no model" in str(app.panel.query_one("#agent-header", Static).render())
        text = _transcript(app)
        assert "WORKBENCH_MODEL" in text and "ollama" in text.lower()
        await _ask(pilot, app, "hello")
        assert "No model configured" in _status(app)


async def test_cancel_with_escape_closes_the_stream(site, client, llm, tmp_path):
    model = llm([{"text": "word " * 300, "chunk_delay": 0.05}])
    app = _app(client, model, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.panel.query_one(Input).value = "Write a lot."
        await pilot.press("enter")
        for _ in range(200):
            await pilot.pause(0.02)
            if "word" in _transcript(app):
                break
        assert app.panel.running
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.panel.running and "Stopped" in _status(app)
        for _ in range(100):
            if model.disconnects:
                break
            await asyncio.sleep(0.05)
        assert model.disconnects == 1 and model.completed_streams == 0


async def test_provider_failure_shows_retry(site, client, llm, tmp_path):
    model = llm(
        [
            {"status": 429, "retry_after": 60, "error": "slow down"},
            {"text": "Deploys are on Tuesdays."},
        ]
    )
    app = _app(client, model, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _ask(pilot, app, "When are deploys?")
        assert "429" in _status(app) and "Wait 60 s" in _status(app) and "ctrl+r" in _status(app)
        assert app.panel.can_retry
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Deploys are on Tuesdays." in _transcript(app) and _status(app) == "Done."


async def test_a_short_retry_after_is_waited_out_and_shown(site, client, llm, tmp_path):
    model = llm(
        [
            {"status": 503, "retry_after": 0, "error": "loading model"},
            {"text": "Deploys are on Tuesdays."},
        ]
    )
    app = _app(client, model, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _ask(pilot, app, "When are deploys?")
        assert "unavailable (HTTP 503: loading model)" in _transcript(app)
        assert "waiting 0 s, then asking again" in _transcript(app)
        assert "Deploys are on Tuesdays." in _transcript(app) and _status(app) == "Done."
        assert len(model.requests) == 2


async def test_profile_switch_from_the_panel_is_enforced(site, client, llm, tmp_path):
    def propose(body):
        return {
            "tool_calls": [
                call(
                    "propose_edit",
                    page_id=site.runbook,
                    base_version=version_in(last_tool_result(body)),
                    edits=[{"old": "Tuesdays", "new": "Fridays"}],
                    summary="x",
                )
            ]
        }

    model = llm(
        [{"tool_calls": [call("get_page", page_id=site.runbook)]}, propose, {"text": "Could not."}]
    )
    app = _app(client, model, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+o")
        assert "profile read-only" in str(app.panel.query_one("#agent-header", Static).render())
        await _ask(pilot, app, "Move deploys to Friday.")
        assert "✗ propose_edit: refused" in _transcript(app)
        assert not app.panel.query(ProposalReview)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, AuditLogScreen)
    assert site.version(site.runbook) == 1


async def test_new_conversation_and_partial_apply_note(site, client, llm, tmp_path):
    model = llm([*_propose_two(site), {"text": "Fresh start."}])
    app = _app(client, model, tmp_path)
    async with app.run_test(size=(140, 45)) as pilot:
        await _ask(pilot, app, "Deploy from tags.")
        await pilot.press("y", "n", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "1 not accepted are left out" in _transcript(app)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert _transcript(app) == "" and app.panel.session is None
        await _ask(pilot, app, "Hello again.")
        assert [m["role"] for m in model.requests[-1]["messages"]] == ["system", "user"]
        assert "Fresh start." in _transcript(app)


@pytest.mark.parametrize(
    ("turn", "said"),
    [
        ({"text": ""}, "no text and no tool call"),
        ({"empty_choices": True}, "no choices"),
        ({"text": "Deploys are on Tues", "finish": "length"}, "cut off at its output limit"),
        (
            {"text": '<tool_call>{"name": "get_page", "arguments": {"page_id": "1"}}</tool_call>'},
            "--jinja",
        ),
    ],
    ids=["empty", "no-choices", "length", "tool-call-as-text"],
)
async def test_unusable_answers_are_said_in_the_panel(site, client, llm, tmp_path, turn, said):
    app = _app(client, llm([turn]), tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _ask(pilot, app, "When are deploys?")
        assert said in _status(app) and said in _transcript(app)
        assert app.panel.query_one("#agent-status", Static).has_class("-error")
