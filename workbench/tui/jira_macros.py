"""Live Jira issue macros in the page viewer: each macro of the page shown gets its issue's key,
summary and status from Jira — ONE batched search per page (``key in (…)``,
:meth:`workbench.jira.client.JiraClient.issues_by_keys`), after the page is shown (never before it),
cached per site for :data:`TTL` seconds (reopening the page within it asks nothing).

Which macros are this site's Jira: a macro with no ``server``/``serverId`` parameter, or one naming
``System JIRA`` (what Confluence Cloud calls the Jira of its own site), or one whose ``serverId`` a
``System JIRA`` macro of the page uses. Any other server is an application link to another Jira
this login cannot reach: the macro says "other Jira server" and nothing is asked.

When Jira cannot answer, every macro keeps its key with a short reason (:func:`reason`): not
reachable, no Jira on the site, no permission, a login without Jira's scopes; an issue Jira does not
return says "not found, or you may not see it". The page stays readable; nothing raises.
"""

from __future__ import annotations

import html
import re
import time
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.confluence.errors import (
    AuthError,
    NetworkError,
    PermissionDenied,
    RateLimited,
    ScopeMissing,
    ServerError,
)
from workbench.errors import WorkbenchError
from workbench.tui.jira_chips import OTHER_SERVER, JiraChip

if TYPE_CHECKING:
    from workbench.jira.client import JiraClient
    from workbench.services.pages import OpenedPage
    from workbench.services.workspace import Workspace
    from workbench.tui.panes.page import PagePane
    from workbench.tui.panes.page_base import PageBase
    from workbench.tui.widgets.document import DocumentView

TTL = 60.0  # seconds a macro's issue is reused without asking Jira again
OWN_SERVER = "system jira"
NOT_FOUND = "not found, or you may not see it"

_MACRO = re.compile(
    r"<ac:structured-macro\b[^>]*\bac:name=\"jira\"[^>]*?(?:/>|>(.*?)</ac:structured-macro>)", re.S
)
_PARAM = re.compile(r"<ac:parameter\b[^>]*\bac:name=\"([^\"]*)\"[^>]*>(.*?)</ac:parameter>", re.S)
_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]*-\d+")
_FOLLOW = re.compile(r"screen\.follow_link\((\d+)\)")


@dataclass(frozen=True)
class MacroRef:
    """One Jira macro of a page's storage: its issue key and whether it names another Jira."""

    key: str
    other_server: bool = False


def macros_in(storage: str | None) -> list[MacroRef]:
    """The page's single-issue Jira macros (a JQL-table macro has no ``key``: not listed), in order."""
    found: list[tuple[str, str, str]] = []
    for match in _MACRO.finditer(storage or ""):
        params = {
            name: html.unescape(re.sub(r"<[^>]+>", "", value)).strip()
            for name, value in _PARAM.findall(match.group(1) or "")
        }
        key = params.get("key", "")
        if _KEY.fullmatch(key):
            found.append((key.upper(), params.get("server", ""), params.get("serverId", "")))
    own_ids = {sid for _k, server, sid in found if server.lower() == OWN_SERVER and sid}
    return [
        MacroRef(
            key,
            other_server=bool(server or sid)
            and server.lower() != OWN_SERVER
            and not (sid and sid in own_ids),
        )
        for key, server, sid in found
    ]


#: What a macro says when Jira did not answer, by the error's type (the first that fits)
_REASONS: tuple[tuple[type[BaseException], str], ...] = (
    (NetworkError, "Jira not reachable"),
    (ScopeMissing, "the login has no Jira scopes: run workbench login"),
    (AuthError, "Jira refused the login"),
    (PermissionDenied, "no permission in Jira: ask a Jira admin"),
    (RateLimited, "Jira is busy (rate limited)"),
    (ServerError, "Jira had an error"),
)


def reason(error: BaseException) -> str:
    """A short, plain reason a macro shows when Jira did not answer (never a traceback)."""
    # lazy, for start-up: workbench.jira.errors loads on first use
    from workbench.jira.errors import NoJira

    if isinstance(error, NoJira):
        return "no Jira on this site"
    for kind, words in _REASONS:
        if isinstance(error, kind):
            return words
    if isinstance(error, WorkbenchError):
        return error.message.split(". ")[0][:60]
    return "Jira could not be asked"


class MacroCache:
    """A site's issues as its macros last showed them, each for :data:`TTL` seconds."""

    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self._items: dict[str, tuple[float, JiraChip]] = {}

    def get(self, key: str) -> JiraChip | None:
        item = self._items.get(key)
        if item is None or self._clock() - item[0] > TTL:
            return None
        return item[1]

    def put(self, chip: JiraChip) -> None:
        self._items[chip.key] = (self._clock(), chip)

    def forget(self, key: str) -> None:
        self._items.pop(key, None)


#: per connected site: a Workspace's client is its site's (and goes with it)
_CACHES: weakref.WeakKeyDictionary[object, MacroCache] = weakref.WeakKeyDictionary()


def cache_of(ws: Workspace) -> MacroCache:
    """The macro cache of a connected site (one per site's client)."""
    cache = _CACHES.get(ws.client)
    if cache is None:
        cache = _CACHES[ws.client] = MacroCache()
    return cache


def jira_of(ws: Workspace) -> JiraClient:
    """The site's Jira on the Confluence login's own connection (the same retries, pacing and OAuth
    refresh); ``JIRA_URL`` or the profile's ``jira_url`` names Jira's address when it is not on the
    same host, as for the CLI and the agent."""
    # lazy, for start-up: workbench.jira.client loads on first use
    from workbench.auth.jira_connect import jira_url_for
    from workbench.jira.client import JiraClient

    return JiraClient.beside(ws.client, jira_url_for(ws.client.base_url))


async def fetch_chips(ws: Workspace, keys: list[str]) -> dict[str, JiraChip]:
    """The chips of ``keys`` (this site's Jira): one batched search; Jira's failure is every
    macro's reason. The answers go into the site's cache (a failure does not: the next look asks)."""
    try:
        got = await jira_of(ws).issues_by_keys(keys)
    except WorkbenchError as exc:
        why = reason(exc)
        return {key: JiraChip(key, note=why) for key in keys}
    cache = cache_of(ws)
    chips: dict[str, JiraChip] = {}
    for key in keys:
        issue = got.found.get(key)
        if issue is None:
            chip = JiraChip(key, note=NOT_FOUND)
        else:
            chip = JiraChip(key, issue.summary, issue.status, issue.status_category)
        cache.put(chip)
        chips[key] = chip
    return chips


def show_live_jira(pane: PageBase, opened: OpenedPage) -> None:
    """Before the page is drawn: its macros' issues the cache knows (and the other servers') go to
    the viewer; the rest are asked for in one search after the page shows, then drawn in."""
    ws = pane.host.workspace
    viewer = pane.viewer
    refs = macros_in(opened.page.storage) if ws is not None else []
    if ws is None or not refs:
        viewer.jira = {}
        return
    cache = cache_of(ws)
    other = {r.key for r in refs if r.other_server} - {r.key for r in refs if not r.other_server}
    chips: dict[str, object] = {key: JiraChip(key, note=OTHER_SERVER) for key in other}
    wanted: list[str] = []
    for ref in refs:
        if ref.key in chips or ref.key in wanted:
            continue
        cached = cache.get(ref.key)
        if cached is not None:
            chips[ref.key] = cached
        else:
            wanted.append(ref.key)
    viewer.jira = chips
    if wanted:
        pane.run_worker(
            _fill(pane, ws, opened, wanted),
            group="jira-macros",
            exclusive=True,
            exit_on_error=False,
        )


async def _fill(pane: PageBase, ws: Workspace, opened: OpenedPage, keys: list[str]) -> None:
    chips = await fetch_chips(ws, keys)
    current = ws.current
    if current is None or current.page.id != opened.page.id:
        return  # another page is shown now: its own macros are asked for
    pane.viewer.jira = {**pane.viewer.jira, **chips}
    pane.viewer.restyle()


def refresh_issue(pane: PageBase, key: str) -> None:
    """After an action on ``key`` (issue view): forget it and draw the page's macros again (one
    search for it, when the page shows it)."""
    ws = pane.host.workspace
    if ws is None:
        return
    cache_of(ws).forget(key)
    current = ws.current
    if current is not None and key in {r.key for r in macros_in(current.page.storage)}:
        pane.viewer.jira = {k: v for k, v in pane.viewer.jira.items() if k != key}
        show_live_jira(pane, current)


def jira_links_in_view(view: DocumentView) -> list[int]:
    """The indexes (in ``view.links``) of the Jira macros drawn in the lines on screen, in order;
    when none is on screen, those of the whole page."""
    jira = {i for i, (_text, href) in enumerate(view.links) if href.startswith("jira:")}
    if not jira:
        return []
    top = int(view.scroll_y)
    seen: list[int] = []
    for strip in view.lines_between(top, top + max(1, view.scrollable_content_region.height)):
        for segment in strip:
            click = segment.style.meta.get("@click", "") if segment.style else ""
            match = _FOLLOW.fullmatch(click) if isinstance(click, str) else None
            if match and int(match.group(1)) in jira and int(match.group(1)) not in seen:
                seen.append(int(match.group(1)))
    return seen or sorted(jira)


def open_jira_in_view(pane: PagePane) -> None:
    """``enter`` in the viewer: the issue view of the Jira macro on screen; a list when several."""
    view = pane.viewer
    indexes = jira_links_in_view(view)
    if not indexes:
        pane.notify("No Jira issue on this page (g follows its links).")
        return
    if len(indexes) == 1:
        pane.follow_link(indexes[0])
        return
    # lazy, for start-up: workbench.tui.screens.modals loads on first use
    from workbench.tui.screens.modals import LinksScreen

    def chosen(index: int | None) -> None:
        if index is not None:
            pane.follow_link(indexes[index])

    pane.app.push_screen(LinksScreen([view.links[i] for i in indexes]), chosen)
