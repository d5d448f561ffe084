"""Tool arguments checked against the tool's JSON Schema (``jsonschema``) before anything runs.

The schema a tool offers the model (:data:`~workbench.agent.tool_specs.TOOL_SPECS`) is the contract:
a wrong type, a missing required field, an unknown field or a value out of range is refused with a
:class:`~workbench.agent.edits.ToolInputError` whose message names the field, what was expected and
what was sent, so the model can correct the call. Nothing is coerced (``limit="ten"`` is not turned
into a number, a dict ``markdown`` is not turned into its Python repr) but an id sent as a whole
number, which the schema allows (real MCP clients send ``"page_id": 65539``): once the arguments
passed, :func:`ids_as_text` gives the tools its digits.
"""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING, Any

from workbench.agent.edits import ToolInputError
from workbench.agent.tool_specs import MAX_NUMBER_ID, PAGE_ID_PATTERN, TOOL_SPECS, is_id

if TYPE_CHECKING:
    from jsonschema import ValidationError
    from jsonschema.protocols import Validator

_TYPE_WORDS = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "an object",
    "null": "null",
}
_MAX_SHOWN = 40
_MAX_ERRORS = 3


@cache
def _validator(name: str) -> Validator:
    # lazy, for start-up: jsonschema (with attr, attrs, idna …) loads on first use
    from jsonschema import Draft202012Validator

    schema = TOOL_SPECS[name]["parameters"]
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def check_arguments(name: str, args: dict[str, Any]) -> None:
    """Raise ``ToolInputError`` (one sentence per problem, at most three) unless ``args`` fit ``name``'s schema."""
    errors = sorted(
        _validator(name).iter_errors(args),
        key=lambda e: (list(map(str, e.absolute_path)), e.validator),
    )
    if not errors:
        return
    props = TOOL_SPECS[name]["parameters"].get("properties", {})
    sentences = list(dict.fromkeys(_explain(name, props, error) for error in errors))
    more = len(sentences) - _MAX_ERRORS
    text = " ".join(sentences[:_MAX_ERRORS]) + (
        f" ({more} more problem(s) not shown.)" if more > 0 else ""
    )
    raise ToolInputError(f"Invalid arguments for {name}: {text}")


def ids_as_text(name: str, args: dict[str, Any]) -> dict[str, Any]:
    """``args`` (already checked) with each id given as a number turned into its digits."""
    props = TOOL_SPECS[name]["parameters"].get("properties", {})
    return {
        key: str(int(value))  # 65539 and 65539.0 (JSON Schema's integers) → "65539"
        if isinstance(value, int | float) and not isinstance(value, bool) and is_id(props.get(key))
        else value
        for key, value in args.items()
    }


def _explain(name: str, props: dict[str, Any], error: ValidationError) -> str:
    where = _where(error)
    kind = error.validator
    value = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}
    if kind == "additionalProperties" and not error.absolute_path:
        extra = sorted(set(value) - set(props)) if isinstance(value, dict) else []
        return f"there is no argument {_names(extra)}; {name} takes {', '.join(props) or 'no arguments'}."
    if kind == "additionalProperties":
        allowed = ", ".join(schema.get("properties", {}))
        extra = (
            sorted(set(value) - set(schema.get("properties", {})))
            if isinstance(value, dict)
            else []
        )
        return f"{where} has no field {_names(extra)}; it takes {allowed}."
    if kind == "required":
        missing = [p for p in error.validator_value if isinstance(value, dict) and p not in value]
        if error.absolute_path:
            return f"{where} needs {_names(missing)}."
        if len(missing) == 1:
            description = props.get(missing[0], {}).get("description", "").rstrip(".")
            return f"{_names(missing)} is required" + (f": {description}." if description else ".")
        return f"{_names(missing)} are required."
    if kind == "type":
        wanted = error.validator_value
        types = [str(t) for t in (wanted if isinstance(wanted, list) else [wanted])]
        words = " or ".join(_TYPE_WORDS.get(t, t) for t in types)
        return f"{where} must be {words}, not {_shown(value)}."
    if kind == "pattern":
        if error.validator_value == PAGE_ID_PATTERN:
            nullable = "null" in (schema.get("type") or [])
            root = " or null (under the space's homepage)" if nullable else ""
            return (
                f'{where} must be a page id of ASCII digits like "65538"{root}, not {_shown(value)} '
                "(find ids with search_pages; never guess one)."
            )
        return f"{where} must match {error.validator_value}, not {_shown(value)}."
    if kind in ("minimum", "maximum") and is_id(schema):
        page = schema.get("pattern") == PAGE_ID_PATTERN
        what = 'a page id of ASCII digits like "65538"' if page else "an id of ASCII digits"
        return f"{where} must be {what}, not {_shown(value)}" + (
            f" (an id above {MAX_NUMBER_ID} must be sent as a string of digits: as a number it "
            "loses digits)."
            if kind == "maximum"
            else "."
        )
    if kind in ("minimum", "maximum"):
        low, high = schema.get("minimum"), schema.get("maximum")
        if low is not None and high is not None:
            return f"{where} must be between {low} and {high}, not {_shown(value)}."
        bound = "at least" if kind == "minimum" else "at most"
        return f"{where} must be {bound} {error.validator_value}, not {_shown(value)}."
    if kind == "minItems":
        return f"{where} must have at least {error.validator_value} item(s)."
    if kind == "maxItems":
        return f"{where} may have at most {error.validator_value} item(s), not {len(value)}."
    if kind == "minLength":
        return f"{where} must not be empty."
    if kind == "maxLength":
        return f"{where} may be at most {error.validator_value} characters long, not {len(value)}."
    if kind == "enum":
        return f"{where} must be one of {', '.join(map(json.dumps, error.validator_value))}, not {_shown(value)}."
    return f"{where}: {error.message}."


def _where(error: ValidationError) -> str:
    path = ""
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "the arguments"


def _names(names: list[str]) -> str:
    return ", ".join(f"'{n}'" for n in names) or "(none)"


def _shown(value: Any) -> str:
    """The value as JSON the model sent, shortened (never a Python repr)."""
    text = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        text = "the string " + text
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


def page_id_text(value: Any) -> str:
    """A page id the model sent, as text; anything but digits is refused."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()):
        raise ToolInputError(
            f"'{text}' is not a page id; page ids are digits (find them with search_pages)."
        )
    return text
