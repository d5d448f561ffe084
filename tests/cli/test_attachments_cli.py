"""``workbench attachments | attach | download`` against the local Confluence, in-process."""

from __future__ import annotations

import json

import pytest

from .helpers import run, use_site

POSTMORTEM = "Incident postmortem: 2026-09-14 checkout outage"


@pytest.fixture
def site(local_confluence, monkeypatch):
    server = local_confluence("demo")
    use_site(monkeypatch, server.base_url)
    return server


def page_of(server, title: str) -> str:
    return str(server.store.scalar("SELECT id FROM pages WHERE title = ?", (title,)))


def test_attachments_lists_names_sizes_versions_and_people(site, capsys):
    page = page_of(site, POSTMORTEM)
    code, out, err = run(capsys, "attachments", page)
    assert code == 0 and err == ""
    header, *rows = out.splitlines()
    assert header.split() == ["NAME", "SIZE", "TYPE", "VERSION", "BY", "WHEN"]
    chart = next(r for r in rows if r.startswith("checkout-errors.png"))
    assert "image/png" in chart and " 2 " in chart and "Grace Liu" in chart
    code, out, _ = run(capsys, "attachments", page, "--json")
    items = json.loads(out)
    assert {i["title"] for i in items} == {"checkout-errors.png", "outage-timeline-draft.png"}
    assert all(i["author"] and i["fileSize"] > 0 for i in items)
    code, out, _ = run(capsys, "attachments", page_of(site, "Runbooks"))
    assert code == 0 and "has no attachments" in out


def test_attach_uploads_and_versions_and_download_writes_them_back(site, capsys, tmp_path):
    page = page_of(site, "Runbooks")
    first, second = tmp_path / "notes.txt", tmp_path / "diagram.png"
    first.write_bytes(b"notes v1")
    second.write_bytes(b"\x89PNG fake")
    code, out, err = run(capsys, "attach", page, str(first), str(second), "--comment", "from CLI")
    assert code == 0, err
    assert out.splitlines() == [
        f"Attached notes.txt (8 B) on page {page}.",
        f"Attached diagram.png (9 B) on page {page}.",
    ]
    first.write_bytes(b"notes v2!")
    code, out, _ = run(capsys, "attach", page, str(first), "--json")
    (made,) = json.loads(out)
    assert made["version"] == 2 and made["fileSize"] == 9
    target = tmp_path / "out"
    code, out, err = run(capsys, "download", page, "notes.txt", "diagram.png", "-o", str(target))
    assert code == 0, err
    assert (target / "notes.txt").read_bytes() == b"notes v2!"
    assert (target / "diagram.png").read_bytes() == b"\x89PNG fake"
    assert out.splitlines() == [str(target / "notes.txt"), str(target / "diagram.png")]


def test_missing_files_and_names_do_nothing_and_say_so(site, capsys, tmp_path):
    page = page_of(site, "Runbooks")
    real = tmp_path / "real.txt"
    real.write_bytes(b"x")
    code, _, err = run(capsys, "attach", page, str(real), str(tmp_path / "nope.txt"))
    assert code == 2 and "is not a file; nothing was uploaded" in err
    assert site.store.list_attachments(page) == []
    code, _, err = run(
        capsys, "download", page_of(site, POSTMORTEM), "nope.png", "-o", str(tmp_path)
    )
    assert code == 5 and "no attachment named nope.png" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["real.txt"]
    code, _, err = run(capsys, "attachments", "99999999")
    assert code == 5 and "Traceback" not in err


def test_hostile_names_are_shown_as_text_and_never_written_outside_the_folder(
    site, capsys, tmp_path
):
    page = page_of(site, "Runbooks")
    site.store.add_attachment(
        page, "evil\x1b[31mred.txt", site.store.save_bytes(b"x"), media_type="text/plain"
    )
    code, out, _ = run(capsys, "attachments", page)
    assert code == 0 and "\x1b" not in out and "evil" in out
    site.store.db.execute("UPDATE attachments SET title = '..' WHERE title LIKE 'evil%'")
    code, _, err = run(capsys, "download", page, "..", "-o", str(tmp_path / "dl"))
    assert code == 2 and "cannot be used as a file name" in err
    assert not (tmp_path / "dl").exists()


def test_attach_to_a_blog_post_by_id(site, capsys, tmp_path):
    post = str(site.store.scalar("SELECT id FROM pages WHERE type = 'blogpost' LIMIT 1"))
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8jpeg")
    code, out, err = run(capsys, "attach", post, str(photo))
    assert code == 0, err
    code, out, _ = run(capsys, "attachments", post, "--json")
    assert [i["title"] for i in json.loads(out)] == ["photo.jpg"]
