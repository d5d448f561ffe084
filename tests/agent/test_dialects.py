"""Real model servers' wire formats, spoken over HTTP by the scripted server (``scripted_llm.DIALECTS``,
each cited there): a whole tool-using turn works on every one of them, streamed and not, and every
way a server can misbehave ends in a plain message with nothing run."""

from __future__ import annotations

import json

import pytest

from workbench.agent.audit import AuditLog
from workbench.agent.loop import Waiting
from workbench.agent.provider import ProviderError

from .helpers import call, last_tool_result, session_for, tool_entries, version_in
from .scripted_llm import DIALECTS

OLD = "Watch the dashboards for ten minutes."
NEW = "Watch the dashboards for thirty minutes."


def _edit_script(site, *, both_calls: bool = True):
    """Two calls in one step (outline + search), then a proposal, then the answer."""

    def propose(body):
        outline = [m["content"] for m in body["messages"] if m.get("role") == "tool"][0]
        return {
            "tool_calls": [
                call(
                    "propose_edit",
                    page_id=site.runbook,
                    base_version=version_in(outline),
                    edits=[{"old": OLD, "new": NEW}],
                    summary="Watch longer",
                )
            ]
        }

    first = [call("get_page_outline", page_id=site.runbook)]
    if both_calls:
        first.append(call("search_pages", cql='type=page AND title ~ "Runbook"', limit=3))
    return [{"tool_calls": first}, propose, {"text": "Proposed thirty minutes."}]


@pytest.mark.parametrize("stream", [True, False], ids=["stream", "whole"])
@pytest.mark.parametrize("dialect", DIALECTS)
async def test_a_tool_using_turn_works_on_every_server(
    site, client, llm, tmp_path, dialect, stream
):
    model = llm(_edit_script(site), dialect=dialect)
    session = session_for(client, model, stream=stream, audit=AuditLog(tmp_path / "audit.jsonl"))
    done = await session.ask("Watch the dashboards for thirty minutes.")
    assert model.errors == []  # the server accepted every request (content "" with tool calls)
    assert done.text == "Proposed thirty minutes."
    tools = [m for m in session.messages if m.get("role") == "tool"]
    assert (
        tools[0]["content"].startswith(f"page {site.runbook} ")
        and "[ENG]  Runbook" in tools[1]["content"]
    )
    calls = [
        c["function"]["name"]
        for m in session.messages
        if m.get("role") == "assistant"
        for c in m.get("tool_calls", [])
    ]
    assert calls == ["get_page_outline", "search_pages", "propose_edit"]
    assert all(
        isinstance(m["content"], str) for m in session.messages if m.get("role") == "assistant"
    )
    (proposal,) = session.toolkit.proposals
    assert NEW in proposal.after and OLD in proposal.before


@pytest.mark.parametrize("stream", [True, False], ids=["stream", "whole"])
async def test_arguments_sent_as_an_object(site, client, llm, stream):
    script = _edit_script(site, both_calls=False)
    script[0] = {**script[0], "args_object": True}
    model = llm(script, dialect="ollama")
    if not stream:  # the whole-answer path gets the object in message.tool_calls
        script[0]["tool_calls"][0]["arguments"] = {"page_id": site.runbook}
    session = session_for(client, model, stream=stream)
    await session.ask("Change it.")
    assert session.messages[2]["tool_calls"][0]["function"]["arguments"] == json.dumps(
        {"page_id": site.runbook}
    )
    assert len(session.toolkit.proposals) == 1


@pytest.mark.parametrize(
    ("text", "form"),
    [
        (
            '<tool_call>\n{"name": "get_page", "arguments": {"page_id": "1"}}\n</tool_call>',
            "Hermes",
        ),
        ('[TOOL_CALLS] [{"name": "get_page", "arguments": {"page_id": "1"}}]', "Mistral"),
        ('<|python_tag|>{"name": "get_page", "parameters": {"page_id": "1"}}', "Llama 3"),
        ('{"name": "get_page", "parameters": {"page_id": "1"}}', "JSON"),
        (
            '```json\n{"type": "function", "name": "search_pages", "parameters": {"cql": "x"}}\n```',
            "JSON",
        ),
        ('functions.get_page: {"page_id": "1"}', "functions.NAME"),
    ],
    ids=[
        "hermes",
        "mistral",
        "llama3-python-tag",
        "llama3-json",
        "fenced-json",
        "functions-prefix",
    ],
)
async def test_tool_calls_written_as_text_name_the_server_flag(site, client, llm, text, form):
    model = llm([{"text": text}])
    session = session_for(client, model)
    with pytest.raises(ProviderError) as info:
        await session.ask("Read the page.")
    message = info.value.message
    assert form in message and "not parsing tool calls" in message and "--jinja" in message
    assert "--enable-auto-tool-choice" in message and not info.value.retryable
    assert [m["role"] for m in session.messages] == ["system", "user"]  # nothing kept, nothing run


async def test_prose_that_mentions_json_is_an_answer(site, client, llm):
    model = llm(
        [{"text": 'The page config is {"name": "deploy", "retries": 3}; nothing else to add.'}]
    )
    done = await session_for(client, model).ask("What is the config?")
    assert done.text.startswith("The page config")


@pytest.mark.parametrize("dialect", ["openai", "vllm", "llamacpp", "llama-cpp-python"])
async def test_a_stream_cut_mid_call_runs_nothing(site, client, llm, tmp_path, dialect):
    # role chunk, then the call's first delta and a few argument fragments: then the body just ends
    model = llm(
        [
            {
                "tool_calls": [
                    call(
                        "propose_page",
                        space_key="ENG",
                        parent_id=None,
                        title="T",
                        markdown="x" * 200,
                    )
                ],
                "stop_after": 4,
            }
        ],
        dialect=dialect,
    )
    audit = AuditLog(tmp_path / "audit.jsonl")
    session = session_for(client, model, audit=audit)
    with pytest.raises(ProviderError, match="ended in the middle of a tool call") as info:
        await session.ask("Make a page.")
    assert info.value.retryable
    assert tool_entries(audit) == [] and session.toolkit.proposals == []


@pytest.mark.parametrize("stream", [True, False], ids=["stream", "whole"])
async def test_no_choices(site, client, llm, stream):
    model = llm([{"empty_choices": True}])
    with pytest.raises(ProviderError, match=r'no choices \("choices": \[\]\)'):
        await session_for(client, model, stream=stream).ask("hi")


@pytest.mark.parametrize("stream", [True, False], ids=["stream", "whole"])
async def test_an_empty_answer_is_said(site, client, llm, stream):
    model = llm([{"text": ""}, {"text": "Deploys are on Tuesdays."}])
    session = session_for(client, model, stream=stream)
    with pytest.raises(ProviderError, match="no text and no tool call") as info:
        await session.ask("When are deploys?")
    assert info.value.retryable
    assert (await session.retry()).text == "Deploys are on Tuesdays."


async def test_an_empty_answer_after_a_proposal_ends_the_turn(site, client, llm):
    script = _edit_script(site, both_calls=False)
    script[-1] = {"text": ""}
    session = session_for(client, llm(script))
    done = await session.ask("Change it.")
    assert done.text == "" and len(done.proposals) == 1


@pytest.mark.parametrize("stream", [True, False], ids=["stream", "whole"])
async def test_an_answer_cut_at_the_output_limit(site, client, llm, stream):
    model = llm(
        [
            {"text": "Deploys happen on Tues", "finish": "length"},
            {"tool_calls": [call("get_page", page_id=site.runbook)], "finish": "length"},
        ]
    )
    session = session_for(client, model, stream=stream)
    with pytest.raises(
        ProviderError, match=r'answer was cut off at its output limit \(finish_reason "length"\)'
    ):
        await session.ask("When?")
    with pytest.raises(ProviderError, match="in the middle of a tool call .* nothing was run"):
        await session.retry()
    assert [m["role"] for m in session.messages] == ["system", "user"]


async def test_retry_after_as_an_http_date(site, client, llm):
    import time
    from email.utils import formatdate

    later = formatdate(time.time() + 3 * 3600, usegmt=True)
    past = formatdate(time.time() - 60, usegmt=True)
    model = llm(
        [
            {"status": 429, "retry_after": later, "error": "quota"},
            {"status": 429, "retry_after": past, "error": "quota"},
            {"text": "Hello."},
        ]
    )
    session = session_for(client, model)
    with pytest.raises(ProviderError, match=r"\(429\).* Wait about 3 h and retry\.$") as info:
        await session.ask("hi")
    assert 3 * 3600 - 60 < info.value.retry_after <= 3 * 3600
    waits: list[Waiting] = []
    done = await session.retry(lambda e: waits.append(e) if isinstance(e, Waiting) else None)
    assert done.text == "Hello." and [w.seconds for w in waits] == [0.0]  # a date in the past: now


async def test_a_503_with_retry_after_is_waited_out_at_most_twice(site, client, llm):
    busy = {"status": 503, "retry_after": "0", "error": "Loading model"}
    model = llm([busy, busy, busy, {"text": "late"}])
    session = session_for(client, model)
    waits: list[Waiting] = []
    with pytest.raises(ProviderError, match=r"unavailable \(HTTP 503: Loading model\)") as info:
        await session.ask("hi", lambda e: waits.append(e) if isinstance(e, Waiting) else None)
    assert info.value.status == 503 and len(waits) == 2 and len(model.requests) == 3
    assert "Loading model" in waits[0].reason and "Wait" not in waits[0].reason


def test_retry_after_values():
    from workbench.agent.dialects import retry_after_seconds

    now = 1_792_308_480.0  # Sun, 18 Oct 2026 07:28:00 GMT
    assert retry_after_seconds("7") == 7.0 and retry_after_seconds(" 1.5 ") == 1.5
    assert retry_after_seconds("Sun, 18 Oct 2026 07:28:30 GMT", now) == 30.0
    assert retry_after_seconds("Sun, 18 Oct 2026 07:27:00 GMT", now) == 0.0
    assert (
        retry_after_seconds("soon") is None
        and retry_after_seconds("") is None
        and retry_after_seconds(None) is None
    )
    assert retry_after_seconds("-5") is None


def test_merger_keeps_calls_apart():
    from workbench.agent.dialects import ToolCallMerger

    m = ToolCallMerger()
    # index-less whole calls (ollama/ollama#7881) and index-0 calls with distinct ids (ollama#15457)
    m.add(None, "a", "get_page", '{"page_id": "1"}')
    m.add(None, "b", "search_pages", '{"cql": "x"}')
    m.add(0, "c", "get_page", '{"page_id": "2"}')
    m.add(0, "d", "get_page", {"page_id": "3"})
    # a name fragment that is not a repeat is appended; a repeat is not
    m.add(5, "e", "get_", "")
    m.add(5, None, "page", '{"page_id"')
    m.add(5, None, None, ': "4"}')
    assert m.calls() == [
        ("a", "get_page", '{"page_id": "1"}'),
        ("b", "search_pages", '{"cql": "x"}'),
        ("c", "get_page", '{"page_id": "2"}'),
        ("d", "get_page", '{"page_id": "3"}'),
        ("e", "get_page", '{"page_id": "4"}'),
    ]
    n = ToolCallMerger()  # no index and no ids: a second name after a finished call is a new call
    n.add(None, None, "get_page", '{"page_id": "1"}')
    n.add(None, None, "get_page", '{"page_id": "2"}')
    assert [c[2] for c in n.calls()] == ['{"page_id": "1"}', '{"page_id": "2"}']


def test_streaming_switch(monkeypatch, tmp_path):
    from workbench.agent.model import resolve_model
    from workbench.config import load_settings
    from workbench.errors import ConfigError

    monkeypatch.setenv("WORKBENCH_MODEL", "m")
    monkeypatch.delenv("WORKBENCH_AGENT_STREAM", raising=False)
    path = tmp_path / "config.toml"
    path.write_text("[agent]\nstream = false\nrequest_timeout = 30\ntimeout = 600\n")
    settings = load_settings(path)
    config = resolve_model(settings)
    assert config is not None and config.stream is False
    assert (config.request_timeout, config.timeout) == (30.0, 600.0)
    monkeypatch.setenv("WORKBENCH_AGENT_STREAM", "1")
    assert resolve_model(settings).stream is True
    assert resolve_model(settings, stream=False).stream is False  # the command line wins
    monkeypatch.setenv("WORKBENCH_AGENT_STREAM", "maybe")
    with pytest.raises(ConfigError, match="WORKBENCH_AGENT_STREAM must be 1 or 0"):
        resolve_model(settings)
    path.write_text('[agent]\nstream = "no"\n')
    with pytest.raises(ConfigError, match="'stream' in \\[agent\\].* must be true or false"):
        load_settings(path)
    path.write_text("[agent]\nrequest_timeout = 0\n")
    monkeypatch.delenv("WORKBENCH_AGENT_STREAM")
    with pytest.raises(ConfigError, match="request_timeout .* above 0"):
        resolve_model(load_settings(path))


def test_cli_no_stream(site, env, llm, capsys):
    from workbench.cli import main

    def propose(body):
        return {
            "tool_calls": [
                call(
                    "propose_edit",
                    page_id=site.runbook,
                    base_version=version_in(last_tool_result(body)),
                    edits=[{"old": OLD, "new": NEW}],
                    summary="x",
                )
            ]
        }

    model = llm(
        [{"tool_calls": [call("get_page", page_id=site.runbook)]}, propose, {"text": "Done."}],
        dialect="llama-cpp-python",
    )
    env.setenv("OPENAI_BASE_URL", model.base_url)
    env.setenv("WORKBENCH_MODEL", "scripted")
    assert main(["agent", site.runbook, "Watch longer", "--no-stream"]) == 6  # printed, not written
    out, _ = capsys.readouterr()
    assert NEW in out and model.errors == []
    assert [bool(r.get("stream")) for r in model.requests] == [False, False, False]


@pytest.mark.parametrize(
    "dialect", ["llama-cpp-python", "llamacpp-old", "ollama-old", "ollama-index0"]
)
async def test_the_panel_on_each_quirky_server(site, client, llm, tmp_path, dialect):
    from textual.widgets import Input, Static

    from workbench.agent.model import ModelConfig
    from workbench.tui.agent.review import ProposalReview

    from .harness import PanelHarness

    model = llm(_edit_script(site), dialect=dialect)
    app = PanelHarness(
        client=client,
        model=ModelConfig(base_url=model.base_url, model="scripted", timeout=30),
        audit=AuditLog(tmp_path / "audit.jsonl"),
    )
    async with app.run_test(size=(140, 45)) as pilot:
        app.panel.query_one(Input).value = "Watch for thirty minutes."
        app.panel.query_one(Input).focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        transcript = "\n".join(str(w.render()) for w in app.panel.query("#agent-transcript Static"))
        assert "→ get_page_outline(page_id=" in transcript and "→ search_pages(cql=" in transcript
        assert "✗" not in transcript and model.errors == []
        review = app.panel.query_one(ProposalReview)
        assert NEW in "\n".join(str(w.render()) for w in review.query(Static))
        await pilot.press("Y", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert site.version(site.runbook) == 2 and NEW in site.body(site.runbook)


@pytest.mark.parametrize("dialect", ["llamacpp-old", "ollama-old"])
def test_the_cli_on_a_quirky_server(site, env, llm, capsys, dialect):
    from workbench.cli import main

    model = llm(_edit_script(site), dialect=dialect)
    env.setenv("OPENAI_BASE_URL", model.base_url)
    env.setenv("WORKBENCH_MODEL", "scripted")
    main(["agent", site.runbook, "Watch for thirty minutes."])
    out, err = capsys.readouterr()
    assert "→ get_page_outline(" in err and "→ search_pages(" in err and "→ propose_edit(" in err
    assert f"+{NEW}" in out and model.errors == []
