"""The Confluence Workbench Textual app.

The app only handles cross-screen concerns: theme, keymap, command palette, quitting safely and the
agent-panel interface. The main screen (``screens/main.py``) controls browsing, reading and editing.
Startup is kept light: the first frame needs Textual and our small modules; the client, converter,
keyring and agent load in workers after it is drawn.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Mapping, Sequence
from importlib.resources import files
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding
from textual.filter import LineFilter
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen

from workbench.config import Settings
from workbench.redact import redact
from workbench.textsafe import printable
from workbench.tui.commands import PageSearchProvider, WorkbenchCommands, agent_commands
from workbench.tui.safe import ControlFilter

if TYPE_CHECKING:
    from workbench.services.workspace import SiteSpec, Workspace
    from workbench.tui.screens.main import MainScreen

STYLES = files("workbench.styles")
THEMES = ("textual-dark", "textual-light")
SAID_KEPT = 200  # notifications the app remembers (what it said); the oldest is forgotten first


class WorkbenchApp(App[None]):
    """Browse, search, read and edit Confluence pages; the agent panel docks on the right."""

    TITLE = "Confluence Workbench"
    CSS_PATH: ClassVar = [
        str(STYLES.joinpath(name)) for name in ("app.tcss", "main.tcss", "modals.tcss")
    ]
    COMMANDS: ClassVar = App.COMMANDS | {WorkbenchCommands, PageSearchProvider, agent_commands}
    ENABLE_COMMAND_PALETTE = True
    #: proposals from agents waiting in the inbox, every site (the status bar's badge watches it)
    pending_proposals: reactive[int] = reactive(0)
    BINDINGS: ClassVar = [
        Binding(
            "q", "quit", "Quit", id="app.quit", tooltip="Quit (asks first if anything is unsaved)"
        ),
        Binding(
            "question_mark", "help", "Help", id="app.help", tooltip="Every key, and what it does"
        ),
        Binding(
            "ctrl+t",
            "toggle_theme",
            "Theme",
            show=False,
            id="app.theme",
            tooltip="Switch light/dark theme",
        ),
        Binding(
            "ctrl+g",
            "inbox",
            "Inbox",
            show=False,
            id="app.inbox",
            tooltip="Proposals from agents (MCP)",
        ),
    ]

    def __init__(
        self,
        site: SiteSpec | None = None,
        *,
        settings: Settings | None = None,
        offer_demo: bool = True,
        login_options: dict | None = None,
    ) -> None:
        super().__init__()

        self._control_filter = ControlFilter()
        self.site = site
        self.signalled: int | None = None  # the signal that asked the app to quit, if one did
        self.login_options = login_options
        self.settings = settings if settings is not None else Settings()
        self.offer_demo = offer_demo
        #: The remaps in force (``[keymap]`` of the config, checked): binding id -> keys.
        self.keymap: dict[str, str] = {}
        self._inbox_watched = False  # the first count is not news (no notice for it)
        #: The main screen of each site opened by "switch site", kept to come back to.
        self.site_screens: dict[str, Screen[None]] = {}
        #: What the app said: the text of the notifications it posted (the newest ``SAID_KEPT``), kept
        #: after Textual forgets one (its toast's timeout); ``said_count`` counts every one.
        self.said: deque[str] = deque(maxlen=SAID_KEPT)
        self.said_count = 0

    # -- startup ------------------------------------------------------------------------------
    def on_mount(self) -> None:
        settings = self.settings
        if settings.path is not None or settings.theme != Settings().theme or settings.keymap:
            if settings.theme in self.available_themes:
                self.theme = settings.theme
            else:
                self.notify(
                    f"Unknown theme '{settings.theme}' in the config file; using {self.theme}.",
                    severity="warning",
                )
            if settings.keymap:
                self.apply_keymap(settings.keymap)
        if not self.is_headless:
            self._flush_on_signals()
        # lazy, for start-up: workbench.tui.warmup loads on first use
        from workbench.tui.warmup import PAUSE_AT_MOST, start_up_over

        self.set_timer(PAUSE_AT_MOST, start_up_over)  # start-up did not finish: collect anyway
        self.set_timer(
            1.0, self._watch_inbox
        )  # the badge counts proposals from agents (workbench mcp) as they arrive
        if self.site is not None:
            self.open_site(self.site)
        else:
            # lazy, for start-up: workbench.tui.screens.welcome (with textual) loads on first use
            from workbench.tui.screens.welcome import WelcomeScreen

            self.push_screen(
                WelcomeScreen(offer_demo=self.offer_demo, login_options=self.login_options)
            )

    def apply_keymap(self, keymap: Mapping[str, object]) -> None:
        """Apply ``[keymap]``; an unknown binding id or a value that is not a key is said, not
        silently dropped (the binding keeps its default key)."""
        # lazy, for start-up: workbench.tui.keys loads on first use
        from workbench.tui.keys import check_keymap

        good, problems = check_keymap(keymap)
        self.keymap = good
        self.set_keymap(good)
        for problem in problems:
            self.notify(problem, title="Config", severity="warning", timeout=12)

    def _flush_on_signals(self) -> None:
        """SIGHUP (terminal closed, SSH dropped) and SIGTERM write the editor's draft, then quit; a
        quit that hangs (the terminal is gone) ends the process anyway (tui/quit_guard.py)."""
        # lazy, for start-up: workbench.tui.quit_guard loads once the app is up
        from workbench.tui.quit_guard import QuitGuard

        QuitGuard(asyncio.get_running_loop(), self._signalled).install()

    def _signalled(self, number: int) -> None:
        main = self.main
        if main is not None:
            main.flush_draft()
        self.signalled = number
        self.exit(return_code=128 + number)

    def on_app_focus(self) -> None:
        """The terminal window got the focus back: look for other writers of the page being edited."""
        main = self.main
        if main is not None and self.screen is main:
            main.recheck_remote()

    def open_site(self, site: SiteSpec) -> None:
        """Show the main screen for ``site`` (it draws from the cache, then connects)."""
        # lazy, for start-up: workbench.tui.screens.main (with rich, textual …) loads on first use
        from workbench.tui.screens.main import MainScreen

        self.site = site
        self.push_screen(MainScreen(site))

    def switch_site(self, site: SiteSpec) -> None:
        """Show ``site`` in place of the open one without restarting: the open site's screen is kept
        as it is (its editor's draft written), so switching back finds it where it was."""
        # lazy, for start-up: workbench.tui.screens.main (with rich, textual …) loads on first use
        from workbench.tui.screens.main import MainScreen

        current = self.main
        if current is not None and current.site.key == site.key:
            return
        if current is not None and self.screen is not current:
            self.call_later(self.switch_site, site)  # a dialog over it: once it is gone
            return
        name = f"site:{site.key}"
        if name not in self.site_screens:
            self.site_screens[name] = MainScreen(site)
            self.install_screen(self.site_screens[name], name=name)
        self.site = site
        if current is None:
            self.push_screen(name)
            return
        current.flush_draft()
        kept = f"site:{current.site.key}"
        if kept not in self.site_screens:  # kept as it is, to come back to
            self.site_screens[kept] = current
            self.install_screen(current, name=kept)
        self.switch_screen(name)

    def action_switch_site(self) -> None:
        """Pick another configured site (``tui/panes/tree_sites.py``) and switch to it."""
        # lazy, for start-up: workbench.tui.panes.tree_sites (with textual) loads on first use
        from workbench.tui.panes.tree_sites import pick_site

        pick_site(self)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return {
            "wb-diff-added": "#2ea043",
            "wb-diff-removed": "#da3633",
            "wb-chip": "$accent",
        }

    # -- the interface the agent panel uses (docs/architecture.md) ----------------------------
    @property
    def main(self) -> MainScreen | None:
        # lazy, for start-up: workbench.tui.screens.main (with rich, textual …) loads on first use
        from workbench.tui.screens.main import MainScreen

        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        return None

    @property
    def workspace(self) -> Workspace | None:
        """The connected site (client, current page, drafts), or None before connecting."""
        main = self.main
        return main.workspace if main is not None else None

    def open_page(self, page_id: str, kind: str = "page") -> None:
        """Open a page (or a blog post: ``kind="blogpost"``) in the viewer."""
        if self.main is not None:
            self.main.open_page(page_id, kind=kind)

    def edit_markdown(self, markdown: str) -> None:
        """Open the current page in the editor with ``markdown`` as the (unsaved) buffer."""
        if self.main is not None:
            self.main.edit_with(markdown)

    # -- nothing a server sent drives the terminal ---------------------------------------------
    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, then one that drops every control character from rendered text
        (``workbench.tui.safe.ControlFilter``): the safety net under every widget."""
        return [*super().get_line_filters(), self._control_filter]

    # -- notifications --------------------------------------------------------------------------
    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification (``Widget.notify`` comes here too, always with ``markup=True``) as plain
        text: messages carry page titles and servers' words, so ``[/x]`` must not be read as markup
        (it raised MarkupError and ended the app), no control character may reach the terminal, and
        no secret a server echoed may be shown. ``markup`` is accepted and ignored."""
        shown = printable(redact(message), multiline=True)
        self.said.append(shown)
        self.said_count += 1
        super().notify(
            shown,
            title=printable(redact(title)),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    # -- actions ------------------------------------------------------------------------------
    def _watch_inbox(self) -> None:
        # lazy, for start-up: workbench.tui.inbox_watch loads on first use
        from workbench.tui.inbox_watch import EVERY, InboxWatch

        watch = InboxWatch()

        def check() -> None:
            count = watch.check()
            if count is None:
                return
            if count > self.pending_proposals and self._inbox_watched:
                self.notify(
                    f"{count} proposal(s) from agents waiting · {self.inbox_key()} opens the inbox",
                    title="Inbox",
                )
            self._inbox_watched = True
            self.pending_proposals = count

        check()  # the count at start: a badge, no notice
        self.set_interval(EVERY, check)

    def inbox_key(self) -> str:
        """The key that opens the inbox, as the person has it (``[keymap]`` may move it)."""
        # lazy, for start-up: workbench.tui.keys loads on first use
        from workbench.tui.keys import shown_key

        default = next(
            b.key for b in self.BINDINGS if isinstance(b, Binding) and b.id == "app.inbox"
        )
        return shown_key(self.keymap.get("app.inbox", default))

    def action_inbox(self) -> None:
        """The proposals agents made through ``workbench mcp`` (``workbench.tui.inbox``)."""
        # lazy, for start-up: workbench.tui.inbox (with textual) loads on first use
        from workbench.tui.inbox import InboxScreen

        self.push_screen(InboxScreen())

    def action_local_search(self) -> None:
        """Search the open site's local index as you type (``tui/widgets/local_search.py``)."""
        # lazy, for start-up: workbench.tui.widgets.local_search (with textual) loads on first use
        from workbench.tui.widgets.local_search import LocalSearchScreen, index_path_for

        path = index_path_for(self.site)
        if path is None:
            self.notify("This site has no local index yet: run 'workbench sync SPACE…' (or --all).")
            return
        self.push_screen(
            LocalSearchScreen(path), lambda chosen: self.open_page(*chosen) if chosen else None
        )

    def action_toggle_theme(self) -> None:
        self.theme = THEMES[1] if self.current_theme.dark else THEMES[0]

    def action_help(self) -> None:
        # imported here, not at the top: workbench.tui.screens.help imports this module (a cycle)
        from workbench.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        main = self.main
        if main is None or not main.has_unsaved():
            await self._quit_now()
            return
        # lazy, for start-up: workbench.tui.screens.modals (with textual …) loads on first use
        from workbench.tui.screens.modals import ConfirmScreen

        def decided(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.call_later(self._quit_now)

        self.push_screen(
            ConfirmScreen(
                "The editor has unsaved changes (kept as a local draft). Quit anyway?",
                yes="Quit, keep the draft",
                no="Stay",
            ),
            decided,
        )

    async def _quit_now(self) -> None:
        # lazy, for start-up: workbench.tui.screens.main (with rich, textual …) loads on first use
        from workbench.tui.screens.main import MainScreen

        main = self.main
        if main is not None:
            await main.close()
        for screen in self.site_screens.values():  # the other sites opened since
            if isinstance(screen, MainScreen) and screen is not main:
                await screen.close()
        self.exit()
