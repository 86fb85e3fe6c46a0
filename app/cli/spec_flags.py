"""The spec flags shared by prompt, estimate, generate and edit (CONTRACTS §2)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path

from app.cli.errors import CommandError, say_warning
from app.core.spec import ROLES, Spec, SpecError, TextBlock
from app.core.spec_json import LoadedSpec, load_spec, with_overrides
from app.core.text_check import TextError, check_text


def flag_text(flag: str) -> Callable[[str], str]:
    """An argparse ``type`` for a flag whose text goes into the prompt: checked like a spec's."""

    def checked(value: str) -> str:
        try:
            result = check_text(value, flag)
        except TextError as error:
            raise argparse.ArgumentTypeError(str(error).removeprefix(f"{flag}: ")) from None
        for warning in result.warnings:
            say_warning(warning)
        return result.text

    return checked


def add_spec_flags(parser: argparse.ArgumentParser, *, spec_file: bool = True) -> None:
    if spec_file:
        parser.add_argument("spec_file", nargs="?", metavar="SPEC.json", type=Path)
    group = parser.add_argument_group("spec flags (over the spec file)")
    group.add_argument("--description", metavar="TEXT", type=flag_text("--description"))
    group.add_argument("--style", metavar="TEXT", type=flag_text("--style"))
    group.add_argument(
        "--text",
        action="append",
        type=flag_text("--text"),
        metavar="ROLE=TEXT",
        help=f"a required text (repeatable; replaces the spec's texts); ROLE: {', '.join(ROLES)}",
    )
    group.add_argument("--ratio", metavar="W:H")
    group.add_argument("--tier", metavar="1k|2k|4k")
    group.add_argument("--size", metavar="WxH")
    group.add_argument("-n", type=int, metavar="N", help="variations, 1..10")
    group.add_argument("--quality", metavar="Q", help="low | medium | high | auto")
    group.add_argument("--background", metavar="B", help="auto | opaque | transparent")
    group.add_argument("--format", dest="output_format", metavar="F", help="png | webp | jpeg")
    group.add_argument("--compression", type=int, metavar="0..100", help="for webp and jpeg")
    group.add_argument("--ref", action="append", metavar="IMG", type=Path, help="repeatable")
    group.add_argument("--model", metavar="M")


def parse_text_flag(value: str) -> TextBlock:
    role, separator, text = value.partition("=")
    role = role.strip().lower()
    if not separator or role not in ROLES:
        raise CommandError(f"--text {value!r}: write ROLE=TEXT with ROLE one of {', '.join(ROLES)}")
    if not text.strip():
        raise CommandError(f"--text {value!r}: the text after '=' is empty")
    return TextBlock(role=role, text=text)


def spec_from_args(
    args: argparse.Namespace, *, base: Spec | None = None, require_content: bool = True
) -> Spec:
    """The spec file (or ``base``) with the flags over it; warnings go to stderr."""
    loaded = LoadedSpec(base or Spec(), ())
    if getattr(args, "spec_file", None) is not None:
        try:
            loaded = load_spec(args.spec_file)
        except SpecError as error:
            raise CommandError(str(error)) from None
    for warning in loaded.warnings:
        say_warning(warning)
    if args.ratio is not None and args.size is not None:
        raise CommandError("--ratio and --size: give one of them, not both")
    if args.n is not None and not 1 <= args.n <= 10:
        raise CommandError(f"-n {args.n}: the number of variations must be 1..10")
    texts = None if args.text is None else tuple(parse_text_flag(t) for t in args.text)
    refs = None if args.ref is None else tuple(os.path.abspath(p) for p in args.ref)
    spec = with_overrides(
        loaded.spec,
        description=args.description,
        style=args.style,
        texts=texts,
        ratio=args.ratio,
        tier=args.tier,
        size=args.size,
        n=args.n,
        quality=args.quality,
        background=args.background,
        output_format=args.output_format,
        output_compression=args.compression,
        model=args.model,
        references=refs,
    )
    if require_content and not spec.description.strip() and not spec.texts:
        raise CommandError("nothing to make: give a spec file, --description or --text")
    return spec
