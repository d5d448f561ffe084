"""The agent's tools as JSON Schema (OpenAI ``tools`` format), usable by any framework.

``workbench agent --tools-json`` prints :func:`tools_json`. The read tools return compact text;
a large page is navigated with ``get_page_outline`` and ``get_section`` instead of being sent whole.
The propose tools never write: they create a proposal a person reviews hunk by hunk.
"""

from __future__ import annotations

import json
from typing import Any

PAGE_ID_PATTERN = "^[0-9]{1,19}$"  # ASCII digits only (str.isdigit also accepts "٦٥٥٣٩")
_PAGE_ID = {"type": "string", "pattern": PAGE_ID_PATTERN, "description": "Confluence page id (digits), e.g. \"65538\"."}

TOOL_SPECS: dict[str, dict[str, Any]] = {
    "list_spaces": {
        "description": "List the Confluence spaces you may use: key, name, type.",
        "parameters": {"type": "object", "properties": {}, "additionalProperties": False},
    },
    "search_pages": {
        "description": (
            "Search pages with CQL, e.g. 'type=page AND space=ENG AND text ~ \"deploy\"'. "
            "Returns one line per hit: page id, space, title, excerpt."
        ),
        "parameters": {
            "type": "object",
            "properties": {
                "cql": {"type": "string", "description": "A CQL query."},
                "limit": {"type": "integer", "minimum": 1, "maximum": 50, "default": 10},
            },
            "required": ["cql"],
            "additionalProperties": False,
        },
    },
    "get_page": {
        "description": (
            "Read a page as Markdown with its title, space, version, parent and ancestors, children and labels. "
            "A large page returns its outline instead; then read the part you need with get_section."
        ),
        "parameters": {
            "type": "object",
            "properties": {"page_id": _PAGE_ID},
            "required": ["page_id"],
            "additionalProperties": False,
        },
    },
    "get_page_outline": {
        "description": (
            "The headings of a page with section ids (s1, s2, ...) and sizes, plus its version. On a page "
            "with very many headings deeper levels are folded; pass section_id to list the headings inside one section."
        ),
        "parameters": {
            "type": "object",
            "properties": {
                "page_id": _PAGE_ID,
                "section_id": {"type": "string", "description": "Optional: only the headings inside this section."},
            },
            "required": ["page_id"],
            "additionalProperties": False,
        },
    },
    "get_section": {
        "description": "The Markdown of one section (heading plus its subsections) of a page, and the version.",
        "parameters": {
            "type": "object",
            "properties": {
                "page_id": _PAGE_ID,
                "section_id": {"type": "string", "description": "A section id from get_page_outline, e.g. \"s3\"."},
            },
            "required": ["page_id", "section_id"],
            "additionalProperties": False,
        },
    },
    "get_comments": {
        "description": (
            "The footer and inline comments of a page with their replies: comment id, author, date, the text an "
            "inline comment is anchored on and whether it is resolved."
        ),
        "parameters": {
            "type": "object",
            "properties": {"page_id": _PAGE_ID},
            "required": ["page_id"],
            "additionalProperties": False,
        },
    },
    "get_page_tree": {
        "description": (
            "The page tree of a space (space_key) or below one page (page_id): one line per page, indented, with "
            "ids. Paged: pass the offset the result names."
        ),
        "parameters": {
            "type": "object",
            "properties": {
                "space_key": {"type": "string"},
                "page_id": _PAGE_ID,
                "depth": {"type": "integer", "minimum": 1, "maximum": 6, "default": 2},
                "offset": {"type": "integer", "minimum": 0, "default": 0},
            },
            "additionalProperties": False,
        },
    },
    "get_versions": {
        "description": "A page's versions, newest first: number, date, author, version message.",
        "parameters": {
            "type": "object",
            "properties": {"page_id": _PAGE_ID},
            "required": ["page_id"],
            "additionalProperties": False,
        },
    },
    "diff_versions": {
        "description": "What changed in a page between two versions, as a unified diff of its Markdown.",
        "parameters": {
            "type": "object",
            "properties": {
                "page_id": _PAGE_ID,
                "from_version": {"type": "integer", "minimum": 1},
                "to_version": {"type": "integer", "minimum": 1, "description": "Default: the current version."},
            },
            "required": ["page_id", "from_version"],
            "additionalProperties": False,
        },
    },
    "propose_edit": {
        "description": (
            "Propose changes to a page. Each edit replaces the text 'old' with 'new'; 'old' must "
            "match exactly once in the Markdown of base_version (copy it from get_page or "
            "get_section, including enough surrounding words to be unique). Nothing is written: "
            "the person reviews the diff and decides."
        ),
        "parameters": {
            "type": "object",
            "properties": {
                "page_id": _PAGE_ID,
                "base_version": {"type": "integer", "minimum": 1, "description": "The version you read the text from."},
                "edits": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "properties": {
                            "old": {"type": "string", "description": "Exact existing Markdown text."},
                            "new": {"type": "string", "description": "Replacement Markdown text."},
                        },
                        "required": ["old", "new"],
                        "additionalProperties": False,
                    },
                },
                "summary": {"type": "string", "description": "One sentence: what changes and why."},
            },
            "required": ["page_id", "base_version", "edits", "summary"],
            "additionalProperties": False,
        },
    },
    "propose_page": {
        "description": (
            "Propose a new page. Give the space key and the parent page id exactly as you found "
            "them (never guess them); the person reviews it before anything is created."
        ),
        "parameters": {
            "type": "object",
            "properties": {
                "space_key": {"type": "string"},
                "parent_id": {
                    "type": ["string", "null"],
                    "pattern": PAGE_ID_PATTERN,
                    "description": "Parent page id (a real page in that space), or null for the space root.",
                },
                "title": {"type": "string"},
                "markdown": {"type": "string"},
                "labels": {"type": "array", "items": {"type": "string"}, "maxItems": 20},
                "draft": {"type": "boolean", "default": False, "description": "Create it unpublished."},
            },
            "required": ["space_key", "parent_id", "title", "markdown"],
            "additionalProperties": False,
        },
    },
    "propose_comment": {
        "description": "Propose a footer comment on a page; the person reviews it before it is posted.",
        "parameters": {
            "type": "object",
            "properties": {"page_id": _PAGE_ID, "markdown": {"type": "string"}},
            "required": ["page_id", "markdown"],
            "additionalProperties": False,
        },
    },
    "propose_reply": {
        "description": "Propose a reply to a footer or inline comment (ids from get_comments).",
        "parameters": {
            "type": "object",
            "properties": {"page_id": _PAGE_ID, "comment_id": {"type": "string"}, "markdown": {"type": "string"}},
            "required": ["page_id", "comment_id", "markdown"],
            "additionalProperties": False,
        },
    },
    "propose_labels": {
        "description": "Propose adding and/or removing labels of a page (lower case, no spaces).",
        "parameters": {
            "type": "object",
            "properties": {
                "page_id": _PAGE_ID,
                "add": {"type": "array", "items": {"type": "string"}, "maxItems": 20},
                "remove": {"type": "array", "items": {"type": "string"}, "maxItems": 20},
            },
            "required": ["page_id"],
            "additionalProperties": False,
        },
    },
}


def tool_schemas(names: frozenset[str] | set[str] | None = None) -> list[dict[str, Any]]:
    """The ``tools`` list for a Chat Completions request (only ``names`` when given)."""
    return [
        {"type": "function", "function": {"name": name, **spec}}
        for name, spec in TOOL_SPECS.items()
        if names is None or name in names
    ]


def tools_json(names: frozenset[str] | set[str] | None = None) -> str:
    return json.dumps(tool_schemas(names), indent=2)
