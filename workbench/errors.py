"""The root of every expected failure.

Anything that can go wrong because of the outside world (bad input, a server that says no, a network
that is down) raises a subclass of :class:`WorkbenchError`. Its ``message`` is one or two plain
sentences a person can act on; the command line prints it without a traceback and exits with
``exit_code``. Messages never contain secrets: every message is passed through
:func:`workbench.redact.redact` when the error is made, so a secret a server echoed back is hidden.
"""

from __future__ import annotations

from workbench.redact import redact


class WorkbenchError(Exception):
    """An expected failure with a message meant for a person."""

    exit_code: int = 1

    def __init__(self, message: str) -> None:
        message = redact(message)
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(WorkbenchError):
    """The user asked for something that cannot work as asked (bad argument, bad file)."""

    exit_code = 2


class ConfigError(WorkbenchError):
    """The configuration file is broken or names something that does not exist."""

    exit_code = 2
