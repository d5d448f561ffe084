"""``workbench demo`` and bare ``workbench``: open the TUI.

Imports stay inside the handlers so ``workbench --help`` is fast. The demo's server starts first
(its own process loads and seeds while this one loads the TUI) — unless the tree cache can draw
the spaces, then when the main screen connects, after the first frame.
"""

from __future__ import annotations

import sys


def register(sub) -> None:
    demo = sub.add_parser(
        "demo",
        help="open the TUI on a local Confluence with demo content (no account needed)",
        description="Start the local Confluence with demo content on 127.0.0.1 (temporary data unless "
        "--data is given) and open the workbench on it.",
    )
    demo.add_argument(
        "--data", metavar="DIR", help="keep the demo site's data in DIR (seeded on first use)"
    )
    demo.add_argument(
        "--seed", default="demo", metavar="SEED", help="seed: demo, empty or large:N (default demo)"
    )
    demo.set_defaults(handler=run_demo)


def _require_terminal() -> None:
    """The TUI draws on a terminal; without one, say so instead of writing escape codes."""
    if sys.stdin.isatty() and sys.stdout.isatty():
        return
    # lazy, for start-up: workbench.errors loads on first use
    from workbench.errors import UsageError

    raise UsageError(
        "The workbench TUI needs a terminal (stdin and stdout are not one). Without a terminal use the "
        "command line: workbench spaces, workbench search CQL, workbench cat PAGE, workbench push PAGE FILE."
    )


def _settings():
    # lazy, for start-up: workbench.config loads on first use
    from workbench.config import load_settings

    return load_settings()


def run_demo(args) -> int:
    # lazy, for start-up: workbench.tui.warmup loads on first use
    from workbench.tui.warmup import pause_collector, resume_collector

    pause_collector()  # until the first frame shows the spaces (workbench.tui.warmup)
    try:
        # lazy, for start-up: workbench.emulator.seed_spec, workbench.services.demo_process loads on first use
        from workbench.emulator.seed_spec import parse_seed
        from workbench.services.demo_process import spawn

        parse_seed(args.seed)
        _require_terminal()
        # The server's process first (standard library only so far): its interpreter starts while
        # this one decides whether it is needed at once (demo_site) and loads the TUI.
        process = spawn(args.seed, args.data)
        try:
            # lazy, for start-up: workbench.services.sites loads on first use
            from workbench.services.sites import demo_site

            site = demo_site(args.data, seed=args.seed, start_now=None, process=process)
        except BaseException:
            process.stop()
            raise
        try:
            settings = _settings()
            # lazy, for start-up: workbench.tui.app (with platformdirs, rich, textual …) loads on first use
            from workbench.tui.app import WorkbenchApp

            app = WorkbenchApp(site, settings=settings)
            _prepare_images()
            app.run()
        finally:
            if site.on_close is not None:
                site.on_close()
    finally:
        resume_collector()  # the app did not start, or it ended before start-up was over
    return exit_status(app) or _server_failure(process)


def _server_failure(process) -> int:
    """The demo's server did not start: the TUI said so in a notification; say it again on the
    restored terminal, where it stays (with its last words and what to do), and exit with 1. (Not
    when the app quit while it was starting: stopping it was the app's doing.)"""
    if not process.failed or process.error is None:
        return 0
    # lazy, for start-up: workbench.errors, workbench.textsafe load on first use
    from workbench.errors import WorkbenchError
    from workbench.textsafe import printable

    error = process.error
    message = error.message if isinstance(error, WorkbenchError) else f"{error!r}"
    print(f"workbench demo: {printable(message, multiline=True)}", file=sys.stderr)
    return error.exit_code if isinstance(error, WorkbenchError) else 1


def run_default(args) -> int:
    """Bare ``workbench``: the profile/environment site, or the welcome screen."""
    # lazy, for start-up: workbench.tui.warmup loads on first use
    from workbench.tui.warmup import pause_collector, resume_collector

    pause_collector()  # until the first frame shows the spaces (workbench.tui.warmup)
    try:
        # lazy, for start-up: workbench.services.sites loads on first use
        from workbench.services.sites import default_site

        settings = _settings()
        site = default_site(getattr(args, "profile", None))
        _require_terminal()
        # lazy, for start-up: workbench.tui.app (with platformdirs, rich, textual …) loads on first use
        from workbench.tui.app import WorkbenchApp

        app = WorkbenchApp(site, settings=settings)
        _prepare_images()
        app.run()
    finally:
        resume_collector()  # the app did not start, or it ended before start-up was over
    return exit_status(app)


def _prepare_images() -> None:
    """In a terminal that announces an image protocol, learn which before Textual takes the
    keyboard (``workbench.tui.images.prepare_graphics``; nothing happens in other terminals)."""
    # lazy, for start-up: workbench.tui.images loads on first use
    from workbench.tui.images import prepare_graphics

    prepare_graphics()


def exit_status(app) -> int:
    """The app's exit status: 0 after a normal quit; after a crash Textual has printed the error on
    the restored terminal, and the status is non-zero (1) so scripts and shells see it."""
    code = app.return_code or 0
    if code and app.signalled is None:  # 128 + n after SIGHUP/SIGTERM is no crash
        # lazy, for start-up: workbench.config loads on first use
        from workbench.config import data_dir

        print(
            "workbench: the TUI stopped after an unexpected error (shown above). Drafts of unsaved "
            f"edits, if any could be written, are in {data_dir() / 'drafts'}: open the page again to "
            "get yours back.",
            file=sys.stderr,
        )
    return code
