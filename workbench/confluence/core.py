"""The client's plumbing: one httpx client over the retry transport, typed errors, pagination.

The API methods live in mixins (``reads``, ``writes``, ``search``, ``social``) that all build on
:class:`ClientCore`; ``workbench.confluence.client.ConfluenceClient`` puts them together.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit
from urllib.request import (  # type: ignore[attr-defined]
    getproxies_environment,
    proxy_bypass_environment,
)

import httpx

from workbench import __version__
from workbench.confluence.errors import (
    AuthError,
    BadQuery,
    BadRequest,
    ConfluenceError,
    LoginBlocked,
    LoginRedirect,
    NetworkError,
    ServerError,
)
from workbench.confluence.http_errors import error_for, json_body
from workbench.confluence.login_errors import redirect_error
from workbench.confluence.network_errors import network_error
from workbench.confluence.parse_v2 import obj
from workbench.confluence.pauses import PauseBook, shared_book
from workbench.confluence.tls_on_demand import TlsOnDemand
from workbench.confluence.transport import (
    IDEMPOTENT,
    READ_METHODS,
    OnWait,
    RefreshingAuth,
    RetryPolicy,
    RetryTransport,
)
from workbench.confluence.urls import ApiUrls, parse_link_header
from workbench.errors import ConfigError
from workbench.redact import remember_authorization
from workbench.textsafe import printable

T = TypeVar("T")

#: Hard bound on pages followed by one pagination loop (250 × 4 000 = a million items).
MAX_PAGES = 4000
V2_PAGE_SIZE = 250
V1_PAGE_SIZE = 100
MAX_IN_FLIGHT = 8


class ClientCore:
    """Connection, retries, error mapping and pagination shared by every API method."""

    def __init__(
        self,
        base_url: str,
        *,
        auth: httpx.Auth | tuple[str, str] | None = None,
        kind: str = "cloud",
        timeout: float = 30.0,
        max_attempts: int = 4,
        max_wait: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
        on_wait: OnWait | None = None,
        backoff_base: float = 0.5,
        total_timeout: float = 120.0,
        retry_policy: RetryPolicy | None = None,
        site_url: str = "",
        wait_for_pause: bool = False,
        pauses: PauseBook | None = None,
    ) -> None:
        if kind not in ("cloud", "dc"):
            raise ConfigError(f"Unknown site kind '{kind}': use 'cloud' or 'dc'.")
        self.kind = kind
        # A login the server refused for good (wrong password or token, CAPTCHA, SSO redirect): later
        # calls fail at once with the same error instead of adding failed logins. Not for logins
        # that refresh themselves (OAuth): their 401 can be one missing scope on one endpoint.
        self._auth_failure: AuthError | None = None
        self._stop_on_auth_failure = not isinstance(auth, RefreshingAuth)
        self.urls = ApiUrls(base_url, kind, site_url)
        self.base_url = self.urls.base
        policy = retry_policy or RetryPolicy(
            max_attempts=max(1, max_attempts),
            max_wait=max_wait,
            backoff_base=backoff_base,
            total_timeout=total_timeout,
        )
        # At most MAX_IN_FLIGHT requests at once (Atlassian: keep to about 5–10 in flight).
        limits = httpx.Limits(
            max_connections=MAX_IN_FLIGHT, max_keepalive_connections=MAX_IN_FLIGHT
        )
        if transport is None:
            transport = _network_transport(self.urls, limits)
        # Long pauses a site asks for are remembered per site for this process and the next command
        # (``pauses.shared_book``); ``wait_for_pause`` waits them out instead of failing at once.
        self._transport = RetryTransport(
            transport,
            policy,
            on_wait=on_wait,
            site=self.urls.base,
            pauses=pauses if pauses is not None else shared_book(),
            wait_for_pause=wait_for_pause,
            max_in_flight=MAX_IN_FLIGHT,
        )
        self._timeouts = (float(timeout), float(policy.total_timeout))
        self._http = httpx.AsyncClient(
            auth=auth,
            transport=self._transport,
            timeout=timeout,
            follow_redirects=False,
            headers={
                "Accept": "application/json",
                "User-Agent": f"confluence-workbench/{__version__}",
            },
            event_hooks={"request": [_remember_credentials]},
        )

    def __repr__(self) -> str:  # never shows credentials
        return f"ConfluenceClient({self.base_url!r}, kind={self.kind!r})"

    # -- lifecycle -----------------------------------------------------------------------------
    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    @property
    def request_count(self) -> int:
        """HTTP requests actually sent (every retry counts)."""
        return self._transport.request_count

    @property
    def on_wait(self) -> OnWait | None:
        return self._transport.on_wait

    @on_wait.setter
    def on_wait(self, callback: OnWait | None) -> None:
        self._transport.on_wait = callback

    @property
    def is_dc(self) -> bool:
        return self.kind == "dc"

    # -- requests ------------------------------------------------------------------------------
    async def _send(
        self,
        method: str,
        url: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        what: str = "",
        search: bool = False,
        idempotent: bool = False,
        files: Any = None,
        data: Any = None,
    ) -> httpx.Response:
        """One logical request (the transport may retry it); raises a typed error on failure.

        ``idempotent=True`` marks a POST that only reads (``/users-bulk``): retried like a GET.
        ``files``/``data``: a multipart body (attachment uploads), as httpx takes them.
        """
        if self._auth_failure is not None:
            raise self._auth_failure
        write = method.upper() not in READ_METHODS and not idempotent
        headers = {"X-Atlassian-Token": "no-check"} if method.upper() not in READ_METHODS else None
        try:
            response = await self._http.request(
                method,
                url,
                params=_clean_params(params),
                json=json,
                files=files,
                data=data,
                headers=headers,
                extensions={IDEMPOTENT: True} if idempotent else None,
            )
        except httpx.InvalidURL as exc:  # e.g. a 100 KB CQL query: httpx refuses URLs over 64 KiB
            too_long = "too long" in str(exc)
            what_ = "That CQL query" if search else f"The request for {what or 'that'}"
            refused = BadQuery if search else BadRequest
            raise refused(
                f"{what_} is too long to send in a URL; shorten it."
                if too_long
                else f"{what_} cannot be sent: {printable(str(exc))}.",
            ) from None
        except UnicodeEncodeError:  # a lone surrogate (undecodable input, or a server's "\ud800")
            raise BadRequest(
                f"The request for {what or 'that'} holds text that is not valid Unicode (a lone surrogate, "
                "often from input that was not UTF-8), so it was not sent."
            ) from None
        except httpx.TransportError as exc:
            raise self._network_error(exc, write=write) from exc
        except httpx.RequestError as exc:  # e.g. a body that does not decode (DecodingError)
            raise ServerError(
                f"The answer from {self.urls.host} could not be read ({type(exc).__name__}). "
                f"Is the URL the {self.product} base URL?"
            ) from exc
        if response.status_code >= 300:
            error = (
                redirect_error(response)
                if response.status_code < 400
                else self._error_for(response, what=what, search=search)
            )
            if isinstance(error, (LoginBlocked, LoginRedirect)) or (
                isinstance(error, AuthError) and self._stops_login(error)
            ):
                # Every further request would fail the same way, and on Data Center each one with a
                # wrong password counts as another failed login (a CAPTCHA after three): stop here.
                self._auth_failure = error
            raise error
        return response

    # -- hooks: how a product words its refusals (the Jira client passes its own) ---------------
    #: the product named in messages about the answer itself
    product = "Confluence"

    def _error_for(self, response: httpx.Response, *, what: str, search: bool) -> ConfluenceError:
        """The typed error for a refusal (status 400 and up) in the product's words."""
        return error_for(response, what=what, search=search)

    def _network_error(self, exc: httpx.TransportError, *, write: bool) -> NetworkError:
        """The typed error for a broken connection (``AmbiguousWrite`` when a write may have landed)."""
        return network_error(exc, self.urls.host, write=write, timeouts=self._timeouts)

    def _stops_login(self, error: AuthError) -> bool:
        """Whether this refusal means the login is dead, so no further request is sent."""
        return self._stop_on_auth_failure

    async def _json(self, method: str, url: str, **kwargs: Any) -> Any:
        response = await self._send(method, url, **kwargs)
        return json_body(response, what=kwargs.get("what", ""))

    async def _get(self, url: str, params: dict[str, Any] | None = None, *, what: str = "") -> dict:
        data = await self._json("GET", url, params=params, what=what)
        if not isinstance(data, dict):
            raise ServerError(
                f"Confluence's answer for {what or 'that request'} was not the expected JSON object."
            )
        self._learn_site(data)
        return data

    def _learn_site(self, data: dict) -> None:
        links = data.get("_links")
        if isinstance(links, dict):
            self.urls.learn_site(links.get("base"))

    async def _paginate(
        self,
        url: str,
        params: dict[str, Any] | None,
        parse: Callable[[dict], T],
        *,
        what: str = "",
        search: bool = False,
        ahead: bool = False,
    ) -> AsyncIterator[T]:
        """Follow ``next`` links (body ``_links.next`` or the ``Link`` header) to the end.

        ``ahead``: the next page is asked for as soon as this one's ``next`` link is read, before
        its items are handed out, so the server works on it while the caller works on them (the
        tree's wide levels: one request in flight at most; cancelled if the caller stops early)."""
        next_url: str | None = url
        next_params = params
        seen: set[str] = set()
        coming: asyncio.Future[httpx.Response] | None = None
        try:
            for _ in range(MAX_PAGES):
                if next_url is None:
                    return
                if coming is not None:
                    response, coming = await coming, None
                else:
                    response = await self._send(
                        "GET", next_url, params=next_params, what=what, search=search
                    )
                data = json_body(response, what=what)
                if not isinstance(data, dict):
                    raise ServerError(
                        f"Confluence's answer for {what or 'that list'} was not a JSON object."
                    )
                if not isinstance(data.get("results"), list):
                    raise ServerError(
                        f"The server's answer for {what or 'that list'} has no list of results, so "
                        "it is not Confluence's. Is the URL the Confluence base URL?"
                    )
                self._learn_site(data)
                link_block = obj(data.get("_links"))
                link = link_block.get("next") or parse_link_header(response.headers.get("Link"))
                next_url = self.urls.resolve_next(link, context=link_block.get("context"))
                next_params = None
                if next_url is not None:
                    if next_url in seen:
                        raise ServerError(
                            f"Confluence sent the same 'next' link twice while listing "
                            f"{what or 'results'}; stopped to avoid looping."
                        )
                    seen.add(next_url)
                    if ahead:
                        coming = asyncio.ensure_future(
                            self._send("GET", next_url, what=what, search=search)
                        )
                for item in data["results"]:
                    if isinstance(item, dict):
                        yield parse(item)
            raise ServerError(f"Stopped listing {what or 'results'} after {MAX_PAGES} pages.")
        finally:
            if coming is not None:  # the caller stopped early, or this page's items failed
                coming.cancel()
                coming.add_done_callback(_quietly)


def _quietly(future: asyncio.Future[Any]) -> None:
    """A request no one waits for any more: its failure is not reported as never retrieved."""
    if not future.cancelled():
        future.exception()


async def _remember_credentials(request: httpx.Request) -> None:
    """Every credential this client sends (after its auth flow) is hidden from messages from now on,
    so a server that echoes the Authorization header back cannot get it printed (``workbench.redact``)."""
    remember_authorization(request.headers.get("Authorization"))


def _clean_params(params: dict[str, Any] | None) -> dict[str, Any] | None:
    if not params:
        return None
    out: dict[str, Any] = {}
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            out[key] = "true" if value else "false"
        elif isinstance(value, (list, tuple, set)):
            out[key] = ",".join(str(v) for v in value)
        else:
            out[key] = value
    return out


LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


def proxy_for(urls: ApiUrls) -> str | None:
    """The proxy for this site from ``HTTPS_PROXY``/``HTTP_PROXY``/``ALL_PROXY`` (honouring
    ``NO_PROXY``), or None. Loopback addresses are always reached directly.

    httpx ignores the proxy environment when a client is given its own transport (as ours is, for
    retries), so the client applies it here.
    """
    # proxy_bypass_environment is in urllib.request (CPython 3.11+) but missing from typeshed's stub

    parts = urlsplit(urls.base)
    host = (parts.hostname or "").lower()
    if host in LOOPBACK:
        return None
    proxies = getproxies_environment()
    proxy = proxies.get(parts.scheme) or proxies.get("all")
    if not proxy or proxy_bypass_environment(host, proxies):
        return None
    return proxy


def _network_transport(urls: ApiUrls, limits: httpx.Limits) -> httpx.AsyncBaseTransport:
    """httpx's transport (its default TLS verification) for an ``https://`` site; for an ``http://``
    one, the same with the TLS part made only if a request needs it (``tls_on_demand``)."""
    proxy = proxy_for(urls)
    try:
        if urlsplit(urls.base).scheme == "http":
            return TlsOnDemand(limits=limits, proxy=proxy)
        return httpx.AsyncHTTPTransport(retries=0, limits=limits, proxy=proxy)
    except ImportError:
        raise ConfigError(
            "The proxy in your environment is a SOCKS proxy, which needs the 'socksio' package "
            "(pip install 'httpx[socks]')."
        ) from None
    except (ValueError, httpx.InvalidURL) as exc:
        raise ConfigError(f"The proxy set in the environment is not usable: {exc}.") from None
