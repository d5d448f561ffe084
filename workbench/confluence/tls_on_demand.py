"""The transport of an ``http://`` site: no TLS set-up until a request needs it.

httpx's transport builds its SSL context when it is made — reading and parsing the CA bundle, about
16 ms of CPU — even when every request goes to an ``http://`` address (the local server of
``workbench demo``, a Data Center on a private network, a test). :class:`TlsOnDemand` sends
``http://`` requests through a connection pool that never starts TLS, and an ``https://`` one (a
redirect to a media host, an absolute link) through httpx's own transport with its default
verification, made on the first such request: the same certificate store, the same checks, the same
proxy, as every ``https://`` site gets (``workbench.confluence.core._network_transport``).
"""

from __future__ import annotations

import ssl

import httpx


def _trusts_nothing() -> ssl.SSLContext:
    """The plain pool's context, which httpx needs but no ``http://`` request uses: a client
    context that verifies certificates and host names and trusts no authority, so anything ever
    sent through it over TLS fails closed. (Made without the CA bundle: it costs nothing.)"""
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


class TlsOnDemand(httpx.AsyncBaseTransport):
    """``http://`` through a plain pool; ``https://`` through httpx's default transport, made when
    first needed (see the module)."""

    def __init__(self, *, limits: httpx.Limits, proxy: str | None) -> None:
        self._limits = limits
        self._proxy = proxy
        self._plain = httpx.AsyncHTTPTransport(
            retries=0, limits=limits, proxy=proxy, verify=_trusts_nothing()
        )
        self._tls: httpx.AsyncHTTPTransport | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.scheme == "http":
            return await self._plain.handle_async_request(request)
        if self._tls is None:
            self._tls = httpx.AsyncHTTPTransport(retries=0, limits=self._limits, proxy=self._proxy)
        return await self._tls.handle_async_request(request)

    async def aclose(self) -> None:
        await self._plain.aclose()
        if self._tls is not None:
            await self._tls.aclose()
