"""A minimal Textual app hosting the agent panel, the way the main screen's ``#agent-slot`` does."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.containers import Container, Horizontal
from textual.widgets import Footer, Static

from workbench.tui.agent.panel import AgentPanel


class PanelHarness(App[None]):
    CSS = """
    #page { width: 1fr; }
    #agent-slot { width: 60; border-left: vkey $accent; }
    """

    def __init__(self, **panel_options: Any) -> None:
        super().__init__()
        self.panel_options = panel_options
        self.saved: list[tuple[str, int]] = []

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static("(the page viewer)", id="page")
            with Container(id="agent-slot"):
                yield AgentPanel(**self.panel_options)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(AgentPanel).focus()

    def on_page_saved(self, message) -> None:
        self.saved.append((message.page_id, message.version))

    @property
    def panel(self) -> AgentPanel:
        return self.query_one(AgentPanel)
