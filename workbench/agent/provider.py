"""The model behind the agent: one Chat Completions call with tools, streamed or not.

A thin wrapper over the ``openai`` SDK (imported on the first prompt, never at startup). It turns the
SDK's streaming chunks, including tool-call argument fragments, into one :class:`AssistantTurn`,
reporting text as it arrives through ``on_text``. What real servers do differently (repeated names,
no ``index``, arguments as an object, tool calls written as text) is handled in
:mod:`workbench.agent.dialects`. Every failure (HTTP status, 429/503 with their ``Retry-After``, a
request timeout, a stream that breaks half-way or ends mid-call, an answer cut at the output limit)
becomes a :class:`ProviderError` with a plain message and ``retryable`` set when trying again may
help. The stream is always closed, including when the caller is cancelled. The API key is passed to
the SDK only; it never appears in a message, a log or a repr.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from workbench.agent.dialects import (
    SERVER_FLAGS,
    ToolCallMerger,
    is_json_object,
    text_tool_call,
)
from workbench.agent.model import ModelConfig
from workbench.agent.provider_errors import ProviderError, explain

__all__ = ["AssistantTurn", "ChatProvider", "ProviderError", "ToolCall", "checked_turn"]


@dataclass(frozen=True, slots=True)
class ToolCall:
    id: str
    name: str
    arguments: str  # JSON text as the model sent it (may be invalid; the toolkit says so)

    def as_message(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": "function",
            "function": {"name": self.name, "arguments": self.arguments},
        }


@dataclass(slots=True)
class AssistantTurn:
    text: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    finish_reason: str | None = None

    def as_message(self) -> dict[str, Any]:
        # content is always a string: llama.cpp (ggml-org/llama.cpp#13471) and llama-cpp-python
        # (abetlen/llama-cpp-python#1805) refuse an assistant message whose content is null
        message: dict[str, Any] = {"role": "assistant", "content": self.text or ""}
        if self.tool_calls:
            message["tool_calls"] = [c.as_message() for c in self.tool_calls]
        return message


TextSink = Callable[[str], None]
WaitSink = Callable[[float, str], None]

#: A ``Retry-After`` up to this many seconds (429/503) is waited out, at most AUTO_RETRIES times.
MAX_AUTO_WAIT = 10.0
AUTO_RETRIES = 2


class ChatProvider:
    """Sends a conversation plus tool schemas to the configured endpoint."""

    def __init__(self, config: ModelConfig) -> None:
        self.config = config
        self._client: Any = None

    def __repr__(self) -> str:
        return f"ChatProvider({self.config.describe})"

    def _sdk(self):
        if self._client is None:
            # lazy, for start-up: openai (with annotated_types, anyio, backports) loads on first use
            from openai import AsyncOpenAI  # heavy (~0.6 s): first prompt only

            self._client = AsyncOpenAI(
                base_url=self.config.base_url,
                api_key=self.config.api_key(),
                timeout=self.config.request_timeout,  # per request (and between streamed chunks)
                max_retries=0,  # failures are shown in the panel with a retry, never hidden
                default_headers=self.config.extra_headers or None,
            )
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None

    async def complete(
        self,
        messages: list[dict[str, Any]],
        tools: list[dict[str, Any]],
        on_text: TextSink | None = None,
        on_wait: WaitSink | None = None,
    ) -> AssistantTurn:
        """One assistant turn. Text is passed to ``on_text`` as it streams in.

        A 429 or 503 whose ``Retry-After`` is short is waited out (``on_wait`` is told) and sent
        again, at most :data:`AUTO_RETRIES` times; the turn's own time limit still applies.
        """
        # lazy, for start-up: asyncio loads on first use
        import asyncio

        if self._client is None:
            await asyncio.to_thread(
                importlib.import_module, "openai"
            )  # ~0.6 s; keep the UI responsive
        names = {str(t.get("function", {}).get("name", "")) for t in tools}
        for attempt in range(AUTO_RETRIES + 1):
            try:
                turn = await self._once(messages, tools, on_text)
            except ProviderError as exc:
                wait = exc.retry_after
                if wait is None or wait > MAX_AUTO_WAIT or attempt == AUTO_RETRIES:
                    raise
                if on_wait is not None:
                    on_wait(wait, exc.reason)
                await asyncio.sleep(wait)
                continue
            return checked_turn(turn, names, self.config)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _once(
        self, messages: list[dict[str, Any]], tools: list[dict[str, Any]], on_text: TextSink | None
    ) -> AssistantTurn:
        client = self._sdk()
        kwargs: dict[str, Any] = {"model": self.config.model, "messages": messages}
        if tools:
            kwargs["tools"] = tools
        progress = [0, 0]  # chunks received, chunks that carried a choice
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
            if not progress[1]:
                raise ProviderError(
                    f"The model at {self.config.shown_url} streamed {progress[0]} chunk(s) with no choices "
                    '("choices": []): no answer came. Retry; if it keeps happening, the server is not serving chat '
                    "completions for this model."
                )
            return turn
        except ProviderError:
            raise
        except (
            Exception
        ) as exc:  # the SDK and its transport raise many kinds; name them for a person
            raise explain(exc, self.config, mid_answer=progress[0] > 0) from None


def checked_turn(turn: AssistantTurn, tool_names: set[str], config: ModelConfig) -> AssistantTurn:
    """The turn, or a :class:`ProviderError` saying plainly why it cannot be used."""
    if turn.finish_reason == "length":
        if turn.tool_calls:
            raise ProviderError(
                "The model was cut off at its output limit in the middle of a tool call (finish_reason "
                '"length"); nothing was run. Raise the server\'s output limit (max_tokens, llama.cpp -n, '
                "Ollama num_predict) or ask for a smaller change."
            )
        raise ProviderError(
            'The model\'s answer was cut off at its output limit (finish_reason "length"); what arrived is '
            "shown above. Ask for a shorter answer, or raise the server's output limit (max_tokens, "
            "llama.cpp -n, Ollama num_predict)."
        )
    if turn.finish_reason is None and any(
        not is_json_object(c.arguments or "{}") for c in turn.tool_calls
    ):
        raise ProviderError(
            "The model's stream ended in the middle of a tool call (no finish_reason, the arguments are "
            "incomplete); nothing was run. Retry."
        )
    if not turn.tool_calls:
        form = text_tool_call(turn.text, tool_names)
        if form is not None:
            raise ProviderError(
                f"The model wrote a tool call as text ({form}) instead of calling the tool: the server at "
                f"{config.shown_url} is not parsing tool calls for this model. {SERVER_FLAGS}.",
                retryable=False,
            )
    return turn


def _from_response(response: Any, on_text: TextSink | None) -> AssistantTurn:
    if not hasattr(response, "choices"):  # the SDK hands back the raw text of a non-JSON answer
        raise ProviderError(
            "The model endpoint's answer is not a chat completion. Is it an OpenAI-compatible "
            "endpoint (usually ending in /v1)?",
            retryable=False,
        )
    if not response.choices:
        raise ProviderError('The model answered with no choices ("choices": []); try again.')
    choice = response.choices[0]
    message = choice.message
    text = getattr(message, "content", None)
    turn = AssistantTurn(
        text=text if isinstance(text, str) else "", finish_reason=choice.finish_reason
    )
    merger = ToolCallMerger()
    for n, call in enumerate(getattr(message, "tool_calls", None) or []):
        fn = getattr(call, "function", None)
        if fn is not None:  # each listed call is whole: its own slot, whatever its index says
            merger.add(
                n,
                getattr(call, "id", None) or f"call_{n}",
                getattr(fn, "name", None),
                getattr(fn, "arguments", None),
            )
    turn.tool_calls = [ToolCall(*c) for c in merger.calls()]
    if turn.text and on_text:
        on_text(turn.text)
    return turn


async def _collect(stream: Any, on_text: TextSink | None, progress: list[int]) -> AssistantTurn:
    text: list[str] = []
    merger = ToolCallMerger()
    finish: str | None = None
    async for chunk in stream:
        progress[0] += 1
        choices = getattr(chunk, "choices", None) or []
        if choices:
            progress[1] += 1
        for choice in choices:
            if getattr(choice, "index", 0) not in (0, None):
                continue  # only the first choice is ours (n=1)
            delta = getattr(choice, "delta", None)
            if delta is not None:
                content = getattr(delta, "content", None)
                if isinstance(content, str) and content:
                    text.append(content)
                    if on_text:
                        on_text(content)
                for part in getattr(delta, "tool_calls", None) or []:
                    fn = getattr(part, "function", None)
                    merger.add(
                        getattr(part, "index", None),
                        getattr(part, "id", None),
                        getattr(fn, "name", None) if fn is not None else None,
                        getattr(fn, "arguments", None) if fn is not None else None,
                    )
            if getattr(choice, "finish_reason", None):
                finish = choice.finish_reason
    turn = AssistantTurn(text="".join(text), finish_reason=finish)
    turn.tool_calls = [ToolCall(*c) for c in merger.calls()]
    return turn
