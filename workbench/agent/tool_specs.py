"""The agent's tools as JSON Schema (OpenAI ``tools`` format), usable by any framework.

``workbench agent --tools-json`` prints :func:`tools_json`. The read tools return compact text;
a large page is navigated with ``get_page_outline`` and ``get_section`` instead of being sent whole.
The propose tools never write: they create a proposal a person reviews hunk by hunk.
"""

from __future__ import annotations

import json
from typing import Any

from workbench.agent.jira_specs import JIRA_WRITE_SPECS

PAGE_ID_PATTERN = "^[0-9]{1,19}$"  # ASCII digits only (str.isdigit also accepts "٦٥٥٣٩")
#: the largest id a client may send as a JSON number: JavaScript clients (the MCP Inspector, which
#: JSON-parses ``page_id=65539``) hold numbers as doubles, exact only up to 2**53 - 1; a longer id
#: must come as a string
MAX_NUMBER_ID = 2**53 - 1
#: an id: a string of ASCII digits, or a whole number (real MCP clients send ``65539``); a number is
#: taken as its digits (:func:`workbench.agent.validate.ids_as_text`) once the schema has passed it
_NUMBER_OR_TEXT = {"type": ["string", "integer"], "minimum": 0, "maximum": MAX_NUMBER_ID}
_PAGE_ID = {**_NUMBER_OR_TEXT, "pattern": PAGE_ID_PATTERN}

TOOL_SPECS: dict[str, dict[str, Any]] = {
    "list_spaces": {
        "description": "The spaces you may use: key, name, type.",
        "parameters": {"type": "object", "properties": {}, "additionalProperties": False},
    },
    "search_pages": {
        "description": (
            "Search pages with CQL, e.g. 'space=ENG AND text ~ \"deploy\"'. A line per hit: id, space, title."
        ),
        "parameters": {
            "type": "object",
            "properties": {
                "cql": {"type": "string"},
                "limit": {"type": "integer", "minimum": 1, "maximum": 50, "default": 10},
            },
            "required": ["cql"],
            "additionalProperties": False,
        },
    },
    "get_page": {
        "description": (
            "A page: title, space, version, parent path, children, labels, and its Markdown (a large page: its "
            "outline instead; then get_section). find: only the lines with these words, with their section ids."
        ),
        "parameters": {
            "type": "object",
            "properties": {"page_id": _PAGE_ID, "find": {"type": "string"}},
            "required": ["page_id"],
            "additionalProperties": False,
        },
    },
    "get_page_outline": {
        "description": (
            "A page's sections: ids (s1, s2; s0.3 for a part of long text), headings, sizes; section_id: only "
            "those inside it."
        ),
        "parameters": {
            "type": "object",
            "properties": {
                "page_id": _PAGE_ID,
                "section_id": {"type": "string"},
            },
            "required": ["page_id"],
            "additionalProperties": False,
        },
    },
    "get_section": {
        "description": "The Markdown of a section (with its subsections), or of a range of them: s3..s9.",
        "parameters": {
            "type": "object",
            "properties": {
                "page_id": _PAGE_ID,
                "section_id": {"type": "string"},
            },
            "required": ["page_id", "section_id"],
            "additionalProperties": False,
        },
    },
    "get_comments": {
        "description": "A page's footer and inline comments with replies: ids, authors, dates, anchored text.",
        "parameters": {
            "type": "object",
            "properties": {"page_id": _PAGE_ID},
            "required": ["page_id"],
            "additionalProperties": False,
        },
    },
    "get_page_tree": {
        "description": "The page tree of a space (space_key) or below a page (page_id), indented; paged by offset.",
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
    "get_history": {
        "description": (
            "A page's versions, newest first (number, date, author, message); from_version: a diff of "
            "its Markdown from there to to_version (default: current)."
        ),
        "parameters": {
            "type": "object",
            "properties": {
                "page_id": _PAGE_ID,
                "from_version": {"type": "integer", "minimum": 1},
                "to_version": {"type": "integer", "minimum": 1},
            },
            "required": ["page_id"],
            "additionalProperties": False,
        },
    },
    "list_attachments": {
        "description": "A page's attachments: id, name, type, size, version, date, in use or not.",
        "parameters": {
            "type": "object",
            "properties": {"page_id": _PAGE_ID},
            "required": ["page_id"],
            "additionalProperties": False,
        },
    },
    "view_image": {
        "description": (
            "Look at an image attached to a page (name as list_attachments gives it); it is sent to you as an "
            "image, scaled down if large."
        ),
        "parameters": {
            "type": "object",
            "properties": {"page_id": _PAGE_ID, "name": {"type": "string"}},
            "required": ["page_id", "name"],
            "additionalProperties": False,
        },
    },
    "propose_edit": {
        "description": (
            "Propose changes to a page: each 'old' (copied exactly from the Markdown of base_version, unique in "
            "it) becomes 'new'. The person reviews the diff."
        ),
        "parameters": {
            "type": "object",
            "properties": {
                "page_id": _PAGE_ID,
                "base_version": {"type": "integer", "minimum": 1},
                "edits": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "properties": {
                            "old": {"type": "string"},
                            "new": {"type": "string"},
                        },
                        "required": ["old", "new"],
                        "additionalProperties": False,
                    },
                },
                "summary": {"type": "string"},
            },
            "required": ["page_id", "base_version", "edits", "summary"],
            "additionalProperties": False,
        },
    },
    "propose_page": {
        "description": "Propose a new page; space_key and parent_id as you found them, never guessed.",
        "parameters": {
            "type": "object",
            "properties": {
                "space_key": {"type": "string"},
                "parent_id": {
                    **_PAGE_ID,
                    "type": ["string", "integer", "null"],
                    "description": (
                        "Parent page id (a real page in that space), "
                        "or null: under the space's homepage."
                    ),
                },
                "title": {"type": "string"},
                "markdown": {"type": "string"},
                "labels": {"type": "array", "items": {"type": "string"}, "maxItems": 20},
                "draft": {"type": "boolean", "default": False},
            },
            "required": ["space_key", "parent_id", "title", "markdown"],
            "additionalProperties": False,
        },
    },
    "propose_comment": {
        "description": "Propose a footer comment on a page, or a reply to one of its comments (reply_to: its id).",
        "parameters": {
            "type": "object",
            "properties": {
                "page_id": _PAGE_ID,
                "markdown": {"type": "string"},
                "reply_to": _NUMBER_OR_TEXT,
            },
            "required": ["page_id", "markdown"],
            "additionalProperties": False,
        },
    },
    "propose_move": {
        "description": "Propose moving a page under target_id (append) or next to it (before/after).",
        "parameters": {
            "type": "object",
            "properties": {
                "page_id": _PAGE_ID,
                "target_id": _PAGE_ID,
                "position": {"type": "string", "enum": ["append", "before", "after"]},
            },
            "required": ["page_id", "target_id"],
            "additionalProperties": False,
        },
    },
    "propose_copy": {
        "description": "Propose copying a page under parent_id; with_children: its tree (title: a prefix).",
        "parameters": {
            "type": "object",
            "properties": {
                "page_id": _PAGE_ID,
                "parent_id": _PAGE_ID,
                "title": {"type": "string"},
                "with_children": {"type": "boolean"},
            },
            "required": ["page_id", "parent_id"],
            "additionalProperties": False,
        },
    },
    "propose_rename": {
        "description": "Propose a new title for a page.",
        "parameters": {
            "type": "object",
            "properties": {"page_id": _PAGE_ID, "title": {"type": "string"}},
            "required": ["page_id", "title"],
            "additionalProperties": False,
        },
    },
    "propose_delete": {
        "description": "Propose moving a page to the trash (its children move up).",
        "parameters": {
            "type": "object",
            "properties": {"page_id": _PAGE_ID},
            "required": ["page_id"],
            "additionalProperties": False,
        },
    },
    "propose_attachment": {
        "description": "Propose a text file (csv, md, svg) to attach.",
        "parameters": {
            "type": "object",
            "properties": {
                "page_id": _PAGE_ID,
                "name": {"type": "string"},
                "text": {"type": "string"},
            },
            "required": ["page_id", "name", "text"],
            "additionalProperties": False,
        },
    },
    "propose_labels": {
        "description": "Propose labels to add to or remove from a page.",
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
    "jira_search": {
        "description": "Search Jira issues on this site with JQL. A line per issue: key, status, assignee, summary.",
        "parameters": {
            "type": "object",
            "properties": {
                "jql": {"type": "string"},
                "limit": {"type": "integer", "minimum": 1, "maximum": 50, "default": 10},
            },
            "required": ["jql"],
            "additionalProperties": False,
        },
    },
    "jira_get_issue": {
        "description": "A Jira issue: fields, links, description and comments as Markdown.",
        "parameters": {
            "type": "object",
            "properties": {"key": {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9_]*-[0-9]+$"}},
            "required": ["key"],
            "additionalProperties": False,
        },
    },
    "find_users": {
        "description": "Find people by name words, email or account id: name · email · id.",
        "parameters": {
            "type": "object",
            "properties": {"query": {"type": "string"}},
            "required": ["query"],
            "additionalProperties": False,
        },
    },
    "user_groups": {
        "description": "A person's groups (user: an id, or a name matching one person).",
        "parameters": {
            "type": "object",
            "properties": {"user": {"type": "string"}},
            "required": ["user"],
            "additionalProperties": False,
        },
    },
    "group_members": {
        "description": "A group's members, 50 at a time from start.",
        "parameters": {
            "type": "object",
            "properties": {
                "group": {"type": "string"},
                "start": {"type": "integer", "minimum": 0, "default": 0},
            },
            "required": ["group"],
            "additionalProperties": False,
        },
    },
    "propose_membership": {
        "description": (
            "Propose removing a person from a group (or adding); the person sees what the group "
            "reaches and approves."
        ),
        "parameters": {
            "type": "object",
            "properties": {
                "user": {"type": "string"},
                "group": {"type": "string"},
                "action": {"type": "string", "enum": ["remove", "add"], "default": "remove"},
                "summary": {"type": "string"},
            },
            "required": ["user", "group"],
            "additionalProperties": False,
        },
    },
}

TOOL_SPECS.update(JIRA_WRITE_SPECS)  # the Jira proposals (group jira_write), in their own module


def tool_schemas(
    names: frozenset[str] | set[str] | None = None, *, lean: bool = False
) -> list[dict[str, Any]]:
    """The ``tools`` list for a Chat Completions request (only ``names`` when given).

    ``lean``: without what only the argument check needs (``additionalProperties: false``, the
    page-id ``pattern``, the bounds ``minimum``/``maximum``/``minItems``/``maxItems``;
    :mod:`workbench.agent.validate` still refuses an unknown field, a non-digit id or a number or
    list out of bounds, with a message the model can act on) and the ``default`` values (a tool
    left without an optional argument takes its own default). The agent sends these with every
    request.
    """
    return [
        {"type": "function", "function": {"name": name, **(_lean(spec) if lean else spec)}}
        for name, spec in TOOL_SPECS.items()
        if names is None or name in names
    ]


def is_id(schema: Any) -> bool:
    """An id's schema: text or a whole number (:data:`_NUMBER_OR_TEXT`, maybe nullable)."""
    kinds = schema.get("type") if isinstance(schema, dict) else None
    return isinstance(kinds, list) and "string" in kinds and "integer" in kinds


_BOUNDS = ("minimum", "maximum", "minItems", "maxItems", "default")


def _lean(value: Any) -> Any:
    if isinstance(value, dict):
        if is_id(value):  # an id: the model is asked for digits as text
            kinds = [t for t in value["type"] if t != "integer"]
            rest = {
                k: v for k, v in value.items() if k not in ("type", "pattern", "minimum", "maximum")
            }
            return {"type": kinds[0] if len(kinds) == 1 else kinds, **rest}
        schema = "type" in value  # a schema (not a ``properties`` map, whose keys are names)
        return {
            k: _lean(v)
            for k, v in value.items()
            if not (k == "additionalProperties" and v is False) and not (schema and k in _BOUNDS)
        }
    if isinstance(value, list):
        return [_lean(v) for v in value]
    return value


def tools_json(names: frozenset[str] | set[str] | None = None) -> str:
    return json.dumps(tool_schemas(names), indent=2)
