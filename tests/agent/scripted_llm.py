"""A scripted OpenAI-compatible Chat Completions server on 127.0.0.1 (real HTTP, for tests).

It serves ``POST /v1/chat/completions`` both ways the SDK asks for it: streaming (Server-Sent
Events with ``delta`` chunks, tool calls split into argument fragments) and non-streaming (one JSON
body). Each request consumes the next *turn* of the script. A turn is a dict, or a callable that
receives the request body (so a scripted model can read tool results, e.g. the base version) and
returns a dict:

``{"text": "...", "tool_calls": [{"name": "get_page", "arguments": {...}}]}``
    an assistant message (text and/or tool calls);
``{"status": 429, "error": "slow down", "retry_after": 1}``
    an HTTP error answer (``retry_after`` is sent as given: seconds or an HTTP date);
``{"text": "partial", "fail_after": 2}``
    stream ``fail_after`` chunks, then break the connection mid-stream;
``{"text": "...", "stop_after": 3}``
    stream 3 chunks, then end the response cleanly: no finish_reason, no ``[DONE]``;
``{"text": "...", "finish": "length"}``
    the finish_reason to send (default ``tool_calls`` or ``stop``);
``{"empty_choices": True}``
    every chunk (or the one body) has ``"choices": []``;
``{"text": "...", "chunk_delay": 0.2}``
    stream slowly (the cancel test closes the stream part-way; ``.disconnects`` counts that);
``{"text": "...", "delay": 2}``
    wait before answering at all (timeouts);
``{"dialect": "ollama-old", "args_object": True, ...}``
    speak one server's wire format for this turn (else the server's ``dialect``).

Dialects (each from the server's own source or a maintainer's issue, cited in ``_DIALECTS``):

``openai``            index + id + name once, then argument fragments; content null with tool calls.
``vllm``              first tool delta has index, id, type and name but no ``arguments`` key
                      (vllm/entrypoints/openai/tool_parsers/hermes_tool_parser.py); then fragments.
``llamacpp``          llama-server after ggml-org/llama.cpp#13800: id and name once, arguments ``""``,
                      then 1-character argument deltas; ``content: null``.
``llamacpp-old``      llama-server between #12379 and #13800: the name repeated in every delta, the id
                      inside ``function``, no ``type`` (ggml-org/llama.cpp#13774); refuses an assistant
                      message whose content is null (ggml-org/llama.cpp#13471).
``llama-cpp-python``  ``llama_chat_format._convert_completion_to_chat_function`` (abetlen/llama-cpp-python
                      at 001fbb4): id and name repeated in every chunk, a legacy ``function_call`` beside
                      ``tool_calls``, ``content: None``; refuses a null assistant content (#1805).
``ollama-old``        Ollama before 0.4.7: each call whole in one delta, no ``index``
                      (ollama/ollama#7881), ``content: ""``, finish_reason ``stop``.
``ollama``            Ollama's ``openai/openai.go`` ``ToChunk``: each call whole in one delta with its
                      ``index``; finish_reason ``tool_calls``.
``ollama-index0``     Ollama with a model without a registered parser: every call ``index: 0``
                      with distinct ids (ollama/ollama#15457, #15497).

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

    def __init__(
        self,
        script: list[Turn] | None = None,
        *,
        model: str = "scripted-model",
        dialect: str = "openai",
    ) -> None:
        if dialect not in DIALECTS:
            raise ValueError(f"unknown dialect {dialect!r}")
        self.script: list[Turn] = list(script or [])
        self.model = model
        self.dialect = dialect
        self.requests: list[dict[str, Any]] = []
        self.sizes: list[int] = []  # bytes of each request body as it arrived
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
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True
        )
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
        raw = await request.body()
        body = json.loads(raw)
        self.requests.append(body)
        self.sizes.append(len(raw))
        self.headers.append({k.lower(): v for k, v in request.headers.items()})
        refusal = _refuse_request(self.dialect, body)
        if refusal is not None:
            self.errors.append(AssertionError(refusal))
            return JSONResponse(
                {"error": {"code": 500, "message": refusal, "type": "server_error"}},
                status_code=500,
            )
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
                {
                    "error": {
                        "message": turn.get("error", "scripted failure"),
                        "type": "scripted",
                        "code": None,
                    }
                },
                status_code=int(turn["status"]),
                headers=headers,
            )
        if body.get("stream"):
            return StreamingResponse(self._stream(turn), media_type="text/event-stream")
        return JSONResponse(self._full(turn))

    def _dialect(self, turn: dict[str, Any]) -> str:
        dialect = turn.get("dialect") or self.dialect
        if dialect not in DIALECTS:
            raise ValueError(f"unknown dialect {dialect!r}")
        return dialect

    def _full(self, turn: dict[str, Any]) -> dict[str, Any]:
        dialect = self._dialect(turn)
        calls = _tool_calls(turn)
        text = turn.get("text") or ""
        blank = "" if dialect.startswith("ollama") else None  # Ollama always sends a string
        message: dict[str, Any] = {"role": "assistant", "content": text or blank}
        if calls:
            message["tool_calls"] = []
            for index, c in enumerate(calls):
                item: dict[str, Any] = {
                    "id": c["id"],
                    "type": "function",
                    "function": {"name": c["name"], "arguments": c["arguments"]},
                }
                if dialect in ("ollama", "ollama-index0"):
                    item["index"] = 0 if dialect == "ollama-index0" else index
                message["tool_calls"].append(item)
            if dialect == "llama-cpp-python":
                message["function_call"] = {
                    "name": calls[0]["name"],
                    "arguments": calls[0]["arguments"],
                }
        finish = turn.get("finish") or (
            "tool_calls" if calls and dialect != "ollama-old" else "stop"
        )
        choices = (
            []
            if turn.get("empty_choices")
            else [{"index": 0, "message": message, "finish_reason": finish}]
        )
        return {
            "id": "chatcmpl-scripted",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": self.model,
            "choices": choices,
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }

    async def _stream(self, turn: dict[str, Any]):
        chunks = list(self._chunks(turn))
        fail_after = turn.get("fail_after")
        stop_after = turn.get("stop_after")
        delay = float(turn.get("chunk_delay", 0.0))
        finished = False
        try:
            for n, chunk in enumerate(chunks):
                if fail_after is not None and n >= int(fail_after):
                    raise ConnectionAbortedError("scripted mid-stream failure")
                if stop_after is not None and n >= int(stop_after):
                    break  # a clean end of the body: no finish_reason, no [DONE]
                if delay:
                    await asyncio.sleep(delay)
                yield f"data: {json.dumps(chunk)}\n\n"
            if stop_after is None:
                yield "data: [DONE]\n\n"
            finished = True
        finally:
            if finished:
                self.completed_streams += 1
            elif fail_after is None:
                self.disconnects += 1

    def _chunks(self, turn: dict[str, Any]):
        base = {
            "id": "chatcmpl-scripted",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": self.model,
        }
        if turn.get("empty_choices"):
            for _ in range(3):
                yield {**base, "choices": []}
            return
        dialect = self._dialect(turn)

        def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
            return {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

        calls = _tool_calls(turn)
        text = turn.get("text") or ""
        if dialect.startswith("ollama"):  # role and a string content in every delta
            for i in range(0, len(text), 7):
                yield chunk({"role": "assistant", "content": text[i : i + 7]})
            for index, call in enumerate(calls):
                args: Any = (
                    json.loads(call["arguments"]) if turn.get("args_object") else call["arguments"]
                )
                item: dict[str, Any] = {
                    "id": call["id"],
                    "type": "function",
                    "function": {"name": call["name"], "arguments": args},
                }
                if dialect != "ollama-old":
                    item["index"] = 0 if dialect == "ollama-index0" else index
                yield chunk({"role": "assistant", "content": "", "tool_calls": [item]})
            done = "tool_calls" if calls and dialect != "ollama-old" else "stop"
            yield chunk({"role": "assistant", "content": ""}, turn.get("finish") or done)
            return
        if dialect == "llama-cpp-python":
            yield chunk(
                {"role": "assistant", "content": None, "function_call": None, "tool_calls": None}
            )
        else:
            yield chunk(
                {"role": "assistant", "content": None if dialect.startswith("llamacpp") else ""}
            )
        for i in range(0, len(text), 7):
            yield chunk({"content": text[i : i + 7]})
        step = 1 if dialect.startswith("llamacpp") else 11
        for index, call in enumerate(calls):
            name, args, cid = call["name"], call["arguments"], call["id"]
            pieces = [args[i : i + step] for i in range(0, len(args), step)] or [""]
            if dialect == "openai":
                yield chunk(
                    {
                        "tool_calls": [
                            {
                                "index": index,
                                "id": cid,
                                "type": "function",
                                "function": {"name": name, "arguments": ""},
                            }
                        ]
                    }
                )
            elif dialect == "vllm":
                yield chunk(
                    {
                        "tool_calls": [
                            {
                                "index": index,
                                "id": cid,
                                "type": "function",
                                "function": {"name": name},
                            }
                        ]
                    }
                )
            elif dialect == "llamacpp":
                yield chunk(
                    {
                        "tool_calls": [
                            {
                                "index": index,
                                "id": cid,
                                "type": "function",
                                "function": {"name": name, "arguments": ""},
                            }
                        ]
                    }
                )
            for piece in pieces:
                if dialect == "llamacpp-old":
                    yield chunk(
                        {
                            "tool_calls": [
                                {
                                    "index": index,
                                    "function": {"name": name, "id": cid, "arguments": piece},
                                }
                            ]
                        }
                    )
                elif dialect == "llama-cpp-python":
                    yield chunk(
                        {
                            "role": None,
                            "content": None,
                            "function_call": {"name": name, "arguments": piece},
                            "tool_calls": [
                                {
                                    "index": index,
                                    "id": cid,
                                    "type": "function",
                                    "function": {"name": name, "arguments": piece},
                                }
                            ],
                        }
                    )
                else:
                    yield chunk(
                        {"tool_calls": [{"index": index, "function": {"arguments": piece}}]}
                    )
        finish = turn.get("finish") or ("tool_calls" if calls else "stop")
        if dialect == "llama-cpp-python":
            yield chunk(
                {"role": None, "content": None, "function_call": None, "tool_calls": None}, finish
            )
        else:
            yield chunk({}, finish)


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


DIALECTS = (
    "openai",
    "vllm",
    "llamacpp",
    "llamacpp-old",
    "llama-cpp-python",
    "ollama-old",
    "ollama",
    "ollama-index0",
)


def _refuse_request(dialect: str, body: dict[str, Any]) -> str | None:
    """What the real server answers (HTTP 500) to an assistant message whose content is not a string."""
    if dialect not in ("llamacpp-old", "llama-cpp-python"):
        return None
    for n, message in enumerate(body.get("messages") or []):
        if message.get("role") == "assistant" and not isinstance(
            message.get("content"), str | list
        ):
            if dialect == "llamacpp-old":  # ggml-org/llama.cpp#13471
                return "Expected 'content' to be a string or an array"
            # abetlen/llama-cpp-python#1805 (pydantic validation of ChatCompletionRequestAssistantMessage)
            return (
                f"1 validation error: messages.{n}.ChatCompletionRequestAssistantMessage.content: "
                "Input should be a valid string"
            )
    return None


def tool_results(body: dict[str, Any]) -> list[str]:
    """The ``tool`` messages of a request body, oldest first (for callable turns)."""
    return [m.get("content") or "" for m in body.get("messages", []) if m.get("role") == "tool"]
