"""Benchmark: ``zi-studio generate -n 4`` at 1536x2048 on the embedded engine, and library size.

Prints the median wall time of several whole runs of the command (start-up included) and the
library's bytes on disk per image. Run: ``python packaging/bench_generate.py [RUNS]``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as home:
        env = {k: v for k, v in os.environ.items() if k != "OPENAI_API_KEY"}
        env["ZI_STUDIO_HOME"] = home
        command = [
            sys.executable, "-m", "app.cli", "generate", "--engine", "local",
            "--description", "Minimal premium tea packaging on a white studio table",
            "--text", "headline=有机绿茶", "--text", "subhead=100g 无添加",
            "--size", "1536x2048", "-n", "4",
        ]  # fmt: skip
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, env=env, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        startup = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "app.cli", "--version"],
                check=True,
                env=env,
                stdout=subprocess.DEVNULL,
            )
            startup.append(time.perf_counter() - start)
        files = [p for p in Path(home).rglob("*") if p.is_file()]
        images = [p for p in files if p.suffix == ".png"]
        database = sum(p.stat().st_size for p in files if "library.sqlite" in p.name)
        image_bytes = sum(p.stat().st_size for p in images)
    median = statistics.median(times)
    print(
        f"generate n=4 1536x2048, local: median {median:.2f} s "
        f"(min {min(times):.2f}, max {max(times):.2f}, {runs} runs)"
    )
    print(f"  of which start-up (--version): median {statistics.median(startup):.2f} s")
    print(f"  per image: {median / 4:.2f} s")
    per_file = image_bytes / len(images) / 1024
    per_row = database / len(images) / 1024
    print(
        f"library: {len(images)} images, {per_file:.0f} KiB per image file, "
        f"database {per_row:.1f} KiB per image (with WAL)"
    )


if __name__ == "__main__":
    main()
