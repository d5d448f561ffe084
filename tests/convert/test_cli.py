"""``workbench convert to-md`` / ``to-storage``: files, stdin/stdout, --base, clear errors."""

from __future__ import annotations

import io
import sys

from tests.convert.helpers import CORPUS, read
from workbench.cli import main

DOC = CORPUS / "conformance__06_macros.xml"


def run(argv, capsys, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_to_md_and_back_with_base(tmp_path, capsys):
    code, md, err = run(["convert", "to-md", str(DOC)], capsys)
    assert code == 0 and err == "" and "> [!NOTE]" in md
    md_file = tmp_path / "page.md"
    md_file.write_text(
        md.replace("Its text must survive.", "Its text must survive, always."), encoding="utf-8"
    )
    code, out, err = run(["convert", "to-storage", "--base", str(DOC), str(md_file)], capsys)
    assert code == 0 and err == ""
    assert out == read(DOC).replace("Its text must survive.", "Its text must survive, always.")


def test_stdin_to_stdout(capsys, monkeypatch):
    code, out, _ = run(
        ["convert", "to-storage"], capsys, stdin="# Hi\n\n- [ ] task\n", monkeypatch=monkeypatch
    )
    assert code == 0
    assert out.startswith("<h1>Hi</h1><ac:task-list>")
    code, out, _ = run(["convert", "to-md", "-"], capsys, stdin=out, monkeypatch=monkeypatch)
    assert out == "# Hi\n\n- [ ] task\n"


def test_missing_files_are_clear_errors(tmp_path, capsys):
    code, out, err = run(["convert", "to-md", str(tmp_path / "nope.xml")], capsys)
    assert code == 2 and out == ""
    assert (
        err.startswith("workbench: Storage file")
        and "does not exist" in err
        and "Traceback" not in err
    )
    md = tmp_path / "a.md"
    md.write_text("x", encoding="utf-8")
    code, _, err = run(
        ["convert", "to-storage", "--base", str(tmp_path / "base.xml"), str(md)], capsys
    )
    assert code == 2 and "Base storage file" in err


def test_unreadable_inputs_are_one_sentence_each(tmp_path, capsys):
    latin1 = tmp_path / "latin1.md"
    latin1.write_bytes("caf\xe9\n".encode("latin-1"))
    code, out, err = run(["convert", "to-storage", str(latin1)], capsys)
    assert (code, out) == (2, "")
    assert (
        err
        == f"workbench: Markdown file '{latin1}' is not UTF-8 text; save it as UTF-8 and try again.\n"
    )
    code, out, err = run(["convert", "to-md", str(tmp_path)], capsys)
    assert (code, out) == (2, "")
    assert err == f"workbench: Storage file '{tmp_path}' is a directory, not a file.\n"


def test_convert_without_direction_prints_help(capsys):
    code, _, err = run(["convert"], capsys)
    assert code == 2 and "to-md" in err


def test_to_md_warns_about_malformed_storage_and_still_converts(tmp_path, capsys):
    from workbench.cli import main

    path = tmp_path / "broken.xml"
    path.write_text("<p>kept <b>bold</p>", encoding="utf-8")
    assert main(["convert", "to-md", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "kept" in out
    assert "not well-formed" in err and "root" not in err


def test_to_md_is_silent_for_well_formed_storage(tmp_path, capsys):
    from workbench.cli import main

    path = tmp_path / "fine.xml"
    path.write_text("<p>caf&eacute; &rsquo;</p>", encoding="utf-8")
    assert main(["convert", "to-md", str(path)]) == 0
    assert capsys.readouterr().err == ""
