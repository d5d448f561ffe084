"""The bounded tool loop: model → tools → model …, until the model answers without tool calls.

Bounded in steps (model calls, ``max_steps``), in wall time (``timeout`` for the whole turn), in tool
calls (per step and per turn), in proposals per turn and in the bytes of one request
(:class:`~workbench.agent.limits.Limits`). A stop says which limit and what was kept.
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

from workbench.agent.audit import sent_text
from workbench.agent.fences import WRITE_TOOLS, Fence
from workbench.agent.jira_schema_text import with_jira
from workbench.agent.limits import Limits, kept
from workbench.agent.prompt import system_prompt
from workbench.agent.proposals import Proposal
from workbench.agent.provider import ChatProvider, ProviderError
from workbench.agent.site_schema import with_site
from workbench.agent.tool_specs import tool_schemas
from workbench.agent.toolkit import Toolkit
from workbench.errors import WorkbenchError

IMAGE_INTRO = {"type": "text", "text": "The image(s) view_image returned, in the order called:"}
SEEN_IMAGE = (
    "[an image view_image returned earlier is left out here; call view_image again to see it]"
)

#: A tool result from an earlier step longer than this is re-sent as its first line and a note.
STALE_RESULT_BYTES = 1_200


class AgentLimit(WorkbenchError):
    """The turn ran out of steps, time, tool calls or request size; what was found so far is kept."""


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
class Notice:
    """Something the person should know about the turn (a cap refused calls, a result was left out)."""

    text: str


@dataclass(frozen=True, slots=True)
class ProposalReady:
    proposal: Proposal


@dataclass(frozen=True, slots=True)
class TurnFinished:
    text: str
    steps: int
    proposals: tuple[Proposal, ...] = ()


Event = TextDelta | ToolStarted | ToolFinished | Notice | ProposalReady | TurnFinished | Waiting
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
    limits: Limits = field(default_factory=Limits)
    compact_history: bool = True  # see outgoing()

    def __post_init__(self) -> None:
        if not self.messages:
            prompt = system_prompt(self.toolkit.fence, self.context, self.toolkit.markers)
            self.messages.append({"role": "system", "content": prompt})

    @property
    def tools(self) -> list[dict[str, Any]]:
        """The profile's tools, their descriptions carrying the site's spaces and a CQL guide
        (``view_image`` only for a model that accepts images)."""
        names = self.toolkit.fence.tools
        if not self.toolkit.accepts_images:
            names = names - {"view_image"}
        return with_jira(
            with_site(tool_schemas(names, lean=True), self.toolkit.site), self.toolkit.jira_schema
        )

    def set_fence(self, fence: Fence) -> None:
        """Switch the permission profile mid-conversation: the toolkit enforces it, the system prompt says it."""
        self.toolkit.fence = fence
        self.messages[0]["content"] = system_prompt(fence, self.context, self.toolkit.markers)

    async def ask(
        self, instruction: str, on_event: EventSink | None = None, *, context: str = ""
    ) -> TurnFinished:
        """Add the person's instruction (after ``context``, e.g. which page they are reading) and run the loop.

        The audit log gets a ``turn`` line first: the instruction, the context, the profile, the
        allow-list and the model."""
        if self.toolkit.audit is not None:
            fence = self.toolkit.fence
            self.toolkit.audit.record(
                "turn",
                profile=fence.profile,
                spaces=sorted(fence.allow_spaces) or "all",
                instruction=sent_text(instruction),
                context=context or None,
                model=self.provider.config.model,
            )
        content = f"({context.strip()})\n\n{instruction}" if context.strip() else instruction
        self.messages.append({"role": "user", "content": content})
        return await self.retry(on_event)

    async def retry(self, on_event: EventSink | None = None) -> TurnFinished:
        """Run (or continue, after a failure) the loop from the conversation as it stands."""
        emit = on_event or (lambda event: None)
        made: list[Proposal] = []
        try:
            async with asyncio.timeout(self.timeout):
                if self.toolkit.site is None:
                    await self.toolkit.discover_site()  # once per session; list_spaces refreshes it
                await self.toolkit.discover_jira()  # only with the jira group; once per session
                return await self._loop(emit, made)
        except TimeoutError:
            raise AgentLimit(
                f"The agent stopped after {self.timeout:g} s ([agent] timeout, the limit for a whole turn) "
                f"without finishing; {kept(len(made))}."
            ) from None

    async def _loop(self, emit: EventSink, made: list[Proposal]) -> TurnFinished:
        limits = self.limits
        calls_run = 0
        for step in range(1, self.max_steps + 1):
            self._check_size(made)
            turn = await self.provider.complete(
                self.outgoing(),
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
            images: list[dict[str, Any]] = []
            skipped: dict[str, int] = {}
            for n, call in enumerate(turn.tool_calls):
                reason, cap = _over_cap(limits, n, calls_run, len(made), call.name)
                if reason:
                    result = self.toolkit.refuse(call.name, call.arguments, reason)
                    skipped[cap] = skipped.get(cap, 0) + 1
                else:
                    calls_run += 1
                    emit(ToolStarted(call.id, call.name, call.arguments))
                    result = await self.toolkit.call(call.name, call.arguments)
                    emit(ToolFinished(call.id, call.name, result.ok, _first_line(result.text)))
                    if result.proposal is not None:
                        made.append(result.proposal)
                        emit(ProposalReady(result.proposal))
                results.append({"role": "tool", "tool_call_id": call.id, "content": result.text})
                if result.image is not None:
                    images.append(result.image)
            for cap, count in skipped.items():
                emit(Notice(f"{count} tool call(s) of this step were not run: {cap}."))
            self.messages.append(turn.as_message())
            self.messages.extend(results)
            self._fit_results(results, emit)
            if images:
                # a tool message carries text only: the images follow as a user message's parts
                self.messages.append({"role": "user", "content": [IMAGE_INTRO, *images]})
            if calls_run >= limits.max_tool_calls:
                raise AgentLimit(
                    f"The agent made {calls_run} tool calls in this turn, the cap ([agent] max_tool_calls); "
                    f"it stopped and {kept(len(made))}."
                )
        raise AgentLimit(
            f"The agent used its {self.max_steps} steps ([agent] max_steps) without finishing; {kept(len(made))}."
        )

    def outgoing(self) -> list[dict[str, Any]]:
        """The conversation as the next request sends it.

        A tool result the model has already acted on (from an earlier step, or an earlier turn) and
        that is longer than :data:`STALE_RESULT_BYTES` is sent as its first line (the header: page,
        version, section) and a note saying how to read it again. The conversation itself keeps
        every result; only what is re-sent shrinks. ``[agent] compact_history = false`` turns it off.
        """
        if not self.compact_history:
            return self.messages
        current = len(self.messages)  # results after the latest tool step of this turn stay whole
        for index in range(len(self.messages) - 1, -1, -1):
            message = self.messages[index]
            if message.get("role") == "user" and not isinstance(message.get("content"), list):
                break  # (a list: the images of a tool step, part of the turn)
            if message.get("role") == "assistant" and message.get("tool_calls"):
                current = index
                break
        names = {
            call.get("id"): call.get("function", {}).get("name", "the tool")
            for m in self.messages
            if m.get("role") == "assistant"
            for call in m.get("tool_calls") or []
        }
        out: list[dict[str, Any]] = []
        for index, message in enumerate(self.messages):
            content = message.get("content")
            if isinstance(content, list) and index < current:
                # an image the model has already looked at: not sent again (it is large)
                message = {**message, "content": SEEN_IMAGE}
            if message.get("role") == "tool" and index < current and isinstance(content, str):
                size = len(content.encode("utf-8"))
                if size > STALE_RESULT_BYTES:
                    head = content.split("\n", 1)[0][:240]
                    name = names.get(message.get("tool_call_id"), "the tool")
                    message = {
                        **message,
                        "content": (
                            f"{head}\n[{size:,} bytes you read earlier are left out here; call {name} again "
                            "if you need them]"
                        ),
                    }
            out.append(message)
        return out

    def request_bytes(self) -> int:
        """The size of the next request to the model (messages and tool schemas, as UTF-8 JSON)."""
        body = {"messages": self.outgoing(), "tools": self.tools}
        return len(json.dumps(body, ensure_ascii=False).encode("utf-8"))

    def _check_size(self, made: list[Proposal]) -> None:
        size = self.request_bytes()
        if size > self.limits.max_request_bytes:
            raise AgentLimit(
                f"The conversation has grown to {size:,} bytes, over the {self.limits.max_request_bytes:,} of "
                f"[agent] max_request_bytes, so it was not sent; {kept(len(made))}. Start a new conversation "
                "or raise the cap."
            )

    def _fit_results(self, results: list[dict[str, Any]], emit: EventSink) -> None:
        """Leave out this step's biggest tool results until the next request fits ``max_request_bytes``."""
        cap = self.limits.max_request_bytes
        for message in sorted(results, key=lambda m: len(m["content"]), reverse=True):
            size = self.request_bytes()
            if size <= cap:
                return
            own = len(message["content"].encode("utf-8"))
            if own < 400:
                return  # nothing big left to leave out: the next request is refused with its size
            message["content"] = (
                f"refused: this result ({own:,} bytes) was left out: with it the next request to the model would "
                f"be {size:,} bytes, over [agent] max_request_bytes ({cap:,}). Ask for less, e.g. "
                "get_page_outline and then get_section."
            )
            emit(
                Notice(
                    f"A tool result of {own:,} bytes was left out to keep the request under {cap:,} bytes."
                )
            )


def _over_cap(
    limits: Limits, index: int, calls_run: int, proposals: int, name: str
) -> tuple[str, str]:
    """Why a call is not run (the text for the model, and the cap in a few words), or ``("", "")``."""
    if index >= limits.max_tool_calls_per_step:
        return (
            f"only the first {limits.max_tool_calls_per_step} tool calls of one step are run ([agent] "
            "max_tool_calls_per_step); this one was not. Call it again in your next step if you still need it.",
            f"only {limits.max_tool_calls_per_step} run per step",
        )
    if calls_run >= limits.max_tool_calls:
        return (
            f"this turn already ran {limits.max_tool_calls} tool calls ([agent] max_tool_calls); this one was not "
            "run. Answer the person with what you have.",
            f"the turn's cap of {limits.max_tool_calls} calls was reached",
        )
    if name in WRITE_TOOLS and proposals >= limits.max_proposals:
        return (
            f"this turn already made {limits.max_proposals} proposals ([agent] max_proposals); the person reviews "
            "those first. Do not propose more in this turn.",
            f"the turn's cap of {limits.max_proposals} proposals was reached",
        )
    return "", ""


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
            shown = " ".join(
                str(value).split()
            )  # one line in the transcript, whatever the model sent
            if len(shown) > 40:
                shown = shown[:39] + "…"
        parts.append(f"{key}={shown}")
    return f"{name}({', '.join(parts)})"
