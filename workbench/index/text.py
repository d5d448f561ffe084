"""A page's searchable text: the converter's Markdown with the Markdown taken out.

Going through the converter (not a tag stripper) means the index reads a page the way the viewer
shows it: mentions as ``@Name`` when the name is known, macros as their placeholders (``jira: ABC-1``,
``status: Done``), link text without targets, code with its content. Pure and fast (regular
expressions over the Markdown); the converter is loaded on first use.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_FENCE = re.compile(r"^\s*(`{3,}|~{3,}).*$", re.M)
_CONTAINER = re.compile(r"^\s*:{3,}\s*(\S*)(.*)$", re.M)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.M)
_QUOTE = re.compile(r"^(\s*>)+\s?", re.M)
_LIST = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?", re.M)
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$", re.M)
_IMAGE = re.compile(r"!\[([^\]]*)\]\((?:[^()\s]|\([^)]*\))*(?:\s+\"[^\"]*\")?\)")
_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()\s]|\([^)]*\))*(?:\s+\"[^\"]*\")?\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>")
_PLACEHOLDER = re.compile(r"⟦([^⟧]*)⟧")
_EMPHASIS = re.compile(
    r"\*\*|__|~~|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|(?<!\w)_(?=\S)|(?<=\S)_(?!\w)"
)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<:])")
_SPACE = re.compile(r"\s+")
# parameters of a container head (key="value") are not text a person reads
_PARAMS = re.compile(r'\b[\w-]+="[^"]*"')


def _container(match: re.Match[str]) -> str:
    """``::: expand title="Details"`` → ``Details`` (the title is shown; the macro name is not)."""
    titles = re.findall(r'title="([^"]*)"', match.group(2))
    return " ".join(titles)


def _placeholder(match: re.Match[str]) -> str:
    inner = match.group(1).strip()
    if inner.startswith("@"):
        return f" {inner} "  # a mention: the name (or the account id when it is not known)
    if ":" not in inner.strip(":") or inner.startswith(("/", "raw:", "anchor:", "adf:")):
        return " "  # a bare macro (toc, children), an emoticon, markers: nothing to read
    return f" {inner} "


def markdown_text(markdown: str) -> str:
    """The readable words of a Markdown document, on one line."""
    # here, not at the top: workbench.convert loads the whole converter, which this module defers
    from workbench.convert.alerts import ALERT_MARKER  # every alert kind the converter knows

    text = _FENCE.sub(" ", markdown)
    text = _CONTAINER.sub(_container, text)
    text = _TABLE_RULE.sub(" ", text)
    text = _HEADING.sub("", text)
    text = _QUOTE.sub("", text)
    text = ALERT_MARKER.sub(" ", text)
    text = _LIST.sub("", text)
    text = _IMAGE.sub(r" \1 ", text)
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _TAG.sub(" ", text)
    text = _PLACEHOLDER.sub(_placeholder, text)
    text = _EMPHASIS.sub("", text)
    text = text.replace("`", "").replace("|", " ")
    text = _ESCAPE.sub(r"\1", text)
    text = _PARAMS.sub(" ", text) if '="' in text else text
    return _SPACE.sub(" ", text).strip()


def page_text(storage: str, users: Mapping[str, str] | None = None) -> str:
    """The searchable text of a storage body (``users``: account id → name, for mentions)."""
    if not storage:
        return ""
    # lazy, for start-up: workbench.convert loads on first use
    from workbench.convert import storage_to_markdown

    return markdown_text(storage_to_markdown(storage, users=dict(users) if users else None))


def mentioned(storage: str) -> list[str]:
    """Account ids (DC: user keys) the storage mentions."""
    if "ri:user" not in storage:
        return []
    # lazy, for start-up: workbench.convert loads on first use
    from workbench.convert import mentioned_accounts

    return list(mentioned_accounts(storage))
