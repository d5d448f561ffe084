"""A one-shot OAuth redirect listener on the loopback interface (RFC 8252 §7.3).

It binds to ``127.0.0.1`` only, never to every interface, and accepts exactly one callback that
carries the ``state`` of the login in progress. A request with a wrong or missing state gets an error
page and the listener keeps waiting; the first request with the right state ends the wait, with the
authorization code or the server's error (e.g. ``access_denied``). The browser always gets a small
page saying what happened and that the tab can be closed: for the accepted callback the answer waits
until the flow calls :meth:`LoopbackListener.finish` (after the token exchange), so the page can say
whether the login really worked.
"""

from __future__ import annotations

import asyncio
import errno
import html
import os
import secrets
import sys
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from workbench.auth.errors import LoginFailed
from workbench.textsafe import printable

LOOPBACK_HOST = "127.0.0.1"
_MAX_HEADER = 16 * 1024


@dataclass(slots=True)
class CallbackResult:
    code: str = field(repr=False)


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#172b4d}}
h1{{font-size:1.4rem}} .ok{{color:#216e4e}} .bad{{color:#ae2e24}}</style></head>
<body><h1 class="{cls}" id="result">{title}</h1><p id="detail">{detail}</p>
<p>You can close this tab and return to the terminal.</p></body></html>"""


def page(title: str, detail: str, ok: bool) -> bytes:
    return _PAGE.format(
        title=html.escape(title), detail=html.escape(detail), cls="ok" if ok else "bad"
    ).encode("utf-8")


class LoopbackListener:
    """Listen on ``127.0.0.1:port`` for ``GET {path}?code=…&state=…``.

    ``port=0`` picks a free port (useful against servers that accept any loopback port, as RFC 8252
    asks; Atlassian wants the exact registered port, so the CLI defaults to 8765).
    """

    def __init__(self, *, state: str, port: int = 8765, path: str = "/callback") -> None:
        self._state = state
        self._requested_port = port
        self.path = path
        self.port = port
        self._server: asyncio.base_events.Server | None = None
        self._result: asyncio.Future[CallbackResult] | None = None
        self._outcome: asyncio.Future[tuple[bool, str, str]] | None = None
        self._handlers: set[asyncio.Task] = set()

    async def __aenter__(self) -> LoopbackListener:
        await self.start()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._result = loop.create_future()
        self._outcome = loop.create_future()
        try:
            # SO_REUSEADDR (POSIX): the TIME-WAIT sockets our own answered callbacks leave behind
            # must not block the next login for a minute; a port another program listens on is
            # still refused (Linux and macOS refuse a second listener even with the option). On
            # Windows the option would let another program take the port over, so it is off there.
            self._server = await asyncio.start_server(
                self._handle,
                host=LOOPBACK_HOST,
                port=self._requested_port,
                reuse_address=os.name == "posix" and sys.platform != "cygwin",
            )
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                raise LoginFailed(
                    f"Port {self._requested_port} on {LOOPBACK_HOST} is already in use, so the login "
                    "callback cannot be received. Close the program using it, or register another "
                    "callback port in your OAuth app and pass it with --port."
                ) from None
            raise LoginFailed(
                f"Cannot listen on {LOOPBACK_HOST}:{self._requested_port}: {exc.strerror}."
            ) from None
        self.port = self._server.sockets[0].getsockname()[1]

    def finish(self, ok: bool, title: str, detail: str) -> None:
        """Tell the browser how the login ended (its callback request waits for this)."""
        if self._outcome is not None and not self._outcome.done():
            self._outcome.set_result((ok, title, detail))

    async def close(self) -> None:
        self.finish(True, "Login received", "Return to Workbench to see how the login ended.")
        if self._handlers:
            await asyncio.wait(set(self._handlers), timeout=5)
        if self._server is not None:
            self._server.close()
            try:
                await asyncio.wait_for(self._server.wait_closed(), 2)
            except (TimeoutError, RuntimeError):
                pass
            self._server = None

    async def wait(self, timeout: float) -> CallbackResult:
        """The authorization code, or LoginFailed (denied, server error, timeout)."""
        assert self._result is not None, "start() first"
        try:
            return await asyncio.wait_for(asyncio.shield(self._result), timeout)
        except TimeoutError:
            raise LoginFailed(
                f"No login callback arrived within {timeout:g} s. Run 'workbench login' again "
                "and complete the consent in the browser."
            ) from None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._handlers.add(task)
            task.add_done_callback(self._handlers.discard)
        try:
            status, body = await asyncio.wait_for(self._respond(reader), 10)
        except (
            TimeoutError,
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
            ConnectionError,
        ):
            status, body = 400, page("Bad request", "The request could not be read.", False)
        if body is None:  # the accepted callback: answer once the login has finished (or failed)
            assert (
                self._outcome is not None
            )  # made by start(), before the server accepts a connection
            try:
                ok, title, detail = await asyncio.wait_for(asyncio.shield(self._outcome), 120)
            except TimeoutError:
                ok, title, detail = (
                    True,
                    "Login received",
                    "Return to Workbench to see how the login ended.",
                )
            status, body = 200, page(title, detail, ok)
        reason = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}[
            status
        ]
        head = (
            f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\nCache-Control: no-store\r\n"
            "Referrer-Policy: no-referrer\r\n"
            "Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'\r\n\r\n"
        )
        try:
            writer.write(head.encode("ascii") + body)
            await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()

    async def _respond(self, reader: asyncio.StreamReader) -> tuple[int, bytes | None]:
        raw = await reader.readuntil(b"\r\n\r\n")
        if len(raw) > _MAX_HEADER:
            return 400, page("Bad request", "The request was too large.", False)
        request_line = raw.split(b"\r\n", 1)[0].decode("latin-1")
        parts = request_line.split(" ")
        if len(parts) != 3:
            return 400, page("Bad request", "The request could not be read.", False)
        method, target, _ = parts
        url = urlsplit(target)
        if url.path != self.path:
            return 404, page(
                "Not found", "This address only receives the Workbench login callback.", False
            )
        if method != "GET":
            return 405, page(
                "Method not allowed", "The login callback must be a GET request.", False
            )
        query = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        state = query.get("state", "")
        if not state or not secrets.compare_digest(state.encode(), self._state.encode()):
            return 400, page(
                "Login not accepted",
                "This callback does not belong to the login in progress (wrong or missing state). "
                "Workbench is still waiting for the right one.",
                False,
            )
        result = self._result  # made by start(), before the server accepts a connection
        if result is None or result.done():
            return 400, page(
                "Login already handled", "This login callback was already received.", False
            )
        if query.get("error"):
            err = query["error"]
            detail = printable(
                query.get("error_description") or err
            )  # the server's words, never controls
            if len(detail) > 300:
                detail = detail[:299] + "…"
            if err == "access_denied":
                message = (
                    "The consent was denied in the browser, so Workbench was not given access."
                )
            else:
                message = f"The authorization server answered with an error: {detail}."
            result.set_exception(LoginFailed(message))
            self.finish(False, "Login failed", message)
            return 200, page("Login failed", message, False)
        code = query.get("code", "")
        if not code:
            result.set_exception(LoginFailed("The login callback carried no authorization code."))
            return 400, page("Login failed", "The callback carried no authorization code.", False)
        result.set_result(CallbackResult(code=code))
        return 200, None
