"""Split Markdown of our dialect into blocks, list items, container bodies and table rows.

The splitter is line based and mirrors the renderer exactly: every block the renderer writes comes back
as one block with the same text and kind, which is what lets an unchanged block be matched to its source.
It also accepts ordinary Markdown written by people (loose lists, ``*`` bullets, ``~~~`` fences).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
DIV_RE = re.compile(r"^(:{3,})(.*)$")
HEADING_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
HR_RE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
LIST_RE = re.compile(r"^( {0,3})([-+*]|\d{1,9}[.)])(?:[ \t]+|$)")
QUOTE_RE = re.compile(r"^ {0,3}>")
ALERT_RE = re.compile(r"^ {0,3}> ?\[!([A-Za-z]+)\](.*)$")
_HTML_BLOCK_TAGS = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|"
    "dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|"
    "menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|"
    "title|tr|track|ul"
)
# CommonMark HTML blocks: 1 (script/pre/style/textarea), 2 comment, 3 PI, 4 declaration, 5 CDATA, 6 block tags
HTML_START_RE = re.compile(
    r"^ {0,3}(?:<(?P<raw>script|pre|style|textarea)(?:\s|>|$)|(?P<comment><!--)|(?P<pi><\?)|(?P<decl><![A-Za-z])"
    r"|(?P<cdata><!\[CDATA\[)|</?(?:" + _HTML_BLOCK_TAGS + r")(?:\s|/?>|$))",
    re.I,
)
# 7: any other complete tag alone on its line (it cannot interrupt a paragraph)
HTML_TAG_LINE_RE = re.compile(
    r"^ {0,3}(?:<[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|</[A-Za-z][A-Za-z0-9-]*\s*>)\s*$"
)
_HTML_ENDS = {"raw": None, "comment": "-->", "pi": "?>", "decl": ">", "cdata": "]]>"}
SETEXT_RE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
TASK_RE = re.compile(r"^\[( |x|X)\](?:[ \t]+|$)")


@dataclass
class MdBlock:
    kind: str  # para heading fence div quote alert list tasklist table hr
    text: str


def _is_table_line(line: str) -> bool:
    return line.lstrip(" ").startswith("|")


def starts_block(line: str) -> bool:
    """True when ``line`` cannot continue a paragraph (it opens another block)."""
    return bool(
        FENCE_RE.match(line)
        or DIV_RE.match(line)
        or HEADING_RE.match(line)
        or HR_RE.match(line)
        or LIST_RE.match(line)
        or QUOTE_RE.match(line)
        or _is_table_line(line)
        or HTML_START_RE.match(line)
    )


def _fence_end(lines: list[str], i: int, fence: str) -> int:
    """Index just past the closing fence of a fence opened at ``lines[i]``."""
    ch, n = fence[0], len(fence)
    j = i + 1
    close = re.compile(r"^ {0,3}" + re.escape(ch) + "{" + str(n) + r",}[ \t]*$")
    while j < len(lines):
        if close.match(lines[j]):
            return j + 1
        j += 1
    return j


def _div_end(lines: list[str], i: int, colons: str) -> int:
    j = i + 1
    while j < len(lines):
        line = lines[j]
        m = FENCE_RE.match(line)
        if m and not line.startswith(
            " "
        ):  # indented fences belong to list items, whose lines are all indented
            j = _fence_end(lines, j, m.group(1))
            continue
        if line.rstrip() == colons:
            return j + 1
        j += 1
    return j


def split_blocks(md: str, loose_lists: bool = True) -> list[MdBlock]:
    """Split a flow of Markdown into blocks (blank lines between blocks are dropped).

    ``loose_lists=False`` (an edited page): a blank line or an unindented line of text ends a list,
    as the view writes lists, so deleting the paragraph between two lists keeps them two lists.
    """
    lines = md.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[MdBlock] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        m = FENCE_RE.match(line)
        if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
            j = _fence_end(lines, i, m.group(1))
            out.append(MdBlock("fence", "\n".join(lines[i:j])))
            i = j
            continue
        m = DIV_RE.match(line)
        if m and m.group(2).strip():
            j = _div_end(lines, i, m.group(1))
            out.append(MdBlock("div", "\n".join(lines[i:j])))
            i = j
            continue
        if HEADING_RE.match(line):
            out.append(MdBlock("heading", line))
            i += 1
            continue
        if HR_RE.match(line):
            out.append(MdBlock("hr", line))
            i += 1
            continue
        if QUOTE_RE.match(line):
            j = i + 1
            while j < n and QUOTE_RE.match(lines[j]):
                j += 1
            kind = "alert" if ALERT_RE.match(line) else "quote"
            out.append(MdBlock(kind, "\n".join(lines[i:j])))
            i = j
            continue
        if LIST_RE.match(line):
            j = _list_end(lines, i, loose_lists)
            text = "\n".join(lines[i:j])
            items = split_items(text)
            kind = (
                "tasklist"
                if items and all(item_parts(it)[1] is not None for it in items)
                else "list"
            )
            out.append(MdBlock(kind, text))
            i = j
            continue
        if _is_table_line(line):
            j = i + 1
            while j < n and _is_table_line(lines[j]):
                j += 1
            out.append(MdBlock("table", "\n".join(lines[i:j])))
            i = j
            continue
        if HTML_START_RE.match(line) or HTML_TAG_LINE_RE.match(line):
            j = _html_end(lines, i)
            out.append(MdBlock("html", "\n".join(lines[i:j])))
            i = j
            continue
        if line.startswith(("    ", "\t")):  # an indented code block
            j = i + 1
            while j < n and (not lines[j].strip() or lines[j].startswith(("    ", "\t"))):
                j += 1
            while j > i + 1 and not lines[j - 1].strip():
                j -= 1
            out.append(MdBlock("icode", "\n".join(lines[i:j])))
            i = j
            continue
        j = i + 1
        while (
            j < n
            and lines[j].strip()
            and not SETEXT_RE.match(lines[j])
            and not starts_block(lines[j])
        ):
            j += 1
        if j < n and SETEXT_RE.match(lines[j]):
            # "Title" underlined with === or ---: a heading (the underline wins over a rule or a list)
            out.append(MdBlock("heading", "\n".join(lines[i : j + 1])))
            i = j + 1
            continue
        out.append(MdBlock("para", "\n".join(lines[i:j])))
        i = j
    return out


def _html_end(lines: list[str], i: int) -> int:
    """End of an HTML block: its closing marker (script/comment/…), else the next blank line."""
    m = HTML_START_RE.match(lines[i])
    kind = next((k for k, v in m.groupdict().items() if v), None) if m else None
    if kind in _HTML_ENDS:
        end = _HTML_ENDS[kind] or "</" + m.group("raw").lower()  # type: ignore[union-attr]
        for j in range(i, len(lines)):
            if end in lines[j].lower():
                return j + 1
        return len(lines)
    j = i + 1
    while j < len(lines) and lines[j].strip():
        j += 1
    return j


def heading_parts(text: str) -> tuple[int, str]:
    """``(level, content)`` of an ATX (``## Title ##``) or setext (``Title`` / ``-----``) heading."""
    lines = text.split("\n")
    if len(lines) > 1 and SETEXT_RE.match(lines[-1]):
        level = 1 if lines[-1].strip()[0] == "=" else 2
        return level, "\n".join(line.strip() for line in lines[:-1])
    m = HEADING_RE.match(text)
    if not m:
        return 1, text.strip()
    content = _CLOSING_HASHES.sub("", m.group(2) or "")
    return len(m.group(1)), content.strip()


def _family(line: str) -> str:
    """``-``, ``*``, ``+``, ``.`` or ``)``: a list goes on only with items of the same family."""
    m = LIST_RE.match(line)
    if not m:
        return ""
    marker = m.group(2)
    return marker[-1] if marker[0].isdigit() else marker


def _is_item(line: str, family: str) -> bool:
    return bool(LIST_RE.match(line)) and not HR_RE.match(line) and _family(line) == family


def _list_end(lines: list[str], i: int, loose: bool = True) -> int:
    """End of a list block, as in CommonMark: blank lines go on before indented lines and items of the
    same family (another bullet character or numbering style starts a new list); a line of text right
    under an item's text continues it ("lazy" continuation)."""
    n = len(lines)
    family = _family(lines[i])
    j = i + 1
    while j < n:
        line = lines[j]
        if not line.strip():
            k = j
            while k < n and not lines[k].strip():
                k += 1
            if k < n and (lines[k].startswith(" ") or (loose and _is_item(lines[k], family))):
                j = k
                continue
            return j
        if line.startswith(" ") or _is_item(line, family):
            j += 1
            continue
        prev = lines[j - 1]
        text = not starts_block(line) and not SETEXT_RE.match(line)
        lazy = prev.strip() and text and not FENCE_RE.match(prev.strip())
        if loose and lazy:
            j += 1  # lazy continuation of the item's paragraph
            continue
        return j
    return j


def split_items(md: str) -> list[str]:
    """Split a list block into item texts (each starts with its marker line)."""
    lines = md.split("\n")
    items: list[list[str]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        m = FENCE_RE.match(line)
        if m and line.startswith(" ") and items:
            j = _fence_end(lines, i, m.group(1))
            items[-1].extend(lines[i:j])
            i = j
            continue
        marker = LIST_RE.match(line)
        if marker and not line.startswith(" ") or not items:
            items.append([line])
            f = FENCE_RE.match(line[marker.end() :]) if marker else None
            if marker and f and not (f.group(1)[0] == "`" and "`" in f.group(2)):
                # the item opens with a fence: its closing line is indented like the item's other lines
                width = len(marker.group(1)) + len(marker.group(2)) + 1
                j = _item_fence_end(lines, i, f.group(1), width)
                items[-1].extend(lines[i + 1 : j])
                i = j
                continue
        else:
            items[-1].append(line)
        i += 1
    return ["\n".join(it).rstrip("\n") for it in items]


def _item_fence_end(lines: list[str], i: int, fence: str, width: int) -> int:
    """Index just past the closing fence of a fence opened on the marker line ``lines[i]``."""
    close = re.compile(r"^ {0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$")
    j = i + 1
    while j < len(lines):
        line = lines[j]
        if line.strip() and len(line) - len(line.lstrip(" ")) < width:
            return j  # the item ended before its fence closed
        if close.match(line[width:]):
            return j + 1
        j += 1
    return j


def item_parts(item: str) -> tuple[str, str | None, str]:
    """``(marker, task_state, body)``: marker like ``-`` or ``3.``, task state ``' '``/``'x'`` or None."""
    first, _, rest = item.partition("\n")
    m = LIST_RE.match(first)
    if not m:
        return "", None, item
    marker = m.group(2)
    width = len(m.group(1)) + len(marker) + 1
    head_rest = first[m.end() :]
    task = None
    if marker in "-+*":
        t = TASK_RE.match(head_rest)
        if t:
            task = "x" if t.group(1) in "xX" else " "
            head_rest = head_rest[t.end() :]
            width = len(m.group(1)) + 2
    body_lines = [head_rest]
    for line in rest.split("\n") if rest else []:
        if line[:width].strip() == "":
            body_lines.append(line[width:])
        else:
            body_lines.append(line.lstrip(" "))
    return marker, task, "\n".join(body_lines).strip("\n")


def quote_body(md: str) -> tuple[str, str]:
    """``(first_line_rest, body)`` of a blockquote: prefixes removed; the first line is the head."""
    lines = md.split("\n")
    stripped = []
    for line in lines:
        s = line.lstrip(" ")[1:] if line.lstrip(" ").startswith(">") else line
        if s.startswith(" "):
            s = s[1:]
        stripped.append(s)
    return stripped[0], "\n".join(stripped[1:])


def div_parts(md: str) -> tuple[str, str, str] | None:
    """``(colons, head, body)`` of a fenced container, or None when it is not one."""
    lines = md.split("\n")
    m = DIV_RE.match(lines[0])
    if not m:
        return None
    colons = m.group(1)
    if len(lines) >= 2 and lines[-1].rstrip() == colons:
        body = lines[1:-1]
    else:
        body = lines[1:]
    return colons, m.group(2).strip(), "\n".join(body)


def fence_parts(md: str) -> tuple[str, str]:
    """``(info, code)`` of a fenced code block."""
    lines = md.split("\n")
    m = FENCE_RE.match(lines[0])
    if not m:
        return "", md
    fence = m.group(1)
    body = lines[1:]
    if body and re.match(
        r"^ {0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$", body[-1]
    ):
        body = body[:-1]
    return m.group(2).strip(), "\n".join(body)


def split_row(line: str) -> list[str]:
    """Cells of a GFM table row (``\\|`` stays escaped inside a cell)."""
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    cells, cur, i = [], [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            cur.append(s[i : i + 2])
            i += 2
            continue
        if c == "|":
            cells.append("".join(cur).strip())
            cur = []
        else:
            cur.append(c)
        i += 1
    cells.append("".join(cur).strip())
    return cells


DELIM_RE = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
