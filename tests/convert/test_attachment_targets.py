"""Relative image and link paths become attachment references; ``attachment:name`` is how they read
back; an image or link edited in place keeps its attributes (width, height, alignment, caption,
``ri:version-at-save`` while it names the same file)."""

from __future__ import annotations

import pytest

from workbench.convert import local_attachment, markdown_to_storage, storage_to_markdown
from workbench.services.attachment_sync import LocalFile, as_attachment_targets, relative_targets

IMAGE = (
    '<ac:image ac:align="center" ac:layout="center" ac:alt="Error rate" ac:width="400" '
    'ac:height="250"><ri:attachment ri:filename="checkout-errors.png" ri:version-at-save="1"/>'
    "<ac:caption><p>Figure 1</p></ac:caption></ac:image>"
)
LINK = (
    '<ac:link><ri:attachment ri:filename="spec.pdf" ri:version-at-save="3"/>'
    "<ac:plain-text-link-body><![CDATA[the spec]]></ac:plain-text-link-body></ac:link>"
)
BASE = f"<p>Intro</p>{IMAGE}<p>See {LINK}.</p>"


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("img/diagram.png", "diagram.png"),
        ("diagram.png", "diagram.png"),
        ("./a/b/c%20d.pdf", "c d.pdf"),
        ("img\\win.png", "win.png"),
        ("img/d.png?raw=1#frag", "d.png"),
        ("https://example.com/d.png", None),
        ("/abs/d.png", None),
        ("#anchor", None),
        ("attachment:d.png", None),
        ("img/", None),
        ("..", None),
    ],
)
def test_which_targets_are_local_files(url, name):
    assert local_attachment(url) == name


def test_a_fresh_page_turns_relative_paths_into_attachment_references():
    storage = markdown_to_storage(
        "![Diagram](img/diagram.png)\n\nRead [the spec](docs/spec.pdf) or ![x](attachment:x.png).\n"
    )
    assert '<ac:image ac:alt="Diagram"><ri:attachment ri:filename="diagram.png" />' in storage
    assert (
        '<ri:attachment ri:filename="spec.pdf" /><ac:link-body>the spec</ac:link-body>' in storage
    )
    assert "ri:url" not in storage
    back = storage_to_markdown(storage)
    assert "![Diagram](attachment:diagram.png)" in back
    assert "[the spec](attachment:spec.pdf)" in back and "![x](attachment:x.png)" in back


def test_alt_text_edits_keep_every_image_attribute():
    md = storage_to_markdown(BASE)
    assert "![Error rate](attachment:checkout-errors.png)" in md
    out = markdown_to_storage(md.replace("Error rate", "Errors per minute"), BASE)
    assert out == BASE.replace('ac:alt="Error rate"', 'ac:alt="Errors per minute"')


@pytest.mark.parametrize("target", ["attachment:errors%20v2.png", "../img/errors%20v2.png"])
def test_another_file_keeps_the_attributes_and_drops_the_old_files_version(target):
    md = storage_to_markdown(BASE).replace("attachment:checkout-errors.png", target)
    out = markdown_to_storage(md, BASE)
    assert 'ac:width="400" ac:height="250"' in out and "<ac:caption><p>Figure 1</p>" in out
    assert '<ri:attachment ri:filename="errors v2.png"/>' in out
    assert "version-at-save" not in out.split("</ac:image>")[0]


def test_the_same_file_by_relative_path_changes_nothing():
    md = storage_to_markdown(BASE)
    same = md.replace("attachment:checkout-errors.png", "img/checkout-errors.png").replace(
        "attachment:spec.pdf", "docs/spec.pdf"
    )
    assert markdown_to_storage(same, BASE) == BASE


def test_a_link_to_another_local_file_keeps_its_body():
    md = storage_to_markdown(BASE).replace("attachment:spec.pdf", "docs/spec-2.pdf")
    out = markdown_to_storage(md, BASE)
    assert (
        '<ac:link><ri:attachment ri:filename="spec-2.pdf"/><ac:plain-text-link-body>'
        "<![CDATA[the spec]]></ac:plain-text-link-body></ac:link>" in out
    )
    assert out.startswith(f"<p>Intro</p>{IMAGE}")


def test_relative_targets_outside_code_and_their_attachment_form():
    md = (
        "![a](img/a.png)\n\n```\n![b](img/b.png)\n```\n\n"
        '`![c](c.png)` [d](docs/d.pdf "title") [e](https://x.example/e.png) [f](#top)\n'
    )
    assert relative_targets(md) == ["img/a.png", "docs/d.pdf"]
    files = [
        LocalFile("a.png", None, "img/a.png"),
        LocalFile("d.pdf", None, "docs/d.pdf"),
        LocalFile("b.png", None, "img/b.png"),
    ]
    rewritten = as_attachment_targets(md, files)
    assert "![a](attachment:a.png)" in rewritten
    assert '[d](attachment:d.pdf "title")' in rewritten
    assert "![b](img/b.png)" in rewritten and "`![c](c.png)`" in rewritten  # code untouched
