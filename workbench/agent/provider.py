"""The model behind the agent: one Chat Completions call with tools, streamed or not.

A thin wrapper over the ``openai`` SDK (imported on the first prompt, never at startup). It turns the
SDK's streaming chunks, including tool-call argument fragments, into one :class:`AssistantTurn`,
reporting text as it arrives through ``on_text``. Every failure (HTTP status, 429, timeout, a stream
that breaks half-way) becomes a :class:`ProviderError` with a plain message and ``retryable`` set
when trying again may help. The stream is always closed, including when the caller is cancelled.
The API key is passed to the SDK only; it never appears in a message, a log or a repr.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from workbench.agent.model import ModelConfig
from workbench.errors import WorkbenchError


class ProviderError(WorkbenchError):
    """The model endpoint failed; ``retryable`` says whether trying again may help."""

    exit_code = 1

    def __init__(self, message: str, *, retryable: bool = True, status: int | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.status = status


@dataclass(frozen=True, slots=True)
class ToolCall:
    id: str
    name: str
    arguments: str  # JSON text as the model sent it (may be invalid; the toolkit says so)

    def as_message(self) -> dict[str, Any]:
        return {"id": self.id, "type": "function", "function": {"name": self.name, "arguments": self.arguments}}


@dataclass(slots=True)
class AssistantTurn:
    text: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    finish_reason: str | None = None

    def as_message(self) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": self.text or None}
        if self.tool_calls:
            message["tool_calls"] = [c.as_message() for c in self.tool_calls]
        return message


TextSink = Callable[[str], None]


class ChatProvider:
    """Sends a conversation plus tool schemas to the configured endpoint."""

    def __init__(self, config: ModelConfig) -> None:
        self.config = config
        self._client: Any = None

    def __repr__(self) -> str:
        return f"ChatProvider({self.config.describe})"

    def _sdk(self):
        if self._client is None:
            from openai import AsyncOpenAI  # heavy (~0.6 s): first prompt only

            self._client = AsyncOpenAI(
                base_url=self.config.base_url,
                api_key=self.config.api_key(),
                timeout=self.config.timeout,
                max_retries=0,  # failures are shown in the panel with a retry, never hidden
                default_headers=self.config.extra_headers or None,
            )
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None

    async def complete(
        self, messages: list[dict[str, Any]], tools: list[dict[str, Any]], on_text: TextSink | None = None
    ) -> AssistantTurn:
        """One assistant turn. Text is passed to ``on_text`` as it streams in."""
        if self._client is None:
            import asyncio
            import importlib

            await asyncio.to_thread(importlib.import_module, "openai")  # ~0.6 s; keep the UI responsive
        client = self._sdk()
        kwargs: dict[str, Any] = {"model": self.config.model, "messages": messages}
        if tools:
            kwargs["tools"] = tools
        progress = [0]  # chunks received: a failure after the first one broke mid-answer
        try:
            if not self.config.stream:
                response = await client.chat.completions.create(**kwargs)
                return _from_response(response, on_text)
            stream = await client.chat.completions.create(stream=True, **kwargs)
            try:
                turn = await _collect(stream, on_text, progress)
            finally:
                await stream.close()  # also on cancel: the HTTP stream is released at once
            if not progress[0]:  # a 200 with no stream events: an HTML page, or not a chat endpoint
                raise ProviderError(
                    f"{self.config.shown_url} sent an empty answer instead of a chat completion stream. "
                    "Is it an OpenAI-compatible endpoint (usually ending in /v1)?",
                    retryable=False,
                )
            return turn
        except ProviderError:
            raise
        except Exception as exc:  # the SDK and its transport raise many kinds; name them for a person
            raise _explain(exc, self.config, mid_answer=progress[0] > 0) from None


def _from_response(response: Any, on_text: TextSink | None) -> AssistantTurn:
    if not hasattr(response, "choices"):  # the SDK hands back the raw text of a non-JSON answer
        raise ProviderError(
            "The model endpoint's answer is not a chat completion. Is it an OpenAI-compatible "
            "endpoint (usually ending in /v1)?",
            retryable=False,
        )
    if not response.choices:
        raise ProviderError("The model answered with no choices; try again.")
    choice = response.choices[0]
    message = choice.message
    turn = AssistantTurn(text=message.content or "", finish_reason=choice.finish_reason)
    for call in message.tool_calls or []:
        fn = getattr(call, "function", None)
        if fn is not None:
            turn.tool_calls.append(ToolCall(call.id or f"call_{len(turn.tool_calls)}", fn.name, fn.arguments or ""))
    if turn.text and on_text:
        on_text(turn.text)
    return turn


async def _collect(stream: Any, on_text: TextSink | None, progress: list[int]) -> AssistantTurn:
    text: list[str] = []
    calls: dict[int, dict[str, str]] = {}
    finish: str | None = None
    async for chunk in stream:
        progress[0] += 1
        for choice in chunk.choices or []:
            delta = choice.delta
            if delta is not None:
                if delta.content:
                    text.append(delta.content)
                    if on_text:
                        on_text(delta.content)
                for part in delta.tool_calls or []:
                    slot = calls.setdefault(part.index or 0, {"id": "", "name": "", "arguments": ""})
                    if part.id:
                        slot["id"] = part.id
                    if part.function is not None:
                        if part.function.name:
                            slot["name"] += part.function.name
                        if part.function.arguments:
                            slot["arguments"] += part.function.arguments
            if choice.finish_reason:
                finish = choice.finish_reason
    turn = AssistantTurn(text="".join(text), finish_reason=finish)
    for index in sorted(calls):
        slot = calls[index]
        if slot["name"]:
            turn.tool_calls.append(ToolCall(slot["id"] or f"call_{index}", slot["name"], slot["arguments"]))
    return turn


def _explain(exc: Exception, config: ModelConfig, *, mid_answer: bool = False) -> ProviderError:
    """A plain message for a provider failure (never echoing headers or the key)."""
    import openai

    name = type(exc).__name__
    if "Timeout" in name:  # openai.APITimeoutError and the transport's own timeouts
        return ProviderError(f"The model at {config.shown_url} did not answer within {config.timeout:g} s. Retry.")
    if mid_answer and not _is_status(exc):
        return ProviderError(f"The connection to the model broke mid-answer ({name}). Retry.")
    where = config.describe
    if isinstance(exc, openai.RateLimitError):
        after = _retry_after(exc)
        wait = f" Wait {after} s and retry." if after else " Wait a moment and retry."
        return ProviderError(f"The model endpoint is rate limiting requests (429) for {where}.{wait}", status=429)
    if isinstance(exc, openai.AuthenticationError):
        return ProviderError(
            f"The model endpoint rejected the API key (401). Check ${config.api_key_env}.",
            retryable=False,
            status=401,
        )
    if isinstance(exc, openai.NotFoundError):
        return ProviderError(
            f"The endpoint does not know model '{config.model}' (404). Check WORKBENCH_MODEL / [agent] model.",
            retryable=False,
            status=404,
        )
    if isinstance(exc, openai.APIStatusError):
        detail = re.sub(r"^error code: \d+\s*(-\s*)?", "", _short(_error_message(exc)), flags=re.I)
        if not detail or detail.startswith("<"):
            hint = ("Retry in a moment." if exc.status_code >= 500 and exc.status_code != 501 else
                    "Is it an OpenAI-compatible endpoint (usually ending in /v1)?")
            return ProviderError(  # no words of its own (an HTML page, an empty body)
                f"The model endpoint at {config.shown_url} failed with HTTP {exc.status_code}. {hint}",
                status=exc.status_code,
            )
        return ProviderError(
            f"The model endpoint failed with HTTP {exc.status_code}: {detail}", status=exc.status_code
        )
    if isinstance(exc, openai.APIConnectionError):
        return ProviderError(f"Cannot reach the model at {config.shown_url}; is it running? Retry when it is.")
    if isinstance(exc, json.JSONDecodeError | ValueError):
        return ProviderError(f"The model endpoint sent an answer that is not valid: {_short(str(exc))}")
    return ProviderError(f"The connection to the model broke mid-answer ({name}). Retry.")


def _is_status(exc: Exception) -> bool:
    import openai

    return isinstance(exc, openai.APIStatusError)


def _retry_after(exc: Any) -> str:
    response = getattr(exc, "response", None)
    value = response.headers.get("retry-after") if response is not None else None
    return value.strip() if value else ""


def _error_message(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
        if body.get("message"):
            return str(body["message"])
    return str(getattr(exc, "message", "") or "no details")


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
