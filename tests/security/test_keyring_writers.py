"""D6: several Workbench processes using the file keyring at once lose nothing.

keyrings.alt's file backends rewrite the whole file on every write (truncate, then write). Without a
lock shared by Workbench processes, two writers lost each other's entries (and a third profile's),
and a reader saw "no login" while a write was under way. Here three writer processes each rotate
their own profile's OAuth tokens through ``workbench.auth.store`` while a fourth process reads every
profile; nothing may go missing, ever.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from workbench.auth import store
from workbench.auth.tokens import TokenSet

WRITES = 60
WRITERS = 3

_WRITER = textwrap.dedent("""
    import sys
    from workbench.auth import store
    from workbench.auth.tokens import TokenSet
    name, writes = sys.argv[1], int(sys.argv[2])
    for i in range(writes):
        tokens = TokenSet(access_token=f"{name}-access-{i:04d}", refresh_token=f"{name}-refresh-{i:04d}")
        store.save_tokens(name, tokens)
        if i % 10 == 0:
            store.save_token(name + "-pat", f"{name}-pat-{i:04d}")
""")

_READER = textwrap.dedent("""
    import json, os, sys
    from workbench.auth import store
    names = sys.argv[1].split(",")
    stop = sys.argv[2]
    reads = missing = 0
    while not os.path.exists(stop) or reads < 50:
        for name in names:
            reads += 1
            if store.load_tokens(name) is None:
                missing += 1
    print(json.dumps({"reads": reads, "missing": missing}))
""")


def _env() -> dict[str, str]:
    env = dict(os.environ)  # the isolated HOME/XDG dirs and the file keyring of this test
    env["PYTHONPATH"] = os.pathsep.join([os.getcwd(), env.get("PYTHONPATH", "")])
    return env


def test_concurrent_writers_and_a_reader_lose_nothing(tmp_path):
    names = [f"w{i}" for i in range(WRITERS)]
    for name in names:
        store.save_tokens(name, TokenSet(access_token=f"{name}-access-start", refresh_token="r"))
    store.save_client_secret("bystander-app", "bystander-client-secret")
    store.save_token("bystander", "bystander-pat-value")
    stop = tmp_path / "stop"
    env = _env()
    reader = subprocess.Popen(
        [sys.executable, "-c", _READER, ",".join(names), str(stop)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, name, str(WRITES)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in names
    ]
    for proc in writers:
        _, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
    stop.touch()
    out, err = reader.communicate(timeout=240)
    assert reader.returncode == 0, err
    seen = json.loads(out)
    assert seen["reads"] >= 50 and seen["missing"] == 0  # never "no login" while others write
    for name in names:  # every writer's last write is there
        tokens = store.load_tokens(name)
        assert tokens is not None and tokens.access_token == f"{name}-access-{WRITES - 1:04d}"
        assert store.load_token(name + "-pat") == f"{name}-pat-{(WRITES - 1) // 10 * 10:04d}"
    assert (
        store.load_client_secret("bystander-app") == "bystander-client-secret"
    )  # nobody else's lost
    assert store.load_token("bystander") == "bystander-pat-value"


def test_the_lock_file_is_private():
    store.save_token("someone", "a-secret-value")
    path = store.keyring_lock_path()
    assert path.exists()
    if os.name == "posix":
        assert path.stat().st_mode & 0o777 == 0o600
        assert path.parent.stat().st_mode & 0o777 == 0o700
