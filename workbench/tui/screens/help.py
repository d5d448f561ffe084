"""The help screen: every key, generated from the bindings (so it never goes stale)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from workbench.tui.app import WorkbenchApp


def key_table(app: App[object]) -> list[tuple[str, str, str, str]]:
    """(area, keys, description, binding id) for every binding with an id, the keymap applied; the
    palette and focus keys last (not bindings: they have no id to remap)."""
    # lazy, for start-up: workbench.tui.keys loads on first use
    from workbench.tui.keys import key_rows

    keymap = app.keymap if isinstance(app, WorkbenchApp) else {}
    rows = [(r.area, r.keys, r.text, r.binding_id) for r in key_rows(keymap)]
    rows.append(("global", "ctrl+p", "Command palette: every action, and open page by title", ""))
    rows.append(("global", "tab / shift+tab", "Move between panes", ""))
    return rows


class HelpScreen(ModalScreen[None]):
    """Lists every key."""

    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        table = Table(expand=True, box=None, padding=(0, 2))
        table.add_column("where", style="dim", no_wrap=True)
        table.add_column("key", style="bold cyan", no_wrap=True)
        table.add_column("what it does")
        table.add_column(Text("binding id ([keymap])"), style="dim", no_wrap=True)
        for area, keys, text, binding_id in key_table(self.app):
            table.add_row(area, keys, text, binding_id)
        self.table = table
        with Vertical(classes="dialog wide tall", id="help"):
            yield Label(
                Text("Keys — remap them in the config file's [keymap] (docs/keys.md)", style="bold")
            )
            with VerticalScroll():
                yield Static(table, id="help-table")
            yield Label("escape closes", classes="hint")
