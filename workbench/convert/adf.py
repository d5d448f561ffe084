"""ADF extensions (``ac:adf-extension``) that carry content.

- a node with ``ac:adf-content`` (an ADF panel …) is a container: ``::: adf:panel panel-type="note"``;
- a node whose children are item nodes with content (a decision list) is a container holding a list,
  one item per child node (its ``state`` and ``local-id`` stay in the source):

  ```markdown
  ::: adf:decision-list
  - We decided on the robin plan
  :::
  ```

The ``ac:adf-fallback`` copy is left as it was on edits; a decision list typed fresh gets one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.convert.blocks import ContainerUnit, Flow, ItemUnit, ListUnit
from workbench.convert.mdsplit import item_parts, split_blocks, split_items
from workbench.convert.placeholders import placeholder_text
from workbench.convert.tokens import Node, attr_escape, text_of

if TYPE_CHECKING:
    from workbench.convert.blocks import Unit
    from workbench.convert.fresh import Ctx
    from workbench.convert.units import Builder


def adf_head(src: str, adf: Node) -> str:
    attrs = " ".join(
        f'{a.attrs.get("key", "")}="{placeholder_text(text_of(src, a))}"'
        for a in adf.elements("ac:adf-attribute")
        if "id" not in a.attrs.get("key", "")
    )
    return f"adf:{adf.attrs.get('type', '')}" + (f" {attrs}" if attrs else "")


def build_adf(b: Builder, node: Node) -> Unit | None:
    adf = node.child("ac:adf-node")
    if adf is None:
        return None
    content = adf.child("ac:adf-content")
    if content is not None:
        flow = b.inner_flow(content, "body")
        return ContainerUnit(node.start, node.end, "div", adf_head(b.src, adf), flow, adf, "adf")
    items = _item_nodes(b.src, adf)
    if not items:
        return None
    units: list[Unit] = []
    for item in items:
        body = item.child("ac:adf-content")
        assert body is not None
        flow = b.flow(body.children, body.open_end, body.close_start, "item")
        units.append(ItemUnit(item.start, item.end, "-", None, flow, None))
    start, end = items[0].start, items[-1].end
    listing = ListUnit(start, end, "list", Flow(start, end, units, "rows"), False)
    listing.adf_item = items[0]
    inner = Flow(start, end, [listing], "body")
    return ContainerUnit(node.start, node.end, "div", adf_head(b.src, adf), inner, adf, "adf")


def _item_nodes(src: str, adf: Node) -> list[Node]:
    """The child item nodes of a list-like ADF node, each with content, one kind, side by side."""
    items: list[Node] = []
    for c in adf.children:
        if c.kind == "text" and not src[c.start : c.end].strip():
            continue
        if c.kind != "el":
            return []
        if c.name == "ac:adf-attribute" and not items:
            continue
        if c.name == "ac:adf-node" and c.child("ac:adf-content") is not None and c.closed:
            if items and c.attrs.get("type") != items[0].attrs.get("type"):
                return []
            items.append(c)
            continue
        if c.name == "ac:adf-fallback" and items:
            break
        return []
    return items


def _item_attributes(src: str, item: Node) -> str:
    """The attributes a new item copies from its neighbour (``state`` …; never an id)."""
    return "".join(
        src[a.start : a.end]
        for a in item.elements("ac:adf-attribute")
        if "id" not in a.attrs.get("key", "")
    )


def render_adf_item(text: str, ctx: Ctx, model: Node) -> str:
    # lazy, for start-up: workbench.convert.fresh loads on first use
    from workbench.convert.fresh import render_flow

    _marker, _task, body = item_parts(text)
    kind = attr_escape(model.attrs.get("type", ""))
    return (
        f'<ac:adf-node type="{kind}">{_item_attributes(ctx.src, model)}'
        f"<ac:adf-content>{render_flow(body, ctx, loose=True)}</ac:adf-content></ac:adf-node>"
    )


def render_decision_list(body: str, ctx: Ctx) -> str | None:
    """A decision list typed fresh (``::: adf:decision-list`` around a bulleted list)."""
    # lazy, for start-up: workbench.convert.fresh loads on first use
    from workbench.convert.fresh import render_flow

    blocks = split_blocks(body)
    if len(blocks) != 1 or blocks[0].kind != "list":
        return None
    nodes, fallback = [], []
    for item in split_items(blocks[0].text):
        inner = render_flow(item_parts(item)[2], ctx, loose=True)
        nodes.append(
            '<ac:adf-node type="decision-item"><ac:adf-attribute key="state">DECIDED</ac:adf-attribute>'
            f"<ac:adf-content>{inner}</ac:adf-content></ac:adf-node>"
        )
        fallback.append(f"<li>{inner}</li>")
    return (
        '<ac:adf-extension><ac:adf-node type="decision-list">' + "".join(nodes) + "</ac:adf-node>"
        '<ac:adf-fallback><ul class="decision-list">'
        + "".join(fallback)
        + "</ul></ac:adf-fallback></ac:adf-extension>"
    )
