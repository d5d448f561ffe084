"""Errors the local Confluence answers with; the HTTP layer turns them into v1 or v2 error bodies."""

from __future__ import annotations


class ApiError(Exception):
    """A request Confluence would refuse: an HTTP status, a v2 error code and a message."""

    def __init__(self, status: int, code: str, message: str, *, current: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.current = current  # a 409's current version (the v1 body words it differently)


def not_found(what: str = "The requested resource") -> ApiError:
    return ApiError(
        404, "NOT_FOUND", f"{what} could not be found or you do not have permission to view it."
    )


def bad_request(message: str) -> ApiError:
    return ApiError(400, "INVALID_REQUEST_PARAMETER", message)


def version_conflict(current: int, provided: int | None) -> ApiError:
    return ApiError(
        409,
        "CONFLICT",
        "Version must be incremented when updating a page. "
        f"Current Version: [{current}]. Provided version: [{provided}]",
        current=current,
    )
