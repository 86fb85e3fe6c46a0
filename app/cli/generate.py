"""``zi-studio generate`` and ``zi-studio edit`` (CONTRACTS §2): their flags.

The work is in ``app.cli.making``, imported when a command runs, so that ``--help`` and the other
commands start fast.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.spec_flags import add_spec_flags, flag_text


def register(commands: Any) -> None:
    generate = commands.add_parser("generate", help="make images from a spec")
    add_spec_flags(generate)
    add_output_flags(generate)
    generate.set_defaults(handler=run_generate)

    edit = commands.add_parser("edit", help="edit an image with an instruction")
    edit.add_argument("image", type=Path, metavar="IMAGE")
    edit.add_argument(
        "--instruction", required=True, metavar="TEXT", type=flag_text("--instruction")
    )
    edit.add_argument("--mask", type=Path, metavar="PNG")
    edit.add_argument(
        "--no-paste-back",
        dest="paste_back",
        action="store_false",
        help="with --mask: keep the model's whole image (default: the original outside the mask)",
    )
    add_spec_flags(edit, spec_file=False)
    add_output_flags(edit)
    edit.set_defaults(handler=run_edit)


def add_output_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("service flags")
    group.add_argument("--engine", choices=("local", "remote"), help="default: remote with a key")
    group.add_argument("--base-url", metavar="URL", help="an OpenAI-compatible service")
    group.add_argument("--timeout", type=float, metavar="SECONDS")
    group.add_argument("--max-retries", type=int, metavar="N")
    group.add_argument(
        "--partial-images",
        type=int,
        metavar="N",
        help="stream N previews per image, 0..3 (default: the settings', else 0)",
    )
    parser.add_argument("--out", type=Path, metavar="DIR", help="also write the images here")
    parser.add_argument("--json", action="store_true", help="one JSON object per image")


def run_generate(args: argparse.Namespace) -> int:
    from app.cli import making

    return making.run_generate(args)


def run_edit(args: argparse.Namespace) -> int:
    from app.cli import making

    return making.run_edit(args)
