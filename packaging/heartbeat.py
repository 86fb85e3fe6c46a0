"""A 5 ms timer on the GUI thread, for the benchmarks: the gaps between its ticks, and where each
long gap went (Linux: the thread's own CPU time, its wait for a core, and the rest, blocked — the
interpreter lock)."""

from __future__ import annotations

import time
from pathlib import Path

TICK_MS = 5
LONG_MS = 16


def schedstat() -> tuple[float, float] | None:
    """This thread's CPU time and time waiting for a core, in ms (Linux), else None."""
    try:
        running, waiting, _ = Path("/proc/thread-self/schedstat").read_text().split()
    except (OSError, ValueError):
        return None
    return int(running) / 1e6, int(waiting) / 1e6


def stats(values: list[float]) -> str:
    ordered = sorted(values)
    p50 = ordered[len(ordered) // 2]
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {ordered[-1]:.1f} ms"


class Heartbeat:
    """Ticks every ``TICK_MS`` once started; counts gaps only while ``measuring``."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.gaps: list[float] = []
        self.spent: list[tuple[float, float, float]] = []  # gap, its CPU, its wait for a core
        self.measuring = True
        self._last = time.perf_counter()
        self._last_sched = schedstat()
        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now, sched = time.perf_counter(), schedstat()
        if self.measuring:
            gap = (now - self._last) * 1000
            self.gaps.append(gap)
            if sched is not None and self._last_sched is not None:
                cpu, queued = (sched[i] - self._last_sched[i] for i in (0, 1))
                self.spent.append((gap, cpu, queued))
        self._last, self._last_sched = now, sched

    def start(self) -> None:
        """Start afresh (what was counted before is dropped), measuring from now."""
        self.gaps.clear()
        self.spent.clear()
        self.mark()
        self.timer.start()

    def mark(self) -> None:
        """The next gap counts from now (after a pause in measuring)."""
        self._last = time.perf_counter()

    def stop(self) -> None:
        self.timer.stop()

    def summary(self) -> str:
        return f"{len(self.gaps)} ticks: {stats(self.gaps)}"

    def long_gaps(self, label: str) -> str | None:
        """Where the gaps over ``LONG_MS`` went, or None when there were none."""
        long = [entry for entry in self.spent if entry[0] > LONG_MS]
        if not long:
            return None
        late = sum(gap - TICK_MS for gap, _, _ in long)
        cpu = sum(c for _, c, _ in long)
        queued = sum(q for _, _, q in long)
        return (
            f"{label} {len(long)} gaps over {LONG_MS} ms, {late:.0f} ms late in all: GUI thread "
            f"running {cpu:.0f} ms, waiting for a core {queued:.0f} ms, blocked (the interpreter "
            f"lock) {max(0.0, late - cpu - queued):.0f} ms"
        )
