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

#: Below this many columns the help lists keys in two columns.
NARROW = 100


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
        self.table = self._table(self.app.size.width)
        with Vertical(classes="dialog wide tall", id="help"):
            yield Label(
                Text("Keys — remap them in the config file's [keymap] (docs/keys.md)", style="bold")
            )
            with VerticalScroll():
                yield Static(self.table, id="help-table")
            yield Label("escape closes", classes="hint")

    def _table(self, width: int) -> Table:
        """Four columns when there is room; below 100 columns, two (the key, and what it does with
        its binding id under it), the areas as headings, so the text keeps a readable width."""
        rows = key_table(self.app)
        if width >= NARROW:
            table = Table(expand=True, box=None, padding=(0, 2))
            table.add_column("where", style="dim", no_wrap=True)
            table.add_column("key", style="bold cyan", no_wrap=True)
            table.add_column("what it does")
            table.add_column(Text("binding id ([keymap])"), style="dim", no_wrap=True)
            for area, keys, text, binding_id in rows:
                table.add_row(area, keys, text, binding_id)
            return table
        table = Table(expand=True, box=None, padding=(0, 1), show_header=False)
        table.add_column("key", style="bold cyan", no_wrap=True, max_width=18)
        table.add_column("what it does", ratio=1)
        shown_area = None
        for area, keys, text, binding_id in rows:
            if area != shown_area:
                table.add_row(Text(area, style="bold"), "")
                shown_area = area
            what = Text(text)
            if binding_id:
                what.append(f"  {binding_id}", style="dim")
            table.add_row(keys, what)
        return table

    def on_resize(self) -> None:
        wide = self.app.size.width >= NARROW
        if wide != (len(self.table.columns) == 4):
            self.table = self._table(self.app.size.width)
            self.query_one("#help-table", Static).update(self.table)
