"""What a failed model call says: :class:`ProviderError` (``retryable``, the status, the wait the
server asked for) and :func:`explain`, which turns what the ``openai`` SDK or the transport raised
into a plain message — a timeout, a rate limit or an unavailable endpoint with its ``Retry-After``,
a rejected key, an unknown model, an HTML error page, a connection that broke mid-answer — never
echoing headers or the key."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from workbench.agent.dialects import describe_wait, retry_after_seconds
from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.agent.model import ModelConfig


class ProviderError(WorkbenchError):
    """The model endpoint failed; ``retryable`` says whether trying again may help.

    ``retry_after`` is the wait the server asked for (seconds), when it said one; ``reason`` is the
    message without its advice (for "waiting N s" notes).
    """

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        retryable: bool = True,
        status: int | None = None,
        retry_after: float | None = None,
        reason: str = "",
    ) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.status = status
        self.retry_after = retry_after
        self.reason = reason or message


def explain(exc: Exception, config: ModelConfig, *, mid_answer: bool = False) -> ProviderError:
    """A plain message for a provider failure (never echoing headers or the key)."""
    # lazy, for start-up: openai (with annotated_types, anyio, backports …) loads on first use
    import openai

    name = type(exc).__name__
    if "Timeout" in name:  # openai.APITimeoutError and the transport's own timeouts
        return ProviderError(
            f"The model at {config.shown_url} did not answer within {config.request_timeout:g} s "
            "([agent] request_timeout). Retry, or raise request_timeout for a slow local model."
        )
    if mid_answer and not _is_status(exc):
        return ProviderError(f"The connection to the model broke mid-answer ({name}). Retry.")
    where = config.describe
    if isinstance(exc, openai.RateLimitError):
        after = _retry_after(exc)
        reason = f"The model endpoint is rate limiting requests (429) for {where}."
        return ProviderError(
            reason + _wait_words(after), status=429, retry_after=after, reason=reason
        )
    if isinstance(exc, openai.APIStatusError) and exc.status_code == 503:
        after = _retry_after(exc)
        detail = _short(_error_message(exc))
        said = (
            f": {detail}"
            if detail and detail != "no details" and not detail.startswith("<")
            else ""
        )
        reason = f"The model endpoint at {config.shown_url} is unavailable (HTTP 503{said})."
        return ProviderError(
            reason + _wait_words(after), status=503, retry_after=after, reason=reason
        )
    if isinstance(exc, openai.AuthenticationError):
        return ProviderError(
            f"The model endpoint rejected the API key (401). Check ${config.api_key_env}.",
            retryable=False,
            status=401,
        )
    if isinstance(exc, openai.NotFoundError):
        return ProviderError(
            f"The endpoint does not know model '{config.model}' (404). Check WORKBENCH_MODEL / [agent] model.",
            retryable=False,
            status=404,
        )
    if isinstance(exc, openai.APIStatusError):
        detail = re.sub(r"^error code: \d+\s*(-\s*)?", "", _short(_error_message(exc)), flags=re.I)
        if not detail or detail.startswith("<"):
            hint = (
                "Retry in a moment."
                if exc.status_code >= 500 and exc.status_code != 501
                else "Is it an OpenAI-compatible endpoint (usually ending in /v1)?"
            )
            return ProviderError(  # no words of its own (an HTML page, an empty body)
                f"The model endpoint at {config.shown_url} failed with HTTP {exc.status_code}. {hint}",
                status=exc.status_code,
            )
        return ProviderError(
            f"The model endpoint failed with HTTP {exc.status_code}: {detail}",
            status=exc.status_code,
        )
    if isinstance(exc, openai.APIConnectionError):
        return ProviderError(
            f"Cannot reach the model at {config.shown_url}; is it running? Retry when it is."
        )
    if isinstance(exc, json.JSONDecodeError | ValueError):
        return ProviderError(
            f"The model endpoint sent an answer that is not valid: {_short(str(exc))}"
        )
    return ProviderError(f"The connection to the model broke mid-answer ({name}). Retry.")


def _is_status(exc: Exception) -> bool:
    # lazy, for start-up: openai (with annotated_types, anyio, backports …) loads on first use
    import openai

    return isinstance(exc, openai.APIStatusError)


def _retry_after(exc: Any) -> float | None:
    """The server's ``Retry-After`` in seconds (delay-seconds or an HTTP date), None when absent."""
    response = getattr(exc, "response", None)
    return retry_after_seconds(
        response.headers.get("retry-after") if response is not None else None
    )


def _wait_words(after: float | None) -> str:
    if after is None or after < 0.5:
        return " Wait a moment and retry."
    return f" Wait {describe_wait(after)} and retry."


def _error_message(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
        if body.get("message"):
            return str(body["message"])
    return str(getattr(exc, "message", "") or "no details")


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
