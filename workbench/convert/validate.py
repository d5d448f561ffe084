"""Well-formedness of storage, for warnings to a person (the converter itself never needs it).

Storage fragments use undeclared ``ac:``/``ri:``/``at:`` prefixes and HTML named entities, so the
check wraps the fragment in a root that declares the namespaces and maps named entities to numeric
references before handing it to lxml.
"""

from __future__ import annotations

import html.entities
import re

_WRAP = (
    '<root xmlns:ac="http://atlassian.com/content" xmlns:ri="http://atlassian.com/resource/identifier" '
    'xmlns:at="http://atlassian.com/template">{}</root>'
)
_NAMED = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_XML_NAMED = {"amp", "lt", "gt", "quot", "apos"}


def _numeric(m: re.Match[str]) -> str:
    name = m.group(1)
    if name in _XML_NAMED:
        return m.group(0)
    code = html.entities.name2codepoint.get(name)
    return f"&#{code};" if code is not None else m.group(0)


def wrap_for_xml(storage: str) -> bytes:
    """The fragment as a standalone XML document lxml can parse."""
    return _WRAP.format(_NAMED.sub(_numeric, storage)).encode("utf-8")


def storage_problem(storage: str) -> str | None:
    """None when ``storage`` is well-formed; else lxml's description of the first problem."""
    # lazy, for start-up: lxml (with lxml) loads on first use
    from lxml import etree

    try:
        etree.fromstring(wrap_for_xml(storage))
    except etree.XMLSyntaxError as exc:
        # The wrapping root is ours, not the user's: leave it out of the message.
        message = re.sub(r"\s+and root\b.*$", "", str(exc.msg).split(", line")[0])
        return message.rstrip(" ,")
    return None
