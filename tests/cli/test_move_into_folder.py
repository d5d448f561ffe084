"""``workbench move PAGE --under FOLDER`` on Cloud: a folder as the new parent goes through
Confluence's move request (v1 ``PUT /content/{id}/move/append/{folderId}``; the v2 PUT's
``parentId`` is "the parent page"), before/after a folder too; into a folder of its own subtree is
refused first; Data Center has no folders. Against the local Confluence."""

from __future__ import annotations

import json

import pytest

from .helpers import run, use_site


@pytest.fixture
def site(demo_server, monkeypatch):
    use_site(monkeypatch, demo_server.base_url)
    return demo_server


def _id(site, title: str) -> str:
    return str(site.store.scalar("SELECT id FROM pages WHERE title = ?", (title,)))


def test_a_page_moves_into_a_folder_and_next_to_one(site, capsys):
    overview, forms = _id(site, "Handbook overview"), _id(site, "Forms")
    version = site.store.get_page(overview)["version"]
    code, out, _ = run(capsys, "move", overview, "--under", forms, "--dry-run")
    assert code == 0 and out.startswith("Would: Move “Handbook overview” into the folder “Forms”")
    assert site.store.get_page(overview)["parent_id"] != int(forms)  # a dry run
    code, out, _ = run(capsys, "move", overview, "--under", forms, "--yes", "--json")
    done = json.loads(out)
    assert code == 0 and done["target"] == {"id": forms, "title": "Forms", "type": "folder"}
    assert done["request"] == f"PUT /rest/api/content/{overview}/move/append/{forms}"
    assert done["target_kind"] == "folder" and done["new_version"] is False
    assert site.store.get_page(overview)["parent_id"] == int(forms)
    assert site.store.get_page(overview)["version"] == version  # the move writes no version
    code, _, err = run(capsys, "move", overview, "--under", forms, "--yes")
    assert code == 2 and "already in 'Forms'" in err
    # next to a folder: among its siblings
    handbook, components = _id(site, "Design handbook"), _id(site, "Components")
    code, out, _ = run(capsys, "move", overview, "--after", components, "--yes")
    assert code == 0 and "now under “Design handbook”" in out
    assert site.store.get_page(overview)["parent_id"] == int(handbook)


def test_a_folder_of_its_own_subtree_and_unknown_ids_are_refused(site, capsys):
    buttons, forms = _id(site, "Buttons"), _id(site, "Forms")
    # Forms is inside Components, where Buttons is not: fine; Components into Forms is a loop —
    # but Components is a folder, and the workbench moves pages: a folder id as PAGE is not found
    code, _, err = run(capsys, "move", _id(site, "Components"), "--under", forms, "--yes")
    assert code == 5
    assert run(capsys, "move", buttons, "--under", forms, "--yes")[0] == 0
    code, _, err = run(capsys, "move", buttons, "--under", "999999", "--dry-run")
    assert code == 5 and "No page or folder 999999" in err


def test_a_page_whose_subtree_holds_the_folder_cannot_move_into_it(site, capsys):
    # a page with a folder below it: moving the page into that folder would be a loop
    store = site.store
    space = store.query_one("SELECT space_id FROM pages WHERE title = 'Forms'")["space_id"]
    top = store.create_page(space, "Guides", "<p>all guides</p>")
    folder = store.create_page(space, "Drafts", "", parent_id=top["id"], kind="folder")
    code, out, err = run(capsys, "move", str(top["id"]), "--under", str(folder["id"]), "--dry-run")
    assert code == 2 and "own subtree" in err and "Would" not in out


def test_data_center_has_no_folders(local_confluence, monkeypatch, capsys):
    server = local_confluence("demo", flavour="dc")
    monkeypatch.setenv("CONFLUENCE_URL", server.base_url)
    monkeypatch.setenv("CONFLUENCE_PERSONAL_TOKEN", "demo-token")
    code, _, err = run(capsys, "move", "65543", "--under", "424242", "--yes")
    assert code == 5 and "not found" in err.lower() and "Traceback" not in err
