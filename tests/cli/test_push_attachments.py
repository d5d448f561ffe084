"""``workbench push`` of a Markdown file that points at local files: the files are uploaded as the
page's attachments before the page is saved, referenced as ``ri:attachment``, and never twice."""

from __future__ import annotations

import pytest

from workbench.emulator.seed_attachments import error_chart, timeline_sketch

from .helpers import run, use_site


@pytest.fixture
def site(local_confluence, monkeypatch):
    server = local_confluence("demo")
    use_site(monkeypatch, server.base_url)
    return server


def runbooks(server) -> dict:
    page_id = server.store.scalar("SELECT id FROM pages WHERE title = 'Runbooks'")
    return server.store.get_page(page_id)


def folder_with_images(tmp_path):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "errors.png").write_bytes(error_chart())
    (tmp_path / "timeline.png").write_bytes(timeline_sketch())
    doc = tmp_path / "runbooks.md"
    doc.write_text(
        "# Runbooks\n\nThe error rate:\n\n![Error rate](img/errors.png)\n\n"
        "And the [timeline](timeline.png).\n\n```\n![not an image](code.png)\n```\n",
        encoding="utf-8",
    )
    return doc


def push(capsys, page, doc, base, *extra):
    return run(capsys, "push", str(page), str(doc), "--base-version", str(base), *extra)


def test_push_uploads_two_local_images_and_references_them(site, capsys, tmp_path):
    page = runbooks(site)
    doc = folder_with_images(tmp_path)
    code, out, err = push(capsys, page["id"], doc, page["version"])
    assert code == 0, err
    assert "Uploaded errors.png (attached)." in err and "Uploaded timeline.png (attached)." in err
    stored = site.store.get_page(page["id"])
    assert stored["version"] == page["version"] + 1
    assert '<ri:attachment ri:filename="errors.png"' in stored["body"]
    assert '<ri:attachment ri:filename="timeline.png"' in stored["body"]
    assert "code.png" in stored["body"] and 'ri:filename="code.png"' not in stored["body"]
    attached = {r["title"]: r for r in site.store.list_attachments(page["id"])}
    assert set(attached) == {"errors.png", "timeline.png"}
    blob = site.store.blob_path(attached["errors.png"]["sha256"]).read_bytes()
    assert blob == (tmp_path / "img" / "errors.png").read_bytes()


def test_pushing_again_uploads_nothing_and_a_changed_image_becomes_a_new_version(
    site, capsys, tmp_path
):
    page = runbooks(site)
    doc = folder_with_images(tmp_path)
    assert push(capsys, page["id"], doc, page["version"])[0] == 0
    version = site.store.get_page(page["id"])["version"]
    doc.write_text(doc.read_text() + "\nOne more line.\n", encoding="utf-8")
    code, _, err = push(capsys, page["id"], doc, version)
    assert code == 0 and "Uploaded" not in err
    (tmp_path / "img" / "errors.png").write_bytes(error_chart(rollback=True))
    code, out, err = push(capsys, page["id"], doc, version + 1)
    assert code == 0 and "Uploaded errors.png (new version 2 of)." in err
    assert "Nothing to push" in out  # the text is the same; only the image changed
    counts = {
        r["title"]: len(site.store.attachment_versions(r["id"]))
        for r in site.store.list_attachments(page["id"])
    }
    assert counts == {"errors.png": 2, "timeline.png": 1}


def test_a_failed_page_update_leaves_nothing_a_retry_would_double(site, capsys, tmp_path):
    page = runbooks(site)
    doc = folder_with_images(tmp_path)
    site.store.update_page(page["id"], "<p>someone else</p>")  # the page moves on meanwhile
    code, _, err = push(capsys, page["id"], doc, page["version"])
    assert code == 3 and "nothing was overwritten" in err
    assert len(site.store.list_attachments(page["id"])) == 2  # uploaded before the save
    code, _, err = push(capsys, page["id"], doc, page["version"] + 1)
    assert code == 0, err
    assert "Uploaded" not in err
    for row in site.store.list_attachments(page["id"]):
        assert len(site.store.attachment_versions(row["id"])) == 1


def test_a_target_with_no_file_and_no_attachment_sends_nothing(site, capsys, tmp_path):
    page = runbooks(site)
    doc = tmp_path / "page.md"
    doc.write_text("# Runbooks\n\n![gone](img/missing.png)\n", encoding="utf-8")
    code, _, err = push(capsys, page["id"], doc, page["version"])
    assert code == 2 and "'img/missing.png': no such file" in err
    assert site.store.get_page(page["id"])["version"] == page["version"]
    assert site.store.list_attachments(page["id"]) == []
    site.store.add_attachment(
        page["id"], "missing.png", site.store.save_bytes(b"png"), media_type="image/png"
    )
    code, _, err = push(capsys, page["id"], doc, page["version"])  # attached before: fine
    assert code == 0, err and "Uploaded" not in err


def test_two_files_with_one_name_are_refused(site, capsys, tmp_path):
    page = runbooks(site)
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "d.png").write_bytes(sub.encode())
    doc = tmp_path / "page.md"
    doc.write_text("![one](a/d.png) ![two](b/d.png)\n", encoding="utf-8")
    code, _, err = push(capsys, page["id"], doc, page["version"])
    assert code == 2 and "would both be the attachment 'd.png'" in err
    assert site.store.list_attachments(page["id"]) == []


def test_no_attachments_leaves_files_alone(site, capsys, tmp_path):
    page = runbooks(site)
    doc = folder_with_images(tmp_path)
    code, _, err = push(capsys, page["id"], doc, page["version"], "--no-attachments")
    assert code == 0, err
    assert site.store.list_attachments(page["id"]) == []
    assert 'ri:filename="errors.png"' in site.store.get_page(page["id"])["body"]
