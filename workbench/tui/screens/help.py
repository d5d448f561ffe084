"""The help screen: every key, generated from the bindings (so it never goes stale)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static


def key_table(app) -> list[tuple[str, str, str, str]]:
    """(area, keys, description, binding id) for every binding with an id, keymap applied."""
    from workbench.tui.screens.main import MainScreen
    from workbench.tui.widgets.cql_bar import CqlBar
    from workbench.tui.widgets.editor import MdEditor
    from workbench.tui.widgets.site_tree import SiteTree

    keymap = dict(getattr(app, "_keymap", {}) or {})
    rows = []
    for area, cls in (("global", type(app)), ("main", MainScreen), ("tree", SiteTree), ("editor", MdEditor),
                      ("search bar", CqlBar)):
        for binding in cls.BINDINGS:
            if not isinstance(binding, Binding) or not binding.id:
                continue
            keys = keymap.get(binding.id, binding.key)
            rows.append((area, keys.replace("question_mark", "?").replace("slash", "/"),
                         binding.tooltip or binding.description, binding.id))
    rows.append(("global", "ctrl+p", "Command palette: every action, and open page by title", "app.palette"))
    rows.append(("global", "tab / shift+tab", "Move between panes", "app.focus"))
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
            yield Label(Text("Keys — remap them in the config file's [keymap] (docs/keys.md)", style="bold"))
            with VerticalScroll():
                yield Static(table, id="help-table")
            yield Label("escape closes", classes="hint")
