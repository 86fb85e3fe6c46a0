"""One checked request turned into drafts: the official response body, or its stream events.

Rendering and encoding run in worker threads (``asyncio.to_thread``); each stream event is handed
on as soon as its image is ready, so partial images really arrive before the final one exists.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import json
import time
from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass
from typing import Any

from app.core.compiler import parse_prompt
from app.core.cost import PARTIAL_IMAGE_TOKENS
from app.core.edit_turns import replaced_texts
from app.core.series import KEEP_THE_LOOK
from app.core.sizes import Size, nearest_valid_sizes
from app.core.spec import TextBlock
from app.core.text_replacement import read_replacement, replacement_in
from app.engine.local.draft import (
    PARTIAL_SCALES,
    Drafter,
    DraftPlan,
    encode,
    has_transparency,
    look_of,
)
from app.engine.local.faults import FaultPlan
from app.engine.local.inputs import EditInputs, Upload, decode_inputs
from app.engine.local.params import DraftRequest
from app.engine.local.usage import (
    NO_INPUT,
    Usage,
    input_usage,
    output_tokens,
    resolved_quality,
    with_output,
)
from app.typeset.render import Palette

DEFAULT_SIZE = Size(1024, 1024)
LAYOUT_HEADER = "x-zi-draft-layout"
"""A response header with the texts the draft laid out (role, text, lines): what a client or a
test can check against the prompt without reading pixels. Left out when it would be long."""
_MAX_LAYOUT_HEADER = 16 * 1024


@dataclass(frozen=True, slots=True)
class Settings:
    """What the engine actually does for a request: ``auto`` values resolved."""

    size: Size
    quality: str
    background: str
    output_format: str

    def to_json(self) -> dict[str, Any]:
        return {
            "size": str(self.size),
            "quality": self.quality,
            "background": self.background,
            "output_format": self.output_format,
        }


def _texts(request: DraftRequest) -> tuple[tuple[TextBlock, ...], str]:
    if request.spec is not None:
        spec = request.spec
        return spec.texts, f"{spec.description} {spec.style}".strip()
    parsed = parse_prompt(request.prompt)
    return parsed.text_blocks(), parsed.description


def _typed_replacement(
    request: DraftRequest, blocks: tuple[TextBlock, ...]
) -> tuple[tuple[TextBlock, ...], tuple[tuple[int, str], ...]]:
    """The blocks and the replaced texts of an edit whose typed instruction replaces a text
    ("change “A” to “B”", "将标题改为“B”"): the named block takes the new text, and the old
    one's place is cleared. Unchanged when the instruction asks for something else, or names no
    block of the image's texts (a hand-written prompt with no studio texts keeps its quotes)."""
    parsed = parse_prompt(request.prompt)
    if not parsed.structured and request.spec is None:
        return blocks, ()
    instruction = parsed.description if parsed.structured else request.prompt
    replacement = read_replacement(instruction, [block.text for block in blocks])
    target = None if replacement is None else replacement_in(blocks, replacement)
    if target is None:
        return blocks, ()
    index, old, new = target
    changed = tuple(
        dataclasses.replace(block, text=new) if number == index else block
        for number, block in enumerate(blocks)
    )
    return changed, ((index, old),)


def _edit_size(inputs: EditInputs) -> Size:
    """The first image's size, or the nearest size the API allows when it is not one."""
    width, height = inputs.sizes[0]
    return nearest_valid_sizes(width, height)[0]


def _background(request: DraftRequest, inputs: EditInputs | None) -> str:
    if request.background != "auto":
        return request.background
    if inputs is None or request.output_format == "jpeg":
        return "opaque"
    return "transparent" if has_transparency(inputs.images[0]) else "opaque"


class Job:
    """The drafts of one request. Build it with ``prepare`` (in a worker thread)."""

    def __init__(
        self, request: DraftRequest, drafter: Drafter, settings: Settings, usage: Usage
    ) -> None:
        self.request = request
        self.drafter = drafter
        self.settings = settings
        self.input_usage = usage
        self.tokens_per_image = output_tokens(
            request.model, request.quality, settings.size.width, settings.size.height
        )

    def layout_header(self) -> str | None:
        """The laid-out texts as ASCII JSON, or None when too long for a header."""
        blocks = [
            {"role": layout.role, "text": layout.text, "lines": list(layout.lines)}
            for layout in self.drafter.layouts
        ]
        value = json.dumps(blocks, ensure_ascii=True, separators=(",", ":"))
        return value if len(value) <= _MAX_LAYOUT_HEADER else None

    def _b64(self, index: int, scale: float, palettes: Sequence[Palette]) -> str:
        image = self.drafter.render(index, scale, palettes)
        data = encode(
            image,
            self.settings.output_format,
            self.request.output_compression,
            alpha=self.settings.background == "transparent",
            partial=scale < 1.0,
        )
        return base64.b64encode(data).decode("ascii")

    async def response(self) -> dict[str, Any]:
        """The non-streamed body: every image, then the settings and the request's usage."""
        images = []
        for index in range(self.request.n):
            palettes = await asyncio.to_thread(self.drafter.palettes, index)
            images.append({"b64_json": await asyncio.to_thread(self._b64, index, 1.0, palettes)})
        usage = with_output(self.input_usage, self.tokens_per_image * self.request.n)
        return {
            "created": int(time.time()),
            "data": images,
            **self.settings.to_json(),
            "usage": usage.to_json(),
        }

    async def events(self, faults: FaultPlan) -> AsyncGenerator[dict[str, Any], None]:
        """Stream events: each image's partials, then its completed event, image after image."""
        prefix = self.request.event_prefix
        for index in range(self.request.n):
            palettes = await asyncio.to_thread(self.drafter.palettes, index)
            for number, scale in enumerate(PARTIAL_SCALES[self.request.partial_images]):
                b64 = await asyncio.to_thread(self._b64, index, scale, palettes)
                yield {
                    "type": f"{prefix}.partial_image",
                    "b64_json": b64,
                    "created_at": int(time.time()),
                    "partial_image_index": number,
                    **self.settings.to_json(),
                }
            if faults.hold_final is not None:
                await faults.hold_final.wait()
            b64 = await asyncio.to_thread(self._b64, index, 1.0, palettes)
            usage = self.input_usage if index == 0 else NO_INPUT
            # Each partial image streamed is billed as output tokens too (DESIGN §3).
            partials = len(PARTIAL_SCALES[self.request.partial_images]) * PARTIAL_IMAGE_TOKENS
            yield {
                "type": f"{prefix}.completed",
                "b64_json": b64,
                "created_at": int(time.time()),
                **self.settings.to_json(),
                "usage": with_output(usage, self.tokens_per_image + partials).to_json(),
            }


def prepare(request: DraftRequest, images: Sequence[Upload], mask: Upload | None) -> Job:
    """Checks and decodes the inputs (edits), resolves the settings and lays the text out.

    Runs in a worker thread; raises ``ApiError`` for images the API would refuse.
    """
    inputs = decode_inputs(images, mask) if request.kind == "edit" else None
    if request.size is not None:
        size = request.size
    else:
        size = DEFAULT_SIZE if inputs is None else _edit_size(inputs)
    settings = Settings(
        size=size,
        quality=resolved_quality(request.quality),
        background=_background(request, inputs),
        output_format=request.output_format,
    )
    blocks, description = _texts(request)
    base = None if inputs is None else inputs.images[0]
    as_reference = request.spec is not None and bool(request.spec.references)
    replaced: tuple[tuple[int, str], ...] = ()
    if base is not None and (as_reference or KEEP_THE_LOOK in request.prompt):
        base = look_of(base)  # a reference (a series' earlier shot), not an image to edit
    elif base is not None:
        replaced = replaced_texts(request.prompt)  # the Edit panel's "Replace text"
        if not replaced:  # or the designer's own words for it
            blocks, replaced = _typed_replacement(request, blocks)
    plan = DraftPlan(
        width=size.width,
        height=size.height,
        blocks=blocks,
        description=description,
        transparent=settings.background == "transparent",
        base=base,
        mask=None if inputs is None else inputs.mask,
        text_free=request.spec is not None and request.spec.exact_text,
        replaced=replaced,
    )
    usage = input_usage(request.prompt, inputs.sizes if inputs is not None else ())
    return Job(request, Drafter(plan), settings, usage)
