"""Finishing an inline run's segments: whitespace trimmed at the ends, block markers escaped at line
starts, closing hashes of a heading escaped — and the one seg of text that is only words."""

from __future__ import annotations

import re

from workbench.convert.inline import PLAIN_WORDS_RE
from workbench.convert.segs import PIECE_STRIDE, OwnRun, Run, Seg, new_seg

_LINE_START_RE = re.compile(r"^(#|>|[-+*](?=\s|$)|\d{1,9}[.)](?=\s|$)|:::|```|~~~|\|)")


_RULE_LINE_RE = re.compile(r"^(?:-{2,}|=+)[ \t]*$")  # a thematic break or a setext underline
_ONE_CHAR = re.compile(r".")


def _line_from(segs: list[Seg], idx: int) -> str:
    """The Markdown from ``segs[idx]`` to the end of its line."""
    out = []
    for seg in segs[idx:]:
        cut = seg.md.find("\n")
        if cut >= 0:
            out.append(seg.md[:cut])
            break
        out.append(seg.md)
    return "".join(out)


def escape_closing_hashes(segs: list[Seg]) -> None:
    """A heading whose text ends in `` ##`` keeps it: the hashes would read as a closing sequence."""
    last = len(segs) - 1
    while last >= 0 and not segs[last].md:
        last -= 1
    if last < 0 or segs[last].md[-1] != "#" or segs[last].kind == "markup":
        return
    seg = segs[last]
    if isinstance(seg, Run):  # the hashes are the run's last word when a space stands before them
        body = seg.md.rstrip("#")
        if body.endswith(" "):
            group = seg.group + ((seg.pieces() - 1) * PIECE_STRIDE if type(seg) is OwnRun else 0)
            cut = seg.start + len(body)
            hashes = Seg("\\" + seg.md[len(body) :], cut, seg.end, "mapped", group=group)
            seg.md, seg.end = body, cut
            segs.insert(last + 1, hashes)
        return
    if not re.fullmatch(r"#+", seg.md):
        return
    before = "".join(s.md for s in segs[:last])
    if before and before[-1] in " \t":
        seg = segs[last]
        seg.md, seg.kind = "\\" + seg.md, "mapped"


def plain_segs(src: str, start: int, end: int) -> list[Seg] | None:
    """The finished segs of text that is only words (most paragraphs and cells): its one seg, made
    without a renderer — or None when the text needs one (an escape, a marker at the line start)."""
    if PLAIN_WORDS_RE.fullmatch(src, start, end) is None:
        return None
    md = src[start:end]
    if md[0] in "-=" or _LINE_START_RE.match(md):
        return None
    return [new_seg(OwnRun if " " in md or "_" in md else Seg, md, start, end, "plain", 0)]


def finish_segs(segs: list[Seg], first_line: bool = True) -> list[Seg]:
    """Trim whitespace at the ends (it shows as nothing) and escape block markers at line starts."""
    for order in (segs, reversed(segs)):
        for seg in order:
            if seg.kind == "markup":
                if seg.md:
                    break
                # a tag that shows as nothing: look through it
            elif seg.md.strip():
                break
            else:
                seg.md, seg.kind = "", "mapped"
    out: list[Seg] | None = None  # a new list only once a seg is split in two
    at_start = first_line
    for idx, seg in enumerate(segs):
        md = seg.md
        if at_start and md:
            if seg.kind != "markup":
                if not md.strip():
                    seg.md, seg.kind = "", "mapped"
                    if out is not None:
                        out.append(seg)
                    continue
                m = _LINE_START_RE.match(md) or (
                    md[0] in "-="
                    and _RULE_LINE_RE.match(_line_from(segs, idx))
                    and _ONE_CHAR.match(md)
                    or None
                )
                if m:
                    if out is None:
                        out = segs[:idx]
                    out.extend(_escape_start(seg, m.end()))
                    at_start = False
                    continue
            elif not md.strip():
                if out is not None:
                    out.append(seg)
                continue
            else:
                m = _LINE_START_RE.match(md)
                if m and md not in (
                    "*",
                    "**",
                    "~~",
                ):  # an opaque piece: its Markdown can simply be escaped
                    head = md[: m.end()]
                    seg.md = (
                        head[:-1] + "\\" + head[-1] if head[-1] in ".)" else "\\" + head
                    ) + md[m.end() :]
            at_start = False
        if out is not None:
            out.append(seg)
        if seg.md.endswith("\n"):
            at_start = True
    if out is None:
        out = segs
    for seg in reversed(out):
        if seg.md:
            if seg.md == "\\\n":
                seg.md = "\\"  # a trailing hard break cannot end a block
            break
    return out


def _escape_start(seg: Seg, n: int) -> list[Seg]:
    head = seg.md[:n]
    escaped = head[:-1] + "\\" + head[-1] if head[-1] in ".)" else "\\" + head
    if isinstance(seg, Run):  # the marker is (the start of) the run's first word
        rest = seg.md[n:]
        group = seg.group
        if type(seg) is OwnRun and rest[0] in " _":  # the first word was all marker
            group += PIECE_STRIDE
        return [
            Seg(escaped, seg.start, seg.start + n, "mapped", group=seg.group),
            type(seg)(rest, seg.start + n, seg.end, "plain", group=group),
        ]
    if seg.kind == "plain":
        first = Seg(escaped, seg.start, seg.start + n, "mapped", group=seg.group)
        if n < len(seg.md):
            return [first, Seg(seg.md[n:], seg.start + n, seg.end, "plain", group=seg.group)]
        return [first]
    return [Seg(escaped + seg.md[n:], seg.start, seg.end, "mapped", group=seg.group)]
