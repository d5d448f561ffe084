"""Property tests: the converter never raises, degrades on malformed input, keeps identity on any
well-formed storage, and always writes well-formed storage for any Markdown or any edit."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.convert.helpers import CORPUS_FILES, assert_well_formed, read
from workbench.convert import markdown_to_storage, storage_to_markdown

# WORKBENCH_HYPOTHESIS_EXAMPLES=2000 for a long run; the default keeps the suite fast
SETTINGS = settings(
    max_examples=int(os.environ.get("WORKBENCH_HYPOTHESIS_EXAMPLES", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

FRAGMENTS = [
    "<p>",
    "</p>",
    '<p local-id="a">',
    "<p />",
    "<h2>",
    "</h2>",
    "<ul>",
    "</ul>",
    "<li>",
    "</li>",
    "<strong>",
    "</strong>",
    "<em>",
    "</em>",
    "<br />",
    "<table>",
    "<tr>",
    "<td>",
    "</td>",
    "</tr>",
    "</table>",
    '<ac:structured-macro ac:name="code">',
    '<ac:structured-macro ac:name="info">',
    "</ac:structured-macro>",
    '<ac:parameter ac:name="language">',
    "</ac:parameter>",
    "<ac:plain-text-body>",
    "</ac:plain-text-body>",
    "<ac:rich-text-body>",
    "</ac:rich-text-body>",
    "<![CDATA[",
    "]]>",
    "<!-- c -->",
    "&amp;",
    "&rsquo;",
    "&",
    "<",
    ">",
    "&#x41;",
    "&bogus;",
    "<ac:task-list>",
    "<ac:task>",
    "<ac:task-status>",
    "complete",
    "</ac:task>",
    "<ac:link>",
    '<ri:page ri:content-title="T" />',
    "</ac:link>",
    "<ac:layout>",
    "<ac:layout-cell>",
    "</x>",
    "<a href='u'>",
    "</a>",
    " ",
    "\n",
    "text",
    "*",
    "_",
    "[",
    "]",
    "|",
    "⟦",
    "⟧",
    "#",
    "- ",
    "1. ",
    "```",
    ":::",
    '<time datetime="2026-01-01" />',
    '<ac:inline-comment-marker ac:ref="r">',
    "</ac:inline-comment-marker>",
]


@SETTINGS
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40))
def test_malformed_storage_never_raises_and_round_trips(parts):
    storage = "".join(parts)
    md = storage_to_markdown(storage)
    assert isinstance(md, str)
    assert markdown_to_storage(md, base=storage) == storage
    merged = markdown_to_storage(md, base=storage, fast=False)
    assert merged == storage


@SETTINGS
@given(st.text(max_size=300))
def test_any_text_as_storage_never_raises(text):
    md = storage_to_markdown(text)
    assert markdown_to_storage(md, base=text) == text
    markdown_to_storage(md, base=text, fast=False)


# -- generated well-formed storage --------------------------------------------------------------
WORDS = st.sampled_from(
    ["alpha", "beta", "x&amp;y", "it&rsquo;s", "a*b", "[c]", "d_e", "1. f", "#g", "|", " "]
)
INLINE = st.recursive(
    WORDS,
    lambda inner: st.one_of(
        st.tuples(st.sampled_from(["strong", "em", "u", "code", "s"]), inner).map(
            lambda t: f"<{t[0]}>{t[1]}</{t[0]}>"
        ),
        st.lists(inner, min_size=1, max_size=3).map("".join),
        inner.map(
            lambda t: (
                f'<ac:link><ri:page ri:content-title="P" /><ac:link-body>{t}</ac:link-body></ac:link>'
            )
        ),
        st.just(
            '<ac:structured-macro ac:name="status"><ac:parameter ac:name="title">'
            "OK</ac:parameter></ac:structured-macro>"
        ),
        st.just("<br />"),
    ),
    max_leaves=6,
)


def _block(inner):
    return st.one_of(
        INLINE.map(lambda t: f"<p>{t}</p>"),
        INLINE.map(lambda t: f'<h3 local-id="h">{t}</h3>'),
        st.lists(INLINE, min_size=1, max_size=3).map(
            lambda xs: "<ul>" + "".join(f"<li>{x}</li>" for x in xs) + "</ul>"
        ),
        st.lists(inner, min_size=1, max_size=2).map(
            lambda xs: (
                '<ac:structured-macro ac:name="info"><ac:rich-text-body>'
                + "".join(xs)
                + "</ac:rich-text-body></ac:structured-macro>"
            )
        ),
        st.lists(inner, min_size=1, max_size=2).map(
            lambda xs: "<ol><li>" + "".join(xs) + "</li></ol>"
        ),
        st.lists(st.lists(INLINE, min_size=2, max_size=2), min_size=1, max_size=3).map(
            lambda rows: (
                "<table><tbody>"
                + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
                + "</tbody></table>"
            )
        ),
        st.text(alphabet="ab \n`]>", max_size=20).map(
            lambda t: (
                f'<ac:structured-macro ac:name="code"><ac:plain-text-body><![CDATA[{t}]]>'
                "</ac:plain-text-body></ac:structured-macro>"
            )
        ),
        INLINE.map(
            lambda t: (
                "<ac:task-list><ac:task><ac:task-id>1</ac:task-id><ac:task-status>complete</ac:task-status>"
                f"<ac:task-body>{t}</ac:task-body></ac:task></ac:task-list>"
            )
        ),
    )


BLOCKS = st.recursive(_block(st.nothing()), _block, max_leaves=6)
DOCS = st.lists(st.tuples(BLOCKS, st.sampled_from(["", "\n", "\n  "])), max_size=6).map(
    lambda xs: "".join(b + sep for b, sep in xs)
)


@SETTINGS
@given(DOCS)
def test_identity_on_generated_storage(storage):
    md = storage_to_markdown(storage)
    assert markdown_to_storage(md, base=storage, fast=False) == storage
    fresh = markdown_to_storage(md)
    assert_well_formed(fresh)


MD_ALPHABET = st.sampled_from(
    [
        "a",
        "b",
        " ",
        "\n",
        "\n\n",
        "*",
        "**",
        "_",
        "`",
        "```",
        "~~",
        "[x](page:S/T)",
        "![i](attachment:f.png)",
        "> ",
        "> [!NOTE] ",
        "- ",
        "- [ ] ",
        "1. ",
        "| a | b |\n| --- | --- |\n",
        "::: expand\n",
        "\n:::",
        "#",
        "## ",
        "⟦status: OK⟧",
        "⟦",
        "⟧",
        "<",
        "&",
        "&amp;",
        "\\",
        "    ",
        "---",
        "<b>x</b>",
        "]]>",
        # what READMEs and the issue-19 dialect add: HTML, merged-cell markers, setext, references, CRLF
        '<p align="center">',
        "</p>",
        "<details>",
        "</details>",
        "<summary>s</summary>",
        "<img src=x.png>",
        "<b>",
        "</b>",
        "<!-- c -->",
        "| a || b |\n",
        "| ^^ | c |\n",
        "| :-- | --: |\n",
        "Title\n===\n",
        "    code\n",
        "[r]: http://x\n",
        "[t][r]",
        "* a\n\n* b\n",
        "- x\nlazy\n",
        "<br>",
        "&copy;",
        "\\&",
        "\r\n",
        "::: details\n",
        "::: html:div\n",
        "::: adf:decision-list\n- d\n:::\n",
        "```{.sourceCode .py}\n",
        "[d](img/d.png)",
        "\\^^",
    ]
)


@SETTINGS
@given(st.lists(MD_ALPHABET, max_size=40).map("".join))
def test_any_markdown_renders_well_formed(md):
    storage = markdown_to_storage(md)
    assert_well_formed(storage)
    assert markdown_to_storage(storage_to_markdown(storage), base=storage, fast=False) == storage


BASES = [
    read(p) for p in CORPUS_FILES if p.stem.startswith(("conformance", "cmroundtrip", "cfexporter"))
]


@SETTINGS
@given(
    st.sampled_from(BASES),
    st.floats(0, 1),
    st.floats(0, 1),
    st.lists(MD_ALPHABET, max_size=8).map("".join),
)
def test_random_edits_of_real_pages_stay_well_formed(base, at, length, insert):
    md = storage_to_markdown(base)
    i = int(at * len(md))
    j = min(len(md), i + int(length * 40))
    edited = md[:i] + insert + md[j:]
    out = markdown_to_storage(edited, base=base)
    assert_well_formed(out)


@SETTINGS
@given(st.text(max_size=200))
def test_any_unicode_markdown_renders_well_formed(md):
    storage = markdown_to_storage(md)
    assert_well_formed(storage)
    base = "<p>Some text&rsquo;s here</p>\n<ul><li>item</li></ul>"
    assert_well_formed(markdown_to_storage(storage_to_markdown(base) + md, base=base))


def test_pathological_nesting_degrades_without_losing_the_page():
    storage = "<ul><li>" * 600 + "deep" + "</li></ul>" * 600
    md = storage_to_markdown(storage)
    assert "deep" in md
    assert markdown_to_storage(md, base=storage) == storage
