"""200 rows of a template on the embedded engine: ``--via direct`` and ``--via batch``.

Each run is ``zi-studio batch SPEC --rows TABLE.csv`` as users run it, in a new process with a new
studio home (1024x1024, low quality, n=1, one headline and one price per row):

- direct, ``--concurrency 4``: wall time, images per minute, the process's peak memory (maxrss);
- batch: the time until ``batch BATCH_ID`` is printed (submitted: jobs recorded, file uploaded,
  batch created) and until the command ends (every result collected into the library), and the
  peak memory.

Medians of RUNS runs. Run from the repository root:
    QT_QPA_PLATFORM=offscreen python packaging/bench_batch.py [ROWS] [RUNS]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = {
    "version": 1,
    "description": "A product card for {name} on a white studio table",
    "texts": [{"role": "headline", "text": "{name}"}, {"role": "price", "text": "¥{price}"}],
    "size": "1024x1024",
    "quality": "low",
    "n": 1,
}
TEAS = ("绿茶", "红茶", "白茶", "乌龙", "普洱", "花茶", "黄茶", "黑茶")


def _files(folder: Path, rows: int) -> tuple[Path, Path]:
    spec = folder / "card.json"
    spec.write_text(json.dumps(SPEC, ensure_ascii=False), "utf-8")
    table = folder / "rows.csv"
    lines = ["name,price", *(f"{TEAS[i % 8]}{i:03d},{19 + i % 80}" for i in range(rows))]
    table.write_text("\n".join(lines) + "\n", "utf-8")
    return spec, table


def _run(args: list[str], home: Path) -> tuple[float, float | None, float, str]:
    """Wall seconds, seconds until a ``batch`` line (if any), peak RSS in MB, stdout."""
    env = {**os.environ, "ZI_STUDIO_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("OPENAI_API_KEY", None)
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "batch", *args], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    submitted = None
    out = []
    for line in process.stdout:
        if submitted is None and line.startswith("batch "):
            submitted = time.perf_counter() - start
        out.append(line)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"zi-studio batch {' '.join(args)} failed")
    return wall, submitted, usage.ru_maxrss / 1024, "".join(out)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    direct: list[tuple[float, float]] = []
    batch: list[tuple[float, float, float]] = []
    with tempfile.TemporaryDirectory() as folder:
        spec, table = _files(Path(folder), rows)
        for run in range(runs):
            home = Path(folder) / f"direct-{run}"
            wall, _, rss, out = _run([str(spec), "--rows", str(table), "--concurrency", "4"], home)
            assert out.count("1024x1024") == rows, out[-400:]
            direct.append((wall, rss))
            home = Path(folder) / f"batch-{run}"
            wall, submitted, rss, out = _run(
                [str(spec), "--rows", str(table), "--via", "batch"], home
            )
            assert submitted is not None and out.count("1024x1024") == rows
            batch.append((submitted, wall, rss))
            print(f"run {run + 1}: direct {direct[-1][0]:.1f} s; batch submitted "
                  f"{submitted:.1f} s, results {wall:.1f} s", flush=True)  # fmt: skip
    wall = statistics.median(d[0] for d in direct)
    print(f"{rows} rows, medians of {runs} runs on {os.cpu_count()} cores:")
    print(f"  --via direct --concurrency 4: {wall:.1f} s, {rows / wall * 60:.0f} images/min, "
          f"peak RSS {statistics.median(d[1] for d in direct):.0f} MB")  # fmt: skip
    print(f"  --via batch: submitted after {statistics.median(b[0] for b in batch):.1f} s, "
          f"results after {statistics.median(b[1] for b in batch):.1f} s, "
          f"peak RSS {statistics.median(b[2] for b in batch):.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
