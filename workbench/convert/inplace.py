"""In-place edits of one inline construct: an image's alt text or file, a link's text or target.

When a change lies inside the Markdown of a single image or link, only the attribute or element it
names is rewritten: width, height, alignment, caption, ``ri:version-at-save``, a plain-text link body
and the way tags are spelled all stay. A new file name drops the old file's ``ri:version-at-save``
(that version number belongs to the other file). The result is accepted only when it reads back as
exactly the Markdown that was typed.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from workbench.convert.constructs import local_attachment, resource
from workbench.convert.heads import Edit, apply_edits, keyed_edits, set_attr
from workbench.convert.inline import InlineRenderer
from workbench.convert.placeholders import label, link_target, macro_params, url_part
from workbench.convert.segs import Seg
from workbench.convert.tokens import Node, attr_escape, decode_entities, parse, text_of, xml_escape

_IMAGE_MD = re.compile(r"^!\[((?:\\.|[^\\\]])*)\]\(([^()\s]*)\)$", re.S)
_LINK_MD = re.compile(r"^\[((?:\\.|[^\\\]])*)\]\(([^()\s]*)\)$", re.S)
_TARGET_MD = re.compile(r"^\]\(([^()\s]*)\)$")


def _plain(md: str) -> str | None:
    # lazy, for start-up: workbench.convert.splice loads on first use
    from workbench.convert.splice import md_to_plain

    return md_to_plain(md, "", "")


def _reads_as(source: str, md: str, table: bool) -> bool:
    root = parse(source)
    return "".join(s.md for s in InlineRenderer(source, table).run(root.children)) == md


def _resource_el(node: Node) -> Node | None:
    return next((c for c in node.children if c.kind == "el" and c.name.startswith("ri:")), None)


def _new_resource(url: str) -> str | None:
    res = resource(url)
    if res is not None:
        return res[0] or None
    if not url or any(c in url for c in "<>\"'"):
        return None
    return f'<ri:url ri:value="{attr_escape(url)}" />'


def _resource_edits(src: str, node: Node, url: str) -> list[Edit] | None:
    """Point ``node``'s ``ri:`` element at ``url``: the same kind of resource is edited in place."""
    ri = _resource_el(node)
    target, _, anchor = url.partition("#")
    res = resource(target) if target else None
    edits: list[Edit] = []
    if target and target == link_target(src, node).partition("#")[0]:
        pass  # the same resource (only the anchor changed)
    elif (
        ri is not None
        and ri.name == "ri:attachment"
        and (name := _attachment_name(target)) is not None
    ):
        tag = src[ri.start : ri.end]
        if ri.attrs.get("ri:filename", "") != name:
            tag = set_attr(tag, "ri:filename", name)
            tag = set_attr(tag, "ri:version-at-save", None)  # a version of the other file
        edits.append((ri.start, ri.end, tag))
    elif ri is not None and ri.name == "ri:url" and res is None and target:
        edits.append((ri.start, ri.end, set_attr(src[ri.start : ri.end], "ri:value", target)))
    else:
        new = _new_resource(target) if target else ""
        if new is None:
            return None
        if ri is not None:
            edits.append((ri.start, ri.end, new))
        else:
            edits.append((node.open_end, node.open_end, new))
    if node.name == "ac:link":
        if node.attrs.get("ac:anchor", "") != unquote(anchor):
            tag = set_attr(src[node.start : node.open_end], "ac:anchor", unquote(anchor) or None)
            edits.append((node.start, node.open_end, tag))
    elif anchor:
        return None
    return edits


def _as_attachment(new_md: str, pattern: re.Pattern[str]) -> str:
    """``new_md`` with a relative path target written as the ``attachment:name`` it stands for
    (``![d](img/d.png)`` → ``![d](attachment:d.png)``): how the edited element reads back, so the
    in-place edit (which keeps width, height, alignment, caption) is checked against that form."""
    m = pattern.match(new_md)
    if m is None:
        return new_md
    target, _, anchor = m.group(2).partition("#")
    name = local_attachment(target) if target else None
    if name is None:
        return new_md
    url = "attachment:" + url_part(name) + (f"#{anchor}" if anchor else "")
    return new_md[: m.start(2)] + url + new_md[m.end(2) :]


def _attachment_name(target: str) -> str | None:
    """The file an ``attachment:name`` target or a relative path names."""
    if target.startswith("attachment:"):
        return unquote(target[len("attachment:") :]) or None
    return local_attachment(target)


def edit_image(src: str, start: int, end: int, new_md: str, table: bool) -> str | None:
    new_md = _as_attachment(new_md, _IMAGE_MD)
    m = _IMAGE_MD.match(new_md)
    if m is None:
        return None
    alt = _plain(m.group(1))
    if alt is None:
        return None
    root = parse(src[start:end])
    node = root.children[0] if root.children and root.children[0].kind == "el" else None
    if node is None or node.name != "ac:image":
        return None
    piece = src[start:end]
    old_alt = " ".join((node.attrs.get("ac:alt") or node.attrs.get("ac:title") or "").split())

    edits: list[Edit] = []
    if alt != old_alt:
        attr = (
            "ac:alt" if node.attrs.get("ac:alt") or not node.attrs.get("ac:title") else "ac:title"
        )
        edits.append((0, node.open_end, set_attr(piece[: node.open_end], attr, alt or None)))
    if m.group(2) != link_target(piece, node):
        found = _resource_edits(piece, node, m.group(2))
        if found is None:
            return None
        edits.extend(found)
    if not edits:
        # nothing to change once a relative path is read as the attachment it names: keep it all
        return piece if _reads_as(piece, new_md, table) else None
    out = _apply_merged(piece, edits)
    return out if out is not None and _reads_as(out, new_md, table) else None


def _apply_merged(piece: str, edits: list[Edit]) -> str | None:
    """Apply non-overlapping edits to ``piece`` (None when two edits overlap)."""
    edits = sorted(edits)
    if any(x[1] > y[0] for x, y in zip(edits, edits[1:], strict=False)):
        return None
    return apply_edits(piece, 0, len(piece), edits)


def edit_link(src: str, start: int, end: int, new_md: str, table: bool) -> str | None:
    """A link shown whole (plain-text body or none): new text and/or target, tags kept."""
    new_md = _as_attachment(new_md, _LINK_MD)
    m = _LINK_MD.match(new_md)
    if m is None:
        return None
    text = _plain(m.group(1))
    if text is None:
        return None
    piece = src[start:end]
    root = parse(piece)
    node = root.children[0] if root.children and root.children[0].kind == "el" else None
    if node is None or node.name != "ac:link":
        return None

    edits: list[Edit] = []
    old_target = link_target(piece, node)
    target_edits: list[Edit] = []
    if m.group(2) != old_target:
        found = _resource_edits(piece, node, m.group(2))
        if found is None:
            return None
        target_edits = found
    plain = node.child("ac:plain-text-link-body")
    body = node.child("ac:link-body")
    if plain is not None:
        cdata = any(c.kind == "cdata" for c in plain.children)
        old_text = " ".join(text_of(piece, plain).split())
        if text != old_text:
            content = (
                "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"
                if cdata
                else xml_escape(text)
            )
            edits.append((plain.open_end, plain.close_start, content))
    elif body is None:
        if text != label(m.group(2)):
            pos = node.close_start if node.closed and not node.selfclosing else None
            if pos is None:
                return None
            edits.append((pos, pos, f"<ac:link-body>{xml_escape(text)}</ac:link-body>"))
    else:
        return None
    out = _apply_merged(piece, edits + target_edits)
    return out if out is not None and _reads_as(out, new_md, table) else None


def edit_link_target(src: str, left: Seg, right: Seg, new_link_md: str, table: bool) -> str | None:
    """A link with a rich body whose target changed: its open part (``ri:`` element, ``href``,
    ``ac:anchor``) is rewritten and the body stays. ``new_link_md`` is the link's Markdown with the old
    body and the new target. Returns the new source for the left seg's span."""
    cut = new_link_md.rfind("](")
    m = _TARGET_MD.match(new_link_md[cut:]) if cut >= 0 else None
    if m is None:
        return None
    url = m.group(1)
    piece = src[left.start : right.end]
    root = parse(piece)
    node = root.children[0] if root.children and root.children[0].kind == "el" else None
    if node is None:
        return None
    if node.name == "a":
        if url.startswith(("page:", "blog:", "attachment:", "user:", "space:", "#")) or any(
            c in url for c in "<>\"'"
        ):
            return None
        edits: list[Edit] | None = [
            (0, node.open_end, set_attr(piece[: node.open_end], "href", url))
        ]
    elif node.name == "ac:link":
        edits = _resource_edits(piece, node, url)
    else:
        return None
    left_len = left.end - left.start
    if not edits or any(e > left_len for _s, e, _t in edits):
        return None
    head = _apply_merged(piece[:left_len], edits)
    if head is None or not _reads_as(head + piece[left_len:], new_link_md, table):
        return None
    return head


_PLACEHOLDER_MD = re.compile(r"^⟦([^⟦⟧\n]*)⟧$")


def edit_placeholder(src: str, start: int, end: int, new_md: str, table: bool) -> str | None:
    """A placeholder whose text changed (``⟦status Green: Done⟧`` → ``⟦status Red: Blocked⟧``, a date, a
    Jira key, an anchor name): the parameter or attribute it shows is edited in the macro's source."""
    m = _PLACEHOLDER_MD.match(new_md)
    if m is None:
        return None
    piece = src[start:end]
    root = parse(piece)
    node = root.children[0] if root.children and root.children[0].kind == "el" else None
    if node is None:
        return None
    name, sep, value = m.group(1).partition(":")
    name, value = name.strip(), value.strip()
    edits: list[Edit]
    if node.name == "time":
        if name != "date" or not sep:
            return None
        edits = [(0, node.open_end, set_attr(piece[: node.open_end], "datetime", value))]
    elif node.name == "ac:structured-macro" and sep:
        macro = node.attrs.get("ac:name", "")
        params = dict(macro_params(piece, node))
        word, _, colour = name.partition(" ")
        if macro == "status" and word == "status":
            colour_key = "color" if "color" in params and "colour" not in params else "colour"
            pairs = [("title", value)] + ([(colour_key, colour.strip())] if colour.strip() else [])
            shown = {"title", "colour", "color"}
        elif name == macro and macro not in ("status",):
            if macro == "jira":
                key = "key" if "key" in params or "jqlQuery" not in params else "jqlQuery"
            elif macro == "anchor":
                key = "" if "" in params or "anchor" not in params else "anchor"
            else:
                key = "" if "" in params or "title" not in params else "title"
            pairs, shown = [(key, value)], {key}
        else:
            return None
        edits = keyed_edits(piece, node, "ac:parameter", "ac:name", pairs, lambda k, _v: k in shown)
    else:
        return None
    out = _apply_merged(piece, edits)
    return out if out is not None and _reads_as(out, new_md, table) else None


_ENTITY_AT = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def _source_offsets(raw: str) -> tuple[str, list[int]]:
    """The decoded text of a run of XML text and, per decoded character, its offset in ``raw``
    (one more entry for the end)."""
    text: list[str] = []
    offs: list[int] = []
    i = 0
    while i < len(raw):
        m = _ENTITY_AT.match(raw, i) if raw[i] == "&" else None
        if m:
            piece = decode_entities(m.group(0))
            for ch in piece:
                text.append(ch)
                offs.append(i)
            i = m.end()
        else:
            text.append(raw[i])
            offs.append(i)
            i += 1
    offs.append(len(raw))
    return "".join(text), offs


def edit_code_span(src: str, start: int, end: int, new_md: str, table: bool) -> str | None:
    """A code span whose text changed: only the changed characters of the ``<code>`` text are
    rewritten (entities and quotes elsewhere in it keep their spelling)."""
    m = re.fullmatch(r"(`+)(.*?)\1", new_md, re.S)
    if m is None:
        return None
    code = m.group(2)
    if len(code) >= 2 and code[0] == " " and code[-1] == " " and code.strip():
        code = code[1:-1]
    piece = src[start:end]
    root = parse(piece)
    node = root.children[0] if root.children and root.children[0].kind == "el" else None
    if (
        node is None
        or node.name != "code"
        or any(c.kind != "text" for c in node.children)
        or not node.closed
    ):
        return None
    raw = piece[node.open_end : node.close_start]
    old, offs = _source_offsets(raw)
    p = 0
    while p < min(len(old), len(code)) and old[p] == code[p]:
        p += 1
    s = 0
    while s < min(len(old), len(code)) - p and old[-1 - s] == code[-1 - s]:
        s += 1
    a, b = offs[p], offs[len(old) - s]
    new_raw = raw[:a] + xml_escape(code[p : len(code) - s]) + raw[b:]
    out = piece[: node.open_end] + new_raw + piece[node.close_start :]
    return out if _reads_as(out, new_md, table) else None
