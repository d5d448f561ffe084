"""``workbench jira search | show | comment`` over loopback against the local Jira, with the login of
the Confluence site (the ``CONFLUENCE_*`` environment: API token, personal access token), and every
unhappy path first: bad JQL, unknown key, a site with no Jira, bad files, an empty comment."""

from __future__ import annotations

import json

import pytest

from tests.cli.helpers import run, use_site


@pytest.fixture
def site(demo_server, monkeypatch):
    use_site(monkeypatch, demo_server.base_url)
    return demo_server


def test_bad_jql_is_jiras_message_and_exit_2(site, capsys):
    code, out, err = run(capsys, "jira", "search", "AND", "status", "=", "Done")
    assert code == 2 and out == ""
    assert err.strip() == (
        "workbench: Jira could not run that JQL: Error in the JQL Query: Expecting a field name but got "
        "'AND'. You must surround 'AND' in quotation marks to use it as a field name. (line 1, character 1)"
    )
    code, _, err = run(capsys, "jira", "search", "colour = red")
    assert code == 2 and "Field 'colour' does not exist" in err


def test_unknown_key_and_a_key_that_is_no_key(site, capsys):
    code, out, err = run(capsys, "jira", "show", "ENG-999")
    assert code == 5 and out == ""
    assert "Issue ENG-999 was not found, or you may not see it" in err
    assert "Issue does not exist or you do not have permission to see it." in err
    code, _, err = run(capsys, "jira", "show", "not a key")
    assert code == 2 and "'not a key' is not an issue key; write it like ENG-12" in err
    assert "Traceback" not in err


def test_a_site_without_jira_says_so(local_confluence, monkeypatch, capsys):
    server = local_confluence()
    server.state.extras["jira"] = False
    use_site(monkeypatch, server.base_url)
    code, _, err = run(capsys, "jira", "search", "project = ENG")
    assert code == 5
    assert err.startswith("workbench: There is no Jira at http://127.0.0.1:")
    assert "The site may have no Jira" in err


def test_search_table_and_json(site, capsys):
    code, out, err = run(capsys, "jira", "search", "project = ENG AND status != Done ORDER BY key")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["KEY", "STATUS", "ASSIGNEE", "SUMMARY"]
    assert [line.split()[0] for line in lines[1:]] == ["ENG-2", "ENG-3", "ENG-4", "ENG-5"]
    assert "In Review" in lines[2] and "Connection pool saturates under retry storms" in lines[2]
    code, out, _ = run(
        capsys, "jira", "search", "--json", "--limit", "2", "project = ENG ORDER BY key"
    )
    data = json.loads(out)
    assert [d["key"] for d in data] == ["ENG-1", "ENG-2"]
    assert data[1]["assignee"] == "Grace Liu" and data[1]["statusCategory"] == "indeterminate"
    code, out, _ = run(capsys, "jira", "search", "text ~ 'no such words anywhere'")
    assert code == 0 and out.strip() == "No issues match."


def test_search_pages_through_tokens(site, capsys):
    for n in range(60):  # more than one page of /search/jql (100 per request)
        site.store.jira_create_issue(
            "ENG", f"Bulk {n}", issuetype={"name": "Task"}, reporter="557058:demo-user"
        )
    code, out, _ = run(
        capsys, "jira", "search", "--json", "--limit", "150", "project = ENG ORDER BY key"
    )
    keys = [d["key"] for d in json.loads(out)]
    assert len(keys) == 65 and len(set(keys)) == 65
    pages = site.requests.entries(method="POST", path_prefix="/rest/api/3/search/jql")
    assert len(pages) == 1  # 65 fit in one request of 100
    code, out, _ = run(
        capsys, "jira", "search", "--json", "--limit", "150", "project = ENG OR project = PAY"
    )
    assert len(json.loads(out)) == 68
    pages = site.requests.entries(method="POST", path_prefix="/rest/api/3/search/jql")
    assert len(pages) == 2  # 68 in one page of 100; the first call's page counted too


def test_show_an_issue_as_markdown(site, capsys):
    code, out, err = run(capsys, "jira", "show", "pay-1432")
    assert code == 0, err
    assert out.startswith("PAY-1432  Automate the scale-out step of the latency runbook\n")
    assert "Status:   In Progress" in out and "Assignee: Marcus Oyelaran" in out
    assert "Labels:   oncall, runbook" in out
    assert "blocks ENG-3 (In Review): Connection pool saturates under retry storms" in out
    assert "- Add a scale-out job to the ops CLI" in out
    # the seed's mention carries accessLevel "" (as Jira's do): kept in the placeholder's last part
    assert "⟦mention:712020:0b9d8e2c-47a1-4f3e-b6c2-91e5d7a4f208|@Marcus Oyelaran|⟧" in out
    assert "Comments (1):" in out and "Draft job is on a branch." in out
    code, out, _ = run(capsys, "jira", "show", "--json", "PAY-1329")
    data = json.loads(out)
    assert "```python\nformat_amount(Money(1200, 'JPY'))" in data["description"]


def test_server_text_is_printed_as_text(site, capsys):
    site.store.jira_update_issue("ENG-4", {"summary": "Evil \x1b[31mred\x1b[0m \u202etxt"})
    code, out, _ = run(capsys, "jira", "show", "ENG-4")
    assert code == 0
    assert "\x1b" not in out and "\u202e" not in out
    assert "Evil ␛[31mred␛[0m <U+202E>txt" in out.splitlines()[0]
    code, out, _ = run(capsys, "jira", "search", "key = ENG-4")
    assert "\x1b" not in out


def test_comment_from_markdown(site, capsys, tmp_path):
    note = tmp_path / "note.md"
    note.write_text(
        "Checked with **200 rps**:\n\n- pool at 80 %\n- no errors\n\n```sh\nload-test\n```\n"
    )
    code, out, err = run(capsys, "jira", "comment", "ENG-3", str(note))
    assert code == 0, err
    assert out.startswith("Commented on ENG-3 (comment ")
    stored = site.store.jira_comments("ENG-3")[-1]
    body = json.loads(stored["body"])
    assert [n["type"] for n in body["content"]] == ["paragraph", "bulletList", "codeBlock"]
    assert body["content"][0]["content"][1] == {
        "type": "text",
        "text": "200 rps",
        "marks": [{"type": "strong"}],
    }
    writes = site.requests.entries(method="POST", path_prefix="/rest/api/3/issue/ENG-3/comment")
    assert len(writes) == 1


def test_comment_refuses_bad_input_and_sends_nothing(site, capsys, tmp_path):
    before = len(site.store.jira_comments("ENG-3"))
    empty = tmp_path / "empty.md"
    empty.write_text("  \n")
    code, _, err = run(capsys, "jira", "comment", "ENG-3", str(empty))
    assert code == 2 and "is empty; nothing was sent" in err
    code, _, err = run(capsys, "jira", "comment", "ENG-3", str(tmp_path / "missing.md"))
    assert code == 2 and "does not exist" in err
    broken = tmp_path / "broken.md"
    broken.write_text("```adf\n{oops\n```\n")
    code, _, err = run(capsys, "jira", "comment", "ENG-3", str(broken))
    assert code == 2 and "not valid JSON" in err
    good = tmp_path / "good.md"
    good.write_text("hello")
    code, _, err = run(capsys, "jira", "comment", "ENG-999", str(good))
    assert code == 5 and "Issue ENG-999 was not found" in err
    assert len(site.store.jira_comments("ENG-3")) == before


def test_personal_access_token_uses_jira_v2_with_wiki_markup(
    local_confluence, monkeypatch, capsys, tmp_path
):
    server = local_confluence(flavour="dc", context_path="/confluence")
    monkeypatch.setenv("CONFLUENCE_URL", server.base_url)
    monkeypatch.setenv("CONFLUENCE_PERSONAL_TOKEN", "demo-token")
    code, out, err = run(capsys, "jira", "search", "project = PAY ORDER BY key")
    assert code == 0, err
    assert [line.split()[0] for line in out.splitlines()[1:]] == [
        "PAY-1311",
        "PAY-1329",
        "PAY-1432",
    ]
    assert server.requests.entries(path_prefix="/rest/api/2/search")
    code, out, _ = run(capsys, "jira", "show", "PAY-1311")
    assert "Fixed in **2026.10**." in out
    note = tmp_path / "n.md"
    note.write_text("Seen on *DC* too")
    code, _, err = run(capsys, "jira", "comment", "PAY-1311", str(note))
    assert code == 0, err
    stored = json.loads(server.store.jira_comments("PAY-1311")[-1]["body"])
    assert stored["content"][0]["content"][1] == {
        "type": "text",
        "text": "DC",
        "marks": [{"type": "em"}],
    }


def test_jira_alone_shows_its_commands(capsys):
    code, out, err = run(capsys, "jira")
    assert code == 2 and out == ""
    assert "search" in err and "show" in err and "comment" in err
