"""Outline and sections of Markdown pages (pure)."""

from __future__ import annotations

from workbench.agent.outline import find_section, format_outline, outline, section_text, subsections

DOC = """Intro line before any heading.

# Title

Para one.

## Setup

Install it.

```bash
# not a heading
echo hi
```

### Details

Deep.

## Usage

Use it — naïvely.
"""


def test_sections_nest_and_skip_code_fences():
    sections = outline(DOC)
    assert [(s.id, s.level, s.title) for s in sections] == [
        ("s0", 0, "(before the first heading)"),
        ("s1", 1, "Title"),
        ("s2", 2, "Setup"),
        ("s3", 3, "Details"),
        ("s4", 2, "Usage"),
    ]
    setup = find_section(DOC, "s2")
    text = section_text(DOC, setup)
    assert text.startswith("## Setup") and "### Details" in text and "## Usage" not in text
    assert "# not a heading" in text  # the fenced comment stays in its section
    usage = find_section(DOC, "S4")
    assert section_text(DOC, usage) == "## Usage\n\nUse it — naïvely.\n"
    assert usage.size == len("## Usage\n\nUse it — naïvely.\n".encode())  # bytes, not characters
    assert find_section(DOC, "s9") is None


def test_sections_cover_the_page_and_ids_are_stable():
    sections = outline(DOC)
    top_level = [s for s in sections if s.level <= 1]
    assert "".join(section_text(DOC, s) for s in top_level) == DOC
    assert outline(DOC) == sections


def test_no_headings_and_empty():
    assert outline("") == []
    only = outline("just text\n")
    assert [s.id for s in only] == ["s0"]
    assert format_outline(outline("# A\n\n## B\ntext\n")).splitlines() == ["s1 # A (15B)", "s2 ## B (10B)"]


def test_closing_hashes_and_tilde_fences():
    doc = "# Head ##\n~~~\n# inside\n~~~\n## Next\n"
    assert [s.title for s in outline(doc)] == ["Head", "Next"]


def test_many_headings_fold_deeper_levels():
    doc = "".join(f"## Part {n}\n\ntext\n\n### A{n}\n\nx\n\n### B{n}\n\ny\n\n" for n in range(1, 61))
    sections = outline(doc)
    assert len(sections) == 180
    text = format_outline(sections, max_entries=100)
    lines = text.splitlines()
    assert len(lines) == 61 and lines[0].startswith("s1 ## Part 1 (") and lines[0].endswith("+2 inside")
    assert "120 deeper headings folded" in lines[-1]
    part2 = next(s for s in sections if s.title == "Part 2")
    assert [s.title for s in subsections(sections, part2)] == ["A2", "B2"]
    assert len(format_outline(sections).splitlines()) == 61  # default limit folds too
    assert len(format_outline(sections, max_entries=500).splitlines()) == 180
