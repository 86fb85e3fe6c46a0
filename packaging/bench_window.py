"""How the window holds up: responsiveness, start time and memory (figures for issue 8).

(a) 10 images of 3840x2160 from the embedded engine while a 5 ms QTimer runs on the GUI thread:
    the gaps between its ticks, p50 / p99 / max (targets: p99 <= 16 ms, max <= 50 ms).
(b) Time from process start to the first window shown (painted), median of RUNS fresh processes,
    and the same for a bare PySide6 QMainWindow in the same run, with the ratio. As installed:
    with compiled bytecode cached (pip compiles it on install), in a temporary cache that one
    unmeasured start fills first; "--cold" measures sources compiled on every start instead
    (what PYTHONDONTWRITEBYTECODE=1 without a cache gives).
(c) The window process's RSS after JOBS jobs of 10 images in one session, with the gallery
    scrolled through all of them (target <= 300 MB). Small images (1024x1024, low quality) keep
    it quick; the memory held per tile does not depend on the image size (thumbnails are bounded).

Run: python packaging/bench_window.py [a] [b] [c] [--jobs N]   (offscreen unless a display is set)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from heartbeat import Heartbeat  # beside this script

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("OPENAI_API_KEY", None)
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

RUNS = 5
IDLE_SECONDS = 10.0

_FIRST_WINDOW = """
import time
start = time.perf_counter()
import os, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
class Painted(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            print(f"{time.perf_counter() - start:.4f} {time.process_time():.4f}", flush=True)
            os._exit(0)
        return False
if sys.argv[1] == "bare":
    window = QMainWindow()
    window.resize(1280, 800)
else:
    import asyncio, qasync
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    from app.main import Studio
    from app.store.paths import StudioPaths
    window = Studio(StudioPaths.from_environment()).window
watcher = Painted()
window.installEventFilter(watcher)
window.show()
app.exec()
"""


def _threads_cpu() -> dict[str, float]:
    """CPU time (ms) of each of this process's threads by name (Linux; same names added up)."""
    import re
    import threading

    named = {thread.native_id: thread.name for thread in threading.enumerate()}
    used: dict[str, float] = {}
    for task in Path("/proc/self/task").iterdir():
        try:
            tid = int(task.name)
            name = named.get(tid) or (task / "comm").read_text().strip()
            name = "GUI" if tid == os.getpid() else re.sub(r"_\d+$", "", name)
            running = int((task / "schedstat").read_text().split()[0]) / 1e6
        except (OSError, ValueError, IndexError):
            continue
        used[name] = used.get(name, 0.0) + running
    return used


def _process_cpu(pid: int) -> float:
    """CPU time (ms) of process ``pid`` so far (Linux), 0 when unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _start(kind: str, env: dict[str, str]) -> tuple[float, float]:
    result = subprocess.run(
        [sys.executable, "-c", _FIRST_WINDOW, kind],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    wall, used = result.stdout.strip().splitlines()[-1].split()
    return float(wall), float(used)


def first_window(cold: bool) -> None:
    env = {**os.environ, "ZI_STUDIO_HOME": tempfile.mkdtemp(prefix="zi-bench-")}
    if not cold:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="zi-bench-pyc-")
        for kind in ("bare", "studio"):
            _start(kind, env)  # fills the bytecode cache
    times: dict[str, list[float]] = {"bare": [], "studio": []}
    cpu: dict[str, list[float]] = {"bare": [], "studio": []}
    for _ in range(RUNS):
        for kind in times:
            wall, used = _start(kind, env)
            times[kind].append(wall)
            cpu[kind].append(used)
    bare, studio = statistics.median(times["bare"]), statistics.median(times["studio"])
    bare_cpu, studio_cpu = statistics.median(cpu["bare"]), statistics.median(cpu["studio"])
    how = "sources compiled at each start" if cold else "bytecode cached"
    print(f"(b) first window shown: studio {studio * 1000:.0f} ms, bare QMainWindow "
          f"{bare * 1000:.0f} ms, ratio {studio / bare:.2f}; CPU time to it: studio "
          f"{studio_cpu * 1000:.0f} ms, bare {bare_cpu * 1000:.0f} ms "
          f"(medians of {RUNS} processes, {how}; "
          f"load average {os.getloadavg()[0]:.1f})")  # fmt: skip


async def _wait(condition, signal, timeout: float) -> None:  # type: ignore[no-untyped-def]
    from tests.gui_support import until

    await until(condition, signal, timeout=timeout)


def _studio() -> tuple[asyncio.AbstractEventLoop, Any]:
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    from app.main import SWITCH_INTERVAL, Studio
    from app.store.paths import StudioPaths

    sys.setswitchinterval(SWITCH_INTERVAL)  # as app.main.run does
    os.environ["ZI_STUDIO_HOME"] = tempfile.mkdtemp(prefix="zi-bench-")
    studio = Studio(StudioPaths.from_environment())
    studio.window.show()
    return loop, studio


def responsiveness(loop, studio) -> None:  # type: ignore[no-untyped-def]
    heartbeat = Heartbeat()

    async def scenario() -> float:
        await studio.start(load_settings=False)
        # The floor: the same timer in the idle window, on this (shared, loaded) machine.
        await asyncio.sleep(1.0)
        heartbeat.start()
        await asyncio.sleep(IDLE_SECONDS)
        heartbeat.stop()
        print(f"(a) idle window, {heartbeat.summary()}; load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")  # fmt: skip
        builder = studio.builder
        builder.description = "A product poster of a green tea box on a white table"
        builder.blocks.add("headline", "有机绿茶")
        builder.blocks.add("subhead", "100g 无添加")
        builder.use_ratio("16:9")
        builder.tier = "4k"
        builder.n = 10
        builder.quality = "low"
        studio.preview.recompute()
        assert studio.preview.plan is not None and str(studio.preview.plan.size) == "3840x2160"
        await asyncio.sleep(0.5)  # the engine's first import settles
        child = studio.local_server.process.pid if studio.local_server is not None else 0
        cpu_before = (_threads_cpu(), _process_cpu(child))
        heartbeat.start()
        started = time.perf_counter()
        studio.window.generate()
        gallery = studio.gallery
        await _wait(lambda: [t.state for t in gallery.tiles()] == ["done"] * 10,
                    gallery.dataChanged, 900)  # fmt: skip
        await _wait(lambda: all(gallery.picture(t) is not None for t in gallery.tiles()),
                    gallery.dataChanged, 120)  # fmt: skip
        elapsed = time.perf_counter() - started
        heartbeat.stop()
        threads = _threads_cpu()
        used = {name: ms - cpu_before[0].get(name, 0.0) for name, ms in threads.items()}
        top = sorted(used.items(), key=lambda item: -item[1])[:6]
        print("(a) CPU time while streaming: engine child process "
              f"{_process_cpu(child) - cpu_before[1]:.0f} ms; window threads "
              + ", ".join(f"{name} {ms:.0f} ms" for name, ms in top))  # fmt: skip
        return elapsed

    elapsed = loop.run_until_complete(scenario())
    print(f"(a) 10 x 3840x2160 local drafts in {elapsed:.1f} s; 5 ms timer gaps over "
          f"{heartbeat.summary()}")  # fmt: skip
    long = heartbeat.long_gaps("(a)")
    if long:
        print(long)


def memory(loop, studio, jobs: int) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    async def scenario() -> None:
        if studio.generator.engine is None:
            await studio.start(load_settings=False)
        builder = studio.builder
        builder.description = "A poster"
        builder.blocks.add("headline", "春日限定")
        builder.use_ratio("1:1")
        builder.tier = "1k"
        builder.n = 10
        builder.quality = "low"
        queue = studio.queue
        for _ in range(jobs):
            studio.window.generate()
        await _wait(lambda: queue.active_count == 0, queue.active_count_changed, 3600)
        view = studio.window.gallery_page.list
        for row in range(0, studio.gallery.rowCount(), 4):
            view.scrollTo(studio.gallery.index(row))
            QApplication.processEvents()
            await asyncio.sleep(0)
        await asyncio.sleep(1.0)  # the last thumbnails decode

    before = rss_mb()
    started = time.perf_counter()
    loop.run_until_complete(scenario())
    done = [t for t in studio.gallery.tiles() if t.state == "done"]
    elapsed = time.perf_counter() - started
    print(f"(c) {jobs} jobs x 10 images ({len(done)} done) in {elapsed:.0f} s, "
          f"gallery scrolled through: RSS {rss_mb():.0f} MB (window process at start "
          f"{before:.0f} MB); thumbnails cached: {len(studio.gallery._cache)}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("parts", nargs="*", default=["a", "b", "c"])
    parser.add_argument("--jobs", type=int, default=100)
    parser.add_argument("--cold", action="store_true", help="(b) without cached bytecode")
    args = parser.parse_args()
    if "b" in args.parts:
        first_window(args.cold)
    if "a" in args.parts or "c" in args.parts:
        loop, studio = _studio()
        try:
            if "a" in args.parts:
                responsiveness(loop, studio)
            if "c" in args.parts:
                memory(loop, studio, args.jobs)
        finally:
            studio.window._confirmed_close = True
            loop.run_until_complete(studio.stop())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
