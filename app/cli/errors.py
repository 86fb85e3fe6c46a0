"""How the command line ends: exit codes of CONTRACTS §2 and one-line messages."""

from __future__ import annotations

import sys
from enum import IntEnum

from app.core.text_check import printable


class Exit(IntEnum):
    DONE = 0
    NOT_EXACT = 1
    BAD_INPUT = 2
    SERVICE_ERROR = 3
    NO_ANSWER = 4
    INTERRUPTED = 130


class CommandError(Exception):
    """A failure the user can act on: printed as one line, then the process exits with ``code``."""

    def __init__(self, message: str, code: Exit = Exit.BAD_INPUT) -> None:
        super().__init__(message)
        self.code = code


def say_error(message: str) -> None:
    """One line on stderr, whatever the message held (a user's text cannot drive the terminal)."""
    print(f"zi-studio: {_one_line(message)}", file=sys.stderr)


def say_warning(message: str) -> None:
    print(f"zi-studio: warning: {_one_line(message)}", file=sys.stderr)


def _one_line(message: str) -> str:
    return printable(" ".join(message.split()))
