"""What a request sends, read for the routes: its JSON body (a clear 400 when it is none, not JSON,
not an object), the members of that body (text, ids, the storage value and its 5 MB limit), and
the query parameters (numbers, lists, ``expand``, ``body-format``). Every refusal is the 400 (or
413) Confluence gives, with words that say what was wrong."""

from __future__ import annotations

import json
from typing import Any, Literal, overload

from starlette.requests import Request

from workbench.emulator.errors import ApiError, bad_request


async def json_body(request: Request) -> Any:
    raw = await request.body()
    if not raw:
        raise bad_request("The request has no JSON body.")
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise bad_request(
            f"The request body is not valid JSON ({exc.__class__.__name__})."
        ) from None


@overload
def text_field(data: dict, name: str, *, required: Literal[True] = True) -> str: ...


@overload
def text_field(data: dict, name: str, *, required: bool) -> str | None: ...


def text_field(data: dict, name: str, *, required: bool = True) -> str | None:
    """A string member of a JSON body; a clear 400 when it is missing (if required) or not a string."""
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise bad_request(f"{name} is required.")
        return None
    if not isinstance(value, str):
        raise bad_request(f"{name} must be a string.")
    return value


@overload
def id_field(data: dict, name: str, *, required: Literal[True]) -> str: ...


@overload
def id_field(data: dict, name: str, *, required: bool = False) -> str | None: ...


def id_field(data: dict, name: str, *, required: bool = False) -> str | None:
    """An id member of a JSON body (a numeric string; numbers are accepted too)."""
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise bad_request(f"{name} is required.")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise bad_request(f'{name} must be an id such as "65537".')
    return str(value)


MAX_BODY = 5 * 1024 * 1024  # Confluence refuses bodies over 5 MB


def storage_value(body: object, *, v1: bool = False) -> str:
    """The storage XHTML in a request's ``body`` member: ``{"representation": "storage", "value": …}``
    (v2) or ``{"storage": {…}}`` (both; the only form with ``v1``). 400 when it is missing or another
    representation, 413 over 5 MB."""
    if isinstance(body, dict) and isinstance(body.get("storage"), dict):
        body = body["storage"]
    elif v1:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("value"), str):
        raise bad_request(
            "body.storage.value is required."
            if v1
            else 'The body must be {"representation": "storage", "value": "…"}.'
        )
    representation = body.get("representation", "storage")
    if representation != "storage":
        raise bad_request(
            f"Body representation '{representation}' is not accepted here; send 'storage'."
        )
    if len(body["value"].encode()) > MAX_BODY:
        raise ApiError(413, "REQUEST_ENTITY_TOO_LARGE", "The body is larger than 5 MB.")
    return body["value"]


def expand_param(request: Request) -> set[str]:
    """The v1 ``expand=a,b.c`` parameter as a set of names."""
    return {
        part.strip()
        for part in (request.query_params.get("expand") or "").split(",")
        if part.strip()
    }


def object_body(data: object) -> dict:
    if not isinstance(data, dict):
        raise bad_request("The request body must be a JSON object.")
    return data


@overload
def int_param(request: Request, name: str, default: int) -> int: ...


@overload
def int_param(request: Request, name: str, default: None = None) -> int | None: ...


def int_param(request: Request, name: str, default: int | None = None) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        number = int(raw)
    except ValueError:
        raise bad_request(f"The parameter '{name}' must be a number, not '{raw}'.") from None
    if abs(number) >= 2**63:
        raise bad_request(f"The parameter '{name}' is out of range.")
    return number


def list_param(request: Request, name: str) -> list[str]:
    """A comma-separated and/or repeated query parameter."""
    values: list[str] = []
    for raw in request.query_params.getlist(name):
        values += [v.strip() for v in raw.split(",") if v.strip()]
    return values


def int_list_param(request: Request, name: str) -> list[int]:
    try:
        numbers = [int(v) for v in list_param(request, name)]
    except ValueError:
        raise bad_request(f"The parameter '{name}' must list numeric ids.") from None
    if any(abs(n) >= 2**63 for n in numbers):
        raise bad_request(f"The parameter '{name}' lists an id that is out of range.")
    return numbers


def body_format_name(request: Request, allowed: tuple[str, ...] = ("storage",)) -> str | None:
    """The ``body-format`` asked for (None: no body); other known formats are refused plainly."""
    fmt = request.query_params.get("body-format")
    if fmt in (None, ""):
        return None
    if fmt not in allowed:
        raise bad_request(
            f"body-format '{fmt}' is not served by the local Confluence here; use "
            f"{' or '.join(repr(a) for a in allowed)}."
        )
    return fmt


def body_format(request: Request, allowed: tuple[str, ...] = ("storage",)) -> bool:
    """True when the storage body was asked for; other known formats are refused plainly."""
    fmt = request.query_params.get("body-format")
    if fmt in (None, ""):
        return False
    if fmt not in allowed:
        raise bad_request(
            f"body-format '{fmt}' is not served by the local Confluence; use 'storage'."
        )
    return True
