"""A library of real images for the Library view's screenshots and benchmark.

Each job is a small poster (a coloured ground, a block, its Chinese headline set in the bundled
font) carrying its spec as the studio writes it, saved through ``Library`` as a job would be.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from app.core.metadata import embed_metadata, make_payload
from app.core.request import ImageRequest
from app.store.library import Library
from app.store.paths import StudioPaths
from app.typeset.fonts import packaged_font_path

HEADLINES = [
    "有机绿茶", "珍珠奶茶", "西湖龙井", "中秋月饼", "春节礼盒", "手工面包", "山泉咖啡", "草莓蛋糕",
    "桂花乌龙", "麻辣火锅", "新品上市", "限定奶昔", "普洱熟茶", "鲜榨果汁", "夏日冰饮", "茉莉花茶",
]  # fmt: skip
COLOURS = ["#e8f1e4", "#fbe9e7", "#e3f2fd", "#fff8e1", "#f3e5f5", "#e0f7fa", "#fce4ec", "#efebe9"]


def poster(headline: str, side: int, rng: random.Random, font: ImageFont.FreeTypeFont) -> bytes:
    ground = rng.choice(COLOURS)
    image = Image.new("RGB", (side, side), ground)
    draw = ImageDraw.Draw(image)
    accent = tuple(rng.randint(40, 200) for _ in range(3))
    inset = side // 6
    draw.rounded_rectangle(
        (inset, side // 3, side - inset, side - inset), radius=side // 20, fill=accent
    )
    draw.text((side // 2, side // 6), headline, font=font, fill="#222222", anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def fill_library(paths: StudioPaths, jobs: int, per_job: int, *, side: int = 512) -> int:
    """``jobs`` jobs of ``per_job`` images each; returns how many images were written."""
    rng = random.Random(11)
    font = ImageFont.truetype(str(packaged_font_path()), side // 9)
    written = 0
    with Library.open(paths) as library:
        for number in range(jobs):
            headline = HEADLINES[number % len(HEADLINES)]
            spec = {
                "version": 1,
                "description": f"A {rng.choice(['clean', 'warm', 'festive'])} poster, {number}",
                "texts": [{"role": "headline", "text": headline}],
                "ratio": "1:1",
                "n": per_job,
            }
            request = ImageRequest(kind="generate", prompt=headline, n=per_job, size="1024x1024")
            job_id = library.create_job(kind="generate", request=request, engine="local", spec=spec)
            library.mark_running(job_id)
            payload = make_payload(spec=spec, model=request.model, size="1024x1024", job_id=job_id)
            for index in range(per_job):
                data = embed_metadata(poster(headline, side, rng, font), payload)
                record = library.add_image(
                    job_id, index, data, width=side, height=side, output_format="png"
                )
                if rng.random() < 1 / 6:
                    library.set_favourite(record.id)
                written += 1
            library.finish_job(job_id, None, None)
    return written


def references(folder: Path, count: int) -> list[Path]:
    """``count`` reference pictures of different shapes, written into ``folder``."""
    rng = random.Random(5)
    folder.mkdir(parents=True, exist_ok=True)
    font = ImageFont.truetype(str(packaged_font_path()), 40)
    made = []
    for number in range(count):
        path = folder / f"reference-{number + 1}.png"
        path.write_bytes(poster(HEADLINES[(number * 5) % len(HEADLINES)], 360, rng, font))
        made.append(path)
    return made
