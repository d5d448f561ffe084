"""The open site's own row (the tree's root) and the status bar say "login missing" when the site's
login is gone — no secret stored, or refused by the site — not "offline", which is for a site that
does not answer (Pilot, the real app, stored profiles against the local Confluence)."""

from __future__ import annotations

from tests.index.test_sites_tui import sites  # noqa: F401 (the stored profiles)
from tests.tui.helpers import settle, wait_until
from workbench.config import load_settings
from workbench.services.sites import default_site
from workbench.tui.app import WorkbenchApp
from workbench.tui.widgets.site_tree import SiteTree


def _root(app) -> str:
    return str(app.main.query_one(SiteTree).root.label)


async def test_a_site_without_its_login_says_login_missing_not_offline(sites):  # noqa: F811
    app = WorkbenchApp(default_site("gamma"), settings=load_settings())  # no token stored
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await wait_until(app, pilot, lambda: app.main.status.state != "connecting", timeout=60)
        assert app.main.status.state == "login missing"
        await wait_until(app, pilot, lambda: _root(app).endswith("⚠ login missing"))
        assert "offline" not in _root(app)
        assert "login missing" in str(app.main.status.render())


async def test_a_login_the_site_refuses_says_login_missing_and_a_dead_site_offline(
    sites,  # noqa: F811
):
    alpha, _beta = sites
    # the stored token no longer works (revoked on the site): it answers 401
    gate = alpha.state.auth_gate
    gate.credentials = {
        email: ("revoked", account) for email, (_, account) in gate.credentials.items()
    }
    app = WorkbenchApp(default_site("alpha"), settings=load_settings())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await wait_until(app, pilot, lambda: app.main.status.state == "login missing", timeout=60)
        await wait_until(app, pilot, lambda: _root(app).endswith("⚠ login missing"))
    app = WorkbenchApp(default_site("delta"), settings=load_settings())  # its server is stopped
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await wait_until(app, pilot, lambda: app.main.status.state == "offline", timeout=60)
        await wait_until(app, pilot, lambda: _root(app).endswith("○ offline"))
