"""First run: no profile and no CONFLUENCE_* variables. Offers the demo, an OAuth login, or a token."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static

from workbench.errors import WorkbenchError
from workbench.tui import safe
from workbench.tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from workbench.services.workspace import SiteSpec


class WelcomeScreen(Screen):
    """Three ways in: the local demo, OAuth in the browser, or an API token."""

    BINDINGS = [
        Binding("d", "demo", "Demo", id="welcome.demo", tooltip="Open the built-in demo site"),
        Binding("q", "app.quit", "Quit", id="welcome.quit"),
    ]

    def __init__(self, *, offer_demo: bool = True, login_options: dict | None = None) -> None:
        super().__init__(id="welcome")
        self.offer_demo = offer_demo
        #: Extra arguments for ``sites.oauth_login`` (tests point it at the local Confluence).
        self.login_options = dict(login_options or {})

    def compose(self) -> ComposeResult:
        with Vertical(id="welcome-box"):
            yield Static("Confluence Workbench", id="welcome-title")
            yield Label("No Confluence site is configured yet. Pick one way in:")
            yield Button("Try the demo (d)", id="demo", variant="primary")
            yield Label(
                "…or log in with OAuth in your browser (your OAuth 2.0 app's Client ID and secret):"
            )
            with Horizontal(classes="row"):
                yield Input(placeholder="Client ID", id="client-id")
                yield Input(placeholder="Client secret", password=True, id="client-secret")
                yield Button("Log in with OAuth", id="oauth")
            yield Static("", id="oauth-url")
            yield Label("…or connect with an API token, a password or a personal access token:")
            yield Input(
                placeholder="https://your-site.atlassian.net or https://confluence.example.com/confluence",
                id="url",
            )
            yield Input(
                placeholder="email (Cloud) or username (Data Center); empty for a personal access token",
                id="email",
            )
            yield Input(
                placeholder="API token, password or personal access token",
                password=True,
                id="token",
            )
            yield Button("Connect", id="connect")
            yield Static("", id="welcome-error")
        yield KeyFooter()

    def action_demo(self) -> None:
        # lazy, for start-up: workbench.services.sites loads on first use
        from workbench.services.sites import demo_site

        self.app.pop_screen()
        self._open(demo_site())

    @on(Button.Pressed, "#demo")
    def _demo(self) -> None:
        self.action_demo()

    @on(Button.Pressed, "#oauth")
    def _oauth(self) -> None:
        client_id = self.query_one("#client-id", Input).value.strip()
        secret = self.query_one("#client-secret", Input).value.strip()
        if not client_id or not secret:
            self._failed("Enter the Client ID and secret of your OAuth app first.")
            return
        self.notify("Opening the browser for the Atlassian login…")
        self._failed("")
        self._login(client_id, secret)

    @work(thread=True, exclusive=True, group="login", exit_on_error=False)
    def _login(self, client_id: str, secret: str) -> None:
        # lazy, for start-up: webbrowser, workbench.services.sites loads on first use
        import webbrowser

        from workbench.services.sites import oauth_login

        options = {"open_browser": webbrowser.open, **self.login_options}
        try:
            site = oauth_login(
                client_id,
                secret,
                on_url=lambda url: self.app.call_from_thread(self._show_url, url),
                pick_site=lambda sites: self.app.call_from_thread(self._pick_site, sites),
                **options,
            )
        except WorkbenchError as exc:
            self.app.call_from_thread(self._failed, exc.message)
            return
        self.app.call_from_thread(self._connected, site)

    @on(Button.Pressed, "#connect")
    def _connect(self) -> None:
        url = self.query_one("#url", Input).value.strip()
        email = self.query_one("#email", Input).value.strip()
        token = self.query_one("#token", Input).value.strip()
        if not url or not token:
            self._failed("Enter the site URL and the token.")
            return
        self._failed("")
        self.query_one("#welcome-error", Static).update(
            safe.content("Asking the site and checking the login…")
        )
        self._token_login(url, email, token)

    @work(thread=True, exclusive=True, group="login", exit_on_error=False)
    def _token_login(self, url: str, email: str, token: str) -> None:
        # lazy, for start-up: workbench.services.sites loads on first use
        from workbench.services.sites import token_login

        try:
            site = token_login(url, email, token)
        except WorkbenchError as exc:
            self.app.call_from_thread(self._failed, exc.message)
            return
        self.app.call_from_thread(self._connected, site)

    def _show_url(self, url: str) -> None:
        self.oauth_url = url
        self.query_one("#oauth-url", Static).update(
            safe.content(
                f"If the browser did not open, visit this address to log in:\n{url}", multiline=True
            )
        )

    async def _pick_site(self, sites):
        """Ask which of the granted sites to use (the login never takes the first silently)."""
        # lazy, for start-up: workbench.tui.screens.modals (with textual …) loads on first use
        from workbench.tui.screens.modals import PickScreen

        answer: asyncio.Future = asyncio.get_running_loop().create_future()
        self.app.push_screen(
            PickScreen(
                "You granted access to several sites. Which one should the workbench use?",
                [site.label() for site in sites],
                id="site-picker",
            ),
            lambda index: answer.set_result(None if index is None else sites[index]),
        )
        return await answer

    def _failed(self, message: str) -> None:
        self.query_one("#welcome-error", Static).update(
            safe.content(f"✗ {message}" if message else "", multiline=True)
        )

    def _connected(self, site: SiteSpec) -> None:
        self.app.pop_screen()
        self._open(site)

    def _open(self, site: SiteSpec) -> None:
        # lazy, for start-up: workbench.tui.app loads on first use
        from workbench.tui.app import WorkbenchApp

        if isinstance(self.app, WorkbenchApp):
            self.app.open_site(site)
