"""Fresh Markdown (no base) renders to well-formed storage with the real constructs, and reads back
as the same Markdown: the dialect is stable."""

from __future__ import annotations

import pytest

from tests.convert.helpers import assert_well_formed
from workbench.convert import markdown_to_storage, storage_to_markdown

CANONICAL = """# Title

Some *emphasis*, **strong**, ~~gone~~, `code`, a [link](https://example.com), [runbook](page:OPS/Incident%20runbook), [blog](blog:OPS/2026-03-04/Launch), [file](attachment:report.pdf), [top](#intro), [sec](page:OPS/Runbook#Steps).

![diagram](attachment:diagram.png) ![logo](https://example.com/logo.png)

```python title="Example" linenumbers="true"
print("hi")
```

```noformat
raw text
```

> [!NOTE] Heads up
> Body with **bold**.

> [!WARNING]
> Careful.

> A plain quote.

::: expand title="More"
Hidden *text*.
:::

::: panel bgColor="#eee"
Panel body.
:::

- [ ] open task ⟦date: 2026-10-26⟧ ⟦@557058:ana⟧
- [x] done task
  - [ ] nested task

1. one
2. two
   - nested bullet

| A | B |
| --- | --- |
| 1 \\| 2 | x |

::::: layout
:::: section two_equal
::: cell
Left
:::
::: cell
Right
:::
::::
:::::

| Merged || Third |
| :--- | --- | ---: |
| Tall | b<br>c | d |
| ^^ | e | f |

::::: table
:::: tr
::: th colspan=2
Merged
:::
::::
:::: tr
::: td
- a list
:::
::: td
in a cell
:::
::::
:::::

⟦status Green: On track⟧ and ⟦:smile:⟧ and ⟦anchor: here⟧ and ⟦jira: ABC-1⟧

⟦toc⟧

⟦include: page:OPS/Other⟧

---
"""  # noqa: E501 - one Markdown paragraph holding every kind of link: a long line is the test input


def test_canonical_markdown_is_stable_and_well_formed():
    storage = markdown_to_storage(CANONICAL)
    assert_well_formed(storage)
    assert storage_to_markdown(storage) == CANONICAL
    assert markdown_to_storage(CANONICAL, base=storage, fast=False) == storage


CASES = {
    "```python\nx = 1\n```": '<ac:structured-macro ac:name="code"><ac:parameter ac:name="language">'
    "python</ac:parameter>"
    "<ac:plain-text-body><![CDATA[x = 1]]></ac:plain-text-body></ac:structured-macro>",
    "```\nend ]]> here\n```": "<![CDATA[end ]]]]><![CDATA[> here]]>",
    "> [!TIP]\n> Use it.": (
        '<ac:structured-macro ac:name="tip"><ac:rich-text-body><p>Use '
        "it.</p></ac:rich-text-body></ac:structured-macro>"
    ),
    "> [!CAUTION] Danger\n> Stop.": (
        '<ac:structured-macro ac:name="warning"><ac:parameter ac:name="title">Danger</ac:parameter>'
    ),
    "- [ ] a\n- [x] b": "<ac:task-list><ac:task><ac:task-id>1</ac:task-id><ac:task-status>incomplete</ac:task-status>"
    "<ac:task-body>a</ac:task-body></ac:task><ac:task><ac:task-id>"
    "2</ac:task-id><ac:task-status>complete</ac:task-status>",
    "[Runbook](page:OPS/Incident%20runbook)": '<ac:link><ri:page ri:space-key="OPS" ri:content-title="Incident '
    'runbook" />'
    "<ac:link-body>Runbook</ac:link-body></ac:link>",
    "[Incident runbook](page:Incident%20runbook)": '<ac:link><ri:page ri:content-title="Incident runbook" /></ac:link>',
    "![d](attachment:d.png)": '<ac:image ac:alt="d"><ri:attachment ri:filename="d.png" /></ac:image>',
    "![x](https://e.com/x.png)": '<ri:url ri:value="https://e.com/x.png" />',
    "| a | b |\n| --- | --- |\n| 1 | 2 |": (
        "<table><tbody><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></tbody></table>"
    ),
    "x < y & z": "<p>x &lt; y &amp; z</p>",
    "<script>alert(1)</script>": "&lt;script&gt;",
    "⟦unknown thing⟧": "<p>⟦unknown thing⟧</p>",
}


@pytest.mark.parametrize("md", list(CASES), ids=range(len(CASES)))
def test_fresh_constructs(md):
    storage = markdown_to_storage(md)
    assert_well_formed(storage)
    assert CASES[md] in storage
    assert markdown_to_storage(storage_to_markdown(storage), base=storage, fast=False) == storage


def test_empty_and_blank_markdown():
    assert markdown_to_storage("") == ""
    assert markdown_to_storage("\n\n  \n") == ""
    assert storage_to_markdown("") == ""


def test_placeholders_inside_code_urls_and_alt_text_stay_text():
    out = markdown_to_storage(
        "[x](https://a/⟦status: OK⟧b) `⟦status: OK⟧` ![⟦status: OK⟧](attachment:f.png) ⟦status: OK⟧"
    )
    assert_well_formed(out)
    assert (
        '<a href="https://a/⟦status: OK⟧b">x</a> <code>⟦status: OK⟧</code> <ac:image ac:alt="⟦status: OK⟧">'
        in out
    )
    assert out.count('ac:name="status"') == 1


def test_html_inside_a_list_item_or_cell_is_allow_listed_or_text():
    out = markdown_to_storage(
        "- text <b>bold</b>\n- Title\n  ===\n- <script>x()</script>\n\n| a |\n| --- |\n| <i>x</i><br>y <iframe> |"
    )
    assert_well_formed(out)
    assert "<li>text <strong>bold</strong></li>" in out and "<li><h1>Title</h1></li>" in out
    assert "<li><p>&lt;script&gt;x()&lt;/script&gt;</p></li>" in out
    assert "<td><em>x</em><br />y &lt;iframe&gt;</td>" in out
