"""An edit on the embedded engine clears what it changes before drawing the new text, as a model
would: the mask's editable part, or (without a mask) the place of the text a "Replace text" turn
replaces. Through the official SDK to ``serve-local``; the base outside stays exactly as it was."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterator

import openai
import pytest
from PIL import Image, ImageChops

from app.core.compiler import compile_edit_prompt
from app.core.edit_turns import replaced_blocks, replaced_texts
from app.core.fidelity import RequiredText
from app.core.pasteback import api_mask
from app.core.spec import Spec, TextBlock
from app.core.spec_json import spec_to_dict
from app.ocr import OcrWorker
from tests.local_server import serve_local
from tests.ocr_fakes import offline_reader
from tests.ocr_images import render

OLD = "春日荼会"
NEW = "春日茶会"
BOX = (0.1, 0.1, 0.8, 0.2)
OLD_INK = (0x7A, 0x2E, 0x1B)  # a red-brown the engine never draws text in
SIZE = 1024
PIXEL_BOX = (102, 102, 922, 307)  # BOX at 1024 px: left, top, right, bottom

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def client() -> Iterator[openai.OpenAI]:
    with (
        serve_local() as base_url,
        openai.OpenAI(api_key="any", base_url=base_url, max_retries=0) as sdk,
    ):
        yield sdk


@pytest.fixture(scope="module")
def reader() -> Iterator[OcrWorker]:
    """The real offline text check, in its worker process."""
    worker = OcrWorker(make_reader=offline_reader)
    yield worker
    worker.close()


@pytest.fixture(scope="module")
def poster(qapp: object) -> bytes:
    """The wrong headline, dark red-brown on a light plain background."""
    return render([TextBlock("headline", OLD, BOX, color="#7a2e1b")], SIZE, SIZE)


def edited(
    client: openai.OpenAI,
    image: bytes,
    instruction: str,
    blocks: tuple[TextBlock, ...],
    mask: bytes | None = None,
) -> Image.Image:
    spec = Spec(description="a spring tea party poster", texts=blocks)
    body = {"zi_spec": json.dumps(spec_to_dict(spec), ensure_ascii=False)}
    prompt = compile_edit_prompt(instruction, blocks).text
    image_part = ("poster.png", image, "image/png")
    if mask is None:
        answer = client.images.edit(
            model="gpt-image-2", image=image_part, prompt=prompt, size=f"{SIZE}x{SIZE}",
            quality="low", extra_body=body,
        )  # fmt: skip
    else:
        answer = client.images.edit(
            model="gpt-image-2", image=image_part, prompt=prompt, size=f"{SIZE}x{SIZE}",
            quality="low", extra_body=body, mask=("mask.png", mask, "image/png"),
        )  # fmt: skip
    assert answer.data and answer.data[0].b64_json
    return Image.open(io.BytesIO(base64.b64decode(answer.data[0].b64_json))).convert("RGB")


def old_ink(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    """How many pixels in ``box`` are the old text's colour (within 40 on every channel)."""
    raw = image.crop(box).tobytes()
    pixels = zip(raw[0::3], raw[1::3], raw[2::3], strict=True)
    return sum(all(abs(a - b) <= 40 for a, b in zip(p, OLD_INK, strict=True)) for p in pixels)


def dark(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    return sum(value < 80 for value in image.crop(box).convert("L").tobytes())


def changed_outside(result: Image.Image, base: Image.Image, box: tuple[int, int, int, int]) -> bool:
    difference = ImageChops.difference(result, base)
    difference.paste((0, 0, 0), box)
    return difference.getbbox() is not None


def test_a_masked_edit_clears_the_editable_part_then_draws_the_new_text(
    client: openai.OpenAI, poster: bytes
) -> None:
    base = Image.open(io.BytesIO(poster)).convert("RGB")
    assert old_ink(base, PIXEL_BOX) > 500  # the wrong text is there to begin with
    coverage = Image.new("L", (SIZE, SIZE), 0)
    coverage.paste(255, PIXEL_BOX)
    instruction = f'Replace the text "{OLD}" with exactly "{NEW}". Change nothing else.'
    blocks = (TextBlock("headline", NEW, BOX),)
    result = edited(client, poster, instruction, blocks, mask=api_mask(coverage))
    assert old_ink(result, PIXEL_BOX) == 0  # nothing of the old glyphs is left
    assert dark(result, PIXEL_BOX) > 500  # the new text is drawn there
    assert not changed_outside(result, base, PIXEL_BOX)  # the outside is the base's, exactly


def test_a_replace_text_turn_without_a_mask_clears_the_old_texts_place(
    client: openai.OpenAI, poster: bytes
) -> None:
    base = Image.open(io.BytesIO(poster)).convert("RGB")
    instruction, blocks = replaced_blocks((TextBlock("headline", OLD, BOX),), 0, NEW)
    result = edited(client, poster, instruction, blocks)
    assert old_ink(result, (0, 0, SIZE, SIZE)) == 0
    assert dark(result, PIXEL_BOX) > 500
    left, top, right, bottom = PIXEL_BOX
    margin = 40  # the cleared place reaches a little past the lines
    grown = (left - margin, top - margin, right + margin, bottom + margin)
    assert not changed_outside(result, base, grown)


def test_the_replaced_texts_are_read_back_from_the_turns_prompt() -> None:
    blocks = (TextBlock("headline", "春日限定"), TextBlock("subhead", "他说“好”"))
    instruction, new_blocks = replaced_blocks(blocks, 1, "明前龙井")
    prompt = compile_edit_prompt(instruction, new_blocks).text
    assert replaced_texts(prompt) == ((1, "他说“好”"),)
    assert replaced_texts("Replace the text “春日” with “夏日”") == ()  # typed, not a turn


def test_the_fill_passes_over_another_texts_strokes_that_the_mask_cuts(poster: bytes) -> None:
    """The editable part's lower edge runs through a text: its strokes are not carried into the
    fill (as streaks); the fill is the background's colour."""
    from PySide6.QtGui import QColor, QImage, QPainter

    from app.engine.local.fill import fill_editable

    base = QImage.fromData(
        render([TextBlock("subhead", "休闲时光 新品上市", (0.1, 0.3, 0.8, 0.1))])
    )
    keep = QImage(SIZE, SIZE, QImage.Format.Format_Alpha8)
    keep.fill(255)
    painter = QPainter(keep)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
    painter.fillRect(60, 60, 900, 300, QColor(0, 0, 0, 0))  # ends half way down the subhead
    painter.end()
    filled = fill_editable(base, keep).convertToFormat(QImage.Format.Format_RGB32)
    background = QColor("#f4efe6")
    worst = max(
        max(
            abs(colour.red() - background.red()),
            abs(colour.green() - background.green()),
            abs(colour.blue() - background.blue()),
        )
        for colour in (
            filled.pixelColor(x, y) for x in range(60, 960, 3) for y in range(60, 300, 3)
        )
    )
    assert worst <= 6, worst


TYPED_OLD = "Engineering Camp"
TYPED_NEW = "Engineer 训练营"  # ("AI" reads back as "Al" in this font)
KEPT = TextBlock("subhead", "春日限定", (0.1, 0.55, 0.8, 0.12), color="#1b3a7a")


@pytest.fixture(scope="module")
def two_texts(qapp: object) -> bytes:
    """The headline to be replaced (red-brown) and a subhead that stays (dark blue)."""
    return render([TextBlock("headline", TYPED_OLD, BOX, color="#7a2e1b"), KEPT], SIZE, SIZE)


@pytest.mark.parametrize(
    "instruction",
    [
        f'change "{TYPED_OLD}" to "{TYPED_NEW}"',
        f"把“{TYPED_OLD}”改成“{TYPED_NEW}”",
        f"将标题改为「{TYPED_NEW}」",
        f"make the headline say '{TYPED_NEW}'",
        f"headline: {TYPED_NEW}",
        f"replace {TYPED_OLD} with {TYPED_NEW}",
    ],
)
def test_a_typed_replace_clears_the_old_text_and_leaves_the_rest_as_it_was(
    client: openai.OpenAI, reader: OcrWorker, two_texts: bytes, instruction: str
) -> None:
    """The designer's own words for a replacement, sent with the image's texts as they were
    (the command line's edit, another tool): the old text's place is cleared, the new text set
    there in the block's colour, and every other pixel (the other text too) is the base's. The
    real text check reads the new text exactly and the old one no more."""
    base = Image.open(io.BytesIO(two_texts)).convert("RGB")
    blocks = (TextBlock("headline", TYPED_OLD, BOX, color="#7a2e1b"), KEPT)
    result = edited(client, two_texts, instruction, blocks)
    left, top, right, bottom = PIXEL_BOX
    margin = 40  # the cleared place reaches a little past the lines
    grown = (left - margin, top - margin, right + margin, bottom + margin)
    assert not changed_outside(result, base, grown)
    assert old_ink(result, PIXEL_BOX) > 500  # the block's own colour
    buffer = io.BytesIO()
    result.save(buffer, "PNG")
    required = [RequiredText(TYPED_NEW, "headline"), RequiredText(KEPT.text, "subhead")]
    check = reader.check(buffer.getvalue(), required)
    assert check.exact, check
    read = check.read_text.replace(" ", "")
    assert "Engineering" not in read and "Camp" not in read, read


def test_an_instruction_that_is_no_replacement_keeps_drawing_as_before(
    client: openai.OpenAI, two_texts: bytes
) -> None:
    blocks = (TextBlock("headline", TYPED_OLD, BOX, color="#7a2e1b"), KEPT)
    result = edited(client, two_texts, "make the background sunset", blocks)
    assert old_ink(result, PIXEL_BOX) > 500  # the headline is still there, as it was
