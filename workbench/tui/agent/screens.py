"""Modal screens of the agent: hand-editing a proposal's result (or resolving a conflicted merge),
and the audit log viewer ("view: audit log" in the command palette)."""

from __future__ import annotations

from importlib.resources import files

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, RichLog, TextArea

from workbench.tui import safe

AGENT_CSS = str(files("workbench.styles").joinpath("agent.tcss"))


class MarkdownEditScreen(ModalScreen[str | None]):
    """Edit Markdown by hand; ``ctrl+s`` returns the text, ``escape`` returns None."""

    CSS_PATH = AGENT_CSS
    BINDINGS = [
        Binding(
            "ctrl+s", "done", "Use this text", id="agent_edit.save", tooltip="Keep the edited text"
        ),
        Binding(
            "escape",
            "dismiss(None)",
            "Cancel",
            id="agent_edit.cancel",
            tooltip="Discard the hand edits",
        ),
    ]

    def __init__(
        self, title: str, markdown: str, *, hint: str = "", id: str = "agent-edit"
    ) -> None:
        super().__init__(classes="agent-modal", id=id)
        self.title_text, self.markdown, self.hint = title, markdown, hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="agent-dialog"):
            yield Label(safe.content(self.title_text), classes="agent-dialog-title")
            if self.hint:
                yield Label(safe.content(self.hint, multiline=True), classes="agent-dialog-hint")
            yield TextArea(
                self.markdown, id="agent-edit-area", soft_wrap=True, show_line_numbers=True
            )
            yield Label("ctrl+s use this text · escape cancel", classes="agent-dialog-hint")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_done(self) -> None:
        self.dismiss(self.query_one(TextArea).text)


class AuditLogScreen(ModalScreen[None]):
    """The last entries of the agent's audit log (``audit.jsonl`` in the data directory)."""

    CSS_PATH = AGENT_CSS
    BINDINGS = [
        Binding(
            "escape,q", "dismiss(None)", "Close", id="audit.close", tooltip="Close the audit log"
        )
    ]

    def __init__(self, path=None, limit: int = 500) -> None:
        super().__init__(classes="agent-modal", id="agent-audit")
        self.path, self.limit = path, limit

    def compose(self) -> ComposeResult:
        # lazy, for start-up: workbench.agent.audit loads on first use
        from workbench.agent.audit import AuditLog

        log = AuditLog(self.path)
        with Vertical(classes="agent-dialog"):
            yield Label(safe.content(f"Agent audit log · {log.path}"), classes="agent-dialog-title")
            yield RichLog(id="audit-lines", wrap=False, highlight=False, markup=False)
            yield Label("escape close", classes="agent-dialog-hint")

    def on_mount(self) -> None:
        # lazy, for start-up: workbench.agent.audit loads on first use
        from workbench.agent.audit import AuditLog, format_entry

        view = self.query_one(RichLog)
        entries = AuditLog(self.path).entries(self.limit)
        if not entries:
            view.write(Text("No agent activity recorded yet.", style="italic"))
        for entry in entries:
            style = (
                "red"
                if str(entry.get("outcome", "")).startswith(("refused", "error", "conflict"))
                else ""
            )
            style = "bold green" if entry.get("event") == "write" and not style else style
            view.write(safe.text(format_entry(entry), style))
        view.focus()
