"""``workbench users`` and ``workbench groups`` against the local Confluence: no match, an ambiguous
user, an unknown group, Data Center without a user search, hostile names, then the tables and JSON."""

from __future__ import annotations

import json

from tests.cli.helpers import run, use_site
from workbench.emulator.seed_people import GROUPS, PRIYA, TOMAS


def test_no_match_and_bad_input_get_clear_messages(demo_server, monkeypatch, capsys):
    use_site(monkeypatch, demo_server.base_url)
    assert run(capsys, "users", "zzz") == (0, "No user matches 'zzz'.\n", "")
    code, out, err = run(capsys, "users", "zzz", "--json")
    assert (code, json.loads(out)) == (0, [])
    code, _, err = run(capsys, "groups", "zzz")
    assert code == 5 and "No user matches 'zzz'" in err
    code, _, err = run(capsys, "groups", "--members", "no-such-group")
    assert code == 5 and "no-such-group" in err and "Traceback" not in err
    code, _, err = run(capsys, "groups", "priya", "--members", "eng")
    assert code == 2 and "one of USER" in err
    code, _, err = run(capsys, "groups", "--reach", "eng", "--members", "eng")
    assert code == 2 and "one of USER" in err
    code, _, err = run(capsys, "groups", "--reach", "no-such-group")
    assert code == 5 and "no-such-group" in err
    code, _, err = run(capsys, "groups", "--members", "eng", "--limit", "500")
    assert code == 2 and "--limit" in err


def test_a_user_that_matches_several_people_is_refused_by_name(demo_server, monkeypatch, capsys):
    use_site(monkeypatch, demo_server.base_url)
    demo_server.store.add_user("557058:aaaaaaaa-0000-4000-8000-000000000001", "Priya Rao")
    code, _, err = run(capsys, "groups", "priya")
    assert code == 2 and "Priya Raman" in err and "Priya Rao" in err and "Be more exact" in err


def test_hostile_names_are_printed_as_text(demo_server, monkeypatch, capsys):
    use_site(monkeypatch, demo_server.base_url)
    demo_server.store.add_user("557058:bbbbbbbb-0000-4000-8000-000000000002", "Evil \x1b[31mRed")
    code, out, _ = run(capsys, "users", "evil")
    assert code == 0 and "\x1b" not in out and "Evil ␛[31mRed" in out


def test_users_by_name_email_and_id(demo_server, monkeypatch, capsys):
    use_site(monkeypatch, demo_server.base_url)
    code, out, _ = run(capsys, "users", "priya")
    assert code == 0
    assert out.splitlines()[0].split() == ["NAME", "EMAIL", "ACCOUNT", "ID"]
    assert "Priya Raman" in out and "priya.raman@example.com" in out and PRIYA in out
    code, out, _ = run(capsys, "users", "hana")
    assert "(hidden)" in out  # Hana keeps her email private
    code, out, _ = run(capsys, "users", "priya.raman@example.com", "--json")
    assert json.loads(out) == [
        {
            "account_id": PRIYA,
            "display_name": "Priya Raman",
            "email": "priya.raman@example.com",
            "username": None,
        }
    ]


def test_groups_of_the_site_of_a_user_and_members_page_by_page(demo_server, monkeypatch, capsys):
    use_site(monkeypatch, demo_server.base_url)
    code, out, _ = run(capsys, "groups")
    assert code == 0 and [line.split()[0] for line in out.splitlines()[1:]] == sorted(GROUPS)
    code, out, _ = run(capsys, "groups", "tomás", "--json")
    assert [g["name"] for g in json.loads(out)] == ["confluence-users", "contractors", "eng"]
    code, out, _ = run(capsys, "groups", "--members", "confluence-users", "--limit", "4")
    assert code == 0 and len(out.splitlines()) == 6  # header, 4 people, the "More:" line
    assert "--start 4" in out.splitlines()[-1]
    code, out, _ = run(
        capsys, "groups", "--members", "confluence-users", "--start", "4", "--limit", "4", "--json"
    )
    data = json.loads(out)
    assert len(data["members"]) == 2 and data["next_start"] is None
    assert data["group"]["id"] == GROUPS["confluence-users"][0]
    code, out, _ = run(capsys, "groups", "--members", "contractors", "--json")
    assert {m["account_id"] for m in json.loads(out)["members"]} >= {TOMAS}


def test_data_center_says_what_it_cannot_search(local_confluence, monkeypatch, capsys):
    server = local_confluence("demo", flavour="dc", context_path="/confluence")
    monkeypatch.setenv("CONFLUENCE_URL", server.base_url)
    monkeypatch.setenv("CONFLUENCE_PERSONAL_TOKEN", "demo-token")
    code, _, err = run(capsys, "users", "Tomás", "Ferreira")
    assert code == 1 and "username" in err and "Traceback" not in err
    code, out, _ = run(capsys, "users", "tomas.ferreira")
    assert code == 0 and out.splitlines()[0].split() == ["NAME", "USERNAME"]
    code, out, _ = run(capsys, "groups", "tomas.ferreira")
    assert code == 0 and out.splitlines()[1:] == ["confluence-users", "contractors", "eng"]


def test_what_a_group_reaches(demo_server, monkeypatch, capsys):
    use_site(monkeypatch, demo_server.base_url)
    code, out, _ = run(capsys, "groups", "--reach", "contractors")
    assert code == 0 and out.splitlines()[0].split() == ["SPACE", "NAME", "MAY"]
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["ENG", "PROD"]
    assert "read space, create comment, create attachment" in out.splitlines()[1]
    code, out, _ = run(capsys, "groups", "--reach", "confluence-users", "--json")
    assert {g["space_key"]: g["operations"] for g in json.loads(out)} == {
        "ENG": ["read space"],
        "PROD": ["read space"],
    }


def test_users_finds_a_name_typed_without_its_accents(demo_server, monkeypatch, capsys):
    use_site(monkeypatch, demo_server.base_url)
    demo_server.store.add_user("557058:cccccccc-0000-4000-8000-000000000003", "Zoë Lefèvre")
    code, out, _ = run(capsys, "users", "Zoe")
    assert code == 0 and "Zoë Lefèvre" in out
    code, out, _ = run(capsys, "users", "tomas", "--json")
    assert [p["account_id"] for p in json.loads(out)] == [TOMAS]
