"""Ways to get a :class:`SiteSpec`: the embedded demo, the environment, a stored profile, a login.

Nothing here imports Textual; the slow parts (starting the local server, the keyring, httpx) run
inside ``connect()``, which the main screen calls in a worker thread after the first frame.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.errors import UsageError
from workbench.services.site_spec import SiteSpec

if TYPE_CHECKING:
    from workbench.services.demo_process import DemoProcess

DEMO_USER = "demo@example.com"
DEMO_TOKEN = "demo-token"


class _DemoServer:
    """The local Confluence of the demo, in a process of its own
    (:mod:`workbench.services.demo_process`), started when first needed or at once (``start``).
    In its own process the seeding and the answers do not hold the app's interpreter lock, so the
    TUI draws and the first answers come sooner."""

    def __init__(self, data_dir: Path | None, seed: str, process: DemoProcess | None) -> None:
        self.data_dir, self.seed = data_dir, seed
        self.process = process  # spawned already (workbench demo), waiting to be let go
        self.server: _ChildServer | None = None
        self._started = False
        self._lock = threading.Lock()

    def start(self) -> None:
        """Let the server's process load, seed and serve (spawning it first if need be)."""
        # lazy, for start-up: workbench.services.demo_process loads on first use
        from workbench.services.demo_process import spawn

        with self._lock:
            if self._started:
                return
            self._started = True
            if self.process is None:
                self.process = spawn(self.seed, self.data_dir)
        self.process.go()

    def wait(self) -> _ChildServer:
        self.start()
        assert self.process is not None
        base_url = self.process.wait()  # its first line: at once, or the error it gave
        if self.server is None:
            self.server = _ChildServer(base_url, self.process)
        return self.server

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()


class _ChildServer:
    """The demo's server, as the app sees it: its address, its process, and how to stop it."""

    def __init__(self, base_url: str, demo: DemoProcess) -> None:
        self.base_url = base_url
        self.process = demo.process  # the subprocess.Popen
        self._demo = demo

    def stop(self) -> None:
        self._demo.stop()


def demo_site(
    data_dir: str | Path | None = None,
    seed: str = "demo",
    *,
    start_now: bool | None = False,
    process: DemoProcess | None = None,
) -> SiteSpec:
    """The local Confluence with demo content, started in the background when the app connects —
    or at once with ``start_now`` (it starts while the TUI loads and draws its first frame, so the
    spaces come sooner on a first launch). ``start_now=None`` (``workbench demo``): at once unless
    the tree cache of the site has its spaces — then the tree draws from the cache and the server
    starts after the first frame, not competing with it for the processor. ``process``: its
    process, spawned already for ``data_dir`` and ``seed`` (:func:`~workbench.services.demo_process.spawn`)
    and waiting to be let go."""
    folder = Path(data_dir).expanduser() if data_dir else None
    demo = _DemoServer(folder, seed, process)
    key = f"demo:{folder}" if folder else f"demo:{seed}"
    if start_now or (start_now is None and not _tree_cached(key)):
        demo.start()

    def connect():
        # lazy, for start-up: httpx, workbench.confluence.client (with click …) loads on first use
        import httpx

        from workbench.confluence.client import ConfluenceClient

        server = demo.wait()
        return ConfluenceClient(server.base_url, auth=httpx.BasicAuth(DEMO_USER, DEMO_TOKEN))

    # its local index: a stable reference, and beside the demo's data (DATA/index), or in a folder
    # of this run's own when the demo starts fresh (tui/local_index.py), never among real sites'
    index_folder = str(folder / "index") if folder else ""
    return SiteSpec(
        key,
        "Demo (local)",
        connect,
        on_close=demo.stop,
        index_key=key,
        index_folder=index_folder,
        connect_early=True,  # connect() waits for the server's process, which starts meanwhile
    )


def _tree_cached(site_key: str) -> bool:
    """The tree cache of ``site_key`` has its spaces (the main screen draws them before connecting)."""
    # lazy, for start-up: workbench.config, workbench.services.site_files load on first use
    from workbench.config import cache_dir
    from workbench.services.site_files import tree_cache_file

    if not tree_cache_file(cache_dir(), site_key).exists():
        return False  # a first launch: no more to load before the server may start
    # lazy, for start-up: workbench.services.cache loads on first use
    from workbench.services.cache import TreeCache

    return bool(TreeCache(cache_dir(), site_key).spaces())


def url_site(
    base_url: str, username: str = DEMO_USER, token: str = DEMO_TOKEN, name: str | None = None
) -> SiteSpec:
    """A site at ``base_url`` with Basic credentials (tests, scripts and benches)."""

    def connect():
        # lazy, for start-up: httpx, workbench.confluence.client (with click …) loads on first use
        import httpx

        from workbench.confluence.client import ConfluenceClient

        return ConfluenceClient(base_url, auth=httpx.BasicAuth(username, token))

    return SiteSpec(base_url, name or base_url.split("//", 1)[-1], connect)


def default_site(profile: str | None = None) -> SiteSpec | None:
    """The site named by ``--profile``, the ``CONFLUENCE_*`` variables, or the default profile."""
    # lazy, for start-up: workbench.auth.env, workbench.config loads on first use
    from workbench.auth.env import env_site
    from workbench.config import load_settings

    env = None if profile else env_site()
    if env is not None:
        # lazy, for start-up: workbench.auth.connect (with click, httpx, idna …) loads on first use
        from workbench.auth.connect import client_from_env

        env.require_credentials()  # a ConfigError that says which variables are missing
        url = env.url

        def connect_env():
            # lazy, for start-up: workbench.auth.connect (with click, httpx …) loads on first use
            from workbench.auth.connect import network_options

            client = client_from_env(**network_options())
            assert client is not None
            return client

        # lazy, for start-up: workbench.auth.profiles (with click, httpx, idna …) loads on first use
        from workbench.auth.profiles import stored_profile_for

        # the stored profile with the same URL lends its agent fences (allow-list, profile) to the env site
        stored = stored_profile_for(load_settings(), url=url)
        return SiteSpec(url, url.split("//", 1)[-1], connect_env, profile=stored)
    settings = load_settings()
    prof = settings.profile(profile)
    if prof is None:
        return None

    def connect_profile():
        # lazy, for start-up: workbench.auth.connect, workbench.auth.profiles loads on first use
        from workbench.auth.connect import network_options
        from workbench.auth.profiles import client_for_profile

        return client_for_profile(prof, **network_options(settings))

    return SiteSpec(
        f"profile:{prof.name}:{prof.url}",
        prof.site_name or prof.name,
        connect_profile,
        profile=prof,
    )


def token_login(url: str, username: str, secret: str) -> SiteSpec:
    """Check a username + API token or password (Basic), or a personal access token (no username) against
    the site (the server says whether it is Cloud or Data Center and where its API is), save the profile,
    return the site. Blocks: run it in a worker thread."""
    # lazy, for start-up: workbench.auth.token_login, workbench.confluence.urls loads on first use
    from workbench.auth.token_login import save_token_login
    from workbench.confluence.urls import typed_site_url

    url = typed_site_url(url)
    if not url.startswith(("http://", "https://")):
        raise UsageError(
            "The site URL must start with https://, e.g. https://acme.atlassian.net or "
            "https://confluence.example.com/confluence."
        )
    name, _user = save_token_login(url, username=username, secret=secret)
    site = default_site(name)
    assert site is not None
    return site


def oauth_login(
    client_id: str,
    client_secret: str,
    *,
    on_url=None,
    pick_site=None,
    open_browser=None,
    auth_url: str = "",
    api_url: str = "",
    port: int | None = None,
    timeout: float = 300.0,
) -> SiteSpec:
    """Run the OAuth 3LO loopback login, save the profile (tokens in the keyring), return the site.

    Runs in a worker thread. ``on_url(url)`` shows the authorization URL, ``open_browser(url)`` opens
    it, ``pick_site(sites)`` asks which site to use when several were granted (never the first
    silently). ``auth_url``/``api_url``/``port`` point the flow elsewhere (the local Confluence).
    """
    # lazy, for start-up: asyncio, workbench.auth.oauth … (with click, httpx …) loads on first use
    import asyncio

    from workbench.auth.oauth import (
        DEFAULT_API_URL,
        DEFAULT_AUTH_URL,
        DEFAULT_PORT,
        OAuthApp,
    )
    from workbench.auth.oauth_login import OAuthLogin
    from workbench.auth.profiles import save_oauth_login
    from workbench.auth.store import check_keyring
    from workbench.config import load_settings

    if not client_id or not client_secret:
        raise UsageError(
            "OAuth needs the Client ID and secret of your OAuth 2.0 (3LO) app "
            "(developer.atlassian.com/console/myapps)."
        )
    check_keyring()
    app = OAuthApp(
        client_id=client_id,
        client_secret=client_secret,
        port=DEFAULT_PORT if port is None else port,
        auth_url=auth_url or DEFAULT_AUTH_URL,
        api_url=api_url or DEFAULT_API_URL,
    )
    flow = OAuthLogin(
        app, on_url=on_url, pick_site=pick_site, open_browser=open_browser, timeout=timeout
    )
    result = asyncio.run(flow.run())
    profile = save_oauth_login(result, app, settings=load_settings())
    site = default_site(profile.name)
    assert site is not None
    return site
