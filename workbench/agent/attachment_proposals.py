"""Proposals to attach a file the model wrote to a page: ``propose_attachment``.

The model writes text — a CSV table, a Markdown note, an SVG diagram, JSON, YAML… — and proposes it
as an attachment of a page or blog post: a new file, or, when the page has a file of that name, its
next version (the review says which, and shows the old text beside the new). Like every propose
tool this only builds a :class:`~workbench.agent.proposals.Proposal`; nothing is uploaded here. The
proposal's text is the file's text, so the review, the inbox and ``workbench proposals show`` show
it as a diff like any other proposal, with the name, size and type in its target line, and an SVG
described as a picture in the TUI's review (:mod:`workbench.tui.agent.file_preview`).

Bounded and checked before anything is proposed: a plain file name with a known text type
(:data:`TEXT_TYPES`), at most :data:`MAX_ATTACHMENT_BYTES` of UTF-8, and an SVG that is well-formed
XML with an ``<svg>`` root and no scripts, event handlers, ``javascript:`` links, external
references or entity declarations (the file will be served from the site). Applying
(:mod:`workbench.agent.apply_attachment`) is exactly once.
"""

from __future__ import annotations

import re

from workbench.agent.edits import ToolInputError
from workbench.agent.proposals import ATTACHMENT, Proposal
from workbench.agent.tool_host import ToolHost
from workbench.agent.world import one_line
from workbench.errors import WorkbenchError

#: The largest file the agent may propose (UTF-8 bytes): text a model writes, not a data dump.
MAX_ATTACHMENT_BYTES = 256 * 1024
#: The file types the agent may propose, by extension → media type (text the model can write).
TEXT_TYPES = {
    "txt": "text/plain",
    "log": "text/plain",
    "md": "text/markdown",
    "markdown": "text/markdown",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "json": "application/json",
    "yaml": "application/yaml",
    "yml": "application/yaml",
    "xml": "application/xml",
    "svg": "image/svg+xml",
    "puml": "text/plain",
    "mmd": "text/plain",
    "dot": "text/vnd.graphviz",
}
MAX_NAME = 255
_BAD_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_SVG_DECLARATIONS = re.compile(r"<!(?:ENTITY|DOCTYPE)", re.IGNORECASE)
_SVG_OUTSIDE = re.compile(r"""url\(\s*['"]?\s*(?!#)|@import""", re.IGNORECASE)
_SVG_ACTIVE = frozenset({"script", "foreignObject", "iframe", "embed", "object", "handler"})


def size_words(size: int) -> str:
    # lazy, for start-up: workbench.confluence.attachment_model loads on first use
    from workbench.confluence.attachment_model import size_text

    return size_text(size)


def check_name(name: object) -> tuple[str, str]:
    """``(name, media type)`` for a proposed file name, or a ToolInputError saying what is wrong."""
    if not isinstance(name, str) or not name.strip():
        raise ToolInputError("name is the file's name, e.g. latency.csv.")
    clean = name.strip()
    if _BAD_NAME.search(clean) or clean in (".", "..") or clean.startswith("."):
        raise ToolInputError(
            f"'{one_line(clean, 60)}' is not a plain file name (no folders, no \\ / : * ? \" < > |)."
        )
    if len(clean) > MAX_NAME:
        raise ToolInputError(f"A file name is at most {MAX_NAME} characters.")
    extension = clean.rsplit(".", 1)[-1].lower() if "." in clean else ""
    media = TEXT_TYPES.get(extension)
    if media is None:
        raise ToolInputError(
            f"'{one_line(clean, 60)}': only text files can be proposed, named "
            + ", ".join(f".{e}" for e in TEXT_TYPES)
            + "."
        )
    return clean, media


def check_content(content: object, media_type: str) -> str:
    """The file's text, checked: not empty, within the size cap, a safe SVG."""
    if not isinstance(content, str) or not content.strip():
        raise ToolInputError("text is the file's text, and it is empty.")
    size = len(content.encode("utf-8"))
    if size > MAX_ATTACHMENT_BYTES:
        raise ToolInputError(
            f"The file is {size:,} bytes; at most {MAX_ATTACHMENT_BYTES:,} can be proposed."
        )
    if media_type == "image/svg+xml":
        check_svg(content)
    return content


def check_svg(text: str) -> None:
    """A ToolInputError unless ``text`` is a well-formed SVG with nothing active in it: no entity or
    DOCTYPE declarations, no script/foreignObject/iframe/embed/object elements, no ``on…`` event
    attributes, and links and style ``url()``s only within the file (``#id``)."""
    if _SVG_DECLARATIONS.search(text):
        raise ToolInputError("The SVG declares a DOCTYPE or entities; a proposed image may not.")
    if _SVG_OUTSIDE.search(text):
        raise ToolInputError(
            "The SVG's styles load something from elsewhere (url(…) or @import); only url(#id) "
            "within the file is allowed in a proposed image."
        )
    # lazy, for start-up: lxml loads on first use
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        raise ToolInputError(
            f"The SVG is not well-formed XML ({one_line(str(exc), 80)})."
        ) from None
    if etree.QName(root).localname != "svg":
        raise ToolInputError("An SVG file's root element must be <svg>.")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # a comment or a processing instruction
        tag = etree.QName(element).localname
        if tag in _SVG_ACTIVE:
            raise ToolInputError(f"The SVG has a <{tag}> element; a proposed image may not.")
        for attribute, value in element.attrib.items():
            local = etree.QName(attribute).localname.lower()
            if local.startswith("on"):
                raise ToolInputError(
                    f"The SVG has an event handler ({local}); a proposed image may not."
                )
            if local == "href" and not value.strip().startswith("#"):
                raise ToolInputError(
                    f"The SVG links to {one_line(value, 40)!r}; only links within the file (#id) "
                    "are allowed in a proposed image."
                )


class AttachmentProposals(ToolHost):
    """``propose_attachment``."""

    async def _tool_propose_attachment(
        self, page_id: str, name: str, text: str, summary: str = ""
    ) -> Proposal:
        file_name, media_type = check_name(name)
        text = check_content(text, media_type)
        opened, key = await self.open(page_id)
        page = opened.page
        # a name the page has already: the proposal is that file's next version (the review says
        # so, with the old text beside the new)
        existing = await self.client.find_attachment(page.id, file_name, kind=page.type)
        size = len(text.encode("utf-8"))
        what = f"{file_name} ({size_words(size)}, {media_type})"
        before = ""
        if existing is not None:
            before = await self._current_text(existing)
            if before == text:
                raise ToolInputError(f"{file_name} already holds exactly this text.")
            told = f"New version of {what}: v{existing.version} \u2192 v{existing.version + 1}"
        else:
            told = f"Attach {what}"
        return Proposal(
            kind=ATTACHMENT,
            summary=summary.strip() or told,
            before=before,
            after=text,
            page_id=page.id,
            page_kind=page.type,
            title=page.title,
            space_key=key,
            file_name=file_name,
            media_type=media_type,
            replace_id=existing.id if existing is not None else None,
            replace_version=existing.version if existing is not None else None,
        )

    async def _current_text(self, existing) -> str:
        """The current version's text (the diff's "before"), or "" when it is not small UTF-8 text."""
        if existing.size > MAX_ATTACHMENT_BYTES:
            return ""
        try:
            raw = await self.client.attachment_bytes(existing, limit=MAX_ATTACHMENT_BYTES)
            return raw.decode("utf-8")
        except (WorkbenchError, UnicodeDecodeError):
            return ""
