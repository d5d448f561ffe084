"""Link reference definitions (``[ref]: https://example.com "Title"``), as READMEs use them.

A paragraph made only of definitions shows nothing; its definitions serve ``[text][ref]``,
``[ref][]`` and ``[ref]`` anywhere in the document. The converter takes them out of the Markdown
before rendering and hands them to the inline parser, so the links become real links.
"""

from __future__ import annotations

import re

_DEF_RE = re.compile(
    r"^ {0,3}\[((?:[^\[\]\\]|\\.){1,999})\]:[ \t]*(<[^<>\n]*>|\S+)"
    r"(?:[ \t]+(\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*$"
)
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def take_definitions(md: str) -> tuple[str, dict]:
    """``(markdown without its definition paragraphs, mistune's ref_links)``."""
    if "]:" not in md:
        return md, {}
    # lazy, for start-up: mistune.helpers, mistune.util (with mistune) loads on first use
    from mistune.helpers import unescape_char
    from mistune.util import escape_url, unikey

    lines = md.split("\n")
    refs: dict = {}
    keep: list[str] = []
    fence = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        m = _FENCE_RE.match(line)
        if fence:
            if (
                m
                and m.group(1)[0] == fence[0]
                and len(m.group(1)) >= len(fence)
                and not line.strip(" `~")
            ):
                fence = ""
            keep.append(line)
            i += 1
            continue
        if m:
            fence = m.group(1)
            keep.append(line)
            i += 1
            continue
        starts_paragraph = not keep or not keep[-1].strip()
        if starts_paragraph and _DEF_RE.match(line):
            j = i
            found = []
            while j < len(lines) and (d := _DEF_RE.match(lines[j])):
                found.append(d)
                j += 1
            if j == len(lines) or not lines[j].strip():  # a paragraph of definitions only
                for d in found:
                    key = unikey(d.group(1))
                    if key and key not in refs:
                        url = d.group(2)[1:-1] if d.group(2).startswith("<") else d.group(2)
                        data = {"url": escape_url(unescape_char(url)), "label": d.group(1)}
                        if d.group(3):
                            data["title"] = d.group(3)[1:-1]
                        refs[key] = data
                i = j
                continue
        keep.append(line)
        i += 1
    return "\n".join(keep), refs
