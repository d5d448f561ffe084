"""Where Workbench keeps its files, and how it writes them: the config, data and cache directories
(platformdirs, which honours ``XDG_*``; ``WORKBENCH_*_DIR`` override), private folders (0700) and
atomic writes (a crash leaves the old file or the new one, never half)."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "workbench"


def config_dir() -> Path:
    # lazy, for start-up: platformdirs (with platformdirs) loads on first use
    from platformdirs import user_config_dir

    return Path(os.environ.get("WORKBENCH_CONFIG_DIR") or user_config_dir(APP_NAME))


def data_dir() -> Path:
    # lazy, for start-up: platformdirs (with platformdirs) loads on first use
    from platformdirs import user_data_dir

    return Path(os.environ.get("WORKBENCH_DATA_DIR") or user_data_dir(APP_NAME))


def cache_dir() -> Path:
    # lazy, for start-up: platformdirs (with platformdirs) loads on first use
    from platformdirs import user_cache_dir

    return Path(os.environ.get("WORKBENCH_CACHE_DIR") or user_cache_dir(APP_NAME))


def config_path() -> Path:
    return Path(os.environ.get("WORKBENCH_CONFIG") or config_dir() / "config.toml")


def _own_roots() -> tuple[list[Path], list[Path]]:
    """(Workbench's default directories, the directories the WORKBENCH_*_DIR variables name)."""
    # lazy, for start-up: platformdirs (with platformdirs) loads on first use
    from platformdirs import user_cache_dir, user_config_dir, user_data_dir

    defaults = [Path(f(APP_NAME)) for f in (user_config_dir, user_data_dir, user_cache_dir)]
    chosen = [
        Path(v)
        for v in (
            os.environ.get(n)
            for n in ("WORKBENCH_CONFIG_DIR", "WORKBENCH_DATA_DIR", "WORKBENCH_CACHE_DIR")
        )
        if v
    ]
    return defaults, chosen


def _is_own(path: Path) -> bool:
    """A directory Workbench owns: a default ``…/workbench`` directory or a folder inside it, or a
    folder inside a directory a WORKBENCH_*_DIR variable names (not that directory itself)."""
    defaults, chosen = _own_roots()
    return any(path == root or root in path.parents for root in defaults) or any(
        root in path.parents for root in chosen
    )


def private_dir(path: Path) -> Path:
    """``path`` as a directory only this user can enter (0700): drafts, locks, caches and the config
    name sites and pages, so other local users may not even list them.

    Missing directories (and missing parents) are created 0700. An existing one is tightened to 0700
    when it is Workbench's own (see :func:`_is_own`: earlier versions made them 0755); a directory
    you named with WORKBENCH_*_DIR, or any other existing parent, is left as it is. Windows ignores
    the modes. Raises OSError like ``mkdir``.
    """
    missing: list[Path] = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:  # another process made it in between
            pass
    if os.name == "posix" and not missing and _is_own(path):
        try:
            info = path.stat()
            if info.st_mode & 0o077 and info.st_uid == os.getuid():
                path.chmod(info.st_mode & 0o700 | 0o700)
        except OSError:
            pass  # not ours to change: leave it
    return path


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so a crash leaves either the old or the new file, never half.

    The file is 0600 (``mkstemp``) and its folder is made private (:func:`private_dir`)."""
    private_dir(path.parent)
    # lazy, for start-up: tempfile loads on first use
    import tempfile  # here, not at the top: only writes need it (keeps `workbench --help` fast)

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
