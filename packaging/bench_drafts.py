"""How fast the local engine drafts: median of 5 runs for a 1024x1024 and a 3840x2160 draft
(layout, scene, text, PNG encoding and base64, as one non-streamed image), and for the time from
a streamed request through the SDK, in process, to its first partial image event.

Run: QT_QPA_PLATFORM=offscreen python packaging/bench_drafts.py
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.core.compiler import compile_prompt
from app.core.sizes import Size
from app.core.spec import Spec, TextBlock
from app.engine.local import create_app
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
    print(f"request to first partial:   {median_seconds(first_partial) * 1000:7.0f} ms (SDK)")


if __name__ == "__main__":
    main()
