"""ADF ⇄ Markdown on real documents (tests/jira/adf/SOURCES.md): Markdown read back gives the same
document, every node a person wrote shows as readable Markdown where the dialect has a form for it,
and nodes with no form (unknown types, attributes the form cannot carry) survive as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.jira.spec import raw_spec
from workbench.jira.adf_md import adf_to_markdown, canonical
from workbench.jira.md_adf import markdown_to_adf

DATA = Path(__file__).parent / "adf"


def _spec_documents() -> list[dict]:
    found: list[dict] = []

    def docs(value):
        if isinstance(value, dict):
            if value.get("type") == "doc" and isinstance(value.get("content"), list):
                found.append(value)
                return
            for item in value.values():
                docs(item)
        elif isinstance(value, list):
            for item in value:
                docs(item)

    def examples(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "example" and isinstance(value, str) and '"doc"' in value:
                    try:
                        docs(json.loads(value))
                    except ValueError:
                        pass
                examples(value)
        elif isinstance(node, list):
            for value in node:
                examples(value)

    examples(raw_spec())
    unique = {json.dumps(d, sort_keys=True): d for d in found}
    return list(unique.values())


REAL = {
    "jira-cli md.json": json.loads((DATA / "jira-cli-md.json").read_text()),
    "jira-cli issue.json description": json.loads((DATA / "jira-cli-issue.json").read_text())[
        "fields"
    ]["description"],
    **{f"spec example {i}": d for i, d in enumerate(_spec_documents())},
}


def roundtrip(doc: dict) -> tuple[str, dict]:
    markdown = adf_to_markdown(doc)
    return markdown, markdown_to_adf(markdown)


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_documents_come_back_the_same(name):
    doc = REAL[name]
    markdown, back = roundtrip(doc)
    assert canonical(back["content"]) == canonical(doc["content"]), markdown
    # and a second trip changes nothing in the Markdown
    assert adf_to_markdown(back) == markdown


def test_the_jira_cli_document_reads_as_markdown():
    markdown = adf_to_markdown(REAL["jira-cli md.json"])
    for expected in (
        "# H1\n",
        "> Blockquote text",
        "⟦card:https://antiklabs.atlassian.net/wiki/spaces/ANK/pages/124234/hello-world⟧",
        "> [!NOTE]\n> Panel paragraph",
        "⟦mention:5fb82376aca10c006949f35b|Person A⟧",
        "**Bold Text**",
        "*Italic Text*",
        "`Prefix: Inline Code Block`",
        "~~Prefix: Strikethrough text~~",
        "[Link](https://ankit.pl)",
        "- Prefix: Unordered list item 1\n  - Next\n    - Another",
        "3. Ordered list item 3\n   1. nested",
        "| **Table Header 1** | **Table Header 2** | **Table Header 3** |\n|---|---|---|",
        "```go\npackage main\n",
        "1\\. Some text\\\n2\\. Some more text",
    ):
        assert expected in markdown
    # underline has no Markdown form: the node is kept whole, as JSON, in its place
    assert (
        '⟦adf:{"type": "text", "text": "Prefix: Underlined Text", "marks": [{"type": "underline"}]}⟧'
        in markdown
    )
    assert markdown.count("```adf") == 0  # every block had a readable form


UNKNOWN_BLOCK = {
    "type": "mediaSingle",
    "attrs": {"layout": "center"},
    "content": [{"type": "media", "attrs": {"id": "6e7c7f2c", "type": "file", "collection": "c"}}],
}
EXPAND = {
    "type": "expand",
    "attrs": {"title": "Details"},
    "content": [{"type": "paragraph", "content": [{"type": "text", "text": "Hidden words"}]}],
}
LOCAL_ID_TABLE = {
    "type": "table",
    "attrs": {"isNumberColumnEnabled": False, "layout": "default", "localId": "f23f5e1f"},
    "content": [
        {
            "type": "tableRow",
            "content": [
                {
                    "type": "tableHeader",
                    "attrs": {},
                    "content": [{"type": "paragraph", "content": []}],
                }
            ],
        }
    ],
}


def test_unknown_nodes_survive_a_round_trip():
    doc = {
        "version": 1,
        "type": "doc",
        "content": [
            {"type": "paragraph", "content": [{"type": "text", "text": "Before"}]},
            UNKNOWN_BLOCK,
            EXPAND,
            LOCAL_ID_TABLE,
            {
                "type": "paragraph",
                "content": [
                    {"type": "text", "text": "Colour "},
                    {
                        "type": "text",
                        "text": "red",
                        "marks": [{"type": "textColor", "attrs": {"color": "#ff0000"}}],
                    },
                    {
                        "type": "inlineExtension",
                        "attrs": {"extensionKey": "k", "extensionType": "t"},
                    },
                    {"type": "text", "text": " after"},
                ],
            },
        ],
    }
    markdown, back = roundtrip(doc)
    assert back["content"] == doc["content"]
    assert markdown.startswith("Before\n\n```adf\n")
    assert markdown.count("```adf") == 3
    assert "Colour ⟦adf:" in markdown and "⟧ after" in markdown


def test_markup_characters_in_text_stay_text():
    doc = markdown_to_adf("x")
    doc["content"] = [
        {
            "type": "paragraph",
            "content": [
                {
                    "type": "text",
                    "text": "- not a list *not em* [not](a link) ⟦mention:x|y⟧ # no <b>",
                }
            ],
        },
        {"type": "paragraph", "content": [{"type": "text", "text": "1) not ordered | pipe ~~x~~"}]},
    ]
    markdown, back = roundtrip(doc)
    assert back["content"] == doc["content"], markdown
    assert "```adf" not in markdown and "⟦adf:" not in markdown


def test_fresh_markdown_becomes_adf():
    doc = markdown_to_adf(
        "## Steps\n\n1. Open *the* page\n2. Press **save**\n\n"
        "> [!WARNING]\n> Do not skip\n\n"
        "```python\nprint('x')\n```\n\n"
        "Ask ⟦mention:557058:abc|@Priya⟧ or see [docs](https://example.com).\n"
    )
    kinds = [n["type"] for n in doc["content"]]
    assert kinds == ["heading", "orderedList", "panel", "codeBlock", "paragraph"]
    assert doc["content"][2]["attrs"] == {"panelType": "warning"}
    assert doc["content"][3] == {
        "type": "codeBlock",
        "attrs": {"language": "python"},
        "content": [{"type": "text", "text": "print('x')"}],
    }
    last = doc["content"][4]["content"]
    assert {"type": "mention", "attrs": {"id": "557058:abc", "text": "@Priya"}} in last
    assert last[-2] == {
        "type": "text",
        "text": "docs",
        "marks": [{"type": "link", "attrs": {"href": "https://example.com"}}],
    }


def test_broken_json_in_an_adf_block_is_refused_not_dropped():
    with pytest.raises(ValueError):
        markdown_to_adf("```adf\n{not json\n```\n")
    with pytest.raises(ValueError):
        markdown_to_adf("⟦adf:[1, 2]⟧")


# -- any document, not only the ones we thought of --------------------------------------------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_CHARS = st.text(alphabet="ab *_`~[]()#>-+1.|\\!<⟦⟧:é", min_size=1, max_size=12)
_MARKS = st.lists(
    st.sampled_from(
        [
            {"type": "strong"},
            {"type": "em"},
            {"type": "code"},
            {"type": "strike"},
            {"type": "underline"},
            {"type": "link", "attrs": {"href": "https://example.com/x"}},
        ]
    ),
    max_size=3,
    unique_by=lambda m: m["type"],
)


@st.composite
def _text(draw):
    node = {"type": "text", "text": draw(_CHARS)}
    marks = draw(_MARKS)
    if marks:
        node["marks"] = marks
    return node


_INLINE = st.one_of(
    _text(),
    st.just({"type": "hardBreak"}),
    st.builds(
        lambda i: {"type": "mention", "attrs": {"id": i, "text": "@" + i}},
        st.text(alphabet="abc:12", min_size=1, max_size=6),
    ),
    st.just({"type": "emoji", "attrs": {"shortName": ":smile:", "id": "1f604", "text": "😄"}}),
)
_PARAGRAPH = st.builds(
    lambda c: {"type": "paragraph", "content": c}, st.lists(_INLINE, min_size=1, max_size=5)
)
_BLOCK = st.recursive(
    st.one_of(
        _PARAGRAPH,
        st.builds(
            lambda level, c: {"type": "heading", "attrs": {"level": level}, "content": c},
            st.integers(1, 6),
            st.lists(_text(), min_size=1, max_size=3),
        ),
        st.builds(
            lambda t: {
                "type": "codeBlock",
                "attrs": {"language": "go"},
                "content": [{"type": "text", "text": t}],
            },
            st.text(alphabet="ab`\n {}", min_size=1, max_size=20),
        ),
        st.just({"type": "rule"}),
    ),
    lambda inner: st.one_of(
        st.builds(
            lambda items: {
                "type": "bulletList",
                "content": [{"type": "listItem", "content": [p, *rest]} for p, rest in items],
            },
            st.lists(st.tuples(_PARAGRAPH, st.lists(inner, max_size=1)), min_size=1, max_size=3),
        ),
        st.builds(
            lambda c: {"type": "blockquote", "content": c}, st.lists(inner, min_size=1, max_size=2)
        ),
        st.builds(
            lambda kind, c: {"type": "panel", "attrs": {"panelType": kind}, "content": c},
            st.sampled_from(["info", "note", "success", "warning", "error", "custom"]),
            st.lists(inner, min_size=1, max_size=2),
        ),
    ),
    max_leaves=6,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_BLOCK, min_size=1, max_size=4))
def test_any_document_comes_back_the_same(blocks):
    doc = {"version": 1, "type": "doc", "content": blocks}
    markdown, back = roundtrip(doc)
    assert canonical(back["content"]) == canonical(blocks), markdown
