"""How far one agent turn may go: model calls, time, tool calls, proposals and request size.

Every limit is a number in ``[agent]`` of the config file (checked where it is read: a number above
0). A turn that reaches ``max_steps``, ``timeout`` or ``max_tool_calls`` stops with a message saying
which limit it was and what was kept; ``max_tool_calls_per_step`` and ``max_proposals`` refuse the
calls beyond them (the model is told, the turn goes on); ``max_request_bytes`` keeps one request to
the model under that size by leaving out the biggest new tool results (the model is told their size
and how to ask for less).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    """The caps besides ``max_steps`` and ``timeout`` (which :class:`~workbench.agent.model.ModelConfig` holds)."""

    max_tool_calls_per_step: int = 16  # one model answer asking for 200 calls runs the first 16
    max_tool_calls: int = 64  # per turn
    max_proposals: int = 10  # per turn
    max_request_bytes: int = (
        400_000  # one Chat Completions request (messages + tool schemas), as JSON
    )

    @classmethod
    def from_settings(cls, settings: object | None) -> Limits:
        """``[agent]``'s caps; a ``ConfigError`` naming the setting when one is not a number above 0."""
        # lazy, for start-up: workbench.agent.model loads on first use
        from workbench.agent.model import _number

        agent = getattr(settings, "agent", None)
        base = cls()
        return cls(
            max_tool_calls_per_step=_number(
                agent, "max_tool_calls_per_step", base.max_tool_calls_per_step, int
            ),
            max_tool_calls=_number(agent, "max_tool_calls", base.max_tool_calls, int),
            max_proposals=_number(agent, "max_proposals", base.max_proposals, int),
            max_request_bytes=_number(agent, "max_request_bytes", base.max_request_bytes, int),
        )


def kept(count: int) -> str:
    """What a stopped turn keeps, in words."""
    if count == 0:
        return "no proposal was made"
    return f"the {count} proposal{'s' if count != 1 else ''} made so far {'are' if count != 1 else 'is'} kept"
