"""Masked edits on the embedded engine: the job keeps the original outside the mask and says how
much the model had changed there; ``zi-studio edit --mask`` does the same, ``--no-paste-back`` not.

The embedded engine recomposes the input image and leaves the outside of a mask alone; a wrapper
(``Repainting``) makes it a model that changes every pixel, as real models are known to do.
"""

from __future__ import annotations

import asyncio
import dataclasses
import io
import random
from collections.abc import AsyncGenerator, Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from PySide6.QtWidgets import QApplication

from app.core.pasteback import FEATHER_PX
from app.core.plan import plan_edit
from app.core.request import ImageRequest
from app.core.sizes import Size
from app.core.spec import Spec
from app.core.spec_json import spec_to_dict
from app.engine.connect import local_http_client
from app.engine.service import (
    CompletedImage,
    ImageEvent,
    ImageService,
    OpenAIImageService,
    ServiceOptions,
)
from app.engine.transport import LOCAL_API_KEY, LOCAL_BASE_URL
from app.jobs.run import JobCallbacks, JobOutcome, JobRunner
from app.store.library import Library
from app.store.paths import StudioPaths
from tests.cli_process import run_cli

pytestmark = pytest.mark.gui

SIZE = 1024
EDITABLE = (256, 600, 768, 900)  # where the model may change pixels


@pytest.fixture(autouse=True)
def _qt(qapp: QApplication) -> None:
    """The engine draws with Qt: a QApplication exists first."""


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    with Library.open(StudioPaths.under(tmp_path / "home")) as opened:
        yield opened


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    """A noisy image to edit (every pixel different from its neighbours) and its mask."""
    image = Image.frombytes("RGB", (SIZE, SIZE), random.Random(7).randbytes(SIZE * SIZE * 3))
    image.save(tmp_path / "photo.png")
    mask = Image.new("RGBA", (SIZE, SIZE), (255, 255, 255, 255))
    mask.paste((0, 0, 0, 0), EDITABLE)
    mask.save(tmp_path / "mask.png")
    return tmp_path / "photo.png", tmp_path / "mask.png"


def repainted(data: bytes) -> bytes:
    """Every channel of every pixel moved by half the range."""
    with Image.open(io.BytesIO(data)) as image:
        rgb = image.convert("RGB")
    moved = ImageChops.add_modulo(rgb, Image.new("RGB", rgb.size, (128, 128, 128)))
    buffer = io.BytesIO()
    moved.save(buffer, "PNG")
    return buffer.getvalue()


class Repainting:
    """The embedded engine, with every pixel of each image it completes changed."""

    def __init__(self, engine: ImageService) -> None:
        self.engine = engine
        self.sent: list[bytes] = []

    async def _repaint(
        self, events: AsyncGenerator[ImageEvent, None]
    ) -> AsyncGenerator[ImageEvent, None]:
        async for event in events:
            if isinstance(event, CompletedImage):
                event = dataclasses.replace(event, data=repainted(event.data))
                self.sent.append(event.data)
            yield event

    def generate(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        return self._repaint(self.engine.generate(request))

    def edit(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        return self._repaint(self.engine.edit(request))


def embedded_engine() -> OpenAIImageService:
    options = ServiceOptions(
        api_key=LOCAL_API_KEY, base_url=LOCAL_BASE_URL, timeout=120, max_retries=0
    )
    return OpenAIImageService(options, http_client=local_http_client())


def run_masked_edit(
    library: Library, files: tuple[Path, Path], *, repaint: bool, paste_back: bool = True
) -> tuple[JobOutcome, list[str], Repainting | None]:
    image, mask = files
    spec = Spec()
    plan = plan_edit(
        spec, instruction="Make the table dark walnut", image=str(image), blocks=(),
        mask=str(mask), stream=True, input_sizes=[(SIZE, SIZE)], size=Size(SIZE, SIZE),
    )  # fmt: skip
    notes: list[str] = []

    async def run() -> tuple[JobOutcome, Repainting | None]:
        engine = embedded_engine()
        service: ImageService = Repainting(engine) if repaint else engine
        runner = JobRunner(service=service, library=library, engine_label="local", billed=False)
        try:
            outcome = await runner.run(
                plan, spec_json=spec_to_dict(spec), paste_back=paste_back,
                callbacks=JobCallbacks(on_note=notes.append),
            )  # fmt: skip
        finally:
            await engine.close()
        return outcome, service if isinstance(service, Repainting) else None

    outcome, repainting = asyncio.run(run())
    assert outcome.error is None, outcome.error
    return outcome, notes, repainting


def pixels(path_or_bytes: Path | bytes) -> Image.Image:
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    with Image.open(source) as image:
        return image.convert("RGB")


def outside(image: Image.Image) -> bytes:
    copy = image.copy()
    copy.paste((0, 0, 0), EDITABLE)
    return copy.tobytes()


def deep_inside(image: Image.Image) -> bytes:
    left, top, right, bottom = EDITABLE
    by = FEATHER_PX - 1
    return image.crop((left + by, top + by, right - by, bottom - by)).tobytes()


def test_a_model_that_changes_every_pixel_is_pasted_back(
    library: Library, files: tuple[Path, Path]
) -> None:
    outcome, notes, repainting = run_masked_edit(library, files, repaint=True)
    assert repainting is not None
    (saved,) = outcome.images
    kept, original, model = (
        pixels(saved.record.path),
        pixels(files[0]),
        pixels(repainting.sent[0]),
    )
    assert outside(model) != outside(original)  # the model did change the outside
    assert outside(kept) == outside(original)
    assert deep_inside(kept) == deep_inside(model)
    assert saved.changed_outside_pct == 100.0
    assert notes == [
        "image 1: the model had changed 100.0% of the pixels outside the mask; the original's "
        "are kept there"
    ]
    assert saved.record.output_format == "png"


def test_paste_back_off_keeps_the_models_whole_image(
    library: Library, files: tuple[Path, Path]
) -> None:
    outcome, notes, repainting = run_masked_edit(library, files, repaint=True, paste_back=False)
    assert repainting is not None
    (saved,) = outcome.images
    assert pixels(saved.record.path).tobytes() == pixels(repainting.sent[0]).tobytes()
    assert saved.changed_outside_pct == 100.0
    assert "100.0%" in notes[0] and "paste-back is off" in notes[0]


def test_the_embedded_engine_keeps_the_outside_so_nothing_changed_there(
    library: Library, files: tuple[Path, Path]
) -> None:
    outcome, notes, _ = run_masked_edit(library, files, repaint=False)
    (saved,) = outcome.images
    assert saved.changed_outside_pct == 0.0
    assert "0.0%" in notes[0]
    assert outside(pixels(saved.record.path)) == outside(pixels(files[0]))


def test_edit_with_a_mask_on_the_command_line(tmp_path: Path, files: tuple[Path, Path]) -> None:
    image, mask = files
    home = tmp_path / "cli-home"
    base = ("edit", str(image), "--instruction", "Make the table dark walnut", "--mask", str(mask))
    pasted = run_cli(home, *base)
    assert pasted.returncode == 0, pasted.stderr
    assert "changed 0.0% of the pixels outside the mask; the original's are kept" in pasted.stderr
    whole = run_cli(home, *base, "--no-paste-back")
    assert whole.returncode == 0, whole.stderr
    assert "(kept: paste-back is off)" in whole.stderr
