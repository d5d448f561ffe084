"""The history pane: the page's versions, and the diff between two of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from workbench.textsafe import printable
from workbench.tui.panes.base import Host, host
from workbench.tui.panes.deferred import DeferredPane
from workbench.tui.theme import DiffStyles, TextStyles
from workbench.tui.widgets.diff import diff_text

if TYPE_CHECKING:
    from workbench.confluence.models import Version


class VersionList(OptionList):
    """The versions, newest first; space marks one to compare with."""

    BINDINGS = [
        Binding(
            "space",
            "mark",
            "Mark",
            id="history.mark",
            tooltip="Mark a version, then enter on another to diff the two",
        ),
        Binding(
            "R",
            "restore",
            "Restore",
            id="history.restore",
            tooltip="Save the selected version as the page's new version (after a confirmation)",
        ),
    ]

    def action_restore(self) -> None:
        pane = next((a for a in self.ancestors if isinstance(a, HistoryPane)), None)
        if pane is not None and self.highlighted is not None:
            pane.ask_restore(self.highlighted)

    def action_mark(self) -> None:
        pane = next((a for a in self.ancestors if isinstance(a, HistoryPane)), None)
        if pane is not None and self.highlighted is not None:
            pane.mark(self.highlighted)


class HistoryPane(DeferredPane):
    """``#tab-history``: enter diffs a version with the previous one, or with the marked one."""

    def __init__(self, title: str = "History", *, id: str = "tab-history") -> None:
        super().__init__(title, id=id)
        self.versions: list[Version] = []
        self.marked: int | None = None
        self.last_diff: tuple[int, int, list[str]] | None = None

    @property
    def host(self) -> Host:
        return host(self)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.host.report_error(event.worker.error)

    def content(self) -> ComposeResult:  # composed when first needed (panes/deferred.py)
        yield self.nest(
            Horizontal(),
            VersionList(id="versions"),
            self.nest(Vertical(id="diff-pane"), Static("", id="diff")),
        )

    def show(self, page_id: str, kind: str = "page") -> None:
        """Show the versions of ``page_id`` (the tab switches here)."""
        self.marked = None
        self.host.show_tab("tab-history")
        self.load_history(page_id, kind)

    @work(exclusive=True, group="history", exit_on_error=False)
    async def load_history(self, page_id: str, kind: str = "page") -> None:
        ws = await self.host.ready_workspace()
        listing = self.part("#versions", VersionList)
        listing.loading = True
        try:
            self.versions = await ws.versions(page_id, kind=kind)
        finally:
            listing.loading = False
        listing.clear_options()
        styles = TextStyles.from_theme(self.app.theme_variables)
        for v in self.versions:
            prompt = Text.assemble(
                (f"v{v.number}", f"bold {styles.accent}"),
                "  ",
                printable(ws.name_of(v.author_id) or "?"),
                "  ",
                (printable(v.created_at[:16].replace("T", " ")), "dim"),
            )
            if v.minor_edit:  # saved as a minor edit (no notification was sent for it)
                prompt.append("  minor edit", style="dim italic")
            if v.message:
                prompt.append(f"\n  {printable(v.message)}", style="italic")
            listing.add_option(Option(prompt, id=str(v.number)))
        self.part("#diff", Static).update(
            Text(
                "enter: diff with the previous version · space: mark a version, then enter on "
                "another "
                "to diff the two",
                style="dim",
            )
        )
        if self.versions:
            listing.highlighted = 0
        listing.focus()

    def ask_restore(self, index: int) -> None:
        current = self.host.current
        if current is None or not 0 <= index < len(self.versions):
            return
        # lazy: the lifecycle flows load on first use
        from workbench.tui.lifecycle import restore_version

        page = current.page
        self.run_worker(
            restore_version(self, page.id, page.type, self.versions[index].number),
            group="history-restore",
            exclusive=True,
            exit_on_error=False,
        )

    def mark(self, index: int) -> None:
        number = self.versions[index].number
        self.marked = number
        self.notify(f"Marked v{number}: press enter on another version to compare.")

    @on(OptionList.OptionSelected, "#versions")
    def _version_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        number = int(event.option.id or 0)
        other = self.marked
        if other is None or other == number:
            other = number - 1
        if other < 1:
            self.part("#diff", Static).update(Text("Version 1 is the first version.", style="dim"))
            return
        self.show_version_diff(min(other, number), max(other, number))

    @work(exclusive=True, group="history-diff", exit_on_error=False)
    async def show_version_diff(self, older: int, newer: int) -> None:
        ws = await self.host.ready_workspace()
        current = self.host.current
        if current is None:
            return
        lines = await ws.version_diff(current.page.id, older, newer, kind=current.page.type)
        self.last_diff = (older, newer, lines)
        self.part("#diff", Static).update(
            diff_text(
                lines,
                f"v{older} and v{newer} have the same text.",
                DiffStyles.from_theme(self.app.theme_variables),
            )
        )
