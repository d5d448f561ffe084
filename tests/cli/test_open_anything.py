"""``workbench cat`` and ``push`` take a page however it was copied: an id, any page URL, a tiny
link, a space's address (its homepage) or a title — against the local Confluence over HTTP."""

from __future__ import annotations

from urllib.parse import quote_plus

import pytest

from workbench.confluence.page_ref import id_to_tiny

from .helpers import run, use_site


@pytest.fixture
def site(local_confluence, monkeypatch):
    server = local_confluence("demo")
    use_site(monkeypatch, server.base_url)
    return server


def _page(server, title: str) -> dict:
    row = server.store.query_one("SELECT id FROM pages WHERE title = ?", (title,))
    assert row is not None, title
    return server.store.get_page(row["id"])


def _cat_id(capsys, text: str) -> str:
    import json

    code, out, err = run(capsys, "cat", text, "--format", "json")
    assert code == 0, err
    return json.loads(out)["id"]


def test_every_address_of_a_page_opens_it(site, capsys):
    page = _page(site, "Runbook: Database failover")
    pid, title = str(page["id"]), page["title"]
    key = site.store.get_space(page["space_id"])["key"]
    base = site.base_url  # …/wiki
    forms = [
        pid,
        f"{base}/spaces/{key}/pages/{pid}/{quote_plus(title)}",
        f"{base}/spaces/{key}/pages/{pid}",
        f"{base}/pages/viewpage.action?pageId={pid}",
        f"{base}/display/{key}/{quote_plus(title)}",
        f"{base}/x/{id_to_tiny(int(pid))}",
        title,  # a title: one search
    ]
    for text in forms:
        assert _cat_id(capsys, text) == pid, text


def test_a_space_address_opens_its_homepage(site, capsys):
    space = site.store.query_one("SELECT * FROM spaces WHERE homepage_id IS NOT NULL LIMIT 1")
    for text in (
        f"{site.base_url}/spaces/{space['key']}/overview",
        f"{site.base_url}/spaces/{space['key']}",
        f"{site.base_url}/display/{space['key']}",
    ):
        assert _cat_id(capsys, text) == str(space["homepage_id"]), text


def test_a_title_several_pages_share_lists_them_and_reads_nothing(site, capsys):
    page = _page(site, "Runbook: Database failover")
    other = site.store.query_one("SELECT id FROM spaces WHERE id != ? LIMIT 1", (page["space_id"],))
    site.store.create_page(other["id"], "Runbook: Database failover", "<p>twin</p>")
    code, out, err = run(capsys, "cat", "Runbook: Database failover")
    assert code == 2 and out == ""
    assert "2 pages are titled 'Runbook: Database failover'" in err and str(page["id"]) in err


def test_a_title_is_matched_exactly_not_by_words(site, capsys):
    code, out, err = run(capsys, "cat", "Runbook: Database")
    assert code == 5 and out == "" and "No page is titled 'Runbook: Database'" in err


def test_push_takes_a_tiny_link(site, capsys, tmp_path):
    page = _page(site, "Runbook: Database failover")
    file = tmp_path / "p.md"
    file.write_text("Only this now.\n", encoding="utf-8")
    code, out, err = run(
        capsys,
        "push",
        f"{site.base_url}/x/{id_to_tiny(int(page['id']))}",
        str(file),
        "--base-version",
        str(page["version"]),
    )
    assert code == 0, err
    assert site.store.get_page(page["id"])["version"] == page["version"] + 1
