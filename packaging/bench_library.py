"""How fast the library finds images, and how long an export of a 4K image takes.

Search: a library of 10,000 images (2,500 jobs of 4, Chinese headlines and subheads, English
descriptions, 1 in 9 favourites), rows written straight into a real library file; the median of 15
runs for a one-character query that matches many images, a two-character one, a rare
four-character one, one that matches nothing, favourites only, and everything. Three figures each:
``search_ids`` (the result, as a virtualised view needs it), that plus the records of the first 200
rows (``images_by_ids``: a screenful and more), and ``search`` building every record.
Export: the median of 5 runs of ``encode_export`` of a 3840x2160 RGBA PNG with the spec as PNG
(spec embedded, or not: only the metadata chunk changes), JPEG q90 and WebP q90.
Times are CPU time of the thread doing the work (this machine is shared; wall time is printed
beside it).

Run: python packaging/bench_library.py [--search-only]
"""

from __future__ import annotations

import io
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TypeVar

from PIL import Image

from app.core.export import ExportOptions, encode_export
from app.core.metadata import embed_metadata, make_payload
from app.core.request import ImageRequest
from app.store.library import Library, LibraryQuery
from app.store.paths import StudioPaths
from app.store.search import searchable_text

JOBS, PER_JOB = 2_500, 4
SEARCH_RUNS, EXPORT_RUNS = 15, 5
WORDS = ["龙井", "普洱", "乌龙", "花茶", "咖啡", "月饼", "春节", "中秋", "新品", "限定", "礼盒",
         "有机", "手工", "山泉", "果汁", "奶昔", "面包", "蛋糕", "火锅", "烧烤"]  # fmt: skip
T = TypeVar("T")
ADJECTIVES = ["minimal", "warm", "festive", "clean", "premium", "retro", "bright", "soft"]


def median_ms(run: Callable[[], T]) -> tuple[float, T]:
    """The median time of ``SEARCH_RUNS`` runs, in ms of this thread's CPU time: on a machine
    shared with other work the wall clock mostly measures the others (both are printed once)."""
    times: list[float] = []
    for _ in range(SEARCH_RUNS):
        start = time.thread_time()
        result = run()
        times.append((time.thread_time() - start) * 1000)
    return statistics.median(times), result


def median_wall_ms(run: Callable[[], object]) -> float:
    times: list[float] = []
    for _ in range(SEARCH_RUNS):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def fill(paths: StudioPaths) -> None:
    Library.open(paths).close()  # the real schema, every migration step applied
    rng = random.Random(11)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    connection = sqlite3.connect(paths.library_db)
    with connection:
        for number in range(JOBS):
            headline = "西湖龙井新茶" if number == 7 else "".join(rng.sample(WORDS, 2))
            texts = [{"role": "headline", "text": headline},
                     {"role": "subhead", "text": f"{rng.randint(1, 999)}g 无添加"}]  # fmt: skip
            description = f"A {rng.choice(ADJECTIVES)} poster for {number}"
            spec = {"version": 1, "description": description, "texts": texts}
            request = ImageRequest(kind="generate", prompt=headline, n=PER_JOB)
            created = (start + timedelta(minutes=number * 90)).isoformat()
            job_id = f"job{number:05d}"
            connection.execute(
                "INSERT INTO jobs (id, kind, request_json, spec_json, engine, status, owner, "
                "created_at, search_text) VALUES (?, 'generate', ?, ?, 'local', 'done', 'b', ?, ?)",
                (job_id, json.dumps(request.to_json()), json.dumps(spec, ensure_ascii=False),
                 created, searchable_text("generate", spec, headline)),
            )  # fmt: skip
            for index in range(PER_JOB):
                connection.execute(
                    "INSERT INTO images (job_id, index_in_job, path, width, height, sha256, "
                    "favourite, output_format, created_at) VALUES (?, ?, ?, 1024, 1024, 'x', ?, "
                    "'png', ?)",
                    (job_id, index, f"2026/{job_id}-{index}.png", int(rng.random() < 1 / 9),
                     created),
                )  # fmt: skip
    connection.close()


QUERIES: list[tuple[str, LibraryQuery]] = [
    ("茶", LibraryQuery(text="茶")),
    ("龙井", LibraryQuery(text="龙井")),
    ("龙井新茶", LibraryQuery(text="龙井新茶")),
    ("不存在", LibraryQuery(text="不存在")),
    ("(favourites)", LibraryQuery(favourites_only=True)),
    ("(all)", LibraryQuery()),
]


def bench_search() -> None:
    with tempfile.TemporaryDirectory() as home:
        paths = StudioPaths.under(Path(home))
        fill(paths)
        with Library.open(paths) as library:
            count = len(library.search_ids())
            print(f"search over {count:,} images, median of {SEARCH_RUNS} (ms of CPU time):")
            header = f"{'query':<16} {'ids':>7} {'+200 records':>13} {'all records':>12}"
            print(f"  {header} {'found':>7} {'ids, wall':>10}")
            for label, query in QUERIES:
                ids_ms, ids = median_ms(partial(library.search_ids, query))
                page_ms, _ = median_ms(partial(library.images_by_ids, ids[:200]))
                all_ms, _ = median_ms(partial(library.search, query))
                wall_ms = median_wall_ms(partial(library.search_ids, query))
                figures = f"{ids_ms:7.1f} {ids_ms + page_ms:13.1f} {all_ms:12.1f}"
                print(f"  {label:<16} {figures} {len(ids):>7,} {wall_ms:10.1f}")


def bench_export() -> None:
    rng = random.Random(4)
    small = Image.frombytes("RGB", (480, 270), rng.randbytes(480 * 270 * 3))
    image = small.resize((3840, 2160), Image.Resampling.BICUBIC).convert("RGBA")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    spec = {"version": 1, "description": "poster", "texts": [{"role": "headline", "text": "绿茶"}]}
    payload = make_payload(spec=spec, model="gpt-image-2", size="3840x2160", job_id="j")
    source = embed_metadata(buffer.getvalue(), payload)
    print(f"export of a 3840x2160 PNG ({len(source) / 1e6:.1f} MB), median of {EXPORT_RUNS}:")
    for label, options in [
        ("PNG, spec embedded", ExportOptions("png")),
        ("PNG, no spec", ExportOptions("png", embed_spec=False)),
        ("JPEG q90", ExportOptions("jpeg", quality=90)),
        ("WebP q90", ExportOptions("webp", quality=90)),
    ]:
        times, cpu_times = [], []
        for _ in range(EXPORT_RUNS):
            start, cpu_start = time.perf_counter(), time.thread_time()
            out = encode_export(source, options, payload)
            times.append(time.perf_counter() - start)
            cpu_times.append(time.thread_time() - cpu_start)
        wall, cpu = statistics.median(times) * 1000, statistics.median(cpu_times) * 1000
        print(f"  {label:<28} {cpu:7.0f} ms CPU {wall:7.0f} ms wall  {len(out) / 1e6:.1f} MB")


if __name__ == "__main__":
    bench_search()
    if "--search-only" not in sys.argv:
        bench_export()
