"""Character-level splicing of an edited paragraph back into its source.

The old and new Markdown of a paragraph are compared word by word; every changed region that lies in
text (not in markup) is written into the source at exactly the bytes that produced it, XML-escaped. So
``&rsquo;`` elsewhere in the paragraph keeps its spelling and ``local-id`` and friends stay on the tag.
When a change touches markup (a link, bold, a placeholder), the paragraph's inline content is rendered
fresh, inside its original tag, with links and placeholders restored from the base.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from difflib import SequenceMatcher

from workbench.convert.fresh import Ctx, render_inline
from workbench.convert.mdsplit import heading_parts
from workbench.convert.segs import Seg, word_segs
from workbench.convert.tokens import is_balanced, xml_escape
from workbench.convert.units import Builder

_TOKEN_RE = re.compile(r"\w+|\s+|[^\w\s]")
_ENTITY_RE = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~⟦⟧")


def diff_regions(old: str, new: str) -> list[tuple[int, int, str]]:
    """Changed regions as ``(old_start, old_end, new_text)``, found word by word."""
    if old == new:
        return []
    p = 0
    limit = min(len(old), len(new))
    while p < limit and old[p] == new[p]:
        p += 1
    s = 0
    while s < limit - p and old[-1 - s] == new[-1 - s]:
        s += 1
    # widen to word boundaries so the diff below works on whole tokens
    while p > 0 and old[p - 1].isalnum():
        p -= 1
    while s > 0 and old[len(old) - s].isalnum():
        s -= 1
    o_mid, n_mid = old[p : len(old) - s], new[p : len(new) - s]
    ot, nt = _TOKEN_RE.findall(o_mid), _TOKEN_RE.findall(n_mid)
    if len(ot) * len(nt) > 400_000:
        return [(p, len(old) - s, n_mid)]
    o_off = [0]
    for t in ot:
        o_off.append(o_off[-1] + len(t))
    out = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, ot, nt, autojunk=False).get_opcodes():
        if tag != "equal":
            out.append((p + o_off[i1], p + o_off[i2], "".join(nt[j1:j2])))
    return out


def md_to_plain(text: str, before: str, after: str) -> str | None:
    """The literal text a piece of Markdown stands for, or None when it holds any markup."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            if i + 1 < n and text[i + 1] in _PUNCT:
                out.append(text[i + 1])
                i += 2
                continue
            if i + 1 >= n:
                return None
            out.append(c)
        elif c in "`*[]<⟦⟧\n":
            return None
        elif c == "_":
            prev = text[i - 1] if i else before
            nxt = text[i + 1] if i + 1 < n else after
            if not (prev.isalnum() and nxt.isalnum()):
                return None
            out.append(c)
        elif c == "~":
            prev = text[i - 1] if i else before
            nxt = text[i + 1] if i + 1 < n else after
            if prev == "~" or nxt == "~":
                return None
            out.append(c)
        elif c == "&" and _ENTITY_RE.match(text, i):
            return None
        elif c == "!" and i + 1 < n and text[i + 1] == "[":
            return None
        else:
            out.append(c)
        i += 1
    return "".join(out)


def _window(offs: list[int], x: int, y: int) -> range:
    """Indices of the segs whose Markdown touches positions ``x``…``y`` (``offs`` are their starts)."""
    return range(max(0, bisect_left(offs, x) - 1), min(len(offs) - 1, bisect_right(offs, y)))


def _splice(
    segs: list[Seg], offs: list[int], md: str, a: int, b: int, t: str
) -> tuple[int, int, str] | None:
    """One region → ``(src_start, src_end, replacement)``, or None when it touches markup."""
    A, B = a, b
    first = last = None
    for k in _window(offs, a, b):
        seg = segs[k]
        o, e = offs[k], offs[k + 1]
        if o == e:
            if seg.kind == "markup" and a < o < b:
                return None  # the region would swallow a tag
            continue
        if e <= a or o >= b:
            if not (a == b and o < a < e):
                continue
        if seg.kind == "markup":
            return None
        if seg.kind == "mapped":
            A, B = min(A, o), max(B, e)
        if first is None:
            first = k
        last = k
    if first is not None and last is not None:
        # mapped segs widened the region: make sure no zero-width tag got inside
        for k in range(first, last + 1):
            if offs[k] == offs[k + 1] and segs[k].kind == "markup" and A < offs[k] < B:
                return None
    replacement_md = md[A:a] + t + md[b:B]
    before = md[A - 1] if A > 0 else ""
    after = md[B] if B < len(md) else ""
    plain = md_to_plain(replacement_md, before, after)
    if plain is None:
        return None
    if A == B:  # pure insertion at a boundary
        pos = _boundary(segs, offs, A)
        if pos is None:
            return None
        return pos, pos, xml_escape(plain)
    s_start = _src_at(segs, offs, A, first, start=True)
    s_end = _src_at(segs, offs, B, last, start=False)
    if s_start is None or s_end is None or s_end < s_start:
        return None
    return s_start, s_end, xml_escape(plain)


def _src_at(segs: list[Seg], offs: list[int], pos: int, k: int | None, start: bool) -> int | None:
    if k is None:
        return None
    window = _window(offs, pos, pos)
    for j in window if start else reversed(window):
        o, e = offs[j], offs[j + 1]
        if o == e:
            continue
        if start and o <= pos < e:
            seg = segs[j]
            return seg.start + (pos - o) if seg.kind == "plain" else seg.start
        if not start and o < pos <= e:
            seg = segs[j]
            return seg.start + (pos - o) if seg.kind == "plain" else seg.end
    return None


def _boundary(segs: list[Seg], offs: list[int], pos: int) -> int | None:
    left = right = None
    for j in _window(offs, pos, pos):
        seg = segs[j]
        o, e = offs[j], offs[j + 1]
        if o == e:
            continue
        if o < pos < e:
            return seg.start + (pos - o) if seg.kind == "plain" else None
        if e == pos:
            left = seg
        if o == pos and right is None:
            right = seg
    if left is not None and left.kind != "markup":
        return left.end
    if right is not None and right.kind != "markup":
        return right.start
    if left is not None:
        return left.end
    if right is not None:
        return right.start
    return None


def merge_inline(unit, text: str, ctx: Ctx, body: str | None = None) -> str:
    """Storage for an inline unit (paragraph, heading, loose run, table cell) given its new Markdown
    (``body``: the new inline content, when the caller has taken it out of a heading already)."""
    src = ctx.src
    prefix = unit.prefix
    old = unit.md[len(prefix) :]
    if body is not None:
        new = body
    elif prefix:
        new = heading_parts(text)[1]
    else:
        new = text
    new = new.strip() if unit.tag is None else new
    segs = word_segs(unit.segs)
    offs = [0]
    for seg in segs:
        offs.append(offs[-1] + len(seg.md))
    edits = []
    regions = diff_regions(old, new)
    inside, rest = _by_construct(segs, offs, regions)
    for k, group in inside.items():
        e = _construct_edit(src, segs, offs, old, k, group, unit.table)
        if e is None:
            rest.extend(group)
        else:
            edits.append(e)
    for a, b, t in rest:
        e = _splice(segs, offs, old, a, b, t)
        if e is None:
            local = _local_rerender(unit, segs, offs, old, new, regions, ctx, text)
            if local is not None:
                return local
            return _rerender(unit, new, ctx, _kept_groups(segs, offs, regions, 0, len(old), src))
        edits.append(e)
    parts, pos = [], unit.start
    for s, e, rep in sorted(edits):
        if s < pos:
            return _rerender(unit, new, ctx, _kept_groups(segs, offs, regions, 0, len(old), src))
        parts.append(src[pos:s])
        parts.append(rep)
        pos = e
    parts.append(src[pos : unit.end])
    return "".join(parts)


def _by_construct(segs: list[Seg], offs: list[int], regions):
    """Regions lying inside one image, one link shown whole, or one link's ``](target)``, by seg."""
    inside: dict[int, list[tuple[int, int, str]]] = {}
    rest = []
    for a, b, t in regions:
        hit = None
        for k in _window(offs, a, b):
            o, e = offs[k], offs[k + 1]
            seg = segs[k]
            if seg.kind != "markup" or not (o <= a and b <= e) or (a == b and a in (o, e)):
                continue
            if (
                seg.key is not None and seg.md.startswith(("![", "[", "⟦", "`"))
            ) or seg.md.startswith("]("):
                hit = k
                break
        if hit is None:
            rest.append((a, b, t))
        else:
            inside.setdefault(hit, []).append((a, b, t))
    return inside, rest


def _construct_edit(
    src: str, segs: list[Seg], offs: list[int], md: str, k: int, group, table: bool
):
    # lazy, for start-up: workbench.convert.inplace loads on first use
    from workbench.convert.inplace import (
        edit_code_span,
        edit_image,
        edit_link,
        edit_link_target,
        edit_placeholder,
    )

    seg = segs[k]
    o = offs[k]
    new_md = seg.md
    for a, b, t in sorted(group, reverse=True):
        new_md = new_md[: a - o] + t + new_md[b - o :]
    if seg.md.startswith("]("):
        left = next(
            (j for j in range(k - 1, -1, -1) if segs[j].kind == "markup" and segs[j].md == "["),
            None,
        )
        if left is None:
            return None
        out = edit_link_target(src, segs[left], seg, md[offs[left] : o] + new_md, table)
        return None if out is None else (segs[left].start, segs[left].end, out)
    first = seg.md[:1]
    edit = {"!": edit_image, "⟦": edit_placeholder, "`": edit_code_span}.get(first, edit_link)
    out = edit(src, seg.start, seg.end, new_md, table)
    return None if out is None else (seg.start, seg.end, out)


def _kept_groups(
    segs: list[Seg], offs: list[int], regions, lo: int, hi: int, src: str
) -> list[tuple[int, int, str]]:
    """Pieces of markup (``<u>``, ``<span style>``, a link …) between old Markdown positions ``lo`` and
    ``hi`` that no region touches, as ``(new_start, new_end, source)`` for :func:`render_inline`."""
    groups: dict[int, list[int]] = {}
    for k, seg in enumerate(segs):
        if seg.group >= 0:
            groups.setdefault(seg.group, []).append(k)
    out = []
    for ks in groups.values():
        a, b = offs[ks[0]], offs[ks[-1] + 1]
        if a == b or a < lo or b > hi or not any(segs[k].kind == "markup" for k in ks):
            continue
        if any(ks[j + 1] != ks[j] + 1 for j in range(len(ks) - 1)):
            continue
        if any((ra < b and rb > a) or (ra == rb and a < ra < b) for ra, rb, _t in regions):
            continue
        shift = sum(len(t) - (rb - ra) for ra, rb, t in regions if rb <= a)
        start, end = min(segs[k].start for k in ks), max(segs[k].end for k in ks)
        out.append((a + shift, b + shift, src[start:end]))
    return out


def _rerender(unit, new: str, ctx: Ctx, kept: list[tuple[int, int, str]] | None = None) -> str:
    src = ctx.src
    inner = render_inline(new, ctx, kept)
    if kept and not is_balanced(inner):
        inner = render_inline(new, ctx)
    if not is_balanced(inner):
        plain = Ctx()
        plain.task_id = ctx.task_id
        inner = render_inline(new, plain)
    if unit.tag is None:
        return src[unit.start : unit.inner_start] + inner + src[unit.inner_end : unit.end]
    if unit.selfclosing:
        if not inner:
            return src[unit.start : unit.end]
        open_tag = re.sub(r"\s*/>$", ">", src[unit.start : unit.end])
        return f"{open_tag}{inner}</{unit.tag}>"
    return src[unit.start : unit.inner_start] + inner + src[unit.inner_end : unit.end]


def _local_rerender(
    unit, segs: list[Seg], offs: list[int], old: str, new: str, regions, ctx: Ctx, text: str
) -> str | None:
    """Re-render only the top-level inline pieces the change touches (a link, a bold run, a code span),
    keeping the source of everything around them. Accepted only when the result reads back as ``text``."""
    a = min(r[0] for r in regions)
    b = max(r[1] for r in regions)
    touched: set[int] = set()
    for k, seg in enumerate(segs):
        o, e = offs[k], offs[k + 1]
        if (o < b and e > a) or (o < a < e) or (o == e and a < o < b):
            touched.add(seg.group)
    if any(seg.group < 0 for seg in segs):
        return None
    picked = [k for k, seg in enumerate(segs) if seg.group in touched]
    if picked:
        A, B = min(a, offs[picked[0]]), max(b, offs[picked[-1] + 1])
        s_start, s_end = min(segs[k].start for k in picked), max(segs[k].end for k in picked)
    else:  # an insertion between two pieces
        pos = _boundary(segs, offs, a)
        if pos is None:
            return None
        A, B, s_start, s_end = a, b, pos, pos
    fragment = new[A : B + len(new) - len(old)]
    kept = [
        (s - A, e - A, source) for s, e, source in _kept_groups(segs, offs, regions, A, B, ctx.src)
    ]
    rendered = render_inline(fragment, ctx, kept) if fragment.strip() else ""
    src = ctx.src
    result = src[unit.start : s_start] + rendered + src[s_end : unit.end]
    if not is_balanced(result) or not _reads_as(result, text, ctx):
        return None
    return result


def _reads_as(storage: str, text: str, ctx: Ctx) -> bool:
    return Builder(storage, ctx.users).document().md() == text.strip()
