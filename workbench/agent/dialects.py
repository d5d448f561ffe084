"""What real OpenAI-compatible servers actually send, folded into one shape.

Streamed tool calls are merged by ``index`` *and* by ``id``, because servers differ:

- OpenAI, vLLM and llama.cpp (after ggml-org/llama.cpp#13800) send ``index``, ``id`` and the name
  once, then argument fragments under the same ``index``;
- llama-cpp-python (``llama_chat_format._convert_completion_to_chat_function``) and llama.cpp
  before #13800 repeat the whole name (and the id) in every delta: a name equal to the one already
  held is not appended again;
- Ollama before 0.4.7 sends no ``index`` at all (ollama/ollama#7881): a part without an index that
  brings a new id, or a name while the current call is already complete, starts a new call;
- Ollama sends every call with ``index: 0`` for some models (ollama/ollama#15457): a part whose id
  differs from the id already held at that index starts a new call;
- some servers send ``arguments`` as a JSON object instead of a string: it is serialised.

:func:`text_tool_call` recognises a tool call the model wrote as plain text because the server did
not parse it (Hermes ``<tool_call>``, Mistral ``[TOOL_CALLS]``, Llama 3 ``<|python_tag|>`` or a bare
JSON call), so the person can be told which server flag turns tool parsing on.
:func:`retry_after_seconds` reads ``Retry-After`` as seconds or as an HTTP date (RFC 9110 §10.2.3).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

#: How to make each kind of server parse tool calls (shown when the model wrote one as text).
SERVER_FLAGS = (
    "llama.cpp: start llama-server with --jinja; "
    "vLLM: --enable-auto-tool-choice --tool-call-parser (hermes, mistral, llama3_json, …); "
    "llama-cpp-python: --chat_format chatml-function-calling (or a model whose chat format has tools); "
    "Ollama: a model whose template supports tools"
)


def arguments_text(value: Any) -> str:
    """Tool-call arguments as JSON text, whatever the server sent (string, object, nothing)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(value)


def is_json_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except (ValueError, TypeError):
        return False


@dataclass(slots=True)
class _Slot:
    index: int | None
    id: str = ""
    name: str = ""
    arguments: str = ""


@dataclass(slots=True)
class ToolCallMerger:
    """Collects the ``tool_calls`` parts of a stream into whole calls, in the order they started."""

    slots: list[_Slot] = field(default_factory=list)

    def add(self, index: Any, call_id: Any, name: Any, arguments: Any) -> None:
        index = index if isinstance(index, int) and not isinstance(index, bool) else None
        call_id = call_id if isinstance(call_id, str) else ""
        name = name if isinstance(name, str) else ""
        slot = self._slot_for(index, call_id, name)
        if call_id and not slot.id:
            slot.id = call_id
        if name and name != slot.name:
            slot.name += name  # a genuine fragment; the same whole name repeated is not appended
        if isinstance(arguments, dict | list):
            slot.arguments = arguments_text(arguments)  # a whole object: it replaces, never appends
        elif isinstance(arguments, str):
            slot.arguments += arguments

    def _slot_for(self, index: int | None, call_id: str, name: str) -> _Slot:
        if call_id:
            for slot in self.slots:
                if slot.id == call_id:
                    return slot
        if index is not None:
            for slot in reversed(self.slots):
                if slot.index == index:
                    if call_id and slot.id and slot.id != call_id:
                        break  # same index, another id: a new call (ollama/ollama#15457)
                    if name and slot.name and name != slot.name and is_json_object(slot.arguments):
                        break  # same index, no ids, a finished call then another name
                    return slot
            return self._new(index)
        # no index (ollama/ollama#7881): continue the last call unless this part starts another one
        last = self.slots[-1] if self.slots else None
        if last is None or call_id:
            return self._new(None)
        if name and last.name and (name != last.name or is_json_object(last.arguments)):
            return self._new(None)
        return last

    def _new(self, index: int | None) -> _Slot:
        slot = _Slot(index)
        self.slots.append(slot)
        return slot

    def calls(self) -> list[tuple[str, str, str]]:
        """``(id, name, arguments)`` per call that carried anything; ids are made up when missing."""
        out = []
        for n, slot in enumerate(self.slots):
            if slot.name or slot.arguments:
                out.append((slot.id or f"call_{n}", slot.name, slot.arguments))
        return out


# -- tool calls written as text ----------------------------------------------------------------

_MARKERS = (
    ("<tool_call>", "Hermes/Qwen <tool_call>"),
    ("[TOOL_CALLS]", "Mistral [TOOL_CALLS]"),
    ("<|python_tag|>", "Llama 3 <|python_tag|>"),
    ("<function=", "Llama 3 <function=…>"),
    ("<|tool_call|>", "Phi/Granite <|tool_call|>"),
)
_FENCE = re.compile(r"^```[a-z]*\s*|\s*```$")


def text_tool_call(text: str, tool_names: set[str] | frozenset[str]) -> str | None:
    """The format's name when ``text`` is a tool call written as text, else None."""
    stripped = text.strip()
    if not stripped:
        return None
    for marker, label in _MARKERS:
        if marker in stripped:
            return label
    # "functions.get_page: {...}" (llama-cpp-python's chatml-function-calling prompt format)
    for name in tool_names:
        if re.search(rf"(?:^|\s)functions\.{re.escape(name)}\s*[:(]", stripped):
            return "functions.NAME"
    body = _FENCE.sub("", stripped)
    if not body.startswith(("{", "[")):
        return None
    try:
        value = json.loads(body)
    except ValueError:
        return None
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, dict):
            inner = item.get("function")
            call: dict[str, Any] = inner if isinstance(inner, dict) else item
            if call.get("name") in tool_names and (
                {"parameters", "arguments"} & set(call) or len(call) == 1
            ):
                return 'JSON {"name": …, "parameters": …}'
    return None


# -- Retry-After ----------------------------------------------------------------------------------


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delay-seconds or an HTTP date; None if unreadable."""
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return float(value)
    # lazy, for start-up: email.utils loads on first use
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None

    if when.tzinfo is None:  # an HTTP date is always GMT
        # lazy, for start-up: datetime loads on first use
        from datetime import UTC

        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def describe_wait(seconds: float) -> str:
    """``7 s``, ``2 min 5 s`` or ``about 3 h`` for a message."""
    seconds = max(0, round(seconds))
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60} s" if seconds % 60 else f"{seconds // 60} min"
    return f"about {round(seconds / 3600)} h"
