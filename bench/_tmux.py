"""Launch a command in a detached tmux pane and time how long until marker texts appear on screen."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
import uuid

SOCKET = f"wb-bench-{os.getpid()}"


def available() -> bool:
    return shutil.which("tmux") is not None


def tmux(*args: str, **kwargs) -> subprocess.CompletedProcess:
    """Run tmux on our own socket (never the user's server)."""
    return subprocess.run(["tmux", "-L", SOCKET, *args], **kwargs)


class Server:
    """A private tmux server kept alive by an idle session while the benchmark runs."""

    def __enter__(self) -> Server:
        tmux("new-session", "-d", "-s", "keepalive", "sleep 3600", check=True)
        return self

    def __exit__(self, *exc: object) -> None:
        tmux("kill-server", capture_output=True)


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) a process has used so far, its threads included (Linux /proc);
    None when it cannot be read."""
    try:
        fields = open(f"/proc/{pid}/stat", encoding="ascii").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def time_markers(
    command: str,
    markers: list[str],
    env: dict[str, str],
    timeout: float = 20.0,
    size: tuple[int, int] = (120, 40),
    cpu: dict[str, float] | None = None,
) -> dict[str, float]:
    """Seconds from spawn until each marker is first seen (missing markers are absent). With
    ``cpu``, also the CPU time the command's process had used when each marker was first seen
    (a figure the machine's load hardly changes, unlike the wall time)."""
    name = f"wb-bench-{uuid.uuid4().hex[:8]}"
    env_prefix = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    start = time.perf_counter()
    tmux(
        "new-session",
        "-d",
        "-s",
        name,
        "-x",
        str(size[0]),
        "-y",
        str(size[1]),
        f"env -i {env_prefix} {command}",
        check=True,
    )
    seen: dict[str, float] = {}
    pid: int | None = None
    if cpu is not None:  # env exec()s the command: the pane's process is the command's
        shown = tmux(
            "display-message", "-p", "-t", name, "#{pane_pid}", capture_output=True, text=True
        )
        pid = int(shown.stdout.strip() or 0) or None
    try:
        while time.perf_counter() - start < timeout and len(seen) < len(markers):
            screen = tmux("capture-pane", "-p", "-t", name, capture_output=True, text=True).stdout
            now = time.perf_counter() - start
            used = cpu_seconds(pid) if pid is not None else None
            for marker in markers:
                if marker not in seen and marker in screen:
                    seen[marker] = now
                    if cpu is not None and used is not None:
                        cpu[marker] = used
            time.sleep(0.002)
    finally:
        tmux("kill-session", "-t", name, capture_output=True)
    return seen


def isolated_env(home: str) -> dict[str, str]:
    return {
        "HOME": home,
        "XDG_CONFIG_HOME": os.path.join(home, "config"),
        "XDG_DATA_HOME": os.path.join(home, "data"),
        "XDG_CACHE_HOME": os.path.join(home, "cache"),
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "PATH": os.environ.get("PATH", ""),
    }
