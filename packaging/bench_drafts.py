"""How fast the local engine drafts: median of 5 runs for a 1024x1024 and a 3840x2160 draft
(layout, scene, text, PNG encoding and base64, as one non-streamed image), for a masked edit of
a 3840x2160 image (decoding the image and mask, clearing the editable area, the text, encoding),
and for the time from a streamed request through the SDK, in process, to its first partial image
event.

Run: QT_QPA_PLATFORM=offscreen python packaging/bench_drafts.py
"""

from __future__ import annotations

import asyncio
import base64
import os
import statistics
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.core.compiler import compile_prompt
from app.core.sizes import Size
from app.core.spec import Spec, TextBlock
from app.engine.local import create_app
from app.engine.local.inputs import Upload
from app.engine.local.job import prepare
from app.engine.local.params import DraftRequest
from app.engine.transport import local_client

RUNS = 5
PROMPT = compile_prompt(
    Spec(
        description="Professional product packaging photography of a premium green tea box on a "
        "clean white studio table, soft shadows",
        texts=(TextBlock("headline", "有机绿茶"), TextBlock("subhead", "100g 无添加")),
    )
).text


def median_seconds(run: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def draft(width: int, height: int) -> None:
    request = DraftRequest(kind="generate", prompt=PROMPT, size=Size(width, height))
    job = prepare(request, [], None)
    body = asyncio.run(job.response())
    assert body["data"][0]["b64_json"]


def edit_inputs(width: int, height: int) -> tuple[Upload, Upload]:
    """A draft of the prompt to edit, and a mask whose editable part is the headline's band."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage, QImageWriter, QPainter

    request = DraftRequest(kind="generate", prompt=PROMPT, size=Size(width, height))
    body = asyncio.run(prepare(request, [], None).response())
    image = base64.b64decode(body["data"][0]["b64_json"])
    mask = QImage(width, height, QImage.Format.Format_ARGB32)
    mask.fill(QColor(0, 0, 0, 255))
    painter = QPainter(mask)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
    # The headline's band is editable.
    painter.fillRect(width // 8, height // 10, width * 3 // 4, height // 5, QColor(0, 0, 0, 0))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert QImageWriter(buffer, b"png").write(mask)
    return Upload(image, "draft.png", "image/png"), Upload(bytes(data.data()), "mask.png")


def masked_edit(image: Upload, mask: Upload) -> None:
    prompt = compile_prompt(
        Spec(description="Replace the headline", texts=(TextBlock("headline", "明前龙井"),))
    ).text
    request = DraftRequest(kind="edit", prompt=prompt)
    job = prepare(request, [image], mask)
    body = asyncio.run(job.response())
    assert body["data"][0]["b64_json"]


def clearing(image: Upload, mask: Upload) -> Callable[[], object]:
    """Clearing the mask's editable part alone (``fill_editable``), on the decoded inputs."""
    from app.engine.local.fill import fill_editable
    from app.engine.local.inputs import decode_inputs

    inputs = decode_inputs([image], mask)
    assert inputs.mask is not None
    base, keep = inputs.images[0], inputs.mask
    return lambda: fill_editable(base, keep)


def first_partial() -> None:
    app = create_app()

    async def main() -> None:
        async with local_client(app, max_retries=0) as client:
            stream = await client.images.generate(
                prompt=PROMPT, size="1024x1024", stream=True, partial_images=2
            )
            async for event in stream:
                assert event.type == "image_generation.partial_image"
                break
            await stream.close()

    asyncio.run(main())


def main() -> None:
    create_app()  # the QGuiApplication and the font, loaded once, outside the timings
    draft(1024, 1024)  # warm caches
    print(f"1024x1024 draft:            {median_seconds(lambda: draft(1024, 1024)) * 1000:7.0f} ms")
    print(f"3840x2160 draft:            {median_seconds(lambda: draft(3840, 2160)) * 1000:7.0f} ms")
    image, mask = edit_inputs(3840, 2160)
    edit_ms = median_seconds(lambda: masked_edit(image, mask)) * 1000
    print(f"3840x2160 masked edit:      {edit_ms:7.0f} ms")
    fill_ms = median_seconds(clearing(image, mask)) * 1000
    print(f"  of which clearing the mask: {fill_ms:5.0f} ms")
    print(f"request to first partial:   {median_seconds(first_partial) * 1000:7.0f} ms (SDK)")


if __name__ == "__main__":
    main()
