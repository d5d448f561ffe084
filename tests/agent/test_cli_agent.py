"""``workbench agent`` on the command line: diff on stdout, nothing written without --approve,
--approve writes once and never over a newer version (exit 3), no model → how to configure one."""

from __future__ import annotations

import json

from workbench.cli import main

from .helpers import CODE_MACRO, call, last_tool_result, version_in

OLD = "Watch the dashboards for ten minutes."
NEW = "Watch the dashboards for thirty minutes."


def _script(site, before_final=None):
    def propose(body):
        v = version_in(last_tool_result(body))
        return {
            "tool_calls": [
                call(
                    "propose_edit",
                    page_id=site.runbook,
                    base_version=v,
                    edits=[{"old": OLD, "new": NEW}],
                    summary="Watch longer",
                )
            ]
        }

    def final(body):
        if before_final:
            before_final()
        return {"text": "Proposed watching for thirty minutes."}

    return [{"tool_calls": [call("get_page", page_id=site.runbook)]}, propose, final]


def _use_model(env, server):
    env.setenv("OPENAI_BASE_URL", server.base_url)
    env.setenv("WORKBENCH_MODEL", "scripted")
    env.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")


def test_prints_the_diff_and_writes_nothing(site, env, llm, capsys):
    model = llm(_script(site))
    _use_model(env, model)
    code = main(["agent", site.runbook, "Watch for thirty minutes"])
    out, err = capsys.readouterr()
    assert code == 6  # printed, not written
    lines = out.splitlines()
    assert lines[0] == "--- Runbook (version 1)" and lines[1] == "+++ Runbook (proposed)"
    assert any(line.startswith("-") and OLD in line for line in lines)
    assert any(line.startswith("+") and NEW in line for line in lines)
    assert "→ get_page(page_id=" in err and "Nothing was written" in err
    assert site.version(site.runbook) == 1
    assert model.headers[0]["authorization"] == "Bearer sk-test-not-a-real-key"
    assert "sk-test" not in out + err
    from workbench.agent.audit import audit_path

    log = audit_path().read_text()
    assert '"tool": "get_page"' in log and '"tool": "propose_edit"' in log and "sk-test" not in log


def test_approve_writes_version_two_with_macros(site, env, llm, capsys):
    _use_model(env, llm(_script(site)))
    url = f"{site.server.base_url}/spaces/ENG/pages/{site.runbook}/Runbook"
    assert main(["agent", url, "Watch for thirty minutes", "--approve"]) == 0
    assert "Wrote version 2" in capsys.readouterr().err
    body = site.body(site.runbook)
    assert site.version(site.runbook) == 2 and NEW in body and CODE_MACRO in body


def test_approve_with_a_concurrent_edit_exits_3_and_overwrites_nothing(site, env, llm, capsys):
    def someone_edits():
        site.store.update_page(
            site.runbook, site.body(site.runbook).replace(OLD, "Watch the pager.")
        )

    _use_model(env, llm(_script(site, someone_edits)))
    assert main(["agent", site.runbook, "Watch for thirty minutes", "--approve"]) == 3
    err = capsys.readouterr().err
    assert "changed since version 1" in err and "nothing was written" in err
    assert site.version(site.runbook) == 2 and "Watch the pager." in site.body(site.runbook)


def test_read_only_profile_flag(site, env, llm, capsys):
    _use_model(env, llm(_script(site)))
    assert (
        main(["agent", site.runbook, "Watch longer", "--agent-profile", "read-only", "--approve"])
        == 0
    )
    out, err = capsys.readouterr()
    assert "refused:" in err and "---" not in out
    assert site.version(site.runbook) == 1


def test_no_model_configured_says_how(site, env, capsys):
    assert main(["agent", site.runbook, "anything"]) == 2
    err = capsys.readouterr().err
    assert "WORKBENCH_MODEL" in err and "ollama" in err.lower() and "Traceback" not in err


def test_tools_json_and_usage(capsys):
    assert main(["agent", "--tools-json"]) == 0
    tools = json.loads(capsys.readouterr().out)
    assert "propose_edit" in [t["function"]["name"] for t in tools]
    assert main(["agent", "--tools-json", "--agent-profile", "search-only"]) == 0
    assert {t["function"]["name"] for t in json.loads(capsys.readouterr().out)} == {
        "list_spaces",
        "search_pages",
    }
    assert main(["agent", "123"]) == 2
    assert "Usage" in capsys.readouterr().err
