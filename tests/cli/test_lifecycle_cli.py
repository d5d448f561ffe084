"""``workbench rename | move | copy | delete | restore | trash`` against the local Confluence, in
process: dry runs change nothing, changes need --yes without a terminal, exit codes as elsewhere."""

from __future__ import annotations

import json

import pytest

from .helpers import run, use_site

RUNBOOKS, PAYMENTS, FAILOVER, TLS = "65538", "65539", "65542", "65543"
ADRS, RELEASES = "65544", "65552"


@pytest.fixture
def site(demo_server, monkeypatch):
    use_site(monkeypatch, demo_server.base_url)
    return demo_server


def test_rename_dry_run_then_yes_then_a_stale_version(site, capsys):
    code, out, _ = run(capsys, "rename", TLS, "Certificates", "--dry-run")
    assert code == 0 and out.startswith("Would: Rename page 65543")
    assert site.store.get_page(TLS)["title"] == "Runbook: Rotating TLS certificates"
    code, _, err = run(capsys, "rename", TLS, "Certificates")  # no terminal, no --yes
    assert code == 2 and "--yes" in err
    code, out, _ = run(capsys, "rename", TLS, "Certificates", "--yes", "--json")
    assert code == 0 and json.loads(out)["new_version"] == 2
    code, _, err = run(capsys, "rename", TLS, "Again", "--version", "1", "--yes")
    assert code == 3 and "changed since version 1 (now 2)" in err
    assert site.store.get_page(TLS)["title"] == "Certificates"


def test_move_under_and_before_and_refusals(site, capsys):
    code, out, _ = run(capsys, "move", TLS, "--under", ADRS, "--yes")
    assert code == 0 and "now under “Architecture decisions”, version 2" in out
    assert site.store.get_page(TLS)["parent_id"] == int(ADRS)
    code, out, _ = run(capsys, "move", FAILOVER, "--before", PAYMENTS, "--yes", "--json")
    assert code == 0 and json.loads(out)["new_version"] is False
    code, _, err = run(capsys, "move", RUNBOOKS, "--under", PAYMENTS, "--yes")
    assert code == 2 and "own subtree" in err
    code, out, err = run(capsys, "move", TLS, "--under", TLS, "--dry-run")
    assert code == 2 and "itself" in err and "Would" not in out
    code, out, err = run(capsys, "move", RUNBOOKS, "--under", PAYMENTS, "--dry-run")
    assert code == 2 and "own subtree" in err and "Would" not in out
    site.store.restrict_edits(RELEASES)
    code, _, err = run(capsys, "move", RELEASES, "--after", TLS, "--yes")
    assert code == 4 and "permission" in err
    code, _, _ = run(capsys, "move", "999999", "--under", ADRS, "--yes")
    assert code == 5


def test_copy_dry_run_lists_the_tree_and_taken_titles(site, capsys):
    code, out, _ = run(capsys, "copy", RUNBOOKS, "--under", ADRS, "--tree", "--dry-run")
    assert code == 0
    assert out.splitlines() == [
        "Copy under “Architecture decisions” creates 4 page(s):",
        "  “Copy of Runbooks”  (from 65538)",
        "    “Copy of Runbook: Payments API latency”  (from 65539)",
        "    “Copy of Runbook: Database failover”  (from 65542)",
        "    “Copy of Runbook: Rotating TLS certificates”  (from 65543)",
    ]
    before = site.store.scalar("SELECT COUNT(*) FROM pages")
    assert site.store.scalar("SELECT COUNT(*) FROM pages") == before
    code, out, _ = run(capsys, "copy", RUNBOOKS, "--under", ADRS, "--tree", "--yes", "--json")
    assert code == 0 and json.loads(out)["result"]["created"] == 4
    assert site.store.scalar("SELECT COUNT(*) FROM pages") == before + 4
    code, out, err = run(capsys, "copy", RUNBOOKS, "--under", ADRS, "--tree", "--yes")
    assert code == 2 and "title already taken" in out and "Nothing was copied" in err
    assert site.store.scalar("SELECT COUNT(*) FROM pages") == before + 4


def test_delete_says_what_breaks_then_trash_and_restore(site, capsys):
    code, out, _ = run(capsys, "delete", RELEASES, "--dry-run", "--json")
    plan = json.loads(out)
    assert code == 0 and plan["dry_run"] is True
    assert [c["title"] for c in plan["children"]][0] == "Release 2026.10"
    assert plan["children_move_to"]["title"] == "Platform Engineering"
    assert "CQL" in plan["links_from"]["method"]
    code, out, _ = run(capsys, "delete", RELEASES, "--yes")
    assert code == 0 and "Undo: workbench restore 65552" in out
    code, out, _ = run(capsys, "trash", "ENG")
    assert code == 0 and "Release notes" in out
    code, out, _ = run(capsys, "restore", RELEASES, "--yes")
    assert code == 0 and site.store.get_page(RELEASES)["status"] == "current"
    code, _, err = run(capsys, "restore", RELEASES, "--yes")
    assert code == 2 and "not in the trash" in err


def test_restore_a_version(site, capsys):
    code, out, _ = run(capsys, "restore", PAYMENTS, "--version", "1", "--dry-run")
    assert code == 0 and "as its new version 4" in out
    code, out, _ = run(capsys, "restore", PAYMENTS, "--version", "1", "--yes")
    assert code == 0 and "as version 4" in out
    assert site.store.get_page(PAYMENTS)["body"] == site.store.get_page(PAYMENTS, version=1)["body"]
    code, _, err = run(capsys, "restore", PAYMENTS, "--version", "4", "--yes")
    assert code == 2 and "current version" in err


def test_purge_only_from_the_trash(site, capsys):
    code, _, err = run(capsys, "delete", TLS, "--purge", "--yes")
    assert code == 2 and "not in the trash" in err
    assert site.store.get_page(TLS)["status"] == "current"
    assert run(capsys, "delete", TLS, "--yes")[0] == 0
    code, out, _ = run(capsys, "delete", TLS, "--purge", "--dry-run")
    assert code == 0 and "cannot be undone" in out
    code, out, _ = run(capsys, "delete", TLS, "--purge", "--yes", "--json")
    assert code == 0 and json.loads(out)["action"] == "purge"
    assert site.store.query_one("SELECT id FROM pages WHERE id = ?", (int(TLS),)) is None
    code, _, err = run(capsys, "restore", TLS, "--yes")
    assert code == 2 and "not in the trash" in err
