"""``workbench sync`` against the local Confluence over loopback HTTP: what is indexed, what is skipped,
and how later syncs follow edits, new pages, moves, the trash, purges and restores."""

from __future__ import annotations

from tests.index.conftest import indexed_ids, server_ids

ENG_TRASHED_WITH_CHILDREN = 65538  # "Runbooks": three runbooks under it


def test_first_sync_indexes_every_page_blog_post_and_folder_with_body_text_labels_and_parent(
    site, cli, index
):
    server = site()
    ran = cli("sync", "--all")
    assert ran.code == 0, ran.err
    found = index()
    assert indexed_ids(found, "ENG") == server_ids(server, "ENG")
    assert indexed_ids(found, "PROD") == server_ids(server, "PROD")
    assert {s.key for s in found.spaces()} == {"ENG", "PROD"}  # the personal space is left out
    page = server.store.get_page(65539)
    storage, text = found.body(65539)
    assert storage == page["body"]  # the storage itself, for offline reading
    assert "PaymentsApiLatencyHigh" in text and "<" not in text and not text.startswith("toc")
    row = found.row(65539)
    assert row["version"] == page["version"] and row["parent_id"] == ENG_TRASHED_WITH_CHILDREN
    assert set(row["labels"].split()) == {r["name"] for r in server.store.labels(65539)}
    assert [a[2] for a in found.ancestors(65539)] == ["Platform Engineering", "Runbooks"]
    # pages inside folders keep the folders above them (Cloud)
    handbook = server.store.query("SELECT id FROM pages WHERE title = 'Form field guidelines'")[0][
        "id"
    ]
    assert [a[1] for a in found.ancestors(handbook)] == ["page", "folder", "folder", "folder"]
    # whiteboards, databases and smart links have no text: not indexed
    assert not found.db.execute(
        "SELECT 1 FROM content WHERE type NOT IN ('page', 'blogpost', 'folder')"
    ).fetchall()
    assert "ENG: 20 indexed (20 new" in ran.err and "Synced 2 spaces" in ran.err


def test_mentions_are_indexed_by_name(site, cli, index):
    site()
    assert cli("sync", "ENG").code == 0
    found = index()
    hit = found.db.execute("SELECT rowid FROM fts WHERE fts MATCH 'Oyelaran'").fetchall()
    assert hit, "a mention of Marcus Oyelaran is searchable by his name"


def test_personal_spaces_drafts_and_trash_are_skipped_unless_asked(site, cli, index):
    server = site()
    eng = server.store.space_by_key("ENG")["id"]
    draft = server.store.create_page(eng, "Unpublished idea", "<p>draft words</p>", status="draft")
    gone = server.store.create_page(eng, "Soon in the trash", "<p>bye</p>")
    server.store.delete_page(gone["id"])
    assert cli("sync", "--all").code == 0
    found = index()
    assert "~demo" not in {s.key for s in found.spaces()}
    assert found.row(int(draft["id"])) is None and found.row(int(gone["id"])) is None
    assert cli("sync", "--all", "--include-personal").code == 0
    assert indexed_ids(found, "~demo") == server_ids(server, "~demo")


def test_a_personal_space_is_synced_when_named(site, cli, index):
    server = site()
    assert cli("sync", "~demo").code == 0
    assert indexed_ids(index(), "~demo") == server_ids(server, "~demo")


def test_later_syncs_follow_edits_new_pages_moves_and_the_trash(site, cli, index):
    server = site()
    assert cli("sync", "ENG").code == 0
    store = server.store
    eng = store.space_by_key("ENG")["id"]
    store.update_page(
        65546, "<p>Adopt OpenTelemetry, now with zebras.</p>", author="5b10ac8d82e05b22cc7d4ef5"
    )
    new = store.create_page(eng, "Capacity planning", "<p>quokka forecasts</p>", parent_id=65559)
    store.update_page(
        65545, store.get_page(65545)["body"], parent_id=65559
    )  # a move (v2 PUT parentId)
    store.delete_page(ENG_TRASHED_WITH_CHILDREN)  # its runbooks move up to the homepage
    server.requests.clear()
    ran = cli("sync")
    assert ran.code == 0, ran.err
    found = index()
    assert indexed_ids(found, "ENG") == server_ids(server, "ENG")
    assert found.body(65546)[0] == "<p>Adopt OpenTelemetry, now with zebras.</p>"
    assert found.row(65546)["version"] == store.get_page(65546)["version"]
    assert found.body(int(new["id"]))[1] == "quokka forecasts"
    assert found.row(65545)["parent_id"] == 65559
    assert [a[2] for a in found.ancestors(65545)] == ["Platform Engineering", "On-call handbook"]
    assert found.row(ENG_TRASHED_WITH_CHILDREN) is None
    assert found.row(65539)["parent_id"] == 65537  # moved up, as Confluence moved it
    assert found.db.execute("SELECT rowid FROM fts WHERE fts MATCH 'zebras'").fetchall() == [
        (65546,)
    ]
    assert not found.db.execute(
        "SELECT rowid FROM fts WHERE fts MATCH 'Runbooks'"
    ).fetchall() or 65538 not in [
        r[0] for r in found.db.execute("SELECT rowid FROM fts WHERE fts MATCH 'Runbooks'")
    ]
    bodies = [
        e
        for e in server.requests.entries()
        if e.path.endswith(("/api/v2/pages", "/api/v2/blogposts"))
    ]
    assert len(bodies) == 1, "only the changed pages' bodies were read, in one bulk request"


def test_purged_and_restored_pages_are_found_by_the_count(site, cli, index):
    server = site()
    assert cli("sync", "ENG").code == 0
    store = server.store
    store.delete_page(65547)
    store.delete_page(65547, purge=True)  # gone for good: not in the trash either
    ran = cli("sync", "--json")
    assert ran.code == 0
    notes = [e for e in ran.json_lines() if e["event"] == "note"]
    assert any("checking every page" in n["text"] for n in notes)
    assert index().row(65547) is None
    store.delete_page(65546)
    ran = cli("sync")
    assert index().row(65546) is None
    store.restore_page(65546)  # back from the trash, last-modified time unchanged
    ran = cli("sync")
    assert ran.code == 0
    assert index().row(65546) is not None
    assert indexed_ids(index(), "ENG") == server_ids(server, "ENG")


def test_a_label_added_without_an_edit_is_picked_up_by_a_full_check(site, cli, index):
    server = site()
    assert cli("sync", "ENG").code == 0
    server.store.add_labels(65539, [("global", "pager")])
    assert cli("sync", "--full").code == 0
    assert "pager" in index().row(65539)["labels"].split()


def test_json_progress_lines(site, cli):
    site()
    ran = cli("sync", "--all", "--json")
    assert ran.code == 0
    events = ran.json_lines()
    assert events[-1]["event"] == "done" and {s["space"] for s in events[-1]["spaces"]} == {
        "ENG",
        "PROD",
    }
    progress = [e for e in events if e["event"] == "progress"]
    assert progress and progress[-1]["done"] == progress[-1]["total"]
    assert all({"rate", "eta", "space", "phase"} <= set(e) for e in progress)
    assert ran.err == ""


def test_data_center(site, cli, index):
    server = site(flavour="dc", context_path="/confluence")
    assert cli("sync", "--all").code == 0
    found = index()
    # Data Center has pages and blog posts only (no folders): pages inside Cloud folders show at the folder's place
    assert indexed_ids(found, "ENG") == server_ids(server, "ENG", ("page", "blogpost"))
    assert found.row(65539)["webui"] is None  # the usual /pages/viewpage.action?pageId= address
    assert found.meta("flavour") == "dc"
    server.store.update_page(65539, "<p>DC edit with walrus</p>")
    server.store.delete_page(65543)
    assert cli("sync").code == 0
    assert found.body(65539)[1] == "DC edit with walrus"
    assert found.row(65543) is None


def test_bad_requests_say_what_to_do(site, cli):
    site()
    ran = cli("sync")
    assert ran.code == 2 and "name the spaces" in ran.err
    ran = cli("sync", "NOPE")
    assert ran.code == 5 and "NOPE" in ran.err and "workbench spaces" in ran.err
    ran = cli("sync", "--include-personal")
    assert ran.code == 2 and "--all" in ran.err
    assert "Traceback" not in ran.err


def test_one_sync_at_a_time(site, cli):
    from workbench.index.files import WriterLock
    from workbench.index.sites import resolve_site

    site()
    with WriterLock(resolve_site().path):
        ran = cli("sync", "ENG")
    assert ran.code == 1 and "Another 'workbench sync'" in ran.err
