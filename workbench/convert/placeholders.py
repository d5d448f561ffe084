"""Where links point and how constructs without a Markdown form are shown: link targets
(``page:SPACE/Title`` …) and placeholders (``⟦status Green: On track⟧`` …)."""

from __future__ import annotations

from urllib.parse import unquote

from workbench.convert.tokens import Node, text_of


def placeholder_text(text: str) -> str:
    """Text safe inside ``⟦…⟧`` (single line, no closing bracket)."""
    return " ".join(text.replace("⟧", "]").replace("⟦", "[").split())


_URL_ESCAPES = str.maketrans({c: f"%{ord(c):02X}" for c in '%/ ()<>[]#?"\\\t\n\r'})


def url_part(text: str) -> str:
    """Percent-encode only what would break a Markdown link target (non-ASCII stays readable)."""
    return text.translate(_URL_ESCAPES)


def link_target(src: str, node: Node) -> str:
    """The Markdown target of an ``ac:link``/``ac:image`` resource (``page:SPACE/Title`` …)."""
    anchor = node.attrs.get("ac:anchor", "")
    target = ""
    for c in node.children:
        if c.kind != "el" or not c.name.startswith("ri:"):
            continue
        a = c.attrs
        if c.name == "ri:page":
            title = url_part(a.get("ri:content-title", ""))
            space = a.get("ri:space-key")
            target = f"page:{url_part(space)}/{title}" if space else f"page:{title}"
        elif c.name == "ri:blog-post":
            day = a.get("ri:posting-day", "").replace("/", "-")
            space = a.get("ri:space-key", "")
            target = f"blog:{url_part(space)}/{day}/{url_part(a.get('ri:content-title', ''))}"
        elif c.name == "ri:attachment":
            target = "attachment:" + url_part(a.get("ri:filename", ""))
        elif c.name == "ri:url":
            target = a.get("ri:value", "")
        elif c.name == "ri:user":
            target = "user:" + url_part(
                a.get("ri:account-id") or a.get("ri:username") or a.get("ri:userkey", "")
            )
        elif c.name == "ri:space":
            target = "space:" + url_part(a.get("ri:space-key", ""))
        elif c.name == "ri:shortcut":
            target = (
                f"shortcut:{url_part(a.get('ri:key', ''))}/{url_part(a.get('ri:parameter', ''))}"
            )
        else:
            target = c.name[3:] + ":"
        break
    if anchor:
        target = f"{target}#{url_part(anchor)}"
    return target.replace("(", "%28").replace(")", "%29").replace(" ", "%20")


def macro_params(src: str, node: Node) -> list[tuple[str, str]]:
    out = []
    for p in node.elements("ac:parameter"):
        link = p.child("ac:link")
        value = link_target(src, link) if link is not None else text_of(src, p)
        out.append((p.attrs.get("ac:name", ""), value))
    return out


def macro_placeholder(src: str, node: Node) -> str:
    name = node.attrs.get("ac:name", "macro")
    params = dict(macro_params(src, node))
    if name == "status":
        colour = params.get("colour") or params.get("color")
        title = placeholder_text(params.get("title", ""))
        return f"⟦status {colour}: {title}⟧" if colour else f"⟦status: {title}⟧"
    if name == "jira":
        main = params.get("key") or params.get("jqlQuery") or ""
    elif name == "anchor":
        main = params.get("") or params.get("anchor") or ""
    else:
        main = params.get("") or params.get("title") or ""
    main = placeholder_text(main)
    return f"⟦{name}: {main}⟧" if main else f"⟦{name}⟧"


def element_placeholder(src: str, node: Node) -> str:
    name = node.name
    if name == "ac:structured-macro":
        return macro_placeholder(src, node)
    if name == "ac:emoticon":
        short = node.attrs.get("ac:emoji-shortname", "").strip(":")
        return f"⟦:{placeholder_text(short or node.attrs.get('ac:name', 'emoticon'))}:⟧"
    if name == "time":
        return f"⟦date: {placeholder_text(node.attrs.get('datetime', ''))}⟧"
    if name == "ac:placeholder":
        return f"⟦placeholder: {placeholder_text(text_of(src, node))}⟧"
    if name == "ac:adf-extension":
        n = node.child("ac:adf-node")
        return f"⟦adf: {placeholder_text(n.attrs.get('type', '')) if n is not None else ''}⟧"
    return f"⟦{placeholder_text(name.split(':')[-1])}⟧"


def raw_placeholder(src: str, node: Node) -> str:
    """A placeholder holding (a readable prefix of) raw source: used for malformed or odd input."""
    if node.kind == "stray":
        return f"⟦/{placeholder_text(node.name.split(':')[-1])}⟧"
    return "⟦raw: " + placeholder_text(src[node.start : node.end])[:60].replace("<", "\\<") + "⟧"


def label(target: str) -> str:
    """Readable text for a body-less link: the title part of its target."""
    kind, _, rest = target.partition(":")
    path, _, anchor = rest.partition("#")
    last = unquote(path.rsplit("/", 1)[-1]) if path else ""
    if last and anchor:
        return f"{last}#{unquote(anchor)}"
    return last or (unquote(anchor) if anchor else kind)
