"""The ``zi-studio`` command line (CONTRACTS §2): the studio's job without the window."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from app.cli.errors import CommandError, Exit, say_error

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad flag as one line and exit code 2."""

    command_names: frozenset[str] = frozenset()

    def error(self, message: str) -> None:  # type: ignore[override]
        raise CommandError(f"{message} (see '{self.prog} --help')")


def studio_version() -> str:
    try:
        return version("zi-studio")
    except PackageNotFoundError:
        return "0+unknown"


def build_parser() -> _Parser:
    from app.cli import batch, check, generate, info, library, resume, serve, typeset

    parser = _Parser(prog="zi-studio", description="Images with exact Chinese text.")
    parser.add_argument("--version", action="version", version=f"zi-studio {studio_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    info.register(commands)
    generate.register(commands)
    resume.register(commands)
    serve.register(commands)
    check.register(commands)
    library.register(commands)
    typeset.register(commands)
    batch.register(commands)
    parser.command_names = frozenset(commands.choices)
    return parser


def _opens_window(arguments: list[str], parser: _Parser) -> bool:
    """No arguments, or one that is a file rather than a command or a flag (CONTRACTS §2)."""
    if not arguments:
        return True
    first = arguments[0]
    return len(arguments) == 1 and not first.startswith("-") and first not in parser.command_names


def _open_window(arguments: list[str]) -> int:
    path = Path(arguments[0]) if arguments else None
    if path is not None and not path.is_file():
        raise CommandError(f"{path}: no such file (give a spec .json or a studio image)")
    from app.main import run  # Qt widgets load only for the window

    return run(path)


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
        parser = build_parser()
        if _opens_window(arguments, parser):
            return _open_window(arguments)
        args = parser.parse_args(arguments)
        handler: Handler | None = getattr(args, "handler", None)
        if handler is None:
            raise CommandError(
                "give a command: generate, edit, check, prompt, estimate or serve-local "
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
