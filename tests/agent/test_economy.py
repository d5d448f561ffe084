"""What keeps the bytes sent to the model down, tested through the real loop and toolkit over HTTP:
get_page(find=…) returns only the lines that hold some words, get_section reads a range of sections
in one call, pages without headings are navigable by paragraph parts, and a long tool result the
model has already acted on is re-sent as one line in later requests."""

from __future__ import annotations

import json

import pytest

from workbench.agent.audit import AuditLog
from workbench.agent.fences import Fence
from workbench.agent.loop import STALE_RESULT_BYTES
from workbench.agent.toolkit import Toolkit

from .helpers import call, last_tool_result, session_for, version_in

LONG = "".join(
    f"<p>Paragraph {n}: the queue for shard {n} drains in {n + 3} minutes. "
    + "Filler words. " * 30
    + "</p>"
    for n in range(120)
)


@pytest.fixture
def kit(client, tmp_path):
    return Toolkit(client, Fence.build("propose", ()), AuditLog(tmp_path / "audit.jsonl"))


@pytest.fixture
def long_page(site):
    return str(site.store.create_page(site.eng_id, "Shards", LONG)["id"])


async def test_a_page_without_headings_has_paragraph_parts(kit, long_page):
    text = (await kit.call("get_page", {"page_id": long_page})).text
    assert "This page is large" in text and '\ns0.1 ¶ "Paragraph 0: the queue for shard 0' in text
    part = (await kit.call("get_section", {"page_id": long_page, "section_id": "s0.3"})).text
    body = part.split("\n", 2)[2]
    assert len(body.encode()) < 4_200 and "Paragraph " in body and "Paragraph 0:" not in body


async def test_find_returns_the_lines_with_their_section_ids(kit, long_page):
    result = await kit.call("get_page", {"page_id": long_page, "find": "shard 77 drains"})
    lines = result.text.splitlines()
    assert lines[0].endswith(
        '| 1 line(s) contain "shard 77 drains"; each after its section id (get_section reads one)'
    )
    code = kit.markers.code
    assert (
        lines[1].startswith(f"<<<data-{code}: lines of the page")
        and lines[-1] == f">>>end-data-{code}"
    )
    sid, line = lines[2].split(": ", 1)
    assert line.startswith(
        "Paragraph 77: the queue for shard 77 drains in 80 minutes."
    ) and line.endswith("…")
    assert len(line) <= 402  # a long line is shown around the words
    section = (await kit.call("get_section", {"page_id": long_page, "section_id": sid})).text
    assert "Paragraph 77: the queue for shard 77" in section
    none = (await kit.call("get_page", {"page_id": long_page, "find": "no such words"})).text
    assert none.endswith(
        '| 0 line(s) contain "no such words". Try fewer or other words, or read the outline.'
    )
    short = await kit.call("get_page", {"page_id": long_page, "find": "a"})
    assert short.text == "error: find needs at least 3 characters of the page's text."
    many = (await kit.call("get_page", {"page_id": long_page, "find": "the queue for shard"})).text
    assert "120 line(s) contain" in many and many.endswith("(100 more not shown)")


async def test_a_range_of_sections_in_one_call(site, kit):
    result = await kit.call("get_section", {"page_id": site.runbook, "section_id": "s2..s3"})
    assert result.ok and "| sections s2..s3 (" in result.text
    assert (
        "## Steps" in result.text
        and "## Rollback" in result.text
        and "## Contacts" not in result.text
    )
    backwards = await kit.call("get_section", {"page_id": site.runbook, "section_id": "s3..s2"})
    assert backwards.text.startswith("error: ") and "no range 's3..s2'" in backwards.text


def _sent_tool_contents(request: dict) -> list[str]:
    return [m["content"] for m in request["messages"] if m.get("role") == "tool"]


async def test_results_already_acted_on_are_resent_as_one_line(site, client, llm, long_page):
    def read_part(body):
        return {"tool_calls": [call("get_section", page_id=long_page, section_id="s0.2")]}

    def propose(body):
        text = last_tool_result(body)
        old = text.split("\n")[2][:60]
        return {
            "tool_calls": [
                call(
                    "propose_edit",
                    page_id=long_page,
                    base_version=version_in(text),
                    edits=[{"old": old, "new": old.upper()}],
                    summary="shout",
                )
            ]
        }

    model = llm(
        [
            {"tool_calls": [call("get_page", page_id=long_page)]},
            read_part,
            propose,
            {"text": "Done."},
            {"text": "Still here."},
        ]
    )
    session = session_for(client, model)
    await session.ask("Shout the second part.")
    outline, part = _sent_tool_contents(model.requests[2])
    assert (
        len(outline.encode()) < 400
        and "bytes you read earlier are left out here; call get_page again" in outline
    )
    assert outline.startswith(f'page {long_page} "Shards" | space ENG | version 1')
    assert len(part.encode()) > STALE_RESULT_BYTES  # the result the model is acting on is whole
    sent = _sent_tool_contents(model.requests[3])
    assert all(len(c.encode()) < 400 for c in sent[:2]) and sent[2].startswith("Proposal ")
    assert (
        len(session.messages[3]["content"].encode()) > STALE_RESULT_BYTES
    )  # the conversation keeps it all
    await session.ask("Anything else?")  # a new turn: the last turn's results are earlier ones too
    assert all(len(c.encode()) < 400 for c in _sent_tool_contents(model.requests[4]))
    assert len(json.dumps(model.requests[4])) < len(json.dumps(session.messages)) + 10_000


async def test_compact_history_can_be_turned_off(site, client, llm, long_page):
    model = llm(
        [
            {"tool_calls": [call("get_page", page_id=long_page)]},
            {"tool_calls": [call("get_section", page_id=long_page, section_id="s0.2")]},
            {"text": "ok"},
        ]
    )
    session = session_for(client, model)
    session.compact_history = False
    await session.ask("Read.")
    outline, _ = _sent_tool_contents(model.requests[2])
    assert "left out here" not in outline and len(outline.encode()) > STALE_RESULT_BYTES


async def test_compact_history_setting(client, tmp_path):
    from workbench.agent.model import ModelConfig
    from workbench.agent.session import start_session
    from workbench.config import load_settings

    path = tmp_path / "config.toml"
    path.write_text("[agent]\ncompact_history = false\n")
    model = ModelConfig("http://127.0.0.1:9/v1", "m")
    off = start_session(
        client,
        settings=load_settings(path),
        model=model,
        fence=Fence.build("read-only", ()),
        audit=AuditLog(tmp_path / "a.jsonl"),
    )
    assert off.compact_history is False
    on = start_session(
        client,
        model=model,
        fence=Fence.build("read-only", ()),
        audit=AuditLog(tmp_path / "a.jsonl"),
    )
    assert on.compact_history is True


async def test_the_fixed_part_of_every_request_stays_small(site, client, llm):
    """System prompt + the propose profile's lean tool schemas + the site's spaces and CQL guide: at
    most 7,500 bytes (6,800 with 12 tools; propose_move, propose_copy and propose_rename add about
    390, list_attachments about 250, propose_attachment about 250 — made room for by leaving the
    bounds and defaults out of the lean schemas; 7,496 with it)."""
    from workbench.agent.tool_specs import tools_json

    model = llm([{"text": "ok"}])
    await session_for(client, model).ask("hi")
    assert model.sizes[0] <= 7_500, model.sizes[0]
    sent = json.dumps(model.requests[0]["tools"])
    assert (
        '"additionalProperties"' not in sent and '"pattern"' not in sent
    )  # the checker has them, not the model
    assert (
        '"additionalProperties": false' in tools_json()
        and '"pattern": "^[0-9]{1,19}$"' in tools_json()
    )
