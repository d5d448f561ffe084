"""Reading a file named on the command line (``-`` is standard input), for every command.

Each way reading can fail is one plain sentence (exit 2) that names the file and says what to do.
"""

from __future__ import annotations

import sys

from workbench.errors import UsageError


def read_text_input(path: str, what: str = "File") -> str:
    """The UTF-8 text of ``path`` (``-``: standard input); ``what`` names it in messages ("Markdown file")."""
    if path == "-":
        try:
            text = sys.stdin.read()
            text.encode("utf-8")  # a C locale reads undecodable bytes as lone surrogates
        except (UnicodeDecodeError, UnicodeEncodeError):
            raise UsageError(
                f"{what} on standard input is not UTF-8 text; convert it to UTF-8 and try again."
            ) from None
        return text
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except FileNotFoundError:
        raise UsageError(f"{what} '{path}' does not exist. Check the path and try again.") from None
    except IsADirectoryError:
        raise UsageError(f"{what} '{path}' is a directory, not a file.") from None
    except UnicodeDecodeError:
        raise UsageError(
            f"{what} '{path}' is not UTF-8 text; save it as UTF-8 and try again."
        ) from None
    except OSError as exc:
        raise UsageError(f"Cannot read {what.lower()} '{path}': {exc.strerror or exc}.") from None
