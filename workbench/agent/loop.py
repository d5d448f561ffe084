"""The bounded tool loop: model → tools → model …, until the model answers without tool calls.

Bounded in steps (model calls, ``max_steps``) and in wall time (``timeout`` for the whole turn).
Cancellation (``escape`` in the panel cancels the worker) propagates as ``CancelledError``; the
provider closes its stream, and the conversation stays consistent because an assistant message and
its tool results are added together, only once every tool call of that step has finished. A
provider failure leaves the conversation as it was, so :meth:`AgentSession.retry` can continue.
Progress is reported through ``on_event`` with the small dataclasses below.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from workbench.agent.fences import Fence
from workbench.agent.prompt import system_prompt
from workbench.agent.proposals import Proposal
from workbench.agent.provider import ChatProvider, ProviderError
from workbench.agent.tool_specs import tool_schemas
from workbench.agent.toolkit import Toolkit
from workbench.errors import WorkbenchError


class AgentLimit(WorkbenchError):
    """The turn ran out of steps or time; what was found so far (and any proposals) is kept."""


@dataclass(frozen=True, slots=True)
class TextDelta:
    text: str


@dataclass(frozen=True, slots=True)
class ToolStarted:
    call_id: str
    name: str
    arguments: str


@dataclass(frozen=True, slots=True)
class ToolFinished:
    call_id: str
    name: str
    ok: bool
    summary: str


@dataclass(frozen=True, slots=True)
class Waiting:
    """The model endpoint asked to wait (429/503 with a short ``Retry-After``); the request is sent again."""

    seconds: float
    reason: str


@dataclass(frozen=True, slots=True)
class ProposalReady:
    proposal: Proposal


@dataclass(frozen=True, slots=True)
class TurnFinished:
    text: str
    steps: int
    proposals: tuple[Proposal, ...] = ()


Event = TextDelta | ToolStarted | ToolFinished | ProposalReady | TurnFinished | Waiting
EventSink = Callable[[Event], None]


@dataclass(slots=True)
class AgentSession:
    """A conversation with the model about one site, with its toolkit and limits."""

    provider: ChatProvider
    toolkit: Toolkit
    max_steps: int = 12
    timeout: float = 300.0
    context: str = ""
    messages: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.messages:
            self.messages.append({"role": "system", "content": system_prompt(self.toolkit.fence, self.context)})

    @property
    def tools(self) -> list[dict[str, Any]]:
        return tool_schemas(self.toolkit.fence.tools)

    def set_fence(self, fence: Fence) -> None:
        """Switch the permission profile mid-conversation: the toolkit enforces it, the system prompt says it."""
        self.toolkit.fence = fence
        self.messages[0]["content"] = system_prompt(fence, self.context)

    async def ask(self, instruction: str, on_event: EventSink | None = None) -> TurnFinished:
        """Add the person's instruction and run the loop until the model answers."""
        self.messages.append({"role": "user", "content": instruction})
        return await self.retry(on_event)

    async def retry(self, on_event: EventSink | None = None) -> TurnFinished:
        """Run (or continue, after a failure) the loop from the conversation as it stands."""
        emit = on_event or (lambda event: None)
        try:
            async with asyncio.timeout(self.timeout):
                return await self._loop(emit)
        except TimeoutError:
            raise AgentLimit(
                f"The agent stopped after {self.timeout:g} s ([agent] timeout, the limit for a whole turn) "
                "without finishing; proposals made so far are kept."
            ) from None

    async def _loop(self, emit: EventSink) -> TurnFinished:
        made: list[Proposal] = []
        for step in range(1, self.max_steps + 1):
            turn = await self.provider.complete(
                self.messages,
                self.tools,
                lambda text: emit(TextDelta(text)),
                lambda seconds, reason: emit(Waiting(seconds, reason)),
            )
            if not turn.tool_calls and not turn.text.strip() and not made:
                raise ProviderError(
                    f"The model ended its answer with no text and no tool call (finish_reason "
                    f"{turn.finish_reason or 'none'}). Retry, or try another model."
                )
            if not turn.tool_calls:
                self.messages.append(turn.as_message())
                done = TurnFinished(turn.text, step, tuple(made))
                emit(done)
                return done
            results: list[dict[str, Any]] = []
            for call in turn.tool_calls:
                emit(ToolStarted(call.id, call.name, call.arguments))
                result = await self.toolkit.call(call.name, call.arguments)
                emit(ToolFinished(call.id, call.name, result.ok, _first_line(result.text)))
                if result.proposal is not None:
                    made.append(result.proposal)
                    emit(ProposalReady(result.proposal))
                results.append({"role": "tool", "tool_call_id": call.id, "content": result.text})
            self.messages.append(turn.as_message())
            self.messages.extend(results)
        raise AgentLimit(
            f"The agent used its {self.max_steps} steps without finishing; proposals made so far are kept. "
            "Ask again to continue, or raise [agent] max_steps."
        )


def _first_line(text: str, limit: int = 160) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def describe_call(name: str, arguments: str) -> str:
    """``get_section(page_id=65538, section_id=s3)`` for the transcript (long values shortened)."""
    try:
        args = json.loads(arguments) if arguments else {}
    except json.JSONDecodeError:
        return f"{name}(…invalid JSON…)"
    if not isinstance(args, dict):
        return f"{name}(…)"
    parts = []
    for key, value in args.items():
        if isinstance(value, list):
            shown = f"[{len(value)} item{'s' if len(value) != 1 else ''}]"
        else:
            shown = str(value)
            if len(shown) > 40:
                shown = shown[:39] + "…"
        parts.append(f"{key}={shown}")
    return f"{name}({', '.join(parts)})"
