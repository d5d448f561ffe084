"""An issue's workflow: ``GET``/``POST /rest/api/{3,2}/issue/{key}/transitions``.

Shapes from the Jira Cloud platform spec (``Transitions``/``IssueTransition``; with
``expand=transitions.fields`` each transition's screen fields as ``FieldMetadata``). A transition
is answered 204; one the issue's status does not offer, or one whose screen has a required field
the request leaves out, is refused in Jira's words.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from workbench.emulator.http import store_of
from workbench.emulator.jira import fields as stored_fields
from workbench.emulator.jira import shapes
from workbench.emulator.jira.bodies import body_in
from workbench.emulator.jira.errors import JiraError
from workbench.emulator.jira.http import account_of, api_of, base_of, body_of, list_param


async def get_transitions(request: Request) -> Response:
    store = store_of(request)
    base, api = base_of(request), api_of(request)
    rows = store.jira_transitions_for(request.path_params["key"])
    return JSONResponse(
        {
            "expand": "transitions",
            "transitions": [
                {
                    "id": str(t["id"]),
                    "name": t["name"],
                    "to": shapes.status(
                        base,
                        api,
                        t["status_id"],
                        t["status_name"],
                        t["status_description"],
                        t["status_category"],
                    ),
                    "hasScreen": bool(stored_fields.screen_of(store, t["id"])),
                    "isGlobal": False,
                    "isInitial": False,
                    "isAvailable": True,
                    "isConditional": False,
                    "isLooped": False,
                }
                | (
                    {
                        "fields": {
                            f["field_id"]: stored_fields.field_metadata(
                                f["field_id"], bool(f["required"])
                            )
                            for f in stored_fields.screen_of(store, t["id"])
                        }
                    }
                    if "transitions.fields" in list_param(request, "expand")
                    else {}
                )
                for t in rows
            ],
        }
    )


async def do_transition(request: Request) -> Response:
    data = await body_of(request)
    transition = data.get("transition")
    ident = transition.get("id") if isinstance(transition, dict) else None
    if ident in (None, ""):
        raise JiraError(400, "Missing 'transition' identifier")
    store = store_of(request)
    stored = stored_fields.check_screen(store, str(ident), data)
    store.jira_transition(request.path_params["key"], str(ident))
    if stored:
        stored_fields.set_values(store, request.path_params["key"], stored)
    update = data.get("update")
    if isinstance(update, dict) and isinstance(update.get("comment"), list):
        for item in update["comment"]:
            if isinstance(item, dict) and isinstance(item.get("add"), dict):
                body = body_in(api_of(request), item["add"].get("body"), "comment")
                if body is not None:
                    store.jira_add_comment(request.path_params["key"], body, account_of(request))
    return Response(status_code=204)


def routes() -> list[tuple[str, Any, tuple[str, ...]]]:
    return [
        ("/issue/{key}/transitions", get_transitions, ("GET",)),
        ("/issue/{key}/transitions", do_transition, ("POST",)),
    ]
