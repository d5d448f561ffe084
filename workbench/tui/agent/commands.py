"""Command-palette entries of the agent: "view: audit log" and the permission profiles."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from workbench.tui.commands import ListedCommands


class AgentCommands(ListedCommands):
    """``view: audit log`` always; ``agent: profile …`` while the agent panel is open."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        out: list[tuple[str, Callable[[], object], str]] = [
            (
                "view: audit log",
                self._show_audit,
                "Every agent tool call and applied write (audit.jsonl)",
            ),
        ]
        panel = self._panel()
        if panel is not None:
            # lazy, for start-up: workbench.tui.agent.panel (with platformdirs …) loads on first use
            from workbench.tui.agent.panel import PROFILE_ORDER

            for name in PROFILE_ORDER:
                out.append(
                    (
                        f"agent: profile {name}",
                        partial(panel.set_profile, name),
                        f"Let the agent use the {name} tools",
                    )
                )
        return out

    def _panel(self):
        # lazy, for start-up: workbench.tui.agent.panel (with platformdirs …) loads on first use
        from workbench.tui.agent.panel import AgentPanel

        found = self.app.screen.query(AgentPanel)
        return found.first() if found else None

    def _show_audit(self) -> None:
        # lazy, for start-up: workbench.tui.agent.screens (with attr …) loads on first use
        from workbench.tui.agent.screens import AuditLogScreen

        self.app.push_screen(AuditLogScreen())
