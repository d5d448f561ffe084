"""What a proposed attachment looks like, for the review (agent panel and inbox): its name, size and
type, and for an SVG image a preview of what it draws — its size, its shapes and its words.

No SVG rasteriser ships with the workbench (Pillow reads no SVG), so the picture is described, not
drawn; the file's whole text is in the diff below it. Every word comes from the model: it is shown
as text (``Text``), never as markup.
"""

from __future__ import annotations

from collections import Counter

from rich.text import Text

from workbench.agent.proposals import Proposal
from workbench.textsafe import printable

SHAPES = ("rect", "circle", "ellipse", "line", "polyline", "polygon", "path", "image", "use")
MAX_WORDS = 12


def file_preview(proposal: Proposal) -> Text:
    """A block for the review header: the file, and an SVG's picture in words."""
    # lazy, for start-up: workbench.confluence.attachment_model loads on first use
    from workbench.confluence.attachment_model import size_text

    data = proposal.after.encode("utf-8")  # the file as proposed (or as edited by hand)
    verb = (
        f"new version v{(proposal.replace_version or 0) + 1} of"
        if proposal.replace_version
        else "new file"
    )
    text = Text()
    text.append("📎 ", style="bold")
    text.append(printable(proposal.file_name), style="bold")
    text.append(f" · {size_text(len(data))} · {printable(proposal.media_type)} · {verb}\n")
    if proposal.media_type == "image/svg+xml":
        text.append(svg_summary(data) + "\n", style="italic")
    return text


def svg_summary(data: bytes) -> str:
    """``SVG image 120×40: 1 rect, 1 text — “Failover”`` (or why it cannot be described)."""
    # lazy, for start-up: lxml loads on first use
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return "SVG image: not well-formed XML"
    width, height = root.get("width"), root.get("height")
    box = root.get("viewBox")
    if width and height:
        size = f"{printable(width)}×{printable(height)}"
    elif box:
        size = f"viewBox {printable(box)}"
    else:
        size = "no size given"
    counts: Counter[str] = Counter()
    words: list[str] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        if name in SHAPES or name == "text":
            counts[name] += 1
        if name in ("text", "tspan", "title") and element.text and element.text.strip():
            words.append(" ".join(element.text.split()))
    drawn = ", ".join(f"{n} {name}" for name, n in counts.most_common()) or "nothing drawn"
    said = ""
    if words:
        shown = [printable(w)[:40] for w in words[:MAX_WORDS]]
        more = f" and {len(words) - MAX_WORDS} more" if len(words) > MAX_WORDS else ""
        said = " — " + ", ".join(f"“{w}”" for w in shown) + more
    return f"SVG image {size}: {drawn}{said}"
