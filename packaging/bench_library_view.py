"""The Library dock over a large library: memory, scrolling stalls, and search time.

1. RSS: the whole studio window (engine started, as a user runs it) with a library of 1,000 real
   images (512x512 PNG posters), the Library dock raised at 420 px and scrolled from top to
   bottom twice: first while every thumbnail is made (disk cache cold), then again (warm). The
   process's RSS after both, and its peak (VmHWM).
2. Stalls while scrolling: the list scrolls 40 px every 16 ms (a wheel held down); a 2 ms
   heartbeat timer on the GUI thread records how late it fires. A late heartbeat is a stall the
   user would see as a dropped frame: its p50, p99 and max per pass, and how long each synchronous
   repaint of the list took (p50, p99, max).
3. Search over 10,000 images (``bench_library.fill``: 2,500 jobs of 4): the Library model's
   search as the window runs it (ids on a worker thread, then the view reset), wall time from the
   call to the rows being shown, median of 15 per query.

Run: QT_QPA_PLATFORM=offscreen python packaging/bench_library_view.py [--images N] [--runs N]
(or under xvfb-run). Medians are of several runs; the machine's load is printed with them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_library import fill as fill_rows  # beside this script
from library_fixture import fill_library
from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtWidgets import QApplication

SCROLL_STEP_PX = 40
FRAME_MS = 16
HEARTBEAT_MS = 2
QUERIES = ("茶", "龙井", "龙井新茶", "不存在", "")


def rss_mb() -> tuple[float, float]:
    """The process's resident memory now and at its peak, in MB (Linux)."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def scroll_pass(studio: object) -> dict[str, float]:
    """Scroll the library list from top to bottom; the heartbeat's lateness and paint times."""
    view = studio.library_parts.library_panel.list  # type: ignore[attr-defined]
    bar = view.verticalScrollBar()
    bar.setValue(0)
    late: list[float] = []
    paints: list[float] = []
    paint_cpu: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.nsecsElapsed()]

    def beat() -> None:
        now = clock.nsecsElapsed()
        late.append(max(0.0, (now - last[0]) / 1e6 - HEARTBEAT_MS))
        last[0] = now

    heartbeat = QTimer()
    heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
    heartbeat.timeout.connect(beat)
    heartbeat.start(HEARTBEAT_MS)
    try:
        while bar.value() < bar.maximum():
            bar.setValue(bar.value() + SCROLL_STEP_PX)
            started, cpu = time.perf_counter(), time.thread_time()
            view.viewport().repaint()
            paints.append((time.perf_counter() - started) * 1000)
            paint_cpu.append((time.thread_time() - cpu) * 1000)
            await asyncio.sleep(FRAME_MS / 1000)
    finally:
        heartbeat.stop()
    return {
        "frames": len(paints),
        "stall_p50": percentile(late, 0.5),
        "stall_p99": percentile(late, 0.99),
        "stall_max": max(late),
        "paint_p50": percentile(paints, 0.5),
        "paint_p99": percentile(paints, 0.99),
        "paint_max": max(paints),
        "cpu_p50": percentile(paint_cpu, 0.5),
        "cpu_p99": percentile(paint_cpu, 0.99),
    }


async def wait_for_thumbnails(studio: object, timeout: float = 180) -> float:
    """Until every row's thumbnail has been made at least once (the disk cache is full)."""
    thumbnails = studio.paths.thumbnails_dir  # type: ignore[attr-defined]
    count = studio.library_view.rowCount()  # type: ignore[attr-defined]
    started = time.perf_counter()
    while len(list(thumbnails.rglob("*.webp"))) < count:
        if time.perf_counter() - started > timeout:
            break
        await asyncio.sleep(0.5)
    return time.perf_counter() - started


async def memory_and_scrolling(studio: object, images: int) -> None:
    from app.main import Studio

    assert isinstance(studio, Studio)
    await studio.start(load_settings=False)
    parts = studio.library_parts
    parts.search_library()
    studio.window.resizeDocks([parts.library_dock], [420], Qt.Orientation.Vertical)
    while studio.library_view.rowCount() < images:
        await asyncio.sleep(0.1)
    await asyncio.sleep(1.0)
    print(f"library view: {studio.library_view.rowCount():,} images; load {os.getloadavg()[0]:.1f}")
    before, _ = rss_mb()
    cold = await scroll_pass(studio)
    made = await wait_for_thumbnails(studio)
    warm = await scroll_pass(studio)
    again = await scroll_pass(studio)
    rss, peak = rss_mb()
    for name, figures in (("cold", cold), ("warm", warm), ("warm again", again)):
        print(
            f"  scroll {name:<10} {figures['frames']:4.0f} frames; heartbeat late "
            f"p50 {figures['stall_p50']:.1f} p99 {figures['stall_p99']:.1f} "
            f"max {figures['stall_max']:.1f} ms; repaint p50 {figures['paint_p50']:.1f} "
            f"p99 {figures['paint_p99']:.1f} max {figures['paint_max']:.1f} ms "
            f"(CPU p50 {figures['cpu_p50']:.1f} p99 {figures['cpu_p99']:.1f} ms)"
        )
    made_count = len(list(studio.paths.thumbnails_dir.rglob("*.webp")))
    print(f"  {made_count:,} thumbnails made, the last {made:.1f} s after the first pass ended")
    print(f"  RSS before scrolling {before:.0f} MB, after {rss:.0f} MB, peak {peak:.0f} MB")


async def search_times(studio: object, runs: int) -> None:
    from app.main import Studio
    from app.store.library import Library

    assert isinstance(studio, Studio)
    studio.library = await studio.funnel.in_thread(Library.open, studio.paths)
    studio.library_parts.search_library()  # the dock shown, as Ctrl+F does
    model = studio.library_view
    view = studio.library_parts.library_panel.list
    await model.reload()
    load = os.getloadavg()[0]
    print(f"search over {model.rowCount():,} images, median of {runs} (wall; load {load:.1f}):")
    found_ms: list[float] = []
    model.searched.connect(lambda _, ms: found_ms.append(ms))
    for text in QUERIES:
        times = []
        found_ms.clear()
        for _ in range(runs):
            started = time.perf_counter()
            model.text = text
            await model.reload()
            view.doItemsLayout()  # the view lays the rows out
            view.viewport().repaint()  # and draws the first screen (the rows' data follows)
            times.append((time.perf_counter() - started) * 1000)
        label = text or "(all)"
        print(
            f"  {label:<10} {statistics.median(times):6.1f} ms shown, "
            f"{statistics.median(found_ms):6.1f} ms of it the query  {model.rowCount():>6,} found"
        )


def run_studio(home: Path, scene: object, *args: object) -> None:
    import qasync

    from app.main import SWITCH_INTERVAL, Studio
    from app.store.paths import StudioPaths

    sys.setswitchinterval(SWITCH_INTERVAL)  # as the studio runs
    app = QApplication.instance() or QApplication(sys.argv[:1])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    studio = Studio(StudioPaths.under(home))
    studio.window.resize(1280, 800)
    studio.window.show()
    try:
        loop.run_until_complete(scene(studio, *args))  # type: ignore[operator]
    finally:
        studio.window._confirmed_close = True
        loop.run_until_complete(studio.stop())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--search-only", action="store_true")
    args = parser.parse_args()
    os.environ.pop("OPENAI_API_KEY", None)
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    from app.store.paths import StudioPaths

    with tempfile.TemporaryDirectory() as work:
        if not args.search_only:
            home = Path(work) / "images"
            started = time.perf_counter()
            fill_library(StudioPaths.under(home), jobs=args.images // 2, per_job=2)
            print(f"wrote {args.images:,} images in {time.perf_counter() - started:.0f} s")
            run_studio(home, memory_and_scrolling, args.images)
        rows = Path(work) / "rows"
        fill_rows(StudioPaths.under(rows))
        run_studio(rows, search_times, args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
