"""Golden Markdown for representative corpus documents: a change to the dialect shows up as a diff to
review. Regenerate deliberately with ``WORKBENCH_REGEN_GOLDEN=1 pytest tests/convert/test_golden.py``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.convert.helpers import CORPUS, read
from workbench.convert import storage_to_markdown

GOLDEN = Path(__file__).resolve().parent / "golden"
DOCUMENTS = [
    "cmroundtrip__cloud_test_page",
    "cmroundtrip__template_root",
    "cfexporter__space_home_layout_jira_include",
    "cfexporter__engage_us",
    "conformance__01_text_and_marks",
    "conformance__02_code_blocks",
    "conformance__03_lists_and_tasks",
    "conformance__04_tables",
    "conformance__05_media",
    "conformance__06_macros",
    "mark__codes",
    "mark__links",
    "md2conf__panel",
    "md2conf__status",
]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_golden_markdown(name):
    md = storage_to_markdown(read(CORPUS / f"{name}.xml"))
    path = GOLDEN / f"{name}.md"
    if os.environ.get("WORKBENCH_REGEN_GOLDEN"):
        path.write_text(md, encoding="utf-8")
    assert path.exists(), f"no golden file for {name}; run with WORKBENCH_REGEN_GOLDEN=1"
    assert md == path.read_text(encoding="utf-8")
