"""``workbench demo``'s local Confluence runs in a process of its own (workbench.emulator.child):
it answers, it says why it could not start, and it never outlives the app — not after a normal
quit, not after the app was killed with kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import httpx
import pytest

from workbench.errors import WorkbenchError
from workbench.services.sites import DEMO_TOKEN, DEMO_USER, demo_site


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:  # a zombie of ours counts as gone (reaped below)
        done, _ = os.waitpid(pid, os.WNOHANG)
        return done == pid
    except ChildProcessError:
        return False


def _wait_gone(pid: int, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _gone(pid):
            return True
        time.sleep(0.05)
    return False


async def test_the_demo_server_answers_and_stops_with_the_app(tmp_path):
    site = demo_site(tmp_path / "data", start_now=True)
    client = site.connect()
    async with client:
        spaces = [s.name async for s in client.spaces()]
    assert "Platform Engineering" in spaces
    server = site.on_close.__self__.server  # the demo's process, to see it stop
    pid = server.process.pid
    site.on_close()
    assert _wait_gone(pid)
    with pytest.raises(httpx.ConnectError):  # nothing listens there any more
        httpx.get(server.base_url + "/api/v2/spaces", auth=(DEMO_USER, DEMO_TOKEN))


def test_a_data_dir_that_cannot_be_used_is_said_not_a_traceback(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    site = demo_site(blocked, start_now=True)
    with pytest.raises(WorkbenchError) as caught:
        site.connect()
    assert "Cannot use" in caught.value.message and "Traceback" not in caught.value.message


def test_the_demo_server_does_not_outlive_an_app_killed_with_kill_9(tmp_path):
    script = textwrap.dedent(
        f"""
        import time
        from workbench.services.sites import demo_site
        site = demo_site({str(tmp_path / "data")!r}, start_now=True)
        site.connect()
        print(site.on_close.__self__.server.process.pid, flush=True)
        time.sleep(600)
        """
    )
    app = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert app.stdout is not None
        server_pid = int(app.stdout.readline())
    finally:
        os.kill(app.pid, signal.SIGKILL)
        app.wait(timeout=30)
    assert _wait_gone(server_pid), "the demo's server outlived the app"


def test_the_demo_server_starts_at_once_unless_the_tree_is_cached(tmp_path):
    from workbench.config import cache_dir
    from workbench.confluence.models import Space
    from workbench.services.cache import TreeCache

    first = demo_site(tmp_path / "one", start_now=None)  # nothing cached: a first launch
    try:
        assert first.on_close.__self__._started  # it starts while the TUI draws
    finally:
        first.connect()  # (wait for it, to stop it cleanly)
        first.on_close()
    cache = TreeCache(cache_dir(), f"demo:{tmp_path / 'two'}")
    cache.put_spaces([Space("1", "ENG", "Engineering")])
    cache.save()
    warm = demo_site(tmp_path / "two", start_now=None)  # the tree draws from the cache first
    assert not warm.on_close.__self__._started
    client = warm.connect()  # … and the server starts when the app connects
    try:
        assert warm.on_close.__self__._started and client.base_url
    finally:
        warm.on_close()


def test_a_spawned_server_does_nothing_until_let_go(tmp_path):
    from workbench.services.demo_process import spawn

    data = tmp_path / "data"
    demo = spawn("demo", data)  # workbench demo spawns it before it knows whether it is needed
    demo.stop()  # … and the app quit before it was (the tree was drawn from the cache)
    assert demo.process.returncode == 0
    assert demo.process.stdout.read() == b""  # it never said where it serves
    assert not data.exists()  # nor claimed its data directory


def test_a_second_demo_on_the_same_data_dir_is_told_it_is_in_use(tmp_path):
    first = demo_site(tmp_path / "data", start_now=True)
    try:
        first.connect()
        second = demo_site(tmp_path / "data", start_now=True)
        with pytest.raises(WorkbenchError) as caught:
            second.connect()
        assert "in use by another local Confluence" in caught.value.message
        second.on_close()
    finally:
        first.on_close()


def test_the_server_binds_its_own_socket_when_given_none(tmp_path):
    """Where the app cannot pass a socket down, the child listens on a port of its own."""
    import json

    child = subprocess.Popen(
        [sys.executable, "-m", "workbench.emulator.child", "demo", ""],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write(b"go\n")
        child.stdin.flush()
        base_url = json.loads(child.stdout.readline())["base_url"]
        answer = httpx.get(base_url + "/api/v2/spaces", auth=(DEMO_USER, DEMO_TOKEN), timeout=60)
        assert answer.status_code == 200
        assert "Platform Engineering" in [s["name"] for s in answer.json()["results"]]
    finally:
        child.stdin.close()
        assert child.wait(timeout=30) == 0


def test_a_workbench_folder_where_the_app_starts_does_not_stand_in_for_the_package(
    tmp_path, monkeypatch
):
    impostor = tmp_path / "workbench" / "emulator"
    impostor.mkdir(parents=True)
    (tmp_path / "workbench" / "__init__.py").write_text("")
    (impostor / "__init__.py").write_text("")
    (impostor / "child.py").write_text('print(\'{"error": "the wrong package"}\', flush=True)\n')
    monkeypatch.chdir(tmp_path)
    site = demo_site(tmp_path / "data", start_now=True)
    try:
        client = site.connect()  # the package's own server, not the folder's child.py
        assert client.base_url.startswith("http://127.0.0.1:")
    finally:
        site.on_close()


# -- a server that does not start: it dies at once, or it never says where it serves -----------
#
# Real processes: the child is the real ``python -P -m workbench.emulator.child``, made to fail
# before it runs by a ``sitecustomize`` module on its PYTHONPATH (Python imports it at start-up, in
# every process given that path; this one acts only in the demo's server). The time limit is the
# variable a user would set, short here: nothing below measures time.


def _broken_start(tmp_path, monkeypatch, behaviour: str) -> None:
    """Every demo server spawned from now on runs ``behaviour`` first (Python source)."""
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(
        "import sys\n"
        "if 'workbench.emulator.child' in sys.orig_argv:\n" + textwrap.indent(behaviour, "    ")
    )
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")]))
    )


def test_a_server_that_dies_at_once_is_said_with_its_last_words(tmp_path, monkeypatch):
    _broken_start(
        tmp_path,
        monkeypatch,
        "sys.stderr.write('a line before\\nOSError: [Errno 28] No space left on device\\n')\n"
        "sys.stderr.flush()\nimport os\nos._exit(3)\n",
    )
    site = demo_site(tmp_path / "data", start_now=True)
    try:
        with pytest.raises(WorkbenchError) as caught:
            site.connect()
    finally:
        site.on_close()
    message = caught.value.message
    assert "stopped before it could start (exit status 3)" in message
    assert "No space left on device" in message  # its stderr's last lines
    assert "workbench serve-local" in message  # what to do
    assert "Traceback" not in message


def test_a_server_that_never_says_where_it_serves_is_stopped_after_the_time_limit(
    tmp_path, monkeypatch
):
    _broken_start(
        tmp_path,
        monkeypatch,
        "sys.stderr.write('waiting for a lock that never comes\\n')\n"
        "sys.stderr.flush()\n"
        "import time\n"
        "time.sleep(600)\n",
    )
    monkeypatch.setenv("WORKBENCH_DEMO_START_TIMEOUT", "0.5")
    from workbench.services.demo_process import spawn

    demo = spawn("demo", tmp_path / "data")
    demo.go()
    with pytest.raises(WorkbenchError) as caught:
        demo.wait()
    message = caught.value.message
    assert "did not start within 0.5 seconds, and was stopped" in message
    assert "waiting for a lock that never comes" in message
    assert "WORKBENCH_DEMO_START_TIMEOUT" in message  # what to do on a very busy machine
    assert demo.process.returncode is not None  # killed, not left behind
    with pytest.raises(WorkbenchError) as again:  # every caller (each worker) hears the same
        demo.wait()
    assert again.value is caught.value
    demo.stop()  # (nothing left to stop)


def test_a_server_that_says_something_else_is_stopped(tmp_path, monkeypatch):
    _broken_start(
        tmp_path,
        monkeypatch,
        "sys.stdout.write('Welcome!\\n')\nsys.stdout.flush()\nimport time\ntime.sleep(600)\n",
    )
    from workbench.services.demo_process import spawn

    demo = spawn("demo", tmp_path / "data")
    demo.go()
    with pytest.raises(WorkbenchError) as caught:
        demo.wait()
    assert "said 'Welcome!' instead of its address, and was stopped" in caught.value.message
    assert "It wrote nothing on stderr" in caught.value.message
    assert demo.process.returncode is not None


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("", 60.0), ("12.5", 12.5), ("soon", 60.0), ("0", 60.0), ("-3", 60.0), ("inf", 60.0)],
)
def test_the_time_limit_variable(text, seconds):
    from workbench.services.demo_process import START_TIMEOUT, start_timeout

    assert START_TIMEOUT == 60.0
    assert start_timeout(text) == seconds
