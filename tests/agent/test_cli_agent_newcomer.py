"""``workbench agent`` as a newcomer meets it: no model, a model URL that is not a chat API, a page
URL of another site, ``--profile`` after the command. Real local Confluence, real loopback HTTP."""

from __future__ import annotations

import http.server
import threading

import pytest

from workbench.cli import main

from .test_cli_agent import _script, _use_model


def test_no_model_is_two_sentences_naming_the_config_file(site, env, capsys):
    from workbench.config import config_path

    assert main(["agent", site.runbook, "anything"]) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        "workbench: No AI model is configured. Set WORKBENCH_MODEL"
    )
    assert str(config_path()) in err and "Ollama" in err and "Traceback" not in err


class _NotAChatApi(http.server.BaseHTTPRequestHandler):
    """Answers 200 with an HTML page (a web server, or a proxy's login page) or with an HTML error."""

    status = 200

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b"<!DOCTYPE html><html><body>Welcome</body></html>"
        self.send_response(self.status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.mark.parametrize(
    "status, says",
    [
        (
            200,
            "sent an empty answer instead of a chat completion stream. Is it an OpenAI-compatible endpoint",
        ),
        (501, "failed with HTTP 501. Is it an OpenAI-compatible endpoint"),
    ],
)
def test_a_model_url_that_is_not_a_chat_api(site, env, capsys, status, says):
    handler = type("Handler", (_NotAChatApi,), {"status": status})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/v1"
        env.setenv("OPENAI_BASE_URL", url)
        env.setenv("WORKBENCH_MODEL", "some-model")
        env.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
        code = main(["agent", site.runbook, "Watch for thirty minutes"])
    finally:
        server.shutdown()
        server.server_close()
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert f"workbench: {url}" in err or f"at {url}" in err
    assert says in err and "sk-test" not in err and "Traceback" not in err
    assert site.version(site.runbook) == 1


def test_a_page_url_of_another_site_is_refused(site, env, llm, capsys):
    model = llm(_script(site))
    _use_model(env, model)
    code = main(
        [
            "agent",
            f"https://acme.atlassian.net/wiki/spaces/ENG/pages/{site.runbook}/Runbook",
            "Watch longer",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and "That URL is on acme.atlassian.net" in err
    assert model.requests == []  # refused before the model was asked anything
    assert site.version(site.runbook) == 1


def test_profile_after_the_command(site, capsys, llm, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("demo-token\n"))
    assert (
        main(
            [
                "login",
                site.server.base_url,
                "--method",
                "api-token",
                "--username",
                "demo@example.com",
                "--profile",
                "work",
            ]
        )
        == 0
    )
    _use_model(monkeypatch, llm(_script(site)))
    capsys.readouterr()
    assert main(["agent", site.runbook, "Watch for thirty minutes", "--profile", "work"]) == 6
    out, err = capsys.readouterr()
    assert out.startswith("--- Runbook (version 1)") and "Nothing was written" in err
    assert main(["agent", site.runbook, "x", "--profile", "nope"]) == 2
    assert "No profile named 'nope'" in capsys.readouterr().err


def test_allow_spaces_written_as_a_string_is_a_list_of_keys():
    from workbench.agent.fences import Fence

    fence = Fence.build("propose", "ENG, prod")
    assert fence.allow_spaces == frozenset({"ENG", "PROD"})
    assert fence.allows_space("eng") and not fence.allows_space("E")


@pytest.mark.parametrize("setting", ['max_steps = "many"', "timeout = -1", "max_steps = true"])
def test_a_bad_agent_number_in_the_config_is_a_plain_error(site, env, capsys, setting):
    from workbench.config import config_path

    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'[agent]\nmodel = "m"\n{setting}\n', encoding="utf-8")
    assert main(["agent", site.runbook, "anything"]) == 2
    err = capsys.readouterr().err
    name = setting.split()[0]
    assert err.startswith(f"workbench: [agent] {name} in the config file must be a number above 0")
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_an_answer_without_proposals_is_shown_once(site, env, llm, capsys, monkeypatch):
    import sys

    answer = "The runbook looks fine; nothing to change."
    _use_model(env, llm([{"text": answer}, {"text": answer}]))
    assert main(["agent", site.runbook, "Anything to fix?"]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == answer and answer in err  # redirected: stdout has the answer for scripts
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert main(["agent", site.runbook, "Anything to fix?"]) == 0
    out, err = capsys.readouterr()
    assert out == "" and err.count(answer) == 1  # at a terminal: once, as it streamed
