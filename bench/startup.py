"""First frame of ``workbench demo`` against a Textual hello world, in the same run (design §4).

Budget: the first frame showing the spaces ≤ 2.5× a Textual hello world (≈ 600 ms here). Each launch
runs in a fresh tmux pane (120×40) and we poll the screen every 2 ms for marker text. The demo's
tree cache lives in an isolated home, so runs after the first draw the spaces from the cache.
Also reports the import time of ``workbench.tui.app`` (budget ≤ 450 ms).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _local import summary  # noqa: E402
from _tmux import Server, available, isolated_env, time_markers  # noqa: E402

RUNS = 7
HELLO = """
from textual.app import App
from textual.widgets import Footer, Header, Static
class Hello(App):
    def compose(self):
        yield Header()
        yield Static("hello world")
        yield Footer()
Hello().run()
"""


def import_time(module: str, runs: int = 5) -> list[float]:
    out = []
    for _ in range(runs):
        code = (
            f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        out.append(float(result.stdout.strip()))
    return out


def main() -> int:
    if not available():
        print("tmux is not installed: cannot measure launch → first frame.")
        return 0
    root = Path(__file__).resolve().parent.parent
    workbench = str(Path(sys.executable).parent / "workbench")
    with tempfile.TemporaryDirectory() as home, Server():
        hello = Path(home) / "hello.py"
        hello.write_text(HELLO)
        env = isolated_env(home)
        # Warm-up (fills the OS file cache and the demo's tree cache).
        time_markers(f"{sys.executable} {hello}", ["hello world"], env)
        time_markers(f"{workbench} demo", ["Platform Engineering"], env)
        hello_times, skeleton, spaces, online = [], [], [], []
        for _ in range(RUNS):
            seen = time_markers(f"{sys.executable} {hello}", ["hello world"], env)
            hello_times += [seen["hello world"]] if "hello world" in seen else []
            seen = time_markers(
                f"{workbench} demo",
                ["CQL, or plain words", "Platform Engineering", "● online"],
                env,
            )
            skeleton += [seen["CQL, or plain words"]] if "CQL, or plain words" in seen else []
            spaces += [seen["Platform Engineering"]] if "Platform Engineering" in seen else []
            online += [seen["● online"]] if "● online" in seen else []
    imports = import_time("workbench.tui.app")
    textual_import = import_time("textual.app")
    print(f"launch → screen, tmux 120×40, median [min–max] of {RUNS} runs (cwd {root.name})")
    print(f"  Textual hello world                    {summary(hello_times)}")
    print(f"  workbench demo: skeleton               {summary(skeleton)}")
    print(f"  workbench demo: spaces in the tree     {summary(spaces)}")
    print(f"  workbench demo: connected (user shown) {summary(online)}")
    if hello_times and spaces:
        ratio = sorted(spaces)[len(spaces) // 2] / sorted(hello_times)[len(hello_times) // 2]
        print(f"  ratio spaces / hello world: {ratio:.2f}× (budget ≤ 2.5×)")
    print(
        f"import workbench.tui.app {summary(imports)}   (import textual.app {summary(textual_import)}; budget ≤ 450 ms)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
