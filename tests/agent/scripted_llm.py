"""A scripted OpenAI-compatible Chat Completions server on 127.0.0.1 (real HTTP, for tests).

It serves ``POST /v1/chat/completions`` both ways the SDK asks for it: streaming (Server-Sent
Events with ``delta`` chunks, tool calls split into argument fragments) and non-streaming (one JSON
body). Each request consumes the next *turn* of the script. A turn is a dict, or a callable that
receives the request body (so a scripted model can read tool results, e.g. the base version) and
returns a dict:

``{"text": "...", "tool_calls": [{"name": "get_page", "arguments": {...}}]}``
    an assistant message (text and/or tool calls);
``{"status": 429, "error": "slow down", "retry_after": 1}``
    an HTTP error answer;
``{"text": "partial", "fail_after": 2}``
    stream ``fail_after`` chunks, then break the connection mid-stream;
``{"text": "...", "chunk_delay": 0.2}``
    stream slowly (the cancel test closes the stream part-way; ``.disconnects`` counts that);
``{"text": "...", "delay": 2}``
    wait before answering at all (timeouts).

When the script runs out, the server answers with a plain "(script finished)" message.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route

Turn = dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]]


class ScriptedLLM:
    """The server; ``.base_url`` is ``http://127.0.0.1:PORT/v1``. Use as a context manager."""

    def __init__(self, script: list[Turn] | None = None, *, model: str = "scripted-model") -> None:
        self.script: list[Turn] = list(script or [])
        self.model = model
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.disconnects = 0
        self.errors: list[Exception] = []
        self.completed_streams = 0
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None
        self.port = 0
        app = Starlette(routes=[Route("/v1/chat/completions", self._complete, methods=["POST"])])
        self.app = app

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> ScriptedLLM:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        self._sock = sock
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(self.app, log_level="critical", lifespan="off", access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:  # pragma: no cover - environment trouble
                raise RuntimeError("scripted LLM server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._sock is not None:
            self._sock.close()

    def __enter__(self) -> ScriptedLLM:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the endpoint ----------------------------------------------------------------------
    async def _complete(self, request: Request):
        body = await request.json()
        self.requests.append(body)
        self.headers.append({k.lower(): v for k, v in request.headers.items()})
        turn: Turn = self.script.pop(0) if self.script else {"text": "(script finished)"}
        if callable(turn):
            try:
                turn = turn(body)
            except Exception as exc:  # a broken script: answer 500 and keep the error for the test
                self.errors.append(exc)
                turn = {"status": 500, "error": f"script error: {exc!r}"}
        if turn.get("delay"):
            await asyncio.sleep(float(turn["delay"]))
        if "status" in turn:
            headers = {}
            if turn.get("retry_after") is not None:
                headers["retry-after"] = str(turn["retry_after"])
            return JSONResponse(
                {"error": {"message": turn.get("error", "scripted failure"), "type": "scripted", "code": None}},
                status_code=int(turn["status"]),
                headers=headers,
            )
        if body.get("stream"):
            return StreamingResponse(self._stream(turn), media_type="text/event-stream")
        return JSONResponse(self._full(turn))

    def _full(self, turn: dict[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": turn.get("text") or None}
        calls = _tool_calls(turn)
        if calls:
            message["tool_calls"] = [
                {
                    "id": c["id"],
                    "type": "function",
                    "function": {"name": c["name"], "arguments": c["arguments"]},
                }
                for c in calls
            ]
        return {
            "id": "chatcmpl-scripted",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": self.model,
            "choices": [
                {"index": 0, "message": message, "finish_reason": "tool_calls" if calls else "stop"}
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }

    async def _stream(self, turn: dict[str, Any]):
        chunks = list(self._chunks(turn))
        fail_after = turn.get("fail_after")
        delay = float(turn.get("chunk_delay", 0.0))
        finished = False
        try:
            for n, chunk in enumerate(chunks):
                if fail_after is not None and n >= int(fail_after):
                    raise ConnectionAbortedError("scripted mid-stream failure")
                if delay:
                    await asyncio.sleep(delay)
                yield f"data: {json.dumps(chunk)}\n\n"
            yield "data: [DONE]\n\n"
            finished = True
        finally:
            if finished:
                self.completed_streams += 1
            elif fail_after is None:
                self.disconnects += 1

    def _chunks(self, turn: dict[str, Any]):
        base = {"id": "chatcmpl-scripted", "object": "chat.completion.chunk", "created": 0, "model": self.model}

        def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
            return {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

        yield chunk({"role": "assistant", "content": ""})
        text = turn.get("text") or ""
        for i in range(0, len(text), 7):
            yield chunk({"content": text[i : i + 7]})
        calls = _tool_calls(turn)
        for index, call in enumerate(calls):
            yield chunk(
                {
                    "tool_calls": [
                        {
                            "index": index,
                            "id": call["id"],
                            "type": "function",
                            "function": {"name": call["name"], "arguments": ""},
                        }
                    ]
                }
            )
            args = call["arguments"]
            for i in range(0, len(args), 11):
                yield chunk({"tool_calls": [{"index": index, "function": {"arguments": args[i : i + 11]}}]})
        yield chunk({}, "tool_calls" if calls else "stop")


def _tool_calls(turn: dict[str, Any]) -> list[dict[str, str]]:
    out = []
    for n, call in enumerate(turn.get("tool_calls") or []):
        args = call.get("arguments", {})
        out.append(
            {
                "id": call.get("id") or f"call_{n}_{call['name']}",
                "name": call["name"],
                "arguments": args if isinstance(args, str) else json.dumps(args),
            }
        )
    return out


def tool_results(body: dict[str, Any]) -> list[str]:
    """The ``tool`` messages of a request body, oldest first (for callable turns)."""
    return [m.get("content") or "" for m in body.get("messages", []) if m.get("role") == "tool"]
