"""A hostile HTTP server for tests: it answers every request with an error whose body repeats the
request's ``Authorization`` header, as a misconfigured proxy or WAF may do
(shared/reports/security-reliability.md, D5). Loopback only."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: path prefix → (status, content type, body template); ``{auth}`` is the echoed header value.
MODES = {
    "/echo401": (
        401,
        "application/json",
        lambda auth: json.dumps(
            {"code": 401, "message": f"Client must be authenticated; got Authorization: {auth}"}
        ),
    ),
    "/echo500": (500, "text/plain", lambda auth: f"upstream rejected header Authorization: {auth}"),
    "/echo400": (
        400,
        "application/json",
        lambda auth: json.dumps(
            {
                "statusCode": 400,
                "message": f"com.atlassian.confluence.api.service.exceptions.BadRequestException: "
                f"bad request (Authorization: {auth})",
            }
        ),
    ),
    "/echo403": (
        403,
        "application/json",
        lambda auth: json.dumps(
            {"errors": [{"status": 403, "code": "FORBIDDEN", "title": f"Denied for {auth}"}]}
        ),
    ),
}


class _Echo(http.server.BaseHTTPRequestHandler):
    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        auth = self.headers.get("Authorization", "")
        status, ctype, data = 404, "text/plain", b"no such mode"
        for prefix, (code, kind, body) in MODES.items():
            if self.path.startswith(prefix):
                status, ctype, data = code, kind, body(auth).encode("utf-8")
                break
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = _answer

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def echo_server() -> Iterator[str]:
    """``http://127.0.0.1:PORT`` of a running echoing server."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
