"""The first frame of a site's screen: with nothing cached to draw and a server that is starting
(the demo's: ``SiteSpec.connect_early``), the connection starts as the screen is made (not after its
widgets are composed), so the first requests are answered while the first frame is drawn; a site
that is up is connected after the first frame (its client's set-up would only slow that frame
down). What the connection brings — the spaces, or why it failed — is shown once the screen is
mounted, and said once (Pilot, the real app against the local Confluence)."""

from __future__ import annotations

from dataclasses import replace

from workbench.confluence.errors import AuthError
from workbench.services.site_spec import SiteSpec
from workbench.services.sites import url_site
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.main import MainScreen
from workbench.tui.widgets.site_tree import SiteTree

from .helpers import SIZE, notes, settle, wait_until


async def made_in(app: WorkbenchApp, pilot, site: SiteSpec) -> MainScreen:
    """A site's screen made by the running app (as ``open_site`` makes it), not yet shown."""
    made: list[MainScreen] = []
    app.call_later(lambda: made.append(MainScreen(site)))
    await wait_until(app, pilot, lambda: bool(made))
    return made[0]


async def test_a_site_that_cannot_connect_says_so_once_when_its_screen_shows(isolated_home):
    refusal = "No API token is stored for Broken: run 'workbench login'."

    def connect():
        raise AuthError(refusal)

    app = WorkbenchApp(None)  # the welcome screen: the site's screen is made by the test
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await made_in(
            app, pilot, SiteSpec("broken", "Broken", connect, connect_early=True)
        )
        # it failed before the screen was mounted: nothing could be shown yet, nothing was lost
        await wait_until(app, pilot, lambda: screen.connection._done.is_set())
        assert not screen.is_mounted
        app.push_screen(screen)
        await settle(app, pilot)
        await wait_until(app, pilot, lambda: screen.status.state != "connecting")
        assert screen.status.state == "login missing"
        said = notes(app)
        assert [n for n in said if refusal in n] == [refusal], said  # once, not once per waiter
        assert not screen.query_one(SiteTree).root.children
        assert screen.editor_pane.composed  # start-up is over: the hidden tabs were made


async def test_with_nothing_cached_a_site_screen_connects_as_it_is_made(demo_server, isolated_home):
    app = WorkbenchApp(None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        starting = replace(url_site(demo_server.base_url, name="Demo"), connect_early=True)
        screen = await made_in(app, pilot, starting)
        # connected before its widgets exist: the client is loaded and the site can be asked
        await wait_until(app, pilot, lambda: screen.workspace is not None)
        assert not screen.is_mounted
        app.push_screen(screen)
        await settle(app, pilot)
        tree = screen.query_one(SiteTree)
        await wait_until(app, pilot, lambda: bool(tree.root.children))
        assert [n.data.title for n in tree.root.children] == [
            "Platform Engineering",
            "Product & Design",
            "Demo User",
        ]
        assert screen.status.state == "online"
        assert screen.status.user == "Demo User"
        # the spaces and the user, each asked once: the early start asks nothing twice
        assert screen.workspace.client.request_count == 2
        assert not [n for n in notes(app) if "error" in n.lower()]


async def test_a_site_that_is_up_is_connected_after_the_first_frame(demo_server, isolated_home):
    site = url_site(demo_server.base_url, name="Demo")  # connect_early: False
    app = WorkbenchApp(None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await made_in(app, pilot, site)
        assert not screen.connection._started  # made: nothing is loaded or asked yet
        mounted_when_connecting: list[bool] = []
        connect = screen.connect

        def connect_and_note() -> None:
            mounted_when_connecting.append(screen.is_mounted)
            connect()

        screen.connect = connect_and_note  # type: ignore[method-assign]
        app.push_screen(screen)
        await settle(app, pilot)
        tree = screen.query_one(SiteTree)
        await wait_until(app, pilot, lambda: bool(tree.root.children))
        assert mounted_when_connecting and all(mounted_when_connecting)
        assert [n.data.title for n in tree.root.children] == [
            "Platform Engineering",
            "Product & Design",
            "Demo User",
        ]
        assert screen.status.state == "online" and screen.status.user == "Demo User"
        assert screen.workspace.client.request_count == 2  # the spaces and the user, once each
