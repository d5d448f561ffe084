"""Re-measure the security audit's figures for the defects b2 closed (shared/reports/security-reliability.md:
D1 D3 D5 D6 D7 D10 D11 D12 D13 D14 D16 D17), the way the audit did: the product run as a user would
(``python -m workbench`` in a subprocess, a pty, tmux with set-titles/set-clipboard, headless Chromium),
each probe with its own HOME/XDG dirs and the plaintext file keyring, against serve-local on 127.0.0.1.

    PYTHONPATH=. .venv/bin/python scripts/security_remeasure.py after            # this checkout
    PYTHONPATH=/path/to/old/checkout:. .venv/bin/python scripts/security_remeasure.py before
    PYTHONPATH=. .venv/bin/python scripts/security_remeasure.py after D5 D6       # only some defects

The first PYTHONPATH entry is the code measured; this checkout supplies the probes' helpers (the
hostile seed and the echoing server in tests/security, the scripted browser in tests/auth). Needs tmux,
chromium (D13; reported as not measured without it) and ``unshare -n`` (D17 binds every interface
inside a network namespace that has only ``lo``).
Each probe's result goes to ``security-<label>.json`` in ``$REMEASURE_OUT`` (default /tmp); the
summary printed at the end is tried/held/broke per defect.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import pty
import select
import shlex
import socket
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
import unicodedata
import uuid
from pathlib import Path

PY = sys.executable
CODE = os.environ["PYTHONPATH"].split(os.pathsep)[0]
RESULTS: list[dict] = []
BIDI = set("\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def record(area: str, defect: str, name: str, held: bool, evidence: str) -> None:
    RESULTS.append(
        {
            "area": area,
            "defect": defect,
            "name": name,
            "held": bool(held),
            "evidence": evidence[:300],
        }
    )
    print(f"{'held ' if held else 'BROKE'} {defect:4} {name}: {evidence[:160]}", flush=True)


def home_env(extra: dict | None = None) -> dict:
    home = Path(tempfile.mkdtemp(prefix="b2m-home-"))
    env = {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_STATE_HOME": str(home / "state"),
        "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
        "PATH": os.environ["PATH"],
        "PYTHONPATH": os.environ["PYTHONPATH"],
        "LANG": "C.UTF-8",
        "TERM": "xterm-256color",
    }
    env.update(extra or {})
    return env


def wb(
    args: list[str], env: dict, *, stdin: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PY, "-m", "workbench", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        errors="surrogateescape",
    )


def dangerous(text: str) -> list[str]:
    return [c for c in text if (unicodedata.category(c) == "Cc" and c not in "\n\t\r") or c in BIDI]


def on_pty(argv: list[str], env: dict, timeout: float = 60) -> tuple[int, str]:
    master, slave = pty.openpty()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    chunks = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    os.close(master)
    proc.wait(30)
    return proc.returncode, b"".join(chunks).decode("utf-8", "replace")


# -- servers ------------------------------------------------------------------------------------
def hostile_server():
    from tests.security.hostile import seed_hostile
    from workbench.emulator.runner import start_in_thread

    server = start_in_thread(seed="demo")
    return server, seed_hostile(server)


def site_env(server, **extra) -> dict:
    return home_env(
        {
            "CONFLUENCE_URL": server.base_url,
            "CONFLUENCE_USERNAME": "demo@example.com",
            "CONFLUENCE_API_TOKEN": "demo-token",
            **extra,
        }
    )


# -- area 4: terminal injection in the CLI ------------------------------------------------------------
def probe_cli_injection(server, ids) -> None:
    env = site_env(server)
    for name, argv in [
        ("spaces", ["spaces"]),
        ("search", ["search", "title ~ Zebra"]),
        ("cat (stderr status line)", ["cat", ids["page_id"]]),
        ("cat --format storage", ["cat", ids["raw_id"], "--format", "storage"]),
    ]:
        code, shown = on_pty([PY, "-m", "workbench", *argv], env)
        bad = dangerous(shown.replace("\r\n", "\n"))
        record(
            "4",
            "D1",
            f"CLI {name} at a terminal",
            code == 0 and not bad,
            f"exit {code}; {len(bad)} control chars reached the terminal {sorted(set(map(repr, bad)))[:6]}",
        )
    for name, argv in [
        ("cat --format json", ["cat", ids["page_id"], "--format", "json"]),
        ("search --json", ["search", "title ~ Zebra", "--json"]),
        ("spaces --json", ["spaces", "--json"]),
    ]:
        done = wb(argv, env)
        bad = dangerous(done.stdout)
        record(
            "4",
            "D1",
            f"CLI {name}",
            done.returncode == 0 and not bad,
            f"exit {done.returncode}; raw controls {len(bad)}",
        )


# -- area 4: tmux (real terminal) --------------------------------------------------------------------
class Tmux:
    def __init__(self, env: dict) -> None:
        self.socket, self.env = f"b2m-{uuid.uuid4().hex[:8]}", env

    def t(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=20
        )

    def run(self, command: str) -> None:
        self.t(
            "-f", "/dev/null", "new-session", "-d", "-s", "wb", "-x", "120", "-y", "40", "sleep 600"
        )
        self.t("set-option", "-s", "set-clipboard", "on")
        self.t("set-option", "-g", "set-titles", "on")
        self.initial = self.title()
        env = " ".join(f"{k}={shlex.quote(v)}" for k, v in self.env.items())
        self.t("respawn-pane", "-k", "-t", "wb", f"env -i {env} sh -c {shlex.quote(command)}")

    def title(self) -> str:
        return self.t("display-message", "-p", "-t", "wb", "#{pane_title}").stdout.strip()

    def screen(self) -> str:
        return self.t("capture-pane", "-p", "-t", "wb").stdout

    def buffers(self) -> str:
        return self.t("list-buffers").stdout + self.t("show-buffer").stdout

    def wait(self, text: str, timeout: float = 40) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.screen():
                return True
            time.sleep(0.1)
        return False

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.t("send-keys", "-t", "wb", key)
            time.sleep(0.2)

    def close(self) -> None:
        self.t("kill-server")


def probe_tmux(server, ids) -> None:
    wbcmd = f"{shlex.quote(PY)} -m workbench"
    for name, args in [
        ("search listing the OSC 52 title (clipboard)", "search Zebrafive"),
        ("search listing the OSC 0 title (window title)", "search 'title ~ Zebra'"),
    ]:
        term = Tmux(site_env(server))
        try:
            term.run(f"echo BEFORE; {wbcmd} {args}; echo EXIT-$?; sleep 600")
            term.wait("EXIT-")
            screen, title, buffers = term.screen(), term.title(), term.buffers()
            held = (
                "PWNED" not in title
                and "id | sh" not in buffers
                and buffers.strip() == ""
                and "BEFORE" in screen
            )
            record(
                "4",
                "D1",
                f"CLI {name}",
                held,
                f"pane_title={title!r}; tmux buffer={buffers.strip()[:40]!r}; "
                f"screen cleared={'BEFORE' not in screen}",
            )
        finally:
            term.close()
    # TUI: open the hostile page (OSC 0 + CSI 2J + OSC 52 in its title)
    term = Tmux(site_env(server))
    try:
        term.run(f"{wbcmd}; echo EXIT-$?; sleep 600")
        term.wait("online")
        term.wait("Evil space")
        term.keys("Down", "Enter")
        time.sleep(2)
        term.keys("Right")
        time.sleep(2)
        term.keys("Down", "Enter")
        time.sleep(4)
        screen, title, buffers = term.screen(), term.title(), term.buffers()
        held = "PWNED" not in title and buffers.strip() == "" and "Platform Engineering" in screen
        record(
            "4",
            "D1",
            "TUI: open a page titled OSC 0 + CSI 2J + OSC 52",
            held,
            f"pane_title={title!r}; buffer={buffers.strip()[:30]!r}; "
            f"tree still drawn={'Platform Engineering' in screen}",
        )
    finally:
        term.close()


# -- area 4: D3 markup titles in the TUI (Pilot) ----------------------------------------------------------
def probe_markup_titles(server, ids) -> None:
    code = textwrap.dedent(f"""
        import asyncio, json, sys
        from tests.tui.helpers import make_app, settle, wait_until
        from workbench.emulator.runner import start_in_thread
        class S: base_url = {server.base_url!r}
        async def main():
            out = {{}}
            app = make_app(S)
            try:
                async with app.run_test(size=(120, 40), notifications=True) as pilot:
                    await settle(app, pilot)
                    app.open_page({ids["child_id"]!r})
                    await settle(app, pilot)
                    await pilot.press("e"); await pilot.pause()
                    ed = app.main.query_one("#editor"); ed.text = ed.text + "\\nline\\n"; await pilot.pause()
                    await pilot.press("ctrl+s"); await settle(app, pilot); await pilot.pause(0.5)
                    out["save_alive"] = app.is_running and app.return_code is None
                    await pilot.press("e"); await pilot.pause()
                    ed = app.main.query_one("#editor"); ed.text = ed.text + "\\ndraft\\n"
                    await wait_until(app, pilot, lambda: app.workspace.drafts.for_page({ids["child_id"]!r}))
            except Exception as exc:
                out["save_alive"] = False; out["save_error"] = repr(exc)[:200]
            app = make_app(S)
            try:
                async with app.run_test(size=(120, 40), notifications=True) as pilot:
                    await settle(app, pilot)
                    app.open_page({ids["child_id"]!r})
                    await settle(app, pilot)
                    out["reopen_alive"] = app.is_running and app.screen.id == "draft-recovery"
            except Exception as exc:
                out["reopen_alive"] = False; out["reopen_error"] = repr(exc)[:200]
            print(json.dumps(out))
        asyncio.run(main())
    """)
    env = site_env(server)
    done = subprocess.run([PY, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    try:
        out = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        out = {"save_alive": False, "reopen_alive": False, "save_error": done.stderr[-300:]}
    record(
        "4",
        "D3",
        "TUI: save an edit of a page titled 'Routing [/api/v2] …'",
        out.get("save_alive"),
        out.get("save_error", "app alive after the 'Saved' notification"),
    )
    record(
        "4",
        "D3",
        "TUI: reopen that page while a draft of it exists",
        out.get("reopen_alive"),
        out.get("reopen_error", "recovery dialog shown, app alive"),
    )


# -- area 2: D5 secrets echoed --------------------------------------------------------------------------
def probe_secrets() -> None:
    from tests.security.echo_server import echo_server

    pat, api, email = "PAT-s3cr3t-0123456789abcdef", "API-s3cr3t-0123456789abcdef", "me@example.com"

    def forms(secret):
        return [secret, base64.b64encode(f"{email}:{secret}".encode()).decode()]

    with echo_server() as origin:
        for mode in ("/echo401", "/echo500", "/echo400"):
            for command in (["spaces"], ["cat", "65537"], ["search", "type = page"]):
                for secret in (api, pat):
                    extra = {"CONFLUENCE_URL": f"{origin}{mode}/wiki"}
                    if secret == pat:
                        extra["CONFLUENCE_PERSONAL_TOKEN"] = pat
                    else:
                        extra.update(CONFLUENCE_USERNAME=email, CONFLUENCE_API_TOKEN=api)
                    done = wb(command, home_env(extra))
                    leaked = [f for f in forms(secret) if f in done.stdout + done.stderr]
                    record(
                        "2",
                        "D5",
                        f"{mode} {command[0]} {'PAT' if secret == pat else 'API token'}",
                        not leaked,
                        f"exit {done.returncode}; {done.stderr.strip()[:140]}",
                    )
        for secret, method in ((api, "api-token"), (pat, "pat")):
            argv = ["login", f"{origin}/echo401/wiki", "--method", method]
            argv += ["--username", email] if secret == api else []
            done = wb(argv, home_env(), stdin=secret + "\n")
            leaked = [f for f in forms(secret) if f in done.stdout + done.stderr]
            record(
                "2",
                "D5",
                f"login {method}",
                not leaked,
                f"exit {done.returncode}; {done.stderr.strip()[:140]}",
            )


# -- area 2: D16 modes ----------------------------------------------------------------------------------
def probe_modes(server, ids) -> None:
    env = site_env(server)
    home = Path(env["HOME"])
    script = textwrap.dedent("""
        from workbench.config import Settings, save_settings, data_dir, cache_dir
        from workbench.services.drafts import DraftStore
        from workbench.services.cache import TreeCache
        from workbench.agent.audit import AuditLog
        from workbench.auth import store
        save_settings(Settings())
        DraftStore(data_dir() / "drafts", "site").save("1", 1, "t", "x")
        c = TreeCache(cache_dir(), "site"); c.put_spaces([]); c.save()
        AuditLog().record("probe", tool="get_page")
        store.save_token("p", "a-secret-value")
    """)
    subprocess.run(
        [PY, "-c", script], env=env, check=False, capture_output=True, text=True, timeout=60
    )
    wb(["spaces"], env)
    modes = {}
    for root in (
        home / "config" / "workbench",
        home / "data" / "workbench",
        home / "cache" / "workbench",
    ):
        for path in [root, *root.rglob("*")]:
            if path.exists():
                modes[str(path.relative_to(home))] = oct(stat.S_IMODE(path.stat().st_mode))
    wide_dirs = [p for p, m in modes.items() if (home / p).is_dir() and m != "0o700"]
    record("2", "D16", "directories 0700", not wide_dirs, f"wider: {wide_dirs[:5]}")


# -- area 1: D6 keyring writers -------------------------------------------------------------------------
def probe_keyring() -> None:
    writer = textwrap.dedent("""
        import sys
        from workbench.auth import store
        from workbench.auth.tokens import TokenSet
        name = sys.argv[1]
        for i in range(200):
            store.save_tokens(name, TokenSet(access_token=f"{name}-a-{i}", refresh_token=f"{name}-r-{i}"))
    """)
    reader = textwrap.dedent("""
        import json, os, sys
        from workbench.auth import store
        stop, missing, reads = sys.argv[1], 0, 0
        while reads < 200:
            reads += 1
            if store.load_tokens("w0") is None:
                missing += 1
        print(json.dumps({"missing": missing, "reads": reads}))
    """)
    for run in range(3):
        env = home_env()
        setup = textwrap.dedent("""
            from workbench.auth import store
            from workbench.auth.tokens import TokenSet
            for n in ("w0", "w1", "bystander"):
                store.save_tokens(n, TokenSet(access_token=n + "-start", refresh_token="r"))
        """)
        subprocess.run([PY, "-c", setup], env=env, check=True, timeout=60)
        pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
        procs = [subprocess.Popen([PY, "-c", writer, n], env=env, **pipes) for n in ("w0", "w1")]
        rd = subprocess.Popen([PY, "-c", reader, "x"], env=env, **pipes)
        codes = [p.wait(300) for p in procs]
        out, err = rd.communicate(timeout=300)
        check = textwrap.dedent("""
            import json
            from workbench.auth import store
            print(json.dumps({n: (store.load_tokens(n).access_token if store.load_tokens(n) else None)
                              for n in ("w0", "w1", "bystander")}))
        """)
        checked = subprocess.run([PY, "-c", check], env=env, capture_output=True, text=True)
        try:
            final = json.loads(checked.stdout)
        except ValueError:  # the keyring file itself is broken: every entry is lost
            final = {
                "w0": None,
                "w1": None,
                "bystander": None,
                "error": checked.stderr.strip().splitlines()[-1][:120],
            }
            print("   keyring unreadable:", final["error"])
        try:
            seen = json.loads(out)
        except ValueError:
            seen = {"missing": -1, "reads": 0, "error": err[-200:]}
        lost = [
            n
            for n in ("w0", "w1", "bystander")
            if final.get(n) is None or (n != "bystander" and not final[n].endswith("-199"))
        ]
        held = not lost and seen["missing"] == 0 and codes == [0, 0] and rd.returncode == 0
        record(
            "1",
            "D6",
            f"2 writers × 200 + 1 reader, run {run + 1}",
            held,
            f"writer exits {codes}; lost {lost}; reader saw 'no login' {seen['missing']}/{seen['reads']}",
        )


# -- area 1: D7 re-login, D12 error_description -----------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def time_wait(port: int) -> int:
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "06":
            count += 1
    return count


def probe_relogin() -> None:
    from tests.auth.browser import play
    from workbench.emulator.runner import start_in_thread

    server = start_in_thread(seed="empty")
    try:
        port = free_port()
        first_waits = prev = 0
        for attempt in range(4):
            env = home_env({"WORKBENCH_OAUTH_CLIENT_SECRET": "demo-secret"})
            proc = subprocess.Popen(
                [
                    PY,
                    "-m",
                    "workbench",
                    "login",
                    "--method",
                    "oauth",
                    "--client-id",
                    "demo-client",
                    "--auth-url",
                    server.origin,
                    "--api-url",
                    server.origin,
                    "--port",
                    str(port),
                    "--no-browser",
                    "--site",
                    "7c9e6679-7425-40de-944b-e07fc1f90ae7",
                    "--timeout",
                    "30",
                ],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            url = None
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and url is None:
                line = proc.stdout.readline()
                if not line:
                    break
                if line.strip().startswith("http"):
                    url = line.strip()
            if url:
                import httpx

                for _ in range(3):  # what a browser asks for besides the callback (favicon …)
                    try:
                        httpx.get(f"http://127.0.0.1:{port}/favicon.ico", timeout=5)
                    except httpx.HTTPError:
                        pass
                asyncio.run(play(url))
            out, err = proc.communicate(timeout=60)
            waits = time_wait(port)
            if attempt == 0:
                first_waits = waits
                continue  # the first login makes the TIME-WAIT sockets
            record(
                "1",
                "D7",
                f"workbench login again at once ({attempt})",
                proc.returncode == 0,
                f"exit {proc.returncode}; TIME-WAIT on the port before it: {first_waits if attempt == 1 else prev}; "
                f"{err.strip()[:120] or out.strip()[-80:]}",
            )
            prev = waits
    finally:
        server.stop()


def probe_error_description() -> None:
    code = textwrap.dedent("""
        import asyncio, httpx
        from workbench.auth.loopback import LoopbackListener
        async def main():
            async with LoopbackListener(state="s" * 32, port=0) as listener:
                async with httpx.AsyncClient() as b:
                    hostile = "bad%1B%5D0%3BPWNED-TITLE%07%1B%5B31mRED"
                    await b.get(f"http://127.0.0.1:{listener.port}/callback?error=server_error"
                                f"&error_description={hostile}&state=" + "s" * 32)
                try:
                    await listener.wait(5)
                except Exception as exc:
                    print(exc.message)
        asyncio.run(main())
    """)
    done = subprocess.run(
        [PY, "-c", code], env=home_env(), capture_output=True, text=True, timeout=60
    )
    record(
        "1",
        "D12",
        "error_description with ESC sequences",
        "\x1b" not in done.stdout and done.stdout.strip() != "",
        repr(done.stdout.strip()[:120]),
    )


# -- area 4: D10, D11 ------------------------------------------------------------------------------------
def probe_bad_input(server) -> None:
    env = home_env()
    cfg = Path(env["XDG_CONFIG_HOME"]) / "workbench"
    cfg.mkdir(parents=True)
    (cfg / "config.toml").write_bytes(b"default_profile = '\xff'\n")
    done = wb(["sites"], env)
    record(
        "4",
        "D10",
        "config with invalid UTF-8",
        "Traceback" not in done.stderr and done.returncode == 2,
        f"exit {done.returncode}; {done.stderr.strip().splitlines()[-1][:140] if done.stderr.strip() else ''}",
    )
    done = wb(["search", 'text ~ "' + "a" * 100_000 + '"'], site_env(server))
    record(
        "4",
        "D10",
        "CQL of 100 KB",
        "Traceback" not in done.stderr and done.returncode == 2,
        f"exit {done.returncode}; {done.stderr.strip().splitlines()[-1][:140] if done.stderr.strip() else ''}",
    )
    env = site_env(server, CONFLUENCE_URL=server.base_url.replace("http://", "https://"))
    done = wb(["spaces"], env)
    record(
        "4",
        "D11",
        "https:// URL to a plain-http port",
        "certificate" not in done.stderr,
        done.stderr.strip()[:160],
    )


# -- area 5: D13, D17; D14 -------------------------------------------------------------------------------
def probe_web_script(server) -> None:
    from tests.auth.cdp import Chromium, chromium_path

    if chromium_path() is None:
        record("5", "D13", "page script in the web view", False, "chromium missing: not measured")
        return
    page = server.store.query_one(
        "SELECT p.id, s.key FROM pages p JOIN spaces s ON s.id = p.space_id "
        "WHERE p.title = 'Runbooks'"
    )
    server.store.update_page(
        page["id"], '<p>x</p><script>document.title = "PWNED-BY-SCRIPT"</script>'
    )
    basic = base64.b64encode(b"demo@example.com:demo-token").decode()
    with Chromium(Path(tempfile.mkdtemp(prefix="b2m-chromium-"))) as browser:
        browser.call("Page.enable")
        browser.call("Network.enable")
        browser.call("Network.setExtraHTTPHeaders", headers={"Authorization": f"Basic {basic}"})
        browser.load(f"{server.origin}/wiki/spaces/{page['key']}/pages/{page['id']}")
        title = browser.evaluate("document.title")
    record(
        "5",
        "D13",
        "page <script> in the web view (headless Chromium)",
        "PWNED" not in title,
        f"document.title={title!r}",
    )


def probe_bind_warning() -> None:
    for host in ("127.0.0.2", "127.1", "localhost", ""):
        env = home_env()
        # inside a network namespace whose only interface is lo (as the audit did): nothing is exposed
        proc = subprocess.Popen(
            [
                "unshare",
                "-n",
                PY,
                "-m",
                "workbench",
                "serve-local",
                "--host",
                host,
                "--port",
                "0",
                "--seed",
                "empty",
                "--quiet",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        lines = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "Ctrl-C" in line:
                break
        proc.terminate()
        proc.wait(10)
        text = "".join(lines)
        warned = "Warning" in text
        right = warned == (host == "") and "listening on ," not in text
        said = " ".join(line.strip() for line in lines if "Warning" in line)[:150]
        record("5", "D17", f"bind warning for --host {host!r}", right, said or "no warning")


def probe_exit_status(server) -> None:
    launcher = Path(tempfile.mkdtemp(prefix="b2m-")) / "crash.py"
    launcher.write_text(
        "import sys\nfrom workbench.tui.screens.main import MainScreen\n"
        "def broken(self):\n    raise RuntimeError('bug for the probe')\n"
        "MainScreen.action_toggle_tree = broken\nfrom workbench.cli import main\nsys.exit(main([]))\n"
    )
    term = Tmux(site_env(server))
    try:
        term.run(f"{shlex.quote(PY)} {shlex.quote(str(launcher))}; echo EXIT-$?; sleep 600")
        term.wait("online")
        term.keys("C-b")
        term.wait("EXIT-")
        screen = term.screen()
        record(
            "4",
            "D14",
            "TUI exit status after an unhandled exception",
            "EXIT-1" in screen,
            next((line for line in screen.splitlines() if "EXIT-" in line), "no exit seen"),
        )
    finally:
        term.close()


def main() -> None:
    label = sys.argv[1]
    only = set(sys.argv[2:])
    out = Path(os.environ.get("REMEASURE_OUT", "/tmp")) / f"security-{label}.json"
    if only and out.exists():
        RESULTS.extend(r for r in json.loads(out.read_text()) if r["defect"] not in only)

    def want(*defects: str) -> bool:
        return not only or bool(only & set(defects))

    if want("D1", "D3", "D16", "D10", "D11", "D13", "D14"):
        server, ids = hostile_server()
        try:
            if want("D1"):
                probe_cli_injection(server, ids)
                probe_tmux(server, ids)
            if want("D3"):
                probe_markup_titles(server, ids)
            if want("D16"):
                probe_modes(server, ids)
            if want("D10", "D11"):
                probe_bad_input(server)
            if want("D13"):
                probe_web_script(server)
            if want("D14"):
                probe_exit_status(server)
        finally:
            server.stop()
    if want("D5"):
        probe_secrets()
    if want("D6"):
        probe_keyring()
    if want("D7"):
        probe_relogin()
    if want("D12"):
        probe_error_description()
    if want("D17"):
        probe_bind_warning()
    out.write_text(json.dumps(RESULTS, indent=1))
    by: dict = {}
    for r in RESULTS:
        key = (r["area"], r["defect"])
        tried, held = by.get(key, (0, 0))
        by[key] = (tried + 1, held + (1 if r["held"] else 0))
    print("\narea defect tried held broke")
    for (area, defect), (tried, held) in sorted(by.items()):
        print(f"{area:4} {defect:6} {tried:5} {held:4} {tried - held:5}")
    print(
        f"total {len(RESULTS)} tried, {sum(r['held'] for r in RESULTS)} held, "
        f"{sum(not r['held'] for r in RESULTS)} broke"
    )


if __name__ == "__main__":
    main()
