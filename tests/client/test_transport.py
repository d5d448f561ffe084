"""Unit tests of the retry transport with ``httpx.MockTransport`` (no sleeping: waits are recorded)."""

from __future__ import annotations

import email.utils
import time
from datetime import UTC

import httpx
import pytest

from workbench.confluence.transport import (
    RetryPolicy,
    RetryTransport,
    parse_reset,
    parse_retry_after,
)


class Recorder:
    def __init__(self) -> None:
        self.slept: list[float] = []
        self.waits: list[tuple[float, str]] = []

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)

    def on_wait(self, seconds: float, reason: str) -> None:
        self.waits.append((seconds, reason))


def scripted(*answers):
    """A MockTransport answering with ``answers`` in order (a status, a Response, or an exception)."""
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        answer = answers[min(len(calls), len(answers)) - 1]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, httpx.Response):
            return answer
        return httpx.Response(answer, json={"ok": answer})

    return httpx.MockTransport(handler), calls


def make(answers, rec: Recorder, **policy):
    mock, calls = scripted(*answers)
    opts = dict(backoff_base=0.5, rand=lambda a, b: 1.0, sleep=rec.sleep)
    opts.update(policy)
    transport = RetryTransport(mock, RetryPolicy(**opts), on_wait=rec.on_wait)
    return httpx.AsyncClient(transport=transport), transport, calls


async def test_read_retried_on_503_then_succeeds_with_exponential_backoff():
    rec = Recorder()
    client, transport, calls = make([503, 502, 200], rec)
    response = await client.get("http://h/wiki/api/v2/spaces")
    assert response.status_code == 200
    assert len(calls) == 3 and transport.request_count == 3
    assert rec.slept == [0.5, 1.0]
    assert [r for _, r in rec.waits] == ["Confluence is busy (503)", "Confluence is busy (502)"]


async def test_read_gives_up_after_max_attempts_and_returns_last_answer():
    rec = Recorder()
    client, transport, calls = make([503], rec, max_attempts=4)
    response = await client.get("http://h/x")
    assert response.status_code == 503
    assert len(calls) == 4 and len(rec.slept) == 3


async def test_retry_after_seconds_is_the_minimum_wait():
    rec = Recorder()
    client, _, calls = make([httpx.Response(429, headers={"Retry-After": "3"}), 200], rec)
    assert (await client.get("http://h/x")).status_code == 200
    assert rec.slept == [3.0]
    assert rec.waits[0][1] == "rate limited by Confluence"


async def test_retry_after_beyond_max_wait_is_not_waited_for():
    rec = Recorder()
    client, _, calls = make(
        [httpx.Response(429, headers={"Retry-After": "120"}), 200], rec, max_wait=30
    )
    response = await client.get("http://h/x")
    assert response.status_code == 429 and len(calls) == 1 and rec.slept == []


async def test_backoff_capped_by_max_wait():
    rec = Recorder()
    client, _, _ = make([503, 503, 503, 200], rec, backoff_base=10, max_wait=15)
    assert (await client.get("http://h/x")).status_code == 200
    assert rec.slept == [10, 15, 15]


async def test_jitter_factor_is_applied():
    rec = Recorder()
    client, _, _ = make([503, 200], rec, rand=lambda a, b: b)
    await client.get("http://h/x")
    assert rec.slept == [pytest.approx(0.65)]


async def test_write_not_retried_on_503():
    rec = Recorder()
    client, _, calls = make([503, 200], rec)
    response = await client.put("http://h/x", json={"a": 1})
    assert response.status_code == 503 and len(calls) == 1


async def test_write_retried_on_429_with_same_body():
    rec = Recorder()
    client, _, calls = make([429, 200], rec)
    response = await client.put("http://h/x", json={"a": 1})
    assert response.status_code == 200
    assert [c.content for c in calls] == [b'{"a":1}', b'{"a":1}']


async def test_write_not_retried_after_read_error_but_retried_when_never_connected():
    rec = Recorder()
    client, _, calls = make([httpx.ReadError("reset"), 200], rec)
    with pytest.raises(httpx.ReadError):
        await client.post("http://h/x", json={})
    assert len(calls) == 1
    client, _, calls = make([httpx.ConnectError("refused"), 200], rec)
    assert (await client.post("http://h/x", json={})).status_code == 200
    assert len(calls) == 2


async def test_read_retried_on_connection_errors_then_raises():
    rec = Recorder()
    client, transport, calls = make([httpx.ConnectError("refused")], rec, max_attempts=3)
    with pytest.raises(httpx.ConnectError):
        await client.get("http://h/x")
    assert len(calls) == 3 and transport.request_count == 3


async def test_total_timeout_bounds_the_loop():
    rec = Recorder()
    client, _, calls = make([503], rec, backoff_base=5, total_timeout=8, max_attempts=10)
    assert (await client.get("http://h/x")).status_code == 503
    # waits of 5 then 10 would pass the 8 s budget: only the first wait happens
    assert rec.slept == [5] and len(calls) == 2


async def test_zero_backoff_never_sleeps():
    rec = Recorder()
    client, _, calls = make([503, 503, 200], rec, backoff_base=0)
    assert (await client.get("http://h/x")).status_code == 200
    assert rec.slept == [] and [w for w, _ in rec.waits] == [0.0, 0.0]


async def test_broken_on_wait_callback_does_not_break_the_request():
    rec = Recorder()
    mock, _ = scripted(503, 200)

    def broken(seconds, reason):
        raise RuntimeError("status bar gone")

    transport = RetryTransport(mock, RetryPolicy(backoff_base=0, sleep=rec.sleep), on_wait=broken)
    async with httpx.AsyncClient(transport=transport) as client:
        assert (await client.get("http://h/x")).status_code == 200
    assert transport.request_count == 2  # the 503 was still retried after the callback failed


def test_parse_retry_after_forms():
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(" 1.5 ") == 1.5
    assert parse_retry_after("-3") == 0.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    now = time.time()
    date = email.utils.formatdate(now + 20, usegmt=True)
    assert parse_retry_after(date, now=now) == pytest.approx(20, abs=1.01)
    past = email.utils.formatdate(now - 100, usegmt=True)
    assert parse_retry_after(past, now=now) == 0.0


def test_parse_reset_forms():
    from datetime import datetime

    now = datetime(2025, 10, 8, 14, 59, 30, tzinfo=UTC).timestamp()
    assert parse_reset("2025-10-08T15:00:00Z", now=now) == 30.0
    assert parse_reset("2025-10-08T15:00Z", now=now) == 30.0  # seen without seconds
    assert parse_reset("2025-10-08T14:00:00Z", now=now) == 0.0
    assert parse_reset("tomorrow", now=now) is None and parse_reset(None) is None


async def test_429_without_retry_after_uses_the_reset_header():
    rec = Recorder()
    reset = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 4))
    client, _, calls = make([httpx.Response(429, headers={"X-RateLimit-Reset": reset}), 200], rec)
    assert (await client.get("http://h/x")).status_code == 200
    assert 2.0 <= rec.slept[0] <= 4.0


async def test_a_429_holds_back_the_other_requests_of_the_client():
    import asyncio

    rec = Recorder()
    gate = asyncio.Event()
    answers = iter([httpx.Response(429, headers={"Retry-After": "2"}), 200, 200])

    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/second":
            await gate.wait()  # sent only after the first request was refused
        answer = next(answers)
        return answer if isinstance(answer, httpx.Response) else httpx.Response(answer)

    transport = RetryTransport(
        httpx.MockTransport(handler),
        RetryPolicy(backoff_base=0.5, rand=lambda a, b: 1.0, sleep=rec.sleep),
        on_wait=rec.on_wait,
    )
    async with httpx.AsyncClient(transport=transport) as client:
        first = asyncio.create_task(client.get("http://h/first"))
        while not rec.slept:
            await asyncio.sleep(0)
        gate.set()
        second = await client.get("http://h/second")
        assert (await first).status_code == 200 and second.status_code == 200
    assert rec.slept[0] == 2.0 and 1.9 < rec.slept[1] <= 2.0  # the second one waited too
    assert transport.request_count == 3
