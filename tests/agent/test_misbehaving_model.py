"""A model that sends garbage: wrong types, unknown fields, invented ids, hundreds of calls, loops.

Every scenario runs through the real loop against the local Confluence and the scripted model over
HTTP. Arguments are checked against the tool's JSON Schema before anything runs; the model gets an
error it can act on, the turn goes on, and the audit log keeps what was sent. The caps of a turn
(calls per step and per turn, proposals, request bytes) each stop with a reason.
"""

from __future__ import annotations

import pytest

from workbench.agent.audit import AuditLog
from workbench.agent.limits import Limits
from workbench.agent.loop import AgentLimit, Notice
from workbench.cli import main

from .helpers import call, session_for, tool_entries
from .test_cli_agent import _use_model


def _results(session) -> list[str]:
    return [m["content"] for m in session.messages if m.get("role") == "tool"]


# (tool, arguments, what the error says) — each is refused before the tool runs
BAD_CALLS = [
    (
        "search_pages",
        {"cql": "type=page", "limit": "ten"},
        'limit must be an integer, not the string "ten"',
    ),
    ("search_pages", {"cql": "type=page", "limit": [5]}, "limit must be an integer, not [5]"),
    ("search_pages", {"cql": "type=page", "limit": 500}, "limit must be between 1 and 50, not 500"),
    ("search_pages", {"cql": 42}, "cql must be a string, not 42"),
    # an id as a whole number is taken (MCP clients send 65539; see test_ids_sent_as_numbers);
    # any other number is refused
    ("get_page", {"page_id": -5}, 'page_id must be a page id of ASCII digits like "65538", not -5'),
    ("get_page", {"page_id": 6553.9}, "page_id must be a string or an integer, not 6553.9"),
    ("get_page", {"page_id": ["1"]}, 'page_id must be a string or an integer, not ["1"]'),
    ("get_page", {"page_id": "٦٥٥٣٩"}, "page_id must be a page id of ASCII digits"),
    ("get_page", {"page_id": "65539/../../spaces"}, "page_id must be a page id of ASCII digits"),
    ("get_page", {"page": "1"}, "there is no argument 'page'; get_page takes page_id"),
    ("get_section", {"page_id": "1", "section_id": None}, "section_id must be a string, not null"),
    ("get_page_outline", {"page_id": "1", "depth": 2}, "there is no argument 'depth'"),
    (
        "propose_edit",
        {
            "page_id": "1",
            "base_version": "latest",
            "edits": [{"old": "a", "new": "b"}],
            "summary": "s",
        },
        'base_version must be an integer, not the string "latest"',
    ),
    (
        "propose_edit",
        {"page_id": "1", "base_version": 0, "edits": [{"old": "a", "new": "b"}], "summary": "s"},
        "base_version must be at least 1, not 0",
    ),
    (
        "propose_edit",
        {"page_id": "1", "base_version": 1, "edits": "replace a by b", "summary": "s"},
        'edits must be a list, not the string "replace a by b"',
    ),
    (
        "propose_edit",
        {"page_id": "1", "base_version": 1, "edits": [["a", "b"]], "summary": "s"},
        'edits[0] must be an object, not ["a", "b"]',
    ),
    (
        "propose_edit",
        {
            "page_id": "1",
            "base_version": 1,
            "edits": [{"old": "a", "new": "b", "why": "x"}],
            "summary": "s",
        },
        "edits[0] has no field 'why'",
    ),
    (
        "propose_edit",
        {"page_id": "1", "base_version": 1, "edits": [], "summary": "s"},
        "edits must have at least 1 item",
    ),
    (
        "propose_comment",
        {"page_id": "1", "markdown": {"text": "hello"}},
        'markdown must be a string, not {"text"',
    ),
    (
        "propose_page",
        {"space_key": "ENG", "parent_id": None, "title": {"t": 1}, "markdown": "x"},
        "title must be a string",
    ),
    (
        "propose_page",
        {"space_key": "ENG", "title": "Omitted parent", "markdown": "x"},
        "'parent_id' is required: Parent page id (a real page in that space), or null: under the "
        "space's homepage",
    ),
    (
        "propose_page",
        {"space_key": "ENG", "parent_id": "null", "title": "String null", "markdown": "x"},
        'parent_id must be a page id of ASCII digits like "65538" or null (under the space\'s '
        'homepage), not the string "null"',
    ),
    (
        "propose_page",
        {"space_key": "ENG", "parent_id": "", "title": "Empty parent", "markdown": "x"},
        "parent_id must be a page id of ASCII digits",
    ),
    ("list_spaces", {"all": True}, "there is no argument 'all'; list_spaces takes no arguments"),
]


async def test_wrong_arguments_are_refused_with_a_clear_error_and_the_turn_goes_on(
    site, client, llm, tmp_path
):
    audit = AuditLog(tmp_path / "audit.jsonl")
    model = llm(
        [
            {"tool_calls": [call(name, **args) for name, args, _ in BAD_CALLS[:12]]},
            {"tool_calls": [call(name, **args) for name, args, _ in BAD_CALLS[12:]]},
            {"text": "I could not do it."},
        ]
    )
    session = session_for(client, model, audit=audit)
    done = await session.ask("Do things badly.")
    assert done.text == "I could not do it."
    results = _results(session)
    assert len(results) == len(BAD_CALLS)
    for (name, _, says), result in zip(BAD_CALLS, results, strict=True):
        assert result.startswith(f"error: Invalid arguments for {name}: "), result
        assert says in result, (says, result)
        assert "Traceback" not in result and "{'" not in result  # JSON as sent, never a Python repr
    assert session.toolkit.proposals == []
    assert site.version(site.runbook) == 1
    entries = tool_entries(audit)
    assert len(entries) == len(BAD_CALLS)
    for (name, args, _), entry in zip(BAD_CALLS, entries, strict=True):
        assert entry["tool"] == name and entry["outcome"].startswith("error: Invalid arguments")
        assert entry["arguments"] == args  # the arguments as sent (short values are kept verbatim)


async def test_a_parent_must_be_real_or_null(site, client, llm):
    model = llm(
        [
            {
                "tool_calls": [
                    call(
                        "propose_page",
                        space_key="ENG",
                        parent_id="777777",
                        title="Invented parent",
                        markdown="x",
                    ),
                    call(
                        "propose_page",
                        space_key="ENG",
                        parent_id=site.secret,
                        title="Parent in another space",
                        markdown="x",
                    ),
                    call(
                        "propose_page",
                        space_key="ENG",
                        parent_id=site.runbook,
                        title="Under the runbook",
                        markdown="x",
                    ),
                    call(
                        "propose_page",
                        space_key="ENG",
                        parent_id=None,
                        title="Under the homepage",
                        markdown="x",
                    ),
                ]
            },
            {"text": "done"},
        ]
    )
    session = session_for(client, model)
    await session.ask("Make pages.")
    invented, other_space, under, root = _results(session)
    assert invented.startswith("error: Page 777777 was not found")
    assert other_space.startswith("error:") and "is not in space ENG" in other_space
    assert under.startswith("Proposal") and root.startswith("Proposal")
    assert [(p.title, p.parent_id) for p in session.toolkit.proposals] == [
        ("Under the runbook", site.runbook),
        ("Under the homepage", site.home_id),
    ]


async def test_invalid_json_is_logged_as_sent(site, client, llm, tmp_path):
    audit = AuditLog(tmp_path / "audit.jsonl")
    sent = '{"page_id": "65539", "api_key": "sk-leak'
    model = llm(
        [
            {
                "tool_calls": [
                    {"name": "get_page", "arguments": sent},
                    {"name": "get_page", "arguments": '["65539"]'},
                ]
            },
            {"text": "ok"},
        ]
    )
    session = session_for(client, model, audit=audit)
    await session.ask("Read.")
    broken, listed = _results(session)
    assert broken.startswith("error: The arguments are not valid JSON (") and "at at" not in broken
    assert listed == "error: The arguments must be a JSON object."
    first, second = tool_entries(audit)
    assert "arguments" not in first
    assert first["arguments_sent"] == '{"page_id": "65539", "api_key": "[removed]"'
    assert second["arguments_sent"] == '["65539"]'
    assert "sk-leak" not in (tmp_path / "audit.jsonl").read_text()


async def test_a_tool_that_crashes_is_an_error_for_the_model_not_the_end_of_the_turn(
    site, client, llm, tmp_path, monkeypatch
):
    audit = AuditLog(tmp_path / "audit.jsonl")
    model = llm(
        [
            {"tool_calls": [call("list_spaces"), call("get_page", page_id=site.runbook)]},
            {"text": "went on"},
        ]
    )
    session = session_for(client, model, audit=audit)

    async def broken(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(type(session.toolkit), "_tool_list_spaces", broken)
    done = await session.ask("Go.")
    crashed, read = _results(session)
    assert crashed.startswith("error: The tool list_spaces failed unexpectedly (RuntimeError)")
    assert "Tuesdays" in read and done.text == "went on"
    assert [e["outcome"] for e in tool_entries(audit)] == ["crashed: RuntimeError", "ok"]


async def test_two_hundred_calls_in_one_step_run_only_the_first_sixteen(
    site, client, llm, tmp_path
):
    audit = AuditLog(tmp_path / "audit.jsonl")
    model = llm(
        [
            {"tool_calls": [call("get_page", page_id=site.runbook) for _ in range(200)]},
            {"text": "done"},
        ]
    )
    session = session_for(client, model, audit=audit)
    events: list = []
    await session.ask("Read it a lot.", events.append)
    results = _results(session)
    assert len(results) == 200  # every call id gets an answer, so the conversation stays valid
    assert sum(r.startswith("page ") for r in results) == 16
    assert all(
        r.startswith("refused: only the first 16 tool calls of one step are run")
        for r in results[16:]
    )
    notices = [e.text for e in events if isinstance(e, Notice)]
    assert notices == ["184 tool call(s) of this step were not run: only 16 run per step."]
    outcomes = [e["outcome"] for e in tool_entries(audit)]
    assert outcomes.count("ok") == 16 and len(outcomes) == 200


async def test_the_turn_stops_at_its_cap_of_tool_calls_and_says_so(site, client, llm):
    model = llm([{"tool_calls": [call("list_spaces") for _ in range(4)]} for _ in range(5)])
    session = session_for(client, model, max_steps=20)
    session.limits = Limits(max_tool_calls=10)
    with pytest.raises(AgentLimit) as caught:
        await session.ask("Loop.")
    assert caught.value.message == (
        "The agent made 10 tool calls in this turn, the cap ([agent] max_tool_calls); it stopped and no proposal "
        "was made."
    )
    assert len(model.requests) == 3  # 4 + 4 + 2 run (2 refused), then it stopped
    assert sum(r.startswith("refused: this turn already ran 10") for r in _results(session)) == 2


async def test_forty_proposals_in_one_step_are_capped(site, client, llm):
    def forty(body):
        return {
            "tool_calls": [
                call(
                    "propose_edit",
                    page_id=site.runbook,
                    base_version=1,
                    edits=[
                        {"old": "Deploys happen on Tuesdays.", "new": f"Deploys happen on day {n}."}
                    ],
                    summary=f"day {n}",
                )
                for n in range(40)
            ]
        }

    model = llm([forty, {"text": "done"}])
    session = session_for(client, model)
    session.limits = Limits(max_tool_calls_per_step=50, max_proposals=10)
    await session.ask("Propose a lot.")
    results = _results(session)
    assert sum(r.startswith("Proposal") for r in results) == 10
    assert all(r.startswith("refused: this turn already made 10 proposals") for r in results[10:])
    assert len(session.toolkit.proposals) == 10


async def test_the_loop_that_never_ends_stops_at_max_steps_and_says_what_was_kept(
    site, client, llm
):
    def propose(body):
        return {
            "tool_calls": [
                call(
                    "propose_edit",
                    page_id=site.runbook,
                    base_version=1,
                    edits=[{"old": "Tuesdays", "new": "Fridays"}],
                    summary="Friday",
                )
            ]
        }

    model = llm(
        [propose] + [{"tool_calls": [call("search_pages", cql=f'text ~ "x{n}"')]} for n in range(5)]
    )
    session = session_for(client, model, max_steps=4)
    with pytest.raises(AgentLimit) as caught:
        await session.ask("Loop.")
    assert caught.value.message == (
        "The agent used its 4 steps ([agent] max_steps) without finishing; the 1 proposal made so far is kept."
    )
    assert len(session.toolkit.proposals) == 1


async def test_a_result_that_would_make_the_request_too_big_is_left_out(site, client, llm):
    big = site.store.create_page(int(site.eng_id), "Big", "<p>" + "word " * 8000 + "</p>")

    def after(body):
        assert "refused: this result (" in body["messages"][-1]["content"]
        return {"text": "too big"}

    model = llm([{"tool_calls": [call("get_page", page_id=str(big["id"]))]}, after])
    session = session_for(client, model)
    session.toolkit.page_inline_limit = 10**6
    session.limits = Limits(max_request_bytes=20_000)
    events: list = []
    done = await session.ask("Read the big page.", events.append)
    assert done.text == "too big"
    assert all(len(str(r)) < 30_000 for r in model.requests)
    assert any(isinstance(e, Notice) and "was left out" in e.text for e in events)


async def test_an_instruction_over_the_request_cap_is_not_sent(site, client, llm):
    model = llm([{"text": "never"}])
    session = session_for(client, model)
    session.limits = Limits(max_request_bytes=10_000)
    with pytest.raises(
        AgentLimit, match="over the 10,000 of \\[agent\\] max_request_bytes, so it was not sent"
    ):
        await session.ask("x" * 20_000)
    assert model.requests == []


@pytest.mark.parametrize(
    "setting", ["max_tool_calls = -1", 'max_proposals = "lots"', "max_request_bytes = -5"]
)
def test_a_bad_cap_in_the_config_is_a_plain_error(site, env, capsys, setting):
    from workbench.config import config_path

    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'[agent]\nmodel = "m"\n{setting}\n', encoding="utf-8")
    assert main(["agent", site.runbook, "anything"]) == 2
    err = capsys.readouterr().err
    assert f"[agent] {setting.split()[0]} in the config file must be a number above 0" in err
    assert "Traceback" not in err


def test_cli_limit_ten_is_an_error_for_the_model_not_a_traceback(site, env, llm, capsys):
    _use_model(
        env,
        llm(
            [
                {"tool_calls": [call("search_pages", cql="type=page", limit="ten")]},
                {"text": "Searched."},
            ]
        ),
    )
    code = main(["agent", site.runbook, "Search ten pages"])
    out, err = capsys.readouterr()
    assert code == 0 and "Traceback" not in err
    assert 'limit must be an integer, not the string "ten"' in err
    assert out.strip() == "Searched."
