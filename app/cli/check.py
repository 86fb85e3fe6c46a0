"""``zi-studio check``: read an image's text back; say per block whether it came out exactly."""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path
from typing import Any

from app.cli.errors import CommandError, Exit, say_warning
from app.cli.inputs import check_image
from app.core.fidelity import BlockCheck, RequiredText, TextCheck
from app.core.metadata import MetadataError, read_metadata
from app.core.spec import ROLES, SpecError, TextBlock
from app.core.spec_json import load_spec, spec_from_dict
from app.core.text_check import printable


def register(commands: Any) -> None:
    check = commands.add_parser(
        "check",
        help="read an image's text back and compare it with the texts asked for",
        description="Reads the text in IMAGE (offline OCR) and compares it with each required "
        "text block. Exit 0: every block exact; 1: some are not; 2: bad input.",
    )
    check.add_argument("image", metavar="IMAGE", type=Path)
    check.add_argument("spec_file", nargs="?", metavar="SPEC.json", type=Path)
    check.add_argument(
        "--text",
        action="append",
        metavar="[ROLE=]TEXT",
        help="a text the image must carry (repeatable; replaces the spec's texts)",
    )
    check.add_argument("--json", action="store_true", help="one JSON object")
    check.set_defaults(handler=run_check)


def parse_check_text(value: str) -> RequiredText:
    """``ROLE=TEXT`` when the part before ``=`` is a role, else the whole value is the text."""
    role, separator, rest = value.partition("=")
    if separator and role.strip().lower() in ROLES:
        required = RequiredText(rest, role.strip().lower())
    else:
        required = RequiredText(value)
    if not required.text.strip():
        raise CommandError(f"--text {value!r}: the text is empty")
    return required


def _from_blocks(blocks: tuple[TextBlock, ...]) -> list[RequiredText]:
    return [RequiredText.from_block(block) for block in blocks if block.text.strip()]


def required_texts(args: argparse.Namespace, image_data: bytes) -> list[RequiredText]:
    """The texts to look for: --text, else the spec file's, else the image's own spec's."""
    if args.text:
        return [parse_check_text(value) for value in args.text]
    if args.spec_file is not None:
        try:
            loaded = load_spec(args.spec_file)
        except SpecError as error:
            raise CommandError(str(error)) from None
        for warning in loaded.warnings:
            say_warning(warning)
        texts = _from_blocks(loaded.spec.texts)
        if not texts:
            raise CommandError(f"{args.spec_file}: the spec has no texts to check; add --text")
        return texts
    try:
        payload = read_metadata(image_data)
    except MetadataError as error:
        raise CommandError(
            f"{args.image}: its studio data cannot be read ({error}); give SPEC.json or --text"
        ) from None
    spec_data = None if payload is None else payload.get("spec")
    if not isinstance(spec_data, dict):
        raise CommandError(
            f"{args.image} carries no studio spec: give SPEC.json or --text with the texts to check"
        )
    try:
        texts = _from_blocks(spec_from_dict(spec_data).spec.texts)
    except SpecError as error:
        raise CommandError(f"{args.image}: its studio spec is not usable ({error})") from None
    if not texts:
        raise CommandError(f"{args.image}: its spec has no texts to check; give --text")
    return texts


def _store(image_path: Path, data: bytes, check: TextCheck) -> list[int]:
    """Record the check for the library's images with these bytes; their ids."""
    from app.store.files import StoreError
    from app.store.library import Library
    from app.store.paths import StudioPaths

    try:
        with Library.open(StudioPaths.from_environment()) as library:
            found = library.find_image_by_path(image_path)
            images = [found] if found is not None else []
            images += library.find_images_by_sha256(hashlib.sha256(data).hexdigest())
            ids = sorted({image.id for image in images})
            for image_id in ids:
                library.record_text_check(image_id, check)
            return ids
    except StoreError as error:
        say_warning(f"the result could not be kept in the library ({error})")
        return []


def _describe(block: BlockCheck) -> str:
    """The block as lines for a terminal (anything that could drive it escaped)."""
    return printable(_lines(block))


def _lines(block: BlockCheck) -> str:
    label = f"{block.role}: " if block.role else ""
    if block.exact:
        return f"exact      {label}{block.text}"
    if not block.found:
        return f"not found  {label}{block.text}"
    wrong = []
    for item in block.differences:
        if item.kind == "wrong":
            note = " (look-alike)" if item.look_alike else ""
            wrong.append(f"{item.expected}→{item.found} at {item.position + 1}{note}")
        elif item.kind == "missing":
            wrong.append(f"{item.expected} missing at {item.position + 1}")
        else:
            wrong.append(f"extra {item.found} before {item.position + 1}")
    count = len(block.differences)
    characters = "character" if count == 1 else "characters"
    return (
        f"NOT EXACT  {label}{block.text}\n"
        f"           found {block.found} — {count} {characters} off: {', '.join(wrong)}"
    )


def run_check(args: argparse.Namespace) -> int:
    image = check_image(args.image, what="IMAGE")
    required = required_texts(args, image.data)
    from app.ocr import OcrError, OcrWorker  # the command's own work; --help stays quick

    with OcrWorker() as worker:
        try:
            check = worker.check(image.data, required)
        except OcrError as error:
            raise CommandError(str(error), Exit.NO_ANSWER) from None
    stored = _store(image.path, image.data, check)
    if args.json:
        result: dict[str, Any] = {
            "image": str(image.path),
            "exact": check.exact,
            "blocks": [block.to_json() for block in check.blocks],
            "read": check.read_text,
            "library_image_ids": stored,
        }
        print(json.dumps(result, ensure_ascii=False))
    else:
        for block in check.blocks:
            print(_describe(block))
        exact = sum(block.exact for block in check.blocks)
        print(f"{exact} of {len(check.blocks)} blocks exact ({check.seconds:.1f} s)")
    return int(Exit.DONE if check.exact else Exit.NOT_EXACT)
