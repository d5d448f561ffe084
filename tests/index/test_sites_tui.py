"""Every configured site in one place (Pilot, the real app): the other stored profiles are top-level
rows of the tree pane, each with its connection state — online (it answered), offline (it did not),
login missing (no secret stored: not even asked) — and enter on one switches the app to it without a
restart; the palette's "switch site" goes back, to the same screen as it was left."""

from __future__ import annotations

import pytest

from tests.tui.helpers import notes, settle, wait_until
from workbench.auth.token_login import save_token_login
from workbench.config import Profile, load_settings, save_settings
from workbench.services.sites import default_site
from workbench.tui.app import WorkbenchApp
from workbench.tui.panes.tree_sites import OtherSites
from workbench.tui.widgets.site_tree import SiteTree

USER, TOKEN = "demo@example.com", "demo-token"


@pytest.fixture
def sites(local_confluence):
    """Profiles: alpha (the demo), beta (one space BETA), delta (its server stopped), gamma (no
    token stored)."""
    alpha = local_confluence("demo")
    beta = local_confluence("empty")
    beta.store.create_space("BETA", "Beta projects")
    delta = local_confluence("empty")
    for name, server in (("alpha", alpha), ("beta", beta), ("delta", delta)):
        saved, _ = save_token_login(server.base_url, username=USER, secret=TOKEN, wanted=name)
        assert saved == name
    delta.go_offline()
    settings = load_settings()
    settings.profiles["gamma"] = Profile(
        name="gamma", url="http://127.0.0.1:9/wiki", auth="api-token", username=USER
    )
    settings.default_profile = "alpha"
    save_settings(settings)
    return alpha, beta


def _states(app) -> dict[str, str]:
    widget = app.main.query_one("#other-sites", OtherSites)
    return {name: state.state for name, state in widget.states.items()}


async def test_other_sites_are_listed_with_their_state_and_enter_switches(sites):
    alpha, beta = sites
    app = WorkbenchApp(default_site("alpha"), settings=load_settings())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        first = app.main
        widget = first.query_one("#other-sites", OtherSites)
        assert [e.profile for e in widget.entries] == ["beta", "delta", "gamma"]
        await wait_until(app, pilot, lambda: len(_states(app)) == 3, timeout=60)
        assert _states(app) == {"beta": "online", "delta": "offline", "gamma": "login missing"}
        labels = [str(n.label) for n in widget.root.children]
        assert labels[0].endswith("● online") and labels[2].endswith("⚠ login missing")
        assert str(first.query_one(SiteTree).root.label).endswith("● online")  # the open site
        # enter on beta: the app switches to it (no restart), beta's spaces in the tree
        widget.focus()
        widget.move_cursor(widget.root.children[0])
        await pilot.press("enter")
        await wait_until(app, pilot, lambda: app.main is not first)
        await settle(app, pilot)
        second = app.main
        assert second.site.profile is not None and second.site.profile.name == "beta"
        tree = second.query_one(SiteTree)
        await wait_until(app, pilot, lambda: bool(tree.root.children))
        assert [n.data.title for n in tree.root.children] == ["Beta projects"]
        assert second.status.site == "beta"
        # the palette's "switch site" lists every site, and going back finds the same screen
        await app.run_action("switch_site")
        await wait_until(app, pilot, lambda: app.screen.id == "switch-site")
        await pilot.press("enter")  # alpha is first
        await wait_until(app, pilot, lambda: app.main is first)
        assert first.site.profile is not None and first.site.profile.name == "alpha"
        assert not [n for n in notes(app) if "error" in n.lower()]


async def test_a_single_site_shows_no_site_list(local_confluence):
    server = local_confluence("demo")
    saved, _ = save_token_login(server.base_url, username=USER, secret=TOKEN, wanted="solo")
    app = WorkbenchApp(default_site(saved), settings=load_settings())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        widget = app.main.query_one("#other-sites", OtherSites)
        assert widget.entries == [] and not widget.display
        assert "online" not in str(app.main.query_one(SiteTree).root.label)  # as it always was
