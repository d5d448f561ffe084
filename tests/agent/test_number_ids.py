"""Ids sent as JSON numbers (what real MCP clients do: the Inspector JSON-parses ``page_id=65539``)
are taken as their digits once the schema passed them; anything else stays refused, and the model's
lean schemas still ask for digits as text."""

from __future__ import annotations

import jsonschema
import pytest

from workbench.agent.edits import ToolInputError
from workbench.agent.tool_specs import MAX_NUMBER_ID, TOOL_SPECS, tool_schemas
from workbench.agent.validate import check_arguments, ids_as_text


def test_a_whole_number_id_is_checked_then_taken_as_its_digits():
    for args in ({"page_id": 65539}, {"page_id": 65539.0}, {"page_id": "65539"}):
        check_arguments("get_page", args)
        assert ids_as_text("get_page", args) == {"page_id": "65539"}
    page = {"space_key": "ENG", "parent_id": 65538, "title": "t", "markdown": "m"}
    check_arguments("propose_page", page)
    assert ids_as_text("propose_page", page)["parent_id"] == "65538"
    assert ids_as_text("propose_page", {**page, "parent_id": None})["parent_id"] is None
    reply = {"page_id": 1, "markdown": "ok", "reply_to": 77}
    check_arguments("propose_comment", reply)
    assert ids_as_text("propose_comment", reply) == {
        "page_id": "1",
        "markdown": "ok",
        "reply_to": "77",
    }
    # numbers that are not ids are left alone (a version, a limit)
    edit = {"page_id": 12, "base_version": 3, "edits": [{"old": "a", "new": "b"}], "summary": "s"}
    assert ids_as_text("propose_edit", edit)["base_version"] == 3


@pytest.mark.parametrize(
    ("value", "says"),
    [
        (-1, 'page_id must be a page id of ASCII digits like "65538", not -1'),
        (
            MAX_NUMBER_ID + 1,
            f'page_id must be a page id of ASCII digits like "65538", not {MAX_NUMBER_ID + 1} '
            f"(an id above {MAX_NUMBER_ID} must be sent as a string of digits",
        ),
        (1.5, "page_id must be a string or an integer, not 1.5"),
        (True, "page_id must be a string or an integer, not true"),
        ("12a", 'page_id must be a page id of ASCII digits like "65538", not the string "12a"'),
    ],
)
def test_any_other_id_is_refused_with_what_to_send(value, says):
    with pytest.raises(ToolInputError) as info:
        check_arguments("get_page", {"page_id": value})
    assert says in info.value.message


def test_the_full_schemas_allow_numbers_and_the_lean_ones_still_ask_for_text():
    full = TOOL_SPECS["get_page"]["parameters"]
    jsonschema.validate({"page_id": 65539}, full)
    lean = {s["function"]["name"]: s["function"] for s in tool_schemas(lean=True)}
    assert lean["get_page"]["parameters"]["properties"]["page_id"] == {"type": "string"}
    parent = lean["propose_page"]["parameters"]["properties"]["parent_id"]
    assert parent["type"] == ["string", "null"] and "pattern" not in parent
    assert lean["propose_comment"]["parameters"]["properties"]["reply_to"] == {"type": "string"}


def test_a_comment_id_may_be_a_number_and_keeps_its_own_check():
    check_arguments("propose_comment", {"page_id": "1", "markdown": "m", "reply_to": 12})
    with pytest.raises(ToolInputError) as info:
        check_arguments("propose_comment", {"page_id": "1", "markdown": "m", "reply_to": -2})
    assert "reply_to must be an id of ASCII digits, not -2." in info.value.message
    # text is the tool's to check (it says "is not a comment id"), not the page-id pattern
    check_arguments("propose_comment", {"page_id": "1", "markdown": "m", "reply_to": "abc"})
