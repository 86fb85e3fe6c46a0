"""How fast the text check is, what it costs in memory, and whether the window stays smooth.

- warm: seconds per 1024x1024 image with the worker already running (median of every check of
  ten posters, two rounds);
- cold: the first check of a new worker, process start and model loading included (median of 3);
- the worker's peak memory (VmHWM of its process);
- the GUI thread: a 5 ms QTimer on a QGuiApplication (offscreen) under a qasync loop while ten
  images are checked with ``check_async``; the gaps between its ticks (p99 and the longest).

Run from the repository root: QT_QPA_PLATFORM=offscreen python packaging/bench_check.py
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import qasync
from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtGui import QGuiApplication

from app.core.fidelity import RequiredText
from app.core.spec import TextBlock
from app.ocr import OcrWorker
from tests.ocr_images import Background, render

HEADLINES = ("有机绿茶", "明前龙井", "春节快乐", "限时特惠", "新品上市",
             "中秋团圆", "匠心好茶", "清香四溢", "品质之选", "岁月静好")  # fmt: skip
BACKGROUNDS: tuple[Background, ...] = ("plain", "gradient", "noise")
COLD_RUNS = 3
TICK_MS = 5


def posters() -> list[tuple[bytes, list[RequiredText]]]:
    result = []
    for index, headline in enumerate(HEADLINES):
        blocks = [
            TextBlock("headline", headline, (0.1, 0.08, 0.8, 0.18)),
            TextBlock("subhead", "100g 无添加·清香型", (0.15, 0.32, 0.7, 0.07)),
            TextBlock("body", "采自高山云雾茶园，手工杀青，三道工序。", (0.1, 0.5, 0.8, 0.06)),
            TextBlock("price", f"¥{39 + index}.9", (0.3, 0.78, 0.4, 0.1)),
        ]
        png = render(blocks, background=BACKGROUNDS[index % 3], seed=index)
        result.append((png, [RequiredText.from_block(block) for block in blocks]))
    return result


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far: what a check costs whatever else runs."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cold_seconds(image: bytes, required: list[RequiredText]) -> float:
    times = []
    for _ in range(COLD_RUNS):
        start = time.perf_counter()
        with OcrWorker() as worker:
            worker.check(image, required)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def gui_gaps(
    loop: asyncio.AbstractEventLoop,
    worker: OcrWorker | None,
    images: list[tuple[bytes, list[RequiredText]]],
    idle_seconds: float,
) -> list[float]:
    """Gaps (ms) between the ticks of a 5 ms timer while ten images are checked asynchronously,
    or, without a worker, while the loop idles for ``idle_seconds`` (the machine's own jitter)."""
    gaps: list[float] = []
    clock = QElapsedTimer()
    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.setTimerType(Qt.TimerType.PreciseTimer)

    def tick() -> None:
        if clock.isValid():
            gaps.append(clock.nsecsElapsed() / 1e6)
        clock.restart()

    timer.timeout.connect(tick)

    async def run() -> list[bool]:
        timer.start()
        if worker is None:
            await asyncio.sleep(idle_seconds)
            results = []
        else:
            results = await asyncio.gather(
                *(worker.check_async(image, required) for image, required in images)
            )
        timer.stop()
        return [result.exact for result in results]

    exact = loop.run_until_complete(run())
    if worker is not None:
        print(f"  (async checks exact: {sum(exact)} of {len(exact)})")
    return gaps


def describe_gaps(gaps: list[float]) -> str:
    gaps = sorted(gaps)
    p99 = gaps[min(len(gaps) - 1, int(len(gaps) * 0.99))]
    return (
        f"p99 gap {p99:5.1f} ms, longest {gaps[-1]:5.1f} ms, median "
        f"{statistics.median(gaps):4.1f} ms ({len(gaps)} ticks)"
    )


def main() -> None:
    app = QGuiApplication.instance() or QGuiApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    images = posters()
    print(f"cold check (worker start included): {cold_seconds(*images[0]):6.2f} s (median of 3)")
    with OcrWorker() as worker:
        worker.check(*images[0])  # started and warm
        pid = worker.pid
        assert pid is not None
        warm, cpu = [], []
        exact = 0
        for _ in range(2):
            for image, required in images:
                start, cpu_start = time.perf_counter(), cpu_seconds(pid)
                exact += worker.check(image, required).exact
                warm.append(time.perf_counter() - start)
                cpu.append(cpu_seconds(pid) - cpu_start)
        print(
            f"warm check, 1024x1024:             {statistics.median(warm):6.2f} s (median of "
            f"{len(warm)}; min {min(warm):.2f}, max {max(warm):.2f}; {exact} exact)"
        )
        print(
            f"  worker CPU time per check:       {statistics.median(cpu):6.2f} s (median; one "
            "inference thread: the wall time on an idle core)"
        )
        started, own_cpu = time.perf_counter(), time.process_time()
        gaps = gui_gaps(loop, worker, images, 0.0)
        busy = time.perf_counter() - started
        own_cpu = time.process_time() - own_cpu
        print(
            f"  GUI process CPU while they ran:  {own_cpu:6.2f} s in {busy:.1f} s (timer included)"
        )
        print(f"worker peak memory (VmHWM):        {peak_rss_mb(pid):6.0f} MB")
    print(f"GUI 5 ms timer while 10 checks run: {describe_gaps(gaps)}")
    idle = gui_gaps(loop, None, images, min(busy, 20.0))
    loop.close()
    print(f"GUI 5 ms timer, nothing running:    {describe_gaps(idle)} (this machine's jitter)")
    print(f"machine load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
