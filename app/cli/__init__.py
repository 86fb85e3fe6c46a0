"""The ``zi-studio`` command line (CONTRACTS §2): the studio's job without the window."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version

from app.cli.errors import CommandError, Exit, say_error

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad flag as one line and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise CommandError(f"{message} (see '{self.prog} --help')")


def studio_version() -> str:
    try:
        return version("zi-studio")
    except PackageNotFoundError:
        return "0+unknown"


def build_parser() -> argparse.ArgumentParser:
    from app.cli import generate, info, resume, serve

    parser = _Parser(prog="zi-studio", description="Images with exact Chinese text.")
    parser.add_argument("--version", action="version", version=f"zi-studio {studio_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    info.register(commands)
    generate.register(commands)
    resume.register(commands)
    serve.register(commands)
    return parser


def _never_fail_to_print() -> None:
    """Text that cannot be encoded (a file name's stray bytes) is escaped, not a traceback."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    _never_fail_to_print()
    try:
        args = build_parser().parse_args(arguments)
        handler: Handler | None = getattr(args, "handler", None)
        if handler is None:
            raise CommandError(
                "give a command: generate, edit, prompt, estimate or serve-local "
                "(see 'zi-studio --help')"
            )
        return handler(args)
    except CommandError as error:
        say_error(str(error))
        return int(error.code)
    except KeyboardInterrupt:
        say_error("interrupted")
        return int(Exit.INTERRUPTED)
    except BrokenPipeError:
        return int(Exit.DONE)
