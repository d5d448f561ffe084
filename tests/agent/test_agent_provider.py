"""Provider failures, cancellation and limits, against the scripted model over real HTTP."""

from __future__ import annotations

import asyncio

import pytest

from workbench.agent.loop import AgentLimit, TextDelta
from workbench.agent.provider import ProviderError

from .helpers import call, session_for


async def test_failure_mid_stream_is_reported_and_retry_continues(site, client, llm):
    model = llm(
        [
            {"tool_calls": [call("get_page", page_id=site.runbook)]},
            {"text": "The runbook says deploys happen on Tuesdays and " * 3, "fail_after": 3},
            {"text": "Deploys happen on Tuesdays."},
        ]
    )
    session = session_for(client, model)
    deltas: list[str] = []
    with pytest.raises(ProviderError, match="broke mid-answer") as info:
        await session.ask(
            "When do deploys happen?", lambda e: deltas.append(getattr(e, "text", ""))
        )
    assert info.value.retryable
    assert len(session.messages) == 4  # system, user, the get_page step (assistant + tool)
    done = await session.retry()
    assert done.text == "Deploys happen on Tuesdays."
    assert [m["role"] for m in session.messages] == [
        "system",
        "user",
        "assistant",
        "tool",
        "assistant",
    ]
    assert len(model.requests) == 3


async def test_rate_limit_and_server_errors_have_plain_messages(site, client, llm):
    model = llm(
        [
            {"status": 429, "retry_after": 70, "error": "slow down"},
            {"status": 500, "error": "boom"},
            {"status": 401, "error": "bad key"},
        ]
    )
    session = session_for(client, model)
    with pytest.raises(
        ProviderError, match=r"429.*Wait 70 s"
    ) as e429:  # too long to wait out: said
        await session.ask("hi")
    assert e429.value.status == 429 and e429.value.retryable and e429.value.retry_after == 70
    with pytest.raises(ProviderError, match="HTTP 500: boom"):
        await session.retry()
    with pytest.raises(ProviderError, match="rejected the API key") as e401:
        await session.retry()
    assert not e401.value.retryable


async def test_unreachable_model(site, client, llm):
    model = llm([])
    model.stop()
    session = session_for(client, model)
    with pytest.raises(ProviderError, match="Cannot reach the model"):
        await session.ask("hi")


async def test_cancel_closes_the_stream(site, client, llm):
    model = llm([{"text": "word " * 200, "chunk_delay": 0.05}])
    session = session_for(client, model)
    first = asyncio.Event()

    def on_event(event):
        if isinstance(event, TextDelta):
            first.set()

    task = asyncio.create_task(session.ask("Write a lot.", on_event))
    await asyncio.wait_for(first.wait(), 10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    for _ in range(100):
        if model.disconnects:
            break
        await asyncio.sleep(0.05)
    assert model.disconnects == 1 and model.completed_streams == 0
    assert [m["role"] for m in session.messages] == ["system", "user"]


async def test_step_and_time_limits(site, client, llm):
    model = llm([{"tool_calls": [call("list_spaces")]}] * 3)
    session = session_for(client, model, max_steps=2)
    with pytest.raises(AgentLimit, match="2 steps"):
        await session.ask("Loop forever.")
    slow = llm([{"text": "slow " * 100, "chunk_delay": 0.1}])
    session = session_for(client, slow, timeout=0.5)
    with pytest.raises(AgentLimit, match="0.5 s"):
        await session.ask("Take your time.")


async def test_invalid_tool_arguments_are_answered_not_raised(site, client, llm):
    model = llm(
        [
            {
                "tool_calls": [
                    {"name": "get_page", "arguments": "{not json"},
                    call("get_page", page="1"),
                    call("get_page", page_id="abc"),
                ]
            },
            {"text": "ok"},
        ]
    )
    session = session_for(client, model)
    await session.ask("Read.")
    results = [m["content"] for m in session.messages if m.get("role") == "tool"]
    assert results[0].startswith("error: The arguments are not valid JSON")
    assert results[1].startswith(
        "error: Invalid arguments for get_page: there is no argument 'page'; get_page "
        "takes page_id, find. 'page_id' is required"
    )
    assert results[2].startswith(
        "error: Invalid arguments for get_page: page_id must be a page id of ASCII digits"
    )


@pytest.mark.parametrize("stream", [True, False], ids=["streaming", "non-streaming"])
async def test_request_timeout_is_reported(site, client, llm, stream):
    slow = llm([{"text": "late", "delay": 2}, {"text": "on time"}])
    session = session_for(client, slow, stream=stream, timeout=10, request_timeout=0.4)
    assert session.timeout == 10  # the turn limit is larger than the per-request timeout
    with pytest.raises(
        ProviderError, match=r"did not answer within 0.4 s \(\[agent\] request_timeout\)"
    ):
        await session.retry()
