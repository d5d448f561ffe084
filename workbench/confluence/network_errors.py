"""A broken connection as a readable error: DNS, refused, TLS, timeouts — and a write whose answer never
came (:class:`AmbiguousWrite`: it may or may not have landed, so it is settled by reading, never
sent again).
"""

from __future__ import annotations

import re

import httpx

from workbench.confluence.errors import (
    NetworkError,
)
from workbench.confluence.transport import NOT_SENT_ERRORS
from workbench.textsafe import printable

_SSL_REASON = re.compile(
    r"\]\s*([^()\[\]]+)"
)  # "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)"


class AmbiguousWrite(NetworkError):
    """A write was sent but no answer came back: it may or may not have landed."""


def network_error(
    exc: httpx.TransportError,
    host: str,
    *,
    write: bool,
    timeouts: tuple[float, float] | None = None,
) -> NetworkError:
    """A readable error for a transport failure; ``AmbiguousWrite`` when a write may have landed."""
    if isinstance(exc, NOT_SENT_ERRORS):
        if isinstance(exc, httpx.ConnectTimeout):
            return NetworkError(f"Timed out connecting to {host}. Check the URL and your network.")
        text = str(exc).lower()
        if "certificate" in text or "self signed" in text or "self-signed" in text:
            return NetworkError(
                f"The TLS certificate of {host} could not be verified. If the site uses a private "
                "certificate authority, point SSL_CERT_FILE at its certificate bundle."
            )
        if "ssl" in text or "tls" in text:  # e.g. https:// to a port that speaks plain http
            found = _SSL_REASON.search(str(exc))
            reason = printable(found.group(1).strip() if found else type(exc).__name__)
            return NetworkError(
                f"No TLS (https) connection could be set up with {host} ({reason}). If that port speaks "
                "plain http, use an http:// URL; otherwise check the port, and any proxy in between."
            )
        if (
            "name or service" in text
            or "nodename" in text
            or "getaddrinfo" in text
            or "name resolution" in text
        ):
            return NetworkError(f"Cannot find the host {host} (DNS lookup failed). Check the URL.")
        return NetworkError(
            f"Cannot connect to {host}: the connection was refused or the host is unreachable. "
            "Check the URL and that the server is running."
        )
    if write:
        return AmbiguousWrite(
            f"The connection to {host} broke before Confluence answered; the change may or may not "
            "have been saved."
        )
    if isinstance(exc, httpx.TimeoutException):
        if timeouts is None:
            return NetworkError(f"{host} did not answer in time. Try again later.")
        each, total = timeouts
        return NetworkError(
            f"{host} did not answer in time (each try waits up to {each:g} s, all tries together "
            f"{total:g} s). Try again later; if the site is only slow, raise timeout (and total_timeout) under "
            "[network] in config.toml, or set WORKBENCH_TIMEOUT."
        )
    return NetworkError(f"The connection to {host} broke ({type(exc).__name__}). Try again.")
