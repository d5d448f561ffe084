"""What is where on the main screen, and the room each part gets: :class:`MainLayout`.

The search bar on top; the tree on the left; the page, editor, results and history tabs in the
centre; the agent slot on the right; the status bar and the footer. This class composes the panes,
gives typed access to them, moves the focus and the tabs, and makes room in a narrow terminal (the
tree steps aside while something wide is shown). :class:`~workbench.tui.screens.main.MainScreen`
adds the site, the routing between the panes and the screen-wide keys.

The first frame holds the page tab only: the editor, results and history tabs (their modules — the
editor's text area and its syntax highlighting among them — ~10 ms of imports, and six widgets) are
added when start-up is over (:meth:`MainLayout.compose_deferred`), or as soon as something asks for
one of them (:meth:`MainLayout.later_tab`), whichever comes first.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Container, Horizontal
from textual.theme import Theme
from textual.widgets import TabbedContent, TabPane

from workbench.tui.panes.deferred import DeferredPane
from workbench.tui.panes.page import PagePane
from workbench.tui.panes.search import SearchPane
from workbench.tui.panes.tree import TreePane
from workbench.tui.screens.styled_once import StyledOnceScreen
from workbench.tui.shown import hidden
from workbench.tui.widgets.document import DocumentView
from workbench.tui.widgets.footer import WorkbenchFooter
from workbench.tui.widgets.status import StatusBar

if TYPE_CHECKING:
    from workbench.tui.panes.editor import EditorPane
    from workbench.tui.panes.history import HistoryPane
    from workbench.tui.panes.results import ResultsPane

P = TypeVar("P", bound=TabPane)

#: The tabs after the page tab, in their order: (pane id, module, class). Not in the first frame.
LATER_TABS = (
    ("tab-editor", "workbench.tui.panes.editor", "EditorPane"),
    ("tab-results", "workbench.tui.panes.results", "ResultsPane"),
    ("tab-history", "workbench.tui.panes.history", "HistoryPane"),
)


class MainLayout(StyledOnceScreen):
    """The panes of one site's screen, their places and their room."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]
    #: The tree has the focus from the first frame (the default, the first focusable widget, is the
    #: search bar: the focus moved on at mount and the footer was built for each, ~10 ms of widgets)
    AUTO_FOCUS = "#tree"

    def __init__(self, site_name: str) -> None:
        super().__init__()
        self.site_name = site_name
        self._later_tabs_added = False

    def compose(self) -> ComposeResult:
        yield SearchPane(id="top")
        with Horizontal(id="body"):
            yield TreePane(self.site_name, id="left")
            with TabbedContent(id="tabs", initial="tab-page"):
                yield PagePane(id="tab-page")  # the other tabs come later (add_later_tabs)
            yield hidden(Container(id="agent-slot"))
        yield StatusBar(id="status")
        yield WorkbenchFooter()

    # -- the panes ------------------------------------------------------------------------------
    @property
    def tree_pane(self) -> TreePane:
        return self.query_one("#left", TreePane)

    @property
    def search_pane(self) -> SearchPane:
        return self.query_one("#top", SearchPane)

    @property
    def page_pane(self) -> PagePane:
        return self.query_one("#tab-page", PagePane)

    @property
    def editor_pane(self) -> EditorPane:
        # lazy, for start-up: workbench.tui.panes.editor (with the text area) loads on first use
        from workbench.tui.panes.editor import EditorPane

        return self.later_tab("tab-editor", EditorPane)

    @property
    def results_pane(self) -> ResultsPane:
        # lazy, for start-up: workbench.tui.panes.results loads on first use
        from workbench.tui.panes.results import ResultsPane

        return self.later_tab("tab-results", ResultsPane)

    @property
    def history_pane(self) -> HistoryPane:
        # lazy, for start-up: workbench.tui.panes.history loads on first use
        from workbench.tui.panes.history import HistoryPane

        return self.later_tab("tab-history", HistoryPane)

    def later_tab(self, pane_id: str, expect_type: type[P]) -> P:
        """The pane of a tab after the page tab, added first if start-up is not over yet."""
        self.add_later_tabs()
        return self.query_one(f"#{pane_id}", expect_type)

    def add_later_tabs(self) -> None:
        """Add the editor, results and history tabs (once). Each pane is in the DOM when this
        returns; its widgets are made when start-up is over or when first needed
        (``panes/deferred.py``)."""
        if self._later_tabs_added:
            return
        self._later_tabs_added = True
        tabs = self.query_one("#tabs", TabbedContent)
        for pane_id, module, name in LATER_TABS:
            pane_class = getattr(importlib.import_module(module), name)
            tabs.add_pane(pane_class(id=pane_id))

    @property
    def status(self) -> StatusBar:
        return self.query_one("#status", StatusBar)

    @property
    def tabs(self) -> TabbedContent:
        return self.query_one("#tabs", TabbedContent)

    # -- tabs, focus, theme ---------------------------------------------------------------------
    def show_tab(self, tab: str) -> None:
        self.add_later_tabs()
        pane = self.tabs.get_pane(tab)
        if isinstance(pane, DeferredPane):
            pane.compose_now()  # its widgets before it shows
        self.tabs.active = tab

    def compose_deferred(self) -> None:
        """Start-up is over: the tabs after the page tab are added and their widgets made, after the
        frame being drawn (``panes/deferred.py``)."""

        def compose_all() -> None:
            self.add_later_tabs()
            for pane in self.query(DeferredPane):
                pane.compose_now()

        self.call_after_refresh(compose_all)

    def focus_viewer(self) -> None:
        self.page_pane.focus_viewer()

    def focus_tree(self) -> None:
        self.tree_pane.focus_tree()

    def action_back(self) -> None:
        tabs = self.tabs
        if tabs.active != "tab-page":
            tabs.active = "tab-page"
            self.focus_viewer()
        else:
            self.focus_tree()

    def restyle(self, theme: Theme) -> None:
        """The theme changed: the editors' highlighting and the rendered pages follow it."""
        # lazy, for start-up: workbench.tui.widgets.editor (with the text area) loads on first use
        from workbench.tui.widgets.editor import MdEditor

        for editor in self.query(MdEditor):
            editor.theme = "monokai" if theme.dark else "github_light"
        for view in self.query(DocumentView):
            if view.markdown:
                view.restyle()

    # -- room in a narrow terminal --------------------------------------------------------------
    def action_toggle_tree(self) -> None:
        left = self.tree_pane
        if self.has_class("-crowded") and not left.has_class("hidden"):
            left.toggle_class("-pinned")  # stepped aside for room: ctrl+b brings it back anyway
            shown = left.has_class("-pinned")
        else:
            shown = left.toggle()
        if shown:
            self.focus_tree()
        elif self.focused is None or left in self.focused.ancestors_with_self:
            self.focus_viewer()

    def action_toggle_agent(self) -> None:
        slot = self.query_one("#agent-slot", Container)
        if not slot.children:
            from workbench.tui.agent.panel import AgentPanel  # the agent loads on first use

            slot.mount(AgentPanel())
        slot.display = not slot.display
        self.update_room()
        if slot.display:
            slot.children[0].focus()

    @on(TabbedContent.TabActivated, "#tabs")
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if isinstance(event.pane, DeferredPane):
            event.pane.compose_now()  # a tab clicked before start-up was over
        self.update_room()

    def on_resize(self) -> None:
        self.update_room()

    def update_room(self) -> None:
        """Below 100 columns the tree steps aside while something wide is shown: the agent panel,
        the history's diff, a merge beside their version, the editor's preview (``ctrl+b`` shows it
        anyway). Wider, nothing changes."""
        agent = self.query_one("#agent-slot", Container).display
        tab = self.tabs.active
        editor_wide = tab == "tab-editor" and self.editor_pane.needs_room()
        crowded = self.size.width < 100 and (agent or tab == "tab-history" or editor_wide)
        if crowded == self.has_class("-crowded"):
            return
        self.set_class(crowded, "-crowded")
        left = self.tree_pane
        if not crowded:
            left.remove_class("-pinned")
        elif self.focused is not None and left in self.focused.ancestors_with_self:
            self.focus_viewer()  # the focus does not stay in a pane that went away
