"""Load and faults on demand: rate limit (429), injected failures before/after processing, latency."""

from __future__ import annotations

import time

import httpx
import pytest

from workbench.emulator.faults import TokenBucket

AUTH = ("demo@example.com", "demo-token")


def test_token_bucket_refills_at_rate():
    now = [0.0]
    bucket = TokenBucket(2, clock=lambda: now[0])
    assert bucket.take() == (True, 0.0) and bucket.take() == (True, 0.0)
    allowed, wait = bucket.take()
    assert not allowed and wait == pytest.approx(0.5)
    now[0] = 0.5
    assert bucket.take()[0]
    now[0] = 100.0
    assert (
        bucket.remaining == 0 and bucket.take()[0] and bucket.remaining == 1
    )  # capped at capacity


def test_rate_limit_answers_429_with_retry_after(local_confluence):
    server = local_confluence("empty", rate_limit=2)
    with httpx.Client(base_url=server.base_url, auth=AUTH) as http:
        answers = [http.get("/api/v2/spaces") for _ in range(4)]
        assert [r.status_code for r in answers] == [200, 200, 429, 429]
        ok, limited = answers[0], answers[2]
        assert ok.headers["x-ratelimit-limit"] == "2"
        assert limited.headers["retry-after"] == "1"
        assert limited.headers["x-ratelimit-remaining"] == "0"
        assert limited.headers["x-ratelimit-reset"].endswith("Z")
        assert limited.headers["ratelimit-reason"].startswith("confluence-quota")
        assert limited.json()["errors"][0]["status"] == 429
        time.sleep(float(limited.headers["retry-after"]))
        assert http.get("/api/v2/spaces").status_code == 200
    assert server.state.extras["chaos"].counts["429"] == 2


def test_faults_before_and_after_processing(local_confluence):
    """Every request fails; those lost *after* processing still created their page."""
    server = local_confluence("demo", fault_rate=1.0, fault_seed=7)
    chaos = server.state.extras["chaos"]
    space_id = str(server.store.space_by_key("ENG")["id"])
    outcomes = {}
    with httpx.Client(base_url=server.base_url, auth=AUTH) as http:
        for n in range(24):
            title = f"Fault probe {n}"
            before = dict(chaos.counts)
            try:
                r = http.post(
                    "/api/v2/pages",
                    json={
                        "spaceId": space_id,
                        "title": title,
                        "body": {"representation": "storage", "value": "<p>x</p>"},
                    },
                )
                result = r.status_code
                assert r.status_code == 503 and r.headers["retry-after"] == "1"
            except (
                httpx.RemoteProtocolError,
                httpx.ReadError,
            ):  # a cut answer, or a reset: timing decides
                result = "broken"
            kind = next(k for k in chaos.counts if chaos.counts[k] != before[k])
            exists = bool(server.store.scalar("SELECT 1 FROM pages WHERE title = ?", (title,)))
            outcomes[title] = (kind, result, exists)
    kinds = {kind for kind, _, _ in outcomes.values()}
    assert kinds == {"lost", "reset", "503"}
    for kind, result, exists in outcomes.values():
        assert exists == (kind == "lost")  # an ambiguous write did happen; the others did not
        assert result == (503 if kind == "503" else "broken")
    lost = sum(1 for kind, _, _ in outcomes.values() if kind == "lost")
    assert 6 <= lost <= 18  # about half


def test_fault_injection_is_reproducible(local_confluence):
    def pattern(seed):
        server = local_confluence("empty", fault_rate=0.5, fault_seed=seed)
        seen = []
        with httpx.Client(base_url=server.base_url, auth=AUTH) as http:
            for _ in range(12):
                try:
                    seen.append(http.get("/api/v2/spaces").status_code)
                except (httpx.RemoteProtocolError, httpx.ReadError):
                    seen.append("broken")
        return seen

    first = pattern(11)
    assert first == pattern(11)
    assert 200 in first and len(set(first)) > 1


def test_latency_delays_answers(local_confluence):
    server = local_confluence("empty", latency_ms=150)
    with httpx.Client(base_url=server.base_url, auth=AUTH) as http:
        began = time.perf_counter()
        assert http.get("/api/v2/spaces").status_code == 200
        assert time.perf_counter() - began >= 0.15


def test_bad_options_are_usage_errors(local_confluence):
    from workbench.errors import UsageError

    with pytest.raises(UsageError, match="between 0 and 1"):
        local_confluence("empty", fault_rate=1.5)
    with pytest.raises(UsageError, match="positive"):
        local_confluence("empty", rate_limit=0)
    with pytest.raises(UsageError, match="Unknown seed"):
        local_confluence("nonsense")
    with pytest.raises(UsageError, match="large:N"):
        local_confluence("large:zero")
