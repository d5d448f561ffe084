"""``workbench spaces | search | cat | push`` against the local Confluence, configured through the
``CONFLUENCE_*`` environment variables, run in-process through ``workbench.cli.main``."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import pytest

from workbench.cli import main

from .helpers import run, use_site


def _has_converter() -> bool:
    try:
        from workbench.convert import markdown_to_storage, storage_to_markdown  # noqa: F401
    except ImportError:
        return False
    return True


needs_converter = pytest.mark.skipif(
    not _has_converter(), reason="workbench.convert is not built yet"
)


@pytest.fixture
def site(local_confluence, monkeypatch):
    server = local_confluence("large:30")
    use_site(monkeypatch, server.base_url)
    return server


def a_page(server) -> dict:
    page_id = server.store.query_one("SELECT id FROM pages WHERE title LIKE 'Page 00003%'")["id"]
    return server.store.get_page(page_id)


@pytest.mark.parametrize("command", ["spaces", "search", "cat", "push"])
def test_every_content_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    out = capsys.readouterr().out
    assert info.value.code == 0 and f"workbench {command}" in out and "CONFLUENCE_URL" in out


def test_spaces_table_and_json(site, capsys):
    code, out, err = run(capsys, "spaces")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["KEY", "NAME", "TYPE", "ID"]
    assert any(line.startswith("LARGE ") for line in lines[1:])
    code, out, _ = run(capsys, "spaces", "--json")
    data = json.loads(out)
    assert code == 0 and data[0]["key"] == "LARGE" and data[0]["url"].endswith("/spaces/LARGE")


def test_cat_storage_and_json_by_id_and_url(site, capsys):
    page = a_page(site)
    code, out, err = run(capsys, "cat", str(page["id"]), "--format", "storage")
    assert code == 0 and out.rstrip("\n") == page["body"]
    assert f"--base-version {page['version']}" in err
    url = f"{site.base_url}/spaces/LARGE/pages/{page['id']}/Whatever"
    code, out, _ = run(capsys, "cat", url, "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["id"] == str(page["id"]) and data["storage"] == page["body"]
    assert data["version"]["number"] == page["version"] and data["url"].startswith(site.base_url)
    code, out, _ = run(
        capsys,
        "cat",
        f"{site.base_url}/pages/viewpage.action?pageId={page['id']}",
        "--format",
        "storage",
    )
    assert code == 0 and out.rstrip("\n") == page["body"]


def test_cat_bad_page_arguments(site, capsys):
    code, out, err = run(capsys, "cat", f"{site.base_url}/x/AAAAAAAAAAAAAAAAA")
    assert code == 2 and out == "" and "short link" in err and "Traceback" not in err
    code, _, err = run(capsys, "cat", f"{site.base_url}/nothing/here")
    assert code == 2 and "not a page id or a page URL" in err
    code, _, err = run(capsys, "cat", "not-a-page")  # a title nobody has
    assert code == 5 and "No page is titled 'not-a-page'" in err and "Traceback" not in err
    code, _, err = run(capsys, "cat", "987654321", "--format", "storage")
    assert code == 5 and "987654321" in err and err.startswith("workbench: ")


def test_wrong_credentials_exit_4(site, capsys, monkeypatch):
    monkeypatch.setenv("CONFLUENCE_API_TOKEN", "wrong-secret-value")
    code, out, err = run(capsys, "spaces")
    assert code == 4 and out == "" and "credentials" in err and "wrong-secret-value" not in err


def test_no_site_configured(capsys):
    code, _, err = run(capsys, "spaces")
    assert code == 2 and "CONFLUENCE_URL" in err and len(err.strip().splitlines()) == 1


def test_unreachable_host_one_message_no_traceback(monkeypatch):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        "CONFLUENCE_URL": f"http://127.0.0.1:{port}/wiki",
        "CONFLUENCE_USERNAME": "a",
        "CONFLUENCE_API_TOKEN": "b",
        "PATH": "",
        "HOME": "/nonexistent",
    }
    import os

    env.update({k: v for k, v in os.environ.items() if k.startswith(("XDG_", "PYTHON"))})
    proc = subprocess.run(
        [sys.executable, "-m", "workbench", "spaces"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 1 and proc.stdout == ""
    assert (
        proc.stderr.startswith("workbench: Cannot connect to 127.0.0.1:")
        and "Traceback" not in proc.stderr
    )


def test_push_bad_file_touches_nothing(site, capsys, tmp_path):
    page = a_page(site)
    code, _, err = run(
        capsys, "push", str(page["id"]), str(tmp_path / "missing.md"), "--base-version", "1"
    )
    assert code == 2 and "does not exist" in err
    (tmp_path / "latin1.md").write_bytes("caf\xe9".encode("latin-1"))
    code, _, err = run(
        capsys, "push", str(page["id"]), str(tmp_path / "latin1.md"), "--base-version", "1"
    )
    assert code == 2 and "UTF-8" in err
    assert site.store.get_page(page["id"])["version"] == page["version"]


def test_push_requires_base_version(site, capsys, tmp_path):
    (tmp_path / "a.md").write_text("hello\n")
    with pytest.raises(SystemExit) as info:
        main(["push", "1", str(tmp_path / "a.md")])
    assert info.value.code == 2 and "--base-version" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["push", "1", str(tmp_path / "a.md"), "--base-version", "zero"])
    assert info.value.code == 2 and "not a whole number" in capsys.readouterr().err


@needs_converter
def test_cat_markdown_then_push_round_trip(site, capsys, tmp_path):
    page = a_page(site)
    code, markdown, err = run(capsys, "cat", str(page["id"]))
    assert code == 0 and markdown.strip()
    file = tmp_path / "page.md"
    file.write_text(markdown + "\nA new closing paragraph.\n", encoding="utf-8")
    code, out, err = run(
        capsys,
        "push",
        str(page["id"]),
        str(file),
        "--base-version",
        str(page["version"]),
        "--message",
        "pushed from the CLI",
    )
    assert code == 0, err
    assert f"as version {page['version'] + 1}" in out
    stored = site.store.get_page(page["id"])
    assert stored["version"] == page["version"] + 1 and "A new closing paragraph." in stored["body"]
    assert stored["body"].startswith(page["body"])  # the untouched part is kept byte for byte


@needs_converter
def test_push_conflict_exits_3_and_overwrites_nothing(site, capsys, tmp_path):
    page = a_page(site)
    base = page["version"]
    site.store.update_page(page["id"], "<p>someone else</p>")
    file = tmp_path / "page.md"
    file.write_text("My version of the page.\n", encoding="utf-8")
    code, out, err = run(capsys, "push", str(page["id"]), str(file), "--base-version", str(base))
    assert code == 3 and out == ""
    assert err.strip() == (
        f"workbench: Page {page['id']} changed since version {base} (now {base + 1}); nothing was "
        "overwritten. Fetch it again with 'workbench cat' and merge your changes."
    )
    assert site.store.get_page(page["id"])["body"] == "<p>someone else</p>"


@needs_converter
def test_push_unchanged_file_writes_nothing(site, capsys, tmp_path):
    page = a_page(site)
    code, markdown, _ = run(capsys, "cat", str(page["id"]))
    file = tmp_path / "same.md"
    file.write_text(markdown, encoding="utf-8")
    code, out, _ = run(
        capsys, "push", str(page["id"]), str(file), "--base-version", str(page["version"])
    )
    assert code == 0 and "Nothing to push" in out
    assert site.store.get_page(page["id"])["version"] == page["version"]


def test_search_text_and_json(site, capsys):
    code, out, err = run(capsys, "search", 'type = page and text ~ "throughput"', "--limit", "3")
    assert code == 0 and err == ""
    lines = out.rstrip("\n").splitlines()
    total = int(lines[-1].split()[2])
    assert lines[-1] == f"3 of {total} results." and total > 3
    assert "@@@" not in out and "LARGE" in lines[0] and "Page 000" in lines[0]
    assert "throughput" in lines[1]  # the excerpt line under the hit
    code, out, _ = run(
        capsys, "search", 'type = page and text ~ "throughput"', "--limit", "2", "--json"
    )
    data = json.loads(out)
    assert code == 0 and data["total_size"] == total and len(data["results"]) == 2
    hit = data["results"][0]
    assert "@@@" not in hit["excerpt"] and "@@@hl@@@" in hit["excerpt_highlighted"]


def test_search_no_results_and_invalid_cql(site, capsys):
    code, out, _ = run(capsys, "search", 'title = "no such page anywhere"')
    assert code == 0 and out.strip() == "No results."
    code, out, err = run(
        capsys, "search", 'type = page and titl "x"'
    )  # the server judges, and says where
    assert (
        code == 2
        and out == ""
        and "Could not parse cql" in err
        and len(err.strip().splitlines()) == 1
    )
    code, out, err = run(
        capsys, "search", "watchr = currentUser()"
    )  # unknown here: a note, then the server
    lines = err.strip().splitlines()
    assert code == 2 and out == "" and len(lines) == 2
    assert lines[0] == (
        "workbench: note: No field exists with the name: 'watchr' (at character 1); sent as "
        "typed, Confluence decides."
    )
    assert lines[1].startswith(
        "workbench: Confluence could not run that CQL query: No field exists with the name"
    )
    code, out, err = run(
        capsys, "search", "watcher = currentUser()", "--json"
    )  # documented: no note
    assert code == 0 and err == "" and json.loads(out)["total_size"] == 0


def test_personal_access_token_uses_the_data_center_api(local_confluence, monkeypatch, capsys):
    server = local_confluence("large:10", flavour="dc")
    monkeypatch.setenv("CONFLUENCE_URL", server.base_url)
    monkeypatch.setenv("CONFLUENCE_PERSONAL_TOKEN", "demo-token")
    page = a_page(server)
    code, out, err = run(capsys, "cat", str(page["id"]), "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["space_key"] == "LARGE" and data["space_id"] == "LARGE"  # v1 shapes
    assert data["storage"] == page["body"]


@needs_converter
def test_push_from_standard_input(site, capsys, monkeypatch):
    import io

    page = a_page(site)
    monkeypatch.setattr(sys, "stdin", io.StringIO("Replaced from a pipe.\n"))
    code, out, err = run(
        capsys, "push", str(page["id"]), "-", "--base-version", str(page["version"])
    )
    assert code == 0, err
    assert "Replaced from a pipe." in site.store.get_page(page["id"])["body"]


def test_profile_flag_before_or_after_the_command():
    from workbench.cli import build_parser

    parser = build_parser()
    assert parser.parse_args(["--profile", "work", "spaces"]).profile == "work"
    assert parser.parse_args(["spaces", "--profile", "home"]).profile == "home"
    assert parser.parse_args(["spaces"]).profile is None


def test_unknown_profile_is_a_plain_error(capsys):
    code, out, err = run(capsys, "spaces", "--profile", "nope")
    assert code == 2 and out == "" and "nope" in err and "Traceback" not in err


def test_cat_url_of_another_site_is_refused(site, capsys):
    code, out, err = run(capsys, "cat", "https://elsewhere.example.com/wiki/spaces/X/pages/65540/T")
    assert code == 2 and out == "" and "elsewhere.example.com" in err


def test_rate_limit_pause_is_announced_at_a_terminal(local_confluence, monkeypatch, capsys):
    server = local_confluence("large:5", rate_limit=1)
    use_site(monkeypatch, server.base_url)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert run(capsys, "spaces")[0] == 0
    code, out, err = run(capsys, "spaces")  # the bucket is empty: a 429, a wait, then the answer
    assert code == 0 and "LARGE" in out
    assert "workbench: rate limited by Confluence; retrying in 1 s…" in err
