"""Every configured site in the tree pane, each with its connection state; enter switches to it.

The open site is the tree's root (``SiteTree``); the other configured sites (stored profiles) are
listed under it as top-level rows of their own (:class:`OtherSites`), shown only when there are
any, so a single-site setup looks as it always did. Each row says whether the site is *online*,
*offline* or *login missing*: a profile without a usable secret is known at once (no request); the
others are asked who the login is, one request each, in a worker after the first frame
(``services.site_list.probe``). ``enter`` on a row switches the app to that site without restarting
it (``WorkbenchApp.switch_site``); the palette's "switch site" offers the same list.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree

from workbench.services.site_list import NEEDS_LOGIN, OFFLINE, ONLINE, SiteEntry, SiteState
from workbench.textsafe import printable

if TYPE_CHECKING:
    from workbench.config import Settings
    from workbench.services.workspace import SiteSpec
    from workbench.tui.app import WorkbenchApp
    from workbench.tui.panes.tree import TreePane

#: The mark before a state, single-width (the colours come from the status bar's classes).
MARKS = {ONLINE: "●", OFFLINE: "○", NEEDS_LOGIN: "⚠"}


def state_text(title: str, state: SiteState | None) -> Text:
    """``Acme  ○ offline``: a site's name and its state (``checking…`` before the probe answers)."""
    text = Text(printable(title), style="bold")
    if state is None:
        text.append("  … checking", style="dim")
        return text
    style = {ONLINE: "green", OFFLINE: "dim", NEEDS_LOGIN: "yellow"}.get(state.state, "dim")
    text.append(f"  {MARKS.get(state.state, '?')} {state.state}", style=style)
    return text


class OtherSites(Tree[SiteEntry]):
    """The configured sites other than the open one, top-level rows under the open site's tree."""

    BINDINGS = [
        Binding(
            "enter",
            "choose",
            "Switch",
            id="sites.switch",
            tooltip="Switch to this site (the app keeps running; drafts are kept)",
        ),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    @dataclass
    class Chosen(Message):
        """Enter on a site: switch to it."""

        entry: SiteEntry

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("sites", id=id)
        self.show_root = False
        self.guide_depth = 2
        self.entries: list[SiteEntry] = []
        self.states: dict[str, SiteState] = {}
        self.display = False  # until there are other sites to show (a single site: as always)

    def set_entries(self, entries: list[SiteEntry]) -> None:
        self.entries = list(entries)
        self.root.remove_children()
        for entry in self.entries:
            self.root.add_leaf(state_text(entry.title, self.states.get(entry.profile)), entry)
        self.display = bool(self.entries)

    def set_state(self, profile: str, state: SiteState) -> None:
        self.states[profile] = state
        for node in self.root.children:
            if node.data is not None and node.data.profile == profile:
                node.set_label(state_text(node.data.title, state))

    def action_choose(self) -> None:
        node = self.cursor_node
        if node is not None and node.data is not None:
            self.post_message(self.Chosen(node.data))


def _settings(app: object) -> Settings | None:
    # here, not at the top: workbench.tui.app imports the panes when it opens a site
    from workbench.tui.app import WorkbenchApp

    return app.settings if isinstance(app, WorkbenchApp) else None


def other_sites(app: object, current: SiteSpec) -> list[SiteEntry]:
    """The configured sites but ``current`` (by profile, or by URL for a site opened from
    ``CONFLUENCE_URL``)."""
    # lazy, for start-up: workbench.confluence.urls, workbench.services.site_list loads on first use
    from workbench.confluence.urls import same_site
    from workbench.services.site_list import configured_sites

    settings = _settings(app)
    if settings is None or not settings.profiles:
        return []
    mine = current.profile.name if current.profile is not None else ""
    return [
        entry
        for entry in configured_sites(settings)
        if entry.key != current.key
        and entry.profile != mine
        and not (entry.spec.profile is not None and same_site(entry.spec.profile.url, current.key))
    ]


async def site_state(app: object, entry: SiteEntry) -> SiteState:
    """A configured site's state: login missing (no secret: no request), else what a probe finds.
    The probe runs in a thread with a loop of its own (a keyring read or a token refresh may block)."""
    # lazy, for start-up: workbench.services.site_list loads on first use
    from workbench.services.site_list import login_state, probe

    settings = _settings(app)
    known = login_state(settings, entry.profile) if settings is not None else None
    if known is not None:
        return known
    return await asyncio.to_thread(lambda: asyncio.run(probe(entry.spec)))


class SitesLoader:
    """Fills a tree pane's :class:`OtherSites`: the other configured sites, then each one's state;
    the open site's row (the tree's root) shows its own state from the status bar meanwhile."""

    def __init__(self, pane: TreePane) -> None:
        self.pane = pane

    @property
    def widget(self) -> OtherSites:
        return self.pane.query_one("#other-sites", OtherSites)

    def load(self) -> None:
        pane = self.pane
        others = other_sites(pane.app, pane.host.site)
        self.widget.set_entries(others)
        if not others:
            return
        pane.watch(pane.host.status, "state", self._open_site_state)
        for entry in others:
            pane.run_worker(self._probe(entry), group="site-probe", exit_on_error=False)

    async def _probe(self, entry: SiteEntry) -> None:
        state = await site_state(self.pane.app, entry)
        self.widget.set_state(entry.profile, state)

    def _open_site_state(self, state: str) -> None:
        site = self.pane.host.site
        label = state_text(site.name, SiteState(state) if state != "connecting" else None)
        self.pane.site_tree.root.set_label(label)


def switch_to(app: object, entry: SiteEntry) -> None:
    """Open ``entry``'s site in place of the open one (the app keeps running)."""
    # here, not at the top: workbench.tui.app imports the panes when it opens a site
    from workbench.tui.app import WorkbenchApp

    if isinstance(app, WorkbenchApp):
        app.switch_site(entry.spec)


def pick_site(app: WorkbenchApp) -> None:
    """The palette's "switch site": every configured site with its state (as far as the tree knows
    it), the open one marked; the one chosen is opened in place of the open one."""
    # lazy, for start-up: workbench.services.site_list, workbench.tui.screens.modals loads on first use
    from workbench.services.site_list import configured_sites
    from workbench.tui.screens.modals import PickScreen

    main = app.main
    entries = configured_sites(app.settings)
    if not entries:
        app.notify(
            "No site is configured: 'workbench login' adds one (the demo and CONFLUENCE_URL are "
            "not stored sites)."
        )
        return
    known: dict[str, SiteState] = {}
    current = main.site if main is not None else None
    if main is not None:
        known = dict(main.query_one("#other-sites", OtherSites).states)
    items = []
    for entry in entries:
        is_open = current is not None and (
            entry.key == current.key
            or (current.profile is not None and current.profile.name == entry.profile)
        )
        state = known.get(entry.profile)
        said = "open" if is_open else (state.state if state is not None else "not checked yet")
        named = "" if entry.title == entry.profile else f" ({printable(entry.profile)})"
        items.append(f"{printable(entry.title)}{named} — {said}")

    def chosen(index: int | None) -> None:
        if index is not None:
            app.switch_site(entries[index].spec)

    app.push_screen(PickScreen("Switch to which site?", items, id="switch-site"), chosen)
