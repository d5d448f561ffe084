"""A small replay server: recorded answers served over loopback HTTP, for the real client to meet.

``Replay({("GET", "/wiki/rest/api/search"): Answer(200, body)})`` listens on 127.0.0.1 (a free port)
in a thread; ``.origin`` is its address. An answer may be a list: the requests to that path get them in
order (the last one repeats). Every request is recorded in ``.seen`` (method, path, raw query, the
``Authorization`` scheme); a request nothing was recorded for gets a plain 404.
"""

from __future__ import annotations

import http.server
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

RECORDED = Path(__file__).resolve().parent / "recorded"


def recorded(name: str) -> str:
    return (RECORDED / name).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Answer:
    status: int
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    query: str
    auth: str  # "basic", "bearer" or ""

    @property
    def params(self) -> dict[str, list[str]]:
        return parse_qs(self.query, keep_blank_values=True)


class Replay:
    def __init__(self, routes: dict[tuple[str, str], Answer | list[Answer]]) -> None:
        self.routes = {
            key: (value if isinstance(value, list) else [value]) for key, value in routes.items()
        }
        self.seen: list[Seen] = []
        self._served: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()
        replay = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self) -> None:
                parts = urlsplit(self.path)
                scheme = self.headers.get("Authorization", "").partition(" ")[0].lower()
                key = (self.command, parts.path)
                with replay._lock:
                    replay.seen.append(Seen(self.command, parts.path, parts.query, scheme))
                    answers = replay.routes.get(key)
                    index = replay._served.get(key, 0)
                    replay._served[key] = index + 1
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                if answers is None:
                    answer = Answer(404, "", {}, "text/plain")
                else:
                    answer = answers[min(index, len(answers) - 1)]
                data = answer.body.encode("utf-8")
                self.send_response(answer.status)
                if answer.content_type:
                    self.send_header("Content-Type", answer.content_type)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _answer  # noqa: N815 - http.server's naming

            def log_message(self, *args) -> None:  # quiet
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> Replay:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
