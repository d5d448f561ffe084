"""Which model the agent talks to: the ``[agent]`` config section, overridden by the environment.

Any OpenAI-compatible Chat Completions endpoint with tool calling works. ``OPENAI_BASE_URL``,
``OPENAI_API_KEY`` (or the variable named by ``api_key_env``) and ``WORKBENCH_MODEL`` override the
config file. The key is read from the environment only when a request is made and never stored.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from workbench.errors import ConfigError, WorkbenchError
from workbench.redact import remember

OPENAI_DEFAULT_URL = "https://api.openai.com/v1"

HOW_TO_CONFIGURE = """\
No AI model is configured. Any OpenAI-compatible
endpoint with tool calling works.

Hosted (OpenAI, OpenRouter, Azure, Gemini, ...):
  export WORKBENCH_MODEL=gpt-4.1-mini
  export OPENAI_API_KEY=sk-...
  export OPENAI_BASE_URL=https://...   # not for OpenAI

Local Ollama (no key needed):
  ollama pull llama3.1
  export OPENAI_BASE_URL=http://127.0.0.1:11434/v1
  export WORKBENCH_MODEL=llama3.1

Or in the config file ([agent] section):
  [agent]
  base_url = "http://127.0.0.1:11434/v1"
  model = "llama3.1"
"""


class NoModelConfigured(WorkbenchError):
    """No model name anywhere: the message says exactly how to configure one."""

    exit_code = 2

    def __init__(self) -> None:
        super().__init__(HOW_TO_CONFIGURE.rstrip())


@dataclass(frozen=True, slots=True)
class ModelConfig:
    """Where to send prompts. ``api_key_env`` names the variable holding the key (never the key)."""

    base_url: str
    model: str
    api_key_env: str = "OPENAI_API_KEY"
    timeout: float = 300.0  # the whole turn (every step)
    max_steps: int = 12
    stream: bool = True
    request_timeout: float = (
        90.0  # one request: until the answer starts, and between streamed chunks
    )
    extra_headers: dict[str, str] = field(default_factory=dict)

    def api_key(self) -> str:
        """The key from the environment; a dummy for keyless local servers (Ollama, llama.cpp)."""
        key = os.environ.get(self.api_key_env, "").strip()
        remember(key)  # a model server that echoes it back does not get it printed
        return key or "not-needed"

    @property
    def shown_url(self) -> str:
        """The endpoint for messages: without any ``user:password@`` or query string."""
        parts = urlsplit(self.base_url)
        host = parts.hostname or ""
        netloc = f"{host}:{parts.port}" if parts.port else host
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))

    @property
    def describe(self) -> str:
        return f"{self.model} at {self.shown_url}"


def resolve_model(settings=None, *, stream: bool | None = None) -> ModelConfig | None:
    """The configured model, or None when no model name is set anywhere.

    Streaming: ``stream`` (the command line's ``--no-stream``) > ``WORKBENCH_AGENT_STREAM``
    (``0``/``false``/``no``/``off`` turn it off) > ``[agent] stream`` > on.
    """
    agent = getattr(settings, "agent", None)
    key_env = (getattr(agent, "api_key_env", "") or "OPENAI_API_KEY").strip()
    model = (
        os.environ.get("WORKBENCH_MODEL", "").strip() or (getattr(agent, "model", "") or "").strip()
    )
    base_url = (
        os.environ.get("OPENAI_BASE_URL", "").strip()
        or (getattr(agent, "base_url", "") or "").strip()
    )
    if not model:
        return None
    return ModelConfig(
        base_url=(base_url or OPENAI_DEFAULT_URL).rstrip("/"),
        model=model,
        api_key_env=key_env,
        timeout=_number(agent, "timeout", 300.0, float),
        max_steps=_number(agent, "max_steps", 12, int),
        stream=_streaming(agent) if stream is None else stream,
        request_timeout=_number(agent, "request_timeout", 90.0, float),
    )


def _streaming(agent) -> bool:
    """``WORKBENCH_AGENT_STREAM`` when set, else ``[agent] stream`` (default on)."""
    value = os.environ.get("WORKBENCH_AGENT_STREAM", "").strip().lower()
    if value:
        if value in ("0", "false", "no", "off"):
            return False
        if value in ("1", "true", "yes", "on"):
            return True

        raise ConfigError(f"WORKBENCH_AGENT_STREAM must be 1 or 0 (true/false), not {value!r}.")
    setting = getattr(agent, "stream", True)
    return True if setting is None else bool(setting)


def _number(agent, name: str, default, kind):
    """``[agent] name`` as a positive number; a ``ConfigError`` naming the setting otherwise."""
    value = getattr(agent, name, None)
    if value is None:
        value = default
    try:
        number = kind(value)
    except (TypeError, ValueError):
        number = None
    if number is None or isinstance(value, bool) or not number > 0:
        raise ConfigError(
            f"[agent] {name} in the config file must be a number above 0, not {value!r}."
        )
    return number


def require_model(settings=None, *, stream: bool | None = None) -> ModelConfig:
    config = resolve_model(settings, stream=stream)
    if config is None:
        raise NoModelConfigured()
    return config
