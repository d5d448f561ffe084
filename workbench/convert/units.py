"""The block model: storage read into units (blocks, list items, table rows) that know their Markdown
and their exact source span. Building it is the storage → Markdown direction."""

from __future__ import annotations

import re

from workbench.convert.alerts import ALERT_OF_PANEL
from workbench.convert.blocks import (
    ContainerUnit,
    Flow,
    InlineUnit,
    ItemUnit,
    ListUnit,
    OpaqueUnit,
    Unit,
)
from workbench.convert.codeblocks import CODE_MACROS, macro_unit, pre_unit
from workbench.convert.heads import element_head, macro_head, param_text
from workbench.convert.inline import BLOCK_TAGS, INLINE_MACROS, InlineRenderer
from workbench.convert.inline_finish import escape_closing_hashes, finish_segs, plain_segs
from workbench.convert.mdsplit import split_blocks
from workbench.convert.placeholders import (
    element_placeholder,
    macro_params,
    placeholder_text,
    raw_placeholder,
)
from workbench.convert.segs import Seg
from workbench.convert.tokens import NON_SPACE, Node, is_blank, parse_tree, text_of

_PARAGRAPH_RE = re.compile(r"^(p|h[1-6])$")
FLOW_BLOCKS = BLOCK_TAGS | {"tr", "td", "th", "li", "ac:task"}


class Builder:
    """Reads a storage document into units; collects restorable constructs into ``registry``."""

    def __init__(self, src: str, users: dict[str, str] | None = None) -> None:
        self.src = src
        self.users = users
        self.all_closed = False  # known once the document is parsed: no element was left open
        self.registry: dict[
            str, list[tuple[int, str, bool]]
        ] = {}  # md -> [(pos, source, is_block)]

    def register(self, md: str, start: int, end: int, block: bool = False) -> None:
        self.registry.setdefault(md, []).append((start, self.src[start:end], block))

    def document(self) -> Flow:
        root, self.all_closed = parse_tree(self.src)
        return self.flow(root.children, 0, len(self.src), "top")

    # -- flows -------------------------------------------------------------------------------------
    def is_block(self, node: Node) -> bool:
        if node.kind == "el":
            if node.name == "ac:structured-macro":
                return node.attrs.get("ac:name", "") not in INLINE_MACROS
            return node.name in FLOW_BLOCKS
        return node.kind in ("comment", "pi", "decl")

    def flow(self, children: list[Node], inner_start: int, inner_end: int, context: str) -> Flow:
        units: list[Unit] = []
        run: list[Node] = []
        if not self.all_closed and not all([c.closed for c in children]):  # only malformed pages
            children = self.split_unclosed(children)
        src, non_space = self.src, NON_SPACE.search
        for c in children:
            kind = c.kind
            if kind == "text":  # (whitespace before a run is dropped by flush anyway)
                if run or non_space(src, c.start, c.end):
                    run.append(c)
            elif (
                (
                    c.name in FLOW_BLOCKS
                    if c.name != "ac:structured-macro"
                    else c.attrs.get("ac:name", "") not in INLINE_MACROS
                )
                if kind == "el"
                else kind in ("comment", "pi", "decl")
            ):  # a block (as is_block tells, spelled out: this is the loop over every node)
                if run:
                    self.flush(run, units)
                    run = []
                units.append(self.block(c))
            else:
                run.append(c)
        if run:
            self.flush(run, units)
        for i in range(1, len(units)):
            prev, unit = units[i - 1], units[i]
            if (
                isinstance(prev, ListUnit)
                and isinstance(unit, ListUnit)
                and prev.ordered == unit.ordered
            ):
                unit.alternate(prev)  # two lists side by side: another marker keeps them two
        return Flow(inner_start, inner_end, units, context)

    def split_unclosed(self, children: list[Node]) -> list[Node]:
        """An unclosed ``<p>`` ends where the first block inside it starts (as in HTML); what follows
        is read as the paragraph's siblings."""
        out: list[Node] = []
        todo = list(reversed(children))
        while todo:
            c = todo.pop()
            cut = self.unclosed_paragraph_end(c)
            if cut is not None:
                head = Node(
                    "el",
                    c.start,
                    c.children[cut].start,
                    name=c.name,
                    attrs=c.attrs,
                    open_end=c.open_end,
                )
                head.close_start, head.children, head.closed = head.end, c.children[:cut], False
                todo.extend(reversed(c.children[cut:]))
                c = head
            out.append(c)
        return out

    def unclosed_paragraph_end(self, node: Node) -> int | None:
        """For an unclosed ``<p>``/heading holding blocks: the index of its first block child."""
        if (
            node.kind != "el"
            or node.closed
            or node.selfclosing
            or not _PARAGRAPH_RE.match(node.name)
        ):
            return None
        return next(
            (i for i, c in enumerate(node.children) if c.kind == "el" and self.is_block(c)), None
        )

    def flush(self, run: list[Node], units: list[Unit]) -> None:
        src = self.src
        while run and is_blank(src, run[0]):
            run = run[1:]
        while run and is_blank(src, run[-1]):
            run = run[:-1]
        if not run:
            return
        first = run[0]
        if (
            first.kind == "el"
            and first.name == "ac:image"
            and all((n.kind == "el" and n.name == "ac:image") or is_blank(src, n) for n in run)
        ):
            # images outside a paragraph are blocks of their own (Confluence shows each on its own line)
            for n in run:
                if n.kind == "el":
                    image = InlineUnit(n.start, n.end, n.start, n.end, self.finished([n]))
                    image.bare_image = True
                    units.append(image)
            return
        start, end = run[0].start, run[-1].end
        if run[0].kind == "text":
            t = src[run[0].start : run[0].end]
            start += len(t) - len(t.lstrip())
        if run[-1].kind == "text":
            t = src[run[-1].start : run[-1].end]
            end -= len(t) - len(t.rstrip())
        segs = self.finished(run, start=start, end=end)
        unit = InlineUnit(start, end, start, end, segs)
        if not unit.md.strip():  # only tags that show as nothing: keep them visible and restorable
            first = next((n for n in run if n.kind == "el"), run[0])
            md = (
                element_placeholder(self.src, first)
                if first.kind == "el"
                else raw_placeholder(self.src, first)
            )
            self.register(md, start, end, True)
            units.append(OpaqueUnit(start, end, md))
            return
        units.append(unit)

    def finished(
        self,
        nodes: list[Node],
        table: bool = False,
        start: int | None = None,
        end: int | None = None,
    ) -> list[Seg]:
        """The finished segs of inline ``nodes`` (see :meth:`inline`)."""
        if len(nodes) == 1 and nodes[0].kind == "text":  # words only: one seg, no renderer
            node = nodes[0]
            segs = plain_segs(
                self.src,
                node.start if start is None else max(node.start, start),
                node.end if end is None else min(node.end, end),
            )
            if segs is not None:
                return segs
        return finish_segs(self.inline(nodes, table, start, end))

    def inline(self, nodes: list[Node], table: bool = False, start=None, end=None) -> list[Seg]:
        renderer = InlineRenderer(self.src, table, self.users)
        segs = renderer.run(nodes, start, end)
        for md, s, e in renderer.constructs:
            self.register(md, s, e)
        for md, s, e in renderer.keyed:
            self.register(md, s, e)
        return segs

    # -- blocks ------------------------------------------------------------------------------------
    def block(self, node: Node) -> Unit:
        src = self.src
        if node.kind != "el":
            segs = InlineRenderer(src).run([node])
            md = segs[0].md if len(segs) == 1 else raw_placeholder(src, node)
            self.register(md, node.start, node.end, True)
            return OpaqueUnit(node.start, node.end, md)
        name = node.name
        if name == "p" or (len(name) == 2 and name[0] == "h" and name[1] in "123456"):
            return self.paragraph(node)
        if name in ("ul", "ol"):
            items = node.elements()
            if items and all(i.name == "li" for i in items) and self.only_ws_text(node):
                return self.listing(node, ordered=name == "ol")
        if name == "ac:task-list":
            items = node.elements()
            tasks = all(i.name == "ac:task" and i.child("ac:task-body") for i in items)
            if items and tasks and self.only_ws_text(node):
                return self.listing(node, ordered=False, tasks=True)
        if name == "table":
            # imported here, not at the top: workbench.convert.tables imports this module (a cycle)
            from workbench.convert.tables import build_table

            return build_table(self, node)
        if name == "blockquote":
            return ContainerUnit(
                node.start, node.end, "quote", "", self.inner_flow(node, "body"), node
            )
        if name == "hr":
            return OpaqueUnit(node.start, node.end, "---", "hr")
        if name == "pre":
            code = pre_unit(src, node)
            if code is not None:
                return code
        if name == "ac:structured-macro":
            return self.macro(node)
        if name == "ac:adf-extension":
            # lazy, for start-up: workbench.convert.adf loads on first use
            from workbench.convert.adf import build_adf

            unit = build_adf(self, node)
            if unit is not None:
                return unit
        if name in FLOW_BLOCKS and name not in ("ac:adf-extension",):
            return ContainerUnit(
                node.start, node.end, "div", element_head(node), self.inner_flow(node, "body"), node
            )
        md = element_placeholder(src, node)
        self.register(md, node.start, node.end, True)
        return OpaqueUnit(node.start, node.end, md)

    def only_ws_text(self, node: Node) -> bool:
        """Elements and whitespace only (a loop, not all() over a generator: every list and row)."""
        src, non_space = self.src, NON_SPACE.search
        for c in node.children:
            if c.kind != "el" and (c.kind != "text" or non_space(src, c.start, c.end)):
                return False
        return True

    def inner_flow(self, node: Node, context: str) -> Flow:
        return self.flow(node.children, node.open_end, node.close_start, context)

    def paragraph(self, node: Node) -> Unit:
        prefix = "#" * int(node.name[1]) + " " if node.name != "p" else ""
        segs = self.finished(node.children)
        if prefix:
            escape_closing_hashes(segs)
        md = segs[0].md if len(segs) == 1 else "".join([s.md for s in segs])
        if ("\n" in md and (prefix or not _one_block(md, "para"))) or _holds_block(node.children):
            # a heading with a line break (or a paragraph that would read back as several blocks)
            return ContainerUnit(
                node.start, node.end, "div", element_head(node), self.inner_flow(node, "body"), node
            )
        if not md.strip():
            if node.name == "p":
                segs = segs + [Seg("⟦empty⟧", node.open_end, node.open_end, "markup")]
                md += "⟦empty⟧"
            else:
                prefix = prefix.rstrip()
        return InlineUnit(
            node.start,
            node.end,
            node.open_end,
            node.close_start,
            segs,
            node.name,
            prefix,
            node.selfclosing,
            md,
        )

    def listing(self, node: Node, ordered: bool, tasks: bool = False) -> ListUnit:
        src = self.src
        items: list[Unit] = []
        number = 1
        if ordered:
            try:
                number = int(node.attrs.get("start", "1"))
            except ValueError:
                number = 1
        for li in node.elements():
            if tasks:
                body = li.child("ac:task-body")
                assert body is not None  # checked by the caller
                status = li.child("ac:task-status")
                state = (
                    "x"
                    if status is not None and text_of(src, status).strip() == "complete"
                    else " "
                )
                flow = self.flow(body.children, body.open_end, body.close_start, "item")
                items.append(ItemUnit(li.start, li.end, "-", state, flow, status))
            else:
                flow = self.flow(li.children, li.open_end, li.close_start, "item")
                items.append(
                    ItemUnit(li.start, li.end, f"{number}." if ordered else "-", None, flow, None)
                )
                number += 1
        flow = Flow(node.open_end, node.close_start, items, "rows")
        unit = ListUnit(node.start, node.end, "tasklist" if tasks else "list", flow, ordered)
        if ordered:
            unit.first_number = (
                int(node.attrs.get("start", "1")) if node.attrs.get("start", "1").isdigit() else 1
            )
            unit.open_end = node.open_end
        return unit

    def macro(self, node: Node) -> Unit:
        src = self.src
        name = node.attrs.get("ac:name", "")
        params = macro_params(src, node)
        plain = node.child("ac:plain-text-body")
        rich = node.child("ac:rich-text-body")
        if rich is None and (name in CODE_MACROS or plain is not None):
            return macro_unit(src, node, name, params, plain)
        if rich is not None and plain is None:
            flow = self.flow(rich.children, rich.open_end, rich.close_start, "body")
            if name in ALERT_OF_PANEL:
                title = dict(params).get("title", "")
                head = f"[!{ALERT_OF_PANEL[name]}]" + (
                    f" {placeholder_text(title)}" if title else ""
                )
                return ContainerUnit(node.start, node.end, "alert", head, flow, node, "macro")
            head = macro_head(name) + param_text(params)
            return ContainerUnit(node.start, node.end, "div", head, flow, node, "macro")
        md = element_placeholder(src, node)
        self.register(md, node.start, node.end, True)
        return OpaqueUnit(node.start, node.end, md)


def _holds_block(nodes: list[Node]) -> bool:
    for c in nodes:
        if c.kind == "el" and c.name in FLOW_BLOCKS:
            return True
    return False


def _one_block(md: str, kind: str) -> bool:
    blocks = split_blocks(md)
    return len(blocks) == 1 and blocks[0].kind == kind and blocks[0].text == md
