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
    assert format_outline(outline("# A\n\n## B\ntext\n")).splitlines() == [
        "s1 # A (15B)",
        "s2 ## B (10B)",
    ]


def test_closing_hashes_and_tilde_fences():
    doc = "# Head ##\n~~~\n# inside\n~~~\n## Next\n"
    assert [s.title for s in outline(doc)] == ["Head", "Next"]


def test_many_headings_fold_deeper_levels():
    doc = "".join(
        f"## Part {n}\n\ntext\n\n### A{n}\n\nx\n\n### B{n}\n\ny\n\n" for n in range(1, 61)
    )
    sections = outline(doc)
    assert len(sections) == 180
    text = format_outline(sections, max_entries=100)
    lines = text.splitlines()
    assert (
        len(lines) == 61
        and lines[0].startswith("s1 ## Part 1 (")
        and lines[0].endswith("+2 inside")
    )
    assert "120 deeper headings folded" in lines[-1]
    part2 = next(s for s in sections if s.title == "Part 2")
    assert [s.title for s in subsections(sections, part2)] == ["A2", "B2"]
    assert len(format_outline(sections).splitlines()) == 61  # default limit folds too
    assert len(format_outline(sections, max_entries=500).splitlines()) == 180


def _long_text(paragraphs: int = 60) -> str:
    return "".join(f"Paragraph {n}: " + "words " * 40 + "\n\n" for n in range(paragraphs))


def test_text_without_headings_is_cut_into_paragraph_parts():
    from workbench.agent.outline import PART_BYTES, find_lines, find_span, span_text

    doc = _long_text() + "```\n" + "code line\n\n" * 300 + "```\n\nLast words.\n"
    sections = outline(doc)
    assert sections[0].id == "s0" and all(s.id == f"s0.{n}" for n, s in enumerate(sections[1:], 1))
    parts = sections[1:]
    assert (
        len(parts) > 3 and "".join(section_text(doc, s) for s in parts) == doc
    )  # nothing lost, no overlap
    fenced = [s for s in parts if "```" in section_text(doc, s)]
    assert (
        len(fenced) == 1 and section_text(doc, fenced[0]).count("```") == 2
    )  # a code block is never cut
    assert all(s.size <= PART_BYTES for s in parts if s is not fenced[0])
    lines = format_outline(sections).splitlines()
    assert lines[0].startswith("s0 (preamble) (") and lines[1].startswith(
        's0.1 ¶ "Paragraph 0: words words'
    )
    assert find_section(doc, "s0.2") == parts[1]
    first, last = find_span(doc, "s0.2..s0.4")
    assert span_text(doc, first, last) == "".join(section_text(doc, s) for s in parts[1:4])
    assert find_span(doc, "s0.4..s0.2") is None and find_span(doc, "s0.2..s9") is None
    found, total = find_lines(doc, "paragraph  41:")
    assert (
        total == 1 and found[0][1].startswith("Paragraph 41: ") and found[0][0].id.startswith("s0.")
    )
    assert section_text(doc, found[0][0]).count("Paragraph 41: ") == 1


def test_a_heading_with_long_text_keeps_its_heading_and_gets_parts():
    doc = "# Guide\n\n" + _long_text(40) + "## Next\n\nshort\n"
    sections = outline(doc)
    ids = [s.id for s in sections]
    assert ids[0] == "s1" and ids[1] == "s1.1" and ids[-1] == "s2"
    assert section_text(doc, sections[1]).startswith(
        "Paragraph 0:"
    )  # the heading line stays with s1
    assert [s.id for s in subsections(sections, sections[0])][:2] == ["s1.1", "s1.2"]
    assert outline("short text\n") == [
        s for s in outline("short text\n") if not s.part
    ]  # small: no parts
