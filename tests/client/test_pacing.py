"""Rate limits beyond one request: long pauses remembered per site, one backoff shared by a client's
concurrent requests, slowing down near the quota, and a bound on a server that never answers.

Unit tests drive the transport with scripted answers, a fake clock and recorded sleeps (nothing
sleeps for real); the live ones run against ``serve-local --rate-limit``.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import socket
import threading
import time

import httpx
import pytest

from workbench.confluence.errors import NetworkError, RateLimited
from workbench.confluence.pauses import PauseBook, duration
from workbench.confluence.transport import RetryPolicy, RetryTransport

from .helpers import WaitLog, client_for


class FakeTime:
    """A clock that moves only when something sleeps on it."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.started = time.time()
        self.slept: list[float] = []
        self.waits: list[tuple[float, str]] = []

    def clock(self) -> float:
        return self.now

    def wall(self) -> float:
        return self.started + (self.now - 1000.0)

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)

    def on_wait(self, seconds: float, reason: str) -> None:
        self.waits.append((seconds, reason))


def transport_for(
    handler,
    fake: FakeTime,
    *,
    book: PauseBook | None = None,
    site: str = "https://s/wiki",
    wait: bool = False,
    **policy,
) -> RetryTransport:
    options = dict(
        backoff_base=0.5, rand=lambda a, b: 1.0, sleep=fake.sleep, clock=fake.clock, wall=fake.wall
    )
    options.update(policy)
    return RetryTransport(
        httpx.MockTransport(handler),
        RetryPolicy(**options),
        on_wait=fake.on_wait,
        site=site,
        pauses=book,
        wait_for_pause=wait,
    )


def answers(*items):
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        item = items[min(len(calls), len(items)) - 1]
        return item if isinstance(item, httpx.Response) else httpx.Response(item, json={})

    return handler, calls


# -- long pauses, remembered per site --------------------------------------------------------------
async def test_a_long_429_is_remembered_and_later_calls_fail_fast(tmp_path):
    fake, book = FakeTime(), PauseBook(tmp_path / "rate-limits.json")
    quota = httpx.Response(
        429, headers={"Retry-After": "1800", "RateLimit-Reason": "confluence-quota-global-based"}
    )
    handler, calls = answers(quota, 200)
    async with httpx.AsyncClient(transport=transport_for(handler, fake, book=book)) as http:
        first = await http.get("https://s/wiki/api/v2/spaces")
        assert first.status_code == 429  # reported, not waited for
        for _ in range(3):
            with pytest.raises(RateLimited) as caught:
                await http.get("https://s/wiki/api/v2/pages/1")
    assert calls == ["/wiki/api/v2/spaces"]  # nothing else was sent
    message = caught.value.message
    assert "Confluence asked for a pause until" in message and "nothing was sent" in message
    assert "429, confluence-quota-global-based" in message and "--wait-rate-limit" in message
    assert 1790 < caught.value.retry_after <= 1800
    assert fake.waits and fake.waits[0][1].startswith(
        "paused by Confluence until"
    )  # the status bar counts
    # the next command (a new process: a new book on the same file) knows it too; another site does not
    again = PauseBook(tmp_path / "rate-limits.json")
    assert (
        again.pause_of("https://s/wiki") is not None
        and again.pause_of("https://other/wiki") is None
    )
    assert json.loads((tmp_path / "rate-limits.json").read_text())["https://s/wiki"][
        "reason"
    ].startswith("429")


async def test_a_503_with_an_http_date_is_a_pause_too_and_can_be_waited_out():
    fake, book = FakeTime(), PauseBook()
    later = email.utils.formatdate(
        time.time() + 600, usegmt=True
    )  # Retry-After is read against real time
    handler, calls = answers(httpx.Response(503, headers={"Retry-After": later}), 200)
    async with httpx.AsyncClient(
        transport=transport_for(handler, fake, book=book, wait=True)
    ) as http:
        response = await http.get("https://s/wiki/api/v2/spaces")
    assert response.status_code == 200 and len(calls) == 2
    assert (
        len(fake.slept) == 1 and 590 < fake.slept[0] <= 600
    )  # waited once, for the date's distance
    assert fake.waits[-1][1].startswith("waiting out Confluence's pause until")


def test_pause_book_keeps_only_live_pauses_and_survives_a_broken_file(tmp_path):
    path = tmp_path / "rate-limits.json"
    path.write_text("{not json")
    book = PauseBook(path)
    assert book.pause_of("x") is None
    book.remember("x", 60, "429", now=100.0)
    assert book.pause_of("x", now=150.0) is not None and book.pause_of("x", now=161.0) is None
    assert duration(45) == "45 s" and duration(1800) == "30 min" and duration(3900) == "1 h 5 min"


# -- one backoff for concurrent requests (security report D9) -------------------------------------
async def test_after_a_429_waiting_requests_go_one_at_a_time_then_the_window_widens():
    fake = FakeTime()
    in_flight, most = 0, 0
    refused = {"done": False}

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        await asyncio.sleep(0)
        in_flight -= 1
        if not refused["done"]:
            refused["done"] = True
            return httpx.Response(429, headers={"Retry-After": "2"})
        return httpx.Response(200)

    transport = RetryTransport(
        httpx.MockTransport(handler),
        RetryPolicy(backoff_base=0.5, rand=lambda a, b: 1.0, sleep=fake.sleep, clock=fake.clock),
        on_wait=fake.on_wait,
    )
    async with httpx.AsyncClient(transport=transport) as http:
        first = await http.get("https://s/x")  # the 429 arrives before the others start
        assert (
            first.status_code == 200 and transport.pacer.window == 2
        )  # narrowed to 1, one answer: 2
        most = 0
        results = await asyncio.gather(*(http.get(f"https://s/{i}") for i in range(12)))
    assert all(r.status_code == 200 for r in results)
    assert (
        transport.request_count == 14
    )  # one 429, thirteen answers: nothing given up, nothing resent twice
    assert most < 8 and transport.pacer.window > 1  # started narrow, widened with the answers


async def test_near_limit_slows_the_client_down():
    fake = FakeTime()
    near = httpx.Response(200, headers={"X-RateLimit-NearLimit": "true"})
    handler, calls = answers(near, near, near, 200)
    transport = transport_for(handler, fake, near_limit_interval=1.0)
    async with httpx.AsyncClient(transport=transport) as http:
        for i in range(4):
            await http.get(f"https://s/{i}")
    assert len(calls) == 4 and fake.slept == [
        1.0,
        1.0,
        1.0,
    ]  # one request a second after the first warning
    assert all("nearly used up" in reason for _, reason in fake.waits)


async def test_parallel_reads_through_a_tight_rate_limit_all_succeed(local_confluence):
    """D9 measured again: 60 parallel reads at 20 requests/s used to give up (30 at 2/s: 18 failed)."""
    server = local_confluence("large:10", rate_limit=20)
    log = WaitLog()
    async with client_for(
        server, log=log, backoff_base=0.2, max_wait=5.0, near_limit_interval=0
    ) as client:
        space = await client.space_by_key("LARGE")
        results = await asyncio.gather(
            *(client.get_space(space.id) for _ in range(60)), return_exceptions=True
        )
    failures = [r for r in results if isinstance(r, BaseException)]
    refused = server.state.extras["chaos"].counts["429"]
    assert failures == [], failures[:2]
    assert (
        refused < 30
    )  # far fewer refusals than requests: the window narrowed after the first ones


# -- a server that never answers (security report D11) --------------------------------------------
def test_each_try_is_cut_to_the_time_left():
    fake = FakeTime()
    seen: list[dict] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(dict(request.extensions["timeout"]))
        fake.now += seen[-1]["read"]  # as if the whole read timeout passed
        raise httpx.ReadTimeout("no answer", request=request)

    async def run() -> None:
        transport = transport_for(
            handler, fake, backoff_base=1.0, total_timeout=12.0, max_attempts=6
        )
        async with httpx.AsyncClient(transport=transport, timeout=4.0) as http:
            with pytest.raises(httpx.ReadTimeout):
                await http.get("https://s/x")

    asyncio.run(run())
    reads = [t["read"] for t in seen]
    assert reads == [4.0, 4.0, 1.0]  # the last try only gets what is left of the 12 s
    assert sum(reads) + sum(fake.slept) == 12.0  # tries and waits together: exactly the bound


@pytest.fixture
def silent_server():
    """Accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
                held.append(conn)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/wiki"
    stop.set()
    thread.join(timeout=2)
    for conn in held:
        conn.close()
    sock.close()


async def test_a_server_that_never_answers_names_the_real_setting(silent_server):
    from workbench.confluence.client import ConfluenceClient

    client = ConfluenceClient(
        silent_server, auth=("a", "b"), timeout=0.3, total_timeout=1.0, backoff_base=0.05
    )
    async with client:
        with pytest.raises(NetworkError) as caught:
            await client.get_page("1")
    message = caught.value.message
    assert "did not answer in time (each try waits up to 0.3 s, all tries together 1 s)" in message
    assert "[network]" in message and "WORKBENCH_TIMEOUT" in message


def test_the_network_settings_are_real(tmp_path, monkeypatch):
    from workbench.auth.connect import network_options
    from workbench.config import load_settings
    from workbench.errors import ConfigError

    path = tmp_path / "config.toml"
    path.write_text("[network]\ntimeout = 7\ntotal_timeout = 20\nwait_rate_limit = true\n")
    settings = load_settings(path)
    assert network_options(settings) == {
        "timeout": 7.0,
        "total_timeout": 20.0,
        "wait_for_pause": True,
    }
    monkeypatch.setenv("WORKBENCH_TIMEOUT", "2.5")
    assert network_options(settings)["timeout"] == 2.5
    monkeypatch.setenv("WORKBENCH_TIMEOUT", "soon")
    with pytest.raises(ConfigError, match="WORKBENCH_TIMEOUT must be a number of seconds above 0"):
        network_options(settings)
    path.write_text("[network]\ntimeout = 0\n")
    monkeypatch.delenv("WORKBENCH_TIMEOUT")
    with pytest.raises(
        ConfigError, match="timeout under \\[network\\] must be a number of seconds above 0"
    ):
        network_options(load_settings(path))
