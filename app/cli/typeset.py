"""``zi-studio typeset`` and ``zi-studio compose``: the text layer, and the text over a background.

Neither calls a service: the typesetter sets the spec's blocks locally (CONTRACTS §2).
"""

from __future__ import annotations

import argparse
import io
import json
import re
from pathlib import Path
from typing import Any, Final

from app.cli.errors import CommandError, Exit, say_warning
from app.cli.inputs import check_image
from app.core.spec import Spec, SpecError
from app.core.spec_json import load_spec, spec_to_dict

_SIZE: Final = re.compile(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*")
MAX_SIDE: Final = 16384
MAX_PIXELS: Final = 64_000_000


def register(commands: Any) -> None:
    typeset = commands.add_parser(
        "typeset", help="the spec's texts alone on a transparent PNG (sends nothing)"
    )
    typeset.add_argument("spec_file", type=Path, metavar="SPEC.json")
    typeset.add_argument("--size", required=True, metavar="WxH", help="the layer's size")
    typeset.add_argument("--out", required=True, type=Path, metavar="LAYER.png")
    typeset.add_argument("--json", action="store_true", help="one JSON object: the lines set")
    typeset.set_defaults(handler=run_typeset)
    compose = commands.add_parser(
        "compose", help="set the spec's texts over a text-free image (sends nothing)"
    )
    compose.add_argument("background", type=Path, metavar="BACKGROUND")
    compose.add_argument("spec_file", type=Path, metavar="SPEC.json")
    compose.add_argument(
        "--out", required=True, type=Path, metavar="FILE",
        help=".png, .webp or .jpg: flattened; .psd or .ora: layered",
    )  # fmt: skip
    compose.add_argument("--json", action="store_true", help="one JSON object: the layers")
    compose.set_defaults(handler=run_compose)


def _spec(path: Path) -> Spec:
    try:
        loaded = load_spec(path)
    except SpecError as error:
        raise CommandError(str(error)) from None
    for warning in loaded.warnings:
        say_warning(warning)
    if not loaded.spec.texts:
        raise CommandError(f'{path}: the spec has no texts to set; add blocks under "texts"')
    return loaded.spec


def parse_layer_size(value: str) -> tuple[int, int]:
    match = _SIZE.fullmatch(value)
    width, height = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE) or width * height > MAX_PIXELS:
        raise CommandError(
            f"--size {value!r}: write WIDTHxHEIGHT in pixels, each side 1..{MAX_SIDE} "
            f"(for example 1024x1536)"
        )
    return width, height


def _check_out(path: Path, suffixes: tuple[str, ...]) -> None:
    if path.suffix.lower() not in suffixes:
        raise CommandError(
            f"--out {path}: end the name in {', '.join(suffixes)} to say what to write"
        )
    if path.is_dir():
        raise CommandError(f"--out {path}: is a folder; give a file name")
    if not path.parent.is_dir():
        raise CommandError(f"--out {path}: the folder {path.parent} does not exist")


def _write(path: Path, data: bytes) -> None:
    from app.store.files import StoreError, write_atomic

    try:
        write_atomic(path, data)
    except StoreError as error:
        raise CommandError(f"--out {path}: {error}") from None


def run_typeset(args: argparse.Namespace) -> int:
    spec = _spec(args.spec_file)
    width, height = parse_layer_size(args.size)
    _check_out(args.out, (".png",))
    from app.typeset.fonts import FontError
    from app.typeset.layout import layout_blocks
    from app.typeset.render import image_to_png_bytes, render_text_layer

    try:
        layouts = layout_blocks(spec.texts, width, height)
        data = image_to_png_bytes(render_text_layer(layouts, width, height))
    except FontError as error:
        raise CommandError(str(error)) from None
    _write(args.out, data)
    for layout in layouts:
        if layout.overflow:
            say_warning(f"{layout.role} {layout.text[:20]!r} does not fit its box; enlarge it")
    if args.json:
        blocks = [
            {"role": layout.role, "lines": list(layout.lines), "font_px": layout.font_px,
             "box": list(layout.box), "vertical": layout.vertical is not None}
            for layout in layouts
        ]  # fmt: skip
        print(json.dumps({"out": str(args.out), "blocks": blocks}, ensure_ascii=False))
    else:
        print(f"{args.out}  {width}x{height}, {len(layouts)} block(s)")
    return int(Exit.DONE)


def run_compose(args: argparse.Namespace) -> int:
    from PIL import Image

    from app.core.metadata import make_payload
    from app.store.layered import FLAT_FORMATS, LAYERED_FORMATS, write_composition
    from app.typeset.compose import block_layers, compose
    from app.typeset.fonts import FontError

    spec = _spec(args.spec_file)
    _check_out(args.out, (*FLAT_FORMATS, *LAYERED_FORMATS))
    source = check_image(args.background, what="BACKGROUND")
    with Image.open(io.BytesIO(source.data)) as opened:
        background = opened.convert("RGBA")
    try:
        composition = compose(background, spec.texts)
        layers = block_layers(composition)
    except FontError as error:
        raise CommandError(str(error)) from None
    size = f"{background.width}x{background.height}"
    payload = make_payload(spec=spec_to_dict(spec), model=spec.model, size=size, job_id=None)
    from app.store.files import StoreError

    try:
        write_composition(
            args.out,
            background=composition.background,
            text_layers=[(layer.name, layer.image, layer.offset) for layer in layers],
            flat=composition.flat,
            payload=payload,
        )
    except StoreError as error:
        raise CommandError(f"--out {args.out}: {error}") from None
    if args.json:
        described = [
            {"name": layer.name, "role": layer.role, "box": list(layer.box)} for layer in layers
        ]
        print(json.dumps({"out": str(args.out), "layers": described}, ensure_ascii=False))
    else:
        print(f"{args.out}  {size}, {len(layers)} text layer(s)")
    return int(Exit.DONE)
