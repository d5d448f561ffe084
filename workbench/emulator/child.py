"""The local Confluence of ``workbench demo`` in a process of its own.

``python -m workbench.emulator.child SEED [DATA_DIR]`` starts the server (as
:func:`~workbench.emulator.runner.start_in_thread` does), prints ONE line of JSON on stdout —
``{"base_url": …}`` once it accepts connections, or ``{"error": …}`` saying why it could not start
(a data directory in use, a bad seed) — and serves until its stdin is closed: the app closes it
when it quits, and the system closes it when the app dies (kill -9 too), so no server is left
behind. In its own process the server's seeding and answering do not compete with the TUI for
the interpreter (one lock for all threads): the first frame and the first answers come sooner.
"""

from __future__ import annotations

import gc

# Starting the server (its modules, the seeded store, the web app) allocates ~a million objects and
# frees almost none: the cyclic collector's passes meanwhile find nothing (~7 % of the CPU before
# the server answers, which the first launch waits for). Off until the server is up, as the TUI
# does for its own start (workbench.tui.warmup). Only as the process's own program: imported, it
# leaves the importer's collector alone.
_PAUSED = __name__ == "__main__" and gc.isenabled()
if _PAUSED:
    gc.disable()

import json  # noqa: E402 - after the collector is off
import sys  # noqa: E402

from workbench.emulator.runner import start_in_thread  # noqa: E402
from workbench.errors import WorkbenchError  # noqa: E402


def _say(answer: dict[str, str]) -> None:
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    seed = args[0] if args else "demo"
    data_dir = args[1] if len(args) > 1 and args[1] else None

    try:
        server = start_in_thread(seed=seed, data_dir=data_dir)
    except WorkbenchError as exc:
        _say({"error": exc.message})
        return 2
    except Exception as exc:  # noqa: BLE001 - said to the app, which shows it
        _say({"error": f"The local Confluence did not start: {exc}"})
        return 1
    _say({"base_url": server.base_url})
    if _PAUSED:  # what start-up made goes to the oldest generation (as the TUI does), then on
        gc.freeze()
        gc.unfreeze()
        gc.enable()
    try:
        sys.stdin.buffer.read()  # until the app closes it (it quit, or it died)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
