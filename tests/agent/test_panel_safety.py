"""The agent panel against a misbehaving model and hostile pages (Pilot, local Confluence, scripted model)."""

from __future__ import annotations

from .helpers import call
from .test_panel import _app, _ask, _status, _transcript


async def test_limit_ten_shows_the_error_and_the_panel_is_not_stuck(site, client, llm, tmp_path):
    model = llm([
        {"tool_calls": [call("search_pages", cql="type=page", limit="ten")]},
        {"text": "I searched badly."},
    ])
    app = _app(client, model, tmp_path)
    async with app.run_test(size=(140, 45)) as pilot:
        await _ask(pilot, app, "Search")
        text = _transcript(app)
        assert "✗ search_pages: error: Invalid arguments for search_pages: limit must be an integer" in text
        assert "I searched badly." in text
        assert _status(app) == "Done." and not app.panel.running


async def test_an_internal_error_is_shown_not_a_hang(site, client, llm, tmp_path, monkeypatch):
    from workbench.agent.loop import AgentSession

    async def broken(self, emit, made):
        raise RuntimeError("boom")

    monkeypatch.setattr(AgentSession, "_loop", broken)
    app = _app(client, llm([{"text": "never"}]), tmp_path)
    async with app.run_test(size=(140, 45)) as pilot:
        await _ask(pilot, app, "Anything")
        assert _status(app).startswith("The agent stopped on an internal error (RuntimeError)")
        assert not app.panel.running


async def test_two_hundred_calls_are_capped_with_a_note(site, client, llm, tmp_path):
    model = llm([{"tool_calls": [call("list_spaces") for _ in range(200)]}, {"text": "ok"}])
    app = _app(client, model, tmp_path)
    async with app.run_test(size=(140, 45)) as pilot:
        await _ask(pilot, app, "Spaces")
        text = _transcript(app)
        assert text.count("→ list_spaces()") == 16
        assert "⚠ 184 tool call(s) of this step were not run: only 16 run per step." in text
