"""Shared fixtures: an isolated home for every test, and the local Confluence on a free port.

Every test runs with its own config, data and cache directories and a file-based keyring inside
``tmp_path``, and with no ``CONFLUENCE_*``/``OPENAI_*`` variables from the developer's shell, so
nothing a test does touches the real user's files, keyring or accounts.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from hypothesis import settings as hypothesis_settings

# Property tests explore new random examples on every developer run; under CI (CI=true) they run a
# fixed, reproducible set, so a submission's result does not depend on the draw.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

DEMO_USER = "demo@example.com"
DEMO_TOKEN = "demo-token"

_SCRUB = (
    "CONFLUENCE_URL",
    "CONFLUENCE_USERNAME",
    "CONFLUENCE_API_TOKEN",
    "CONFLUENCE_PERSONAL_TOKEN",
    "CONFLUENCE_PASSWORD",
    "CONFLUENCE_FLAVOUR",
    "CONFLUENCE_FLAVOR",
    "OPENAI_BASE_URL",
    "OPENAI_API_KEY",
    "WORKBENCH_MODEL",
    "WORKBENCH_OAUTH_CLIENT_SECRET",
    "WORKBENCH_CONFIG",
    "WORKBENCH_CONFIG_DIR",
    "WORKBENCH_DATA_DIR",
    "WORKBENCH_CACHE_DIR",
    "WORKBENCH_TIMEOUT",
)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    home = tmp_path_factory.mktemp("home")
    for name in _SCRUB:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    return home


@pytest.fixture
def local_confluence() -> Iterator[Callable[..., object]]:
    """Factory: ``local_confluence(seed="demo", **options)`` starts ``serve-local`` in a thread.

    Returns the running server (``.base_url`` is ``http://127.0.0.1:PORT/wiki``; with
    ``flavour="dc", context_path="/confluence"`` it plays Data Center there); every server
    started is stopped when the test ends.
    """
    from workbench.emulator.runner import start_in_thread

    started = []

    def start(seed: str = "demo", **options):
        server = start_in_thread(seed=seed, **options)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def demo_server(local_confluence):
    """The demo seed on a free loopback port."""
    return local_confluence("demo")


def pytest_report_header(config):  # pragma: no cover - cosmetic
    return f"workbench tests; keyring backend isolated per test (pid {os.getpid()})"
