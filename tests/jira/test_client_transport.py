"""The Jira client rides the Confluence client's transport: 429s are waited out (Retry-After), reads
are retried through faults, and a comment whose answer is lost is found, not posted twice."""

from __future__ import annotations

import asyncio
import json

from workbench.confluence.errors import ConfluenceError
from workbench.jira.client import JiraClient

AUTH = ("demo@example.com", "demo-token")


def _doc(text: str) -> dict:
    return {
        "type": "doc",
        "version": 1,
        "content": [{"type": "paragraph", "content": [{"type": "text", "text": text}]}],
    }


async def test_rate_limited_search_is_waited_out(local_confluence):
    server = local_confluence(rate_limit=2.0)
    waits: list[tuple[float, str]] = []
    async with JiraClient(
        server.origin, auth=AUTH, kind="cloud", on_wait=lambda s, r: waits.append((s, r))
    ) as jira:

        async def keys() -> list[str]:
            return [i.key async for i in jira.search("project = PAY ORDER BY key")]

        found = await asyncio.gather(*(keys() for _ in range(6)))  # at once: over the limit
    assert all(keys == ["PAY-1311", "PAY-1329", "PAY-1432"] for keys in found)
    assert server.state.extras["chaos"].counts["429"] >= 1
    assert waits and all(seconds > 0 for seconds, _ in waits)


async def test_lost_answers_never_post_a_comment_twice(local_confluence):
    server = local_confluence(fault_rate=0.35, fault_seed=11)
    posted: list[str] = []
    failed: list[str] = []
    async with JiraClient(server.origin, auth=AUTH, kind="cloud", backoff_base=0) as jira:
        for n in range(16):
            text = f"note {n}"
            try:
                await jira.add_comment("ENG-4", _doc(text))
            except ConfluenceError:
                failed.append(text)
            else:
                posted.append(text)
    stored = [
        json.loads(c["body"])["content"][0]["content"][0]["text"]
        for c in server.store.jira_comments("ENG-4")
    ]
    counts = server.state.extras["chaos"].counts
    assert counts["lost"] >= 1  # some answers were lost after the comment was saved
    assert len(stored) == len(set(stored))  # never twice
    assert set(posted) <= set(stored)  # every success is there
    assert posted  # and most calls got through
