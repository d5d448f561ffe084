"""``workbench restore`` brings back the children that moved up when ``workbench delete`` trashed
their parent (Confluence leaves them where they went), as the TUI's restore does; a child moved
elsewhere since stays; ``--leave-children`` leaves them all. Against the local Confluence."""

from __future__ import annotations

import json

import pytest

from .helpers import run, use_site

RELEASES, PLATFORM, ADRS = "65552", "Platform Engineering", "65544"


@pytest.fixture
def site(demo_server, monkeypatch):
    use_site(monkeypatch, demo_server.base_url)
    return demo_server


def _children(site, parent: str) -> list[str]:
    return [str(row["id"]) for row in site.store.children(parent)]


def test_restore_puts_the_children_that_moved_up_back(site, capsys):
    children = _children(site, RELEASES)
    assert len(children) >= 2
    grandparent = site.store.get_page(RELEASES)["parent_id"]
    assert run(capsys, "delete", RELEASES, "--yes")[0] == 0
    assert all(site.store.get_page(c)["parent_id"] == grandparent for c in children)
    code, out, _ = run(capsys, "restore", RELEASES, "--dry-run")
    assert code == 0 and f"Its {len(children)} child page(s) that moved up go back under it" in out
    assert all(site.store.get_page(c)["parent_id"] == grandparent for c in children)  # a dry run
    code, out, _ = run(capsys, "restore", RELEASES, "--yes", "--json")
    done = json.loads(out)
    assert code == 0 and [c["id"] for c in done["children_back"]] == children
    assert not any("left" in c for c in done["children_back"])
    assert site.store.get_page(RELEASES)["status"] == "current"
    assert _children(site, RELEASES) == children  # back, in their order
    # a second delete, and a restore that leaves them where they went
    assert run(capsys, "delete", RELEASES, "--yes")[0] == 0
    code, out, err = run(capsys, "restore", RELEASES, "--yes", "--leave-children")
    assert code == 0 and "they stay where they are (--leave-children)" in err
    assert site.store.get_page(RELEASES)["status"] == "current"
    assert all(site.store.get_page(c)["parent_id"] == grandparent for c in children)


def test_a_child_moved_elsewhere_since_stays_where_it_is(site, capsys):
    children = _children(site, RELEASES)
    assert run(capsys, "delete", RELEASES, "--yes")[0] == 0
    moved = children[0]
    assert run(capsys, "move", moved, "--under", ADRS, "--yes")[0] == 0  # someone's later choice
    code, out, _ = run(capsys, "restore", RELEASES, "--dry-run", "--json")
    plan = json.loads(out)
    assert code == 0
    assert [c["id"] for c in plan["children_back"] if "left" not in c] == children[1:]
    assert [c["left"] for c in plan["children_back"] if c["id"] == moved] == [
        "moved elsewhere since; left where it is"
    ]
    code, out, _ = run(capsys, "restore", RELEASES, "--yes")
    assert code == 0 and "stays: moved elsewhere since" in out
    assert site.store.get_page(moved)["parent_id"] == int(ADRS)
    assert _children(site, RELEASES) == children[1:]


def test_an_unreadable_record_is_set_aside_and_the_restore_goes_on(site, capsys, tmp_path):
    from workbench.config import data_dir

    assert run(capsys, "delete", RELEASES, "--yes")[0] == 0
    [record] = list(data_dir().glob("moved-up-*.json"))
    record.write_text("{not json", encoding="utf-8")
    code, out, err = run(capsys, "restore", RELEASES, "--yes")
    assert code == 0 and "could not be read" in err and "Restored" in out
    assert site.store.get_page(RELEASES)["status"] == "current"
    assert record.with_name(record.name + ".unreadable").exists()


def test_the_trash_lists_the_last_change_labelled_so(site, capsys):
    """Confluence's trashed content has no deletion date (neither v1 nor v2 shape has one): the
    listing shows the last version's date under "last changed", never as a deletion date."""
    assert run(capsys, "delete", RELEASES, "--yes")[0] == 0
    code, out, _ = run(capsys, "trash", "ENG")
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["id", "type", "last", "changed", "title"]
    row = next(line for line in lines if line.split()[0] == RELEASES)
    when = site.store.get_page(RELEASES, trashed=True)["modified_at"][:16].replace("T", " ")
    assert row.split()[1:4] == ["page", *when.split()] and row.endswith("Release notes")
    code, out, _ = run(capsys, "trash", "ENG", "--json")
    [listed] = [r for r in json.loads(out) if r["id"] == RELEASES]
    assert listed["modified_at"].startswith(when.replace(" ", "T"))
