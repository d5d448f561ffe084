"""The agent panel inside the real workbench app: ctrl+a mounts it beside the open page; it uses the
app's connected client and current page; the palette opens the audit log."""

from __future__ import annotations

from textual.widgets import Input

from workbench.config import AgentSettings, Settings
from workbench.services.sites import url_site
from workbench.tui.agent.panel import AgentPanel
from workbench.tui.agent.review import ProposalReview
from workbench.tui.agent.screens import AuditLogScreen
from workbench.tui.app import WorkbenchApp

from .helpers import CODE_MACRO, call, last_tool_result, version_in

OLD = "Watch the dashboards for ten minutes."
NEW = "Watch the dashboards for thirty minutes."


async def _settle(app, pilot) -> None:
    for _ in range(3):
        await pilot.pause(0.05)
        await app.workers.wait_for_complete()
    await pilot.pause()


async def test_ctrl_a_panel_proposes_on_the_open_page_and_applies(site, llm):
    def propose(body):
        assert f"looking at page {site.runbook}" in body["messages"][1]["content"]
        return {
            "tool_calls": [
                call(
                    "propose_edit",
                    page_id=site.runbook,
                    base_version=version_in(last_tool_result(body)),
                    edits=[{"old": OLD, "new": NEW}],
                    summary="Watch longer",
                )
            ]
        }

    model = llm(
        [{"tool_calls": [call("get_page", page_id=site.runbook)]}, propose, {"text": "Proposed."}]
    )
    settings = Settings(agent=AgentSettings(base_url=model.base_url, model="scripted"))
    app = WorkbenchApp(url_site(site.server.base_url, name="Local"), settings=settings)
    async with app.run_test(size=(160, 45)) as pilot:
        await _settle(app, pilot)
        app.open_page(site.runbook)
        await _settle(app, pilot)
        assert app.workspace.current.page.id == site.runbook
        await pilot.press("ctrl+a")
        await _settle(app, pilot)
        panel = app.screen.query_one(AgentPanel)
        assert isinstance(app.focused, Input) and "scripted" in str(
            panel.query_one("#agent-header").render()
        )
        await pilot.press(*"watch longer", "enter")
        await _settle(app, pilot)
        assert isinstance(app.focused, ProposalReview)
        await pilot.press("Y", "enter")
        await _settle(app, pilot)
        assert not panel.query(ProposalReview)
        assert app.workspace.current.base_version == 2  # the viewer reloaded the written version
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"audit log")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await _settle(app, pilot)
        assert isinstance(app.screen, AuditLogScreen)
        lines = "\n".join(str(line.text) for line in app.screen.query_one("#audit-lines").lines)
        assert "propose_edit" in lines and "write" in lines
    body = site.body(site.runbook)
    assert site.version(site.runbook) == 2 and NEW in body and CODE_MACRO in body
