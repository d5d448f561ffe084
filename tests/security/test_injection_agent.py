"""D1 for the agent on the command line: what a model (or a page it read) says is shown as text.

A scripted OpenAI-compatible server answers with escape sequences in its words, in a tool call's
arguments and in a proposal's summary; the transcript on stderr and the proposal lines never carry a
control character.
"""

from __future__ import annotations

from tests.agent.conftest import env, llm, site  # noqa: F401 - the agent's fixtures, used by name
from tests.agent.helpers import call, last_tool_result, version_in
from tests.security.hostile import OSC_TITLE, PAYLOAD, dangerous
from workbench.cli import main

OLD = "Watch the dashboards for ten minutes."


def test_model_words_and_tool_arguments_are_shown_as_text(site, env, llm, capsys):  # noqa: F811
    def propose(body):
        v = version_in(last_tool_result(body))
        return {
            "tool_calls": [
                call(
                    "propose_edit",
                    page_id=site.runbook,
                    base_version=v,
                    edits=[{"old": OLD, "new": f"Watch {OSC_TITLE} longer."}],
                    summary=f"Summary {PAYLOAD}",
                )
            ]
        }

    model = llm(
        [
            {"tool_calls": [call("search_pages", cql=f'title ~ "{OSC_TITLE}"')]},
            {"tool_calls": [call("get_page", page_id=site.runbook)]},
            propose,
            {"text": f"Done. {PAYLOAD} \x1b[2J bye"},
        ]
    )
    env.setenv("OPENAI_BASE_URL", model.base_url)
    env.setenv("WORKBENCH_MODEL", "scripted")
    main(["agent", site.runbook, "Watch longer"])
    _out, err = capsys.readouterr()
    assert not dangerous(err), dangerous(err)
    assert "␛]0;PWNED-TITLE␇" in err  # shown, not sent
