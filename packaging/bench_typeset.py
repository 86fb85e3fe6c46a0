"""How fast the typesetter fits and draws, and how fast a text change re-composites.

1. Fit and render a 3840x2160 text layer with four blocks (headline, subhead, price, button):
   layout (word segmentation, size search, balancing) plus drawing the transparent layer.
2. Re-composite at 2048x2048 after a headline change: lay out, draw the layer and composite it
   over the kept background (``app.typeset.compose.compose``), as the layout board will.

Each figure is the median of RUNS runs after one warm-up run; every run changes the text, so no
cache of a previous layout helps. Targets: 30 ms and 50 ms.

Run: QT_QPA_PLATFORM=offscreen python packaging/bench_typeset.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image

from app.core.spec import TextBlock
from app.typeset.compose import compose
from app.typeset.fonts import default_family, ensure_gui_application
from app.typeset.layout import layout_blocks
from app.typeset.render import render_text_layer
from app.typeset.words import segmenter

RUNS = 15
HEADLINES = ("人工智能摄影展今日开幕", "周末亲子烘焙训练营报名中", "新品上市全场限时包邮",
             "夏日清凉饮品第二杯半价", "城市马拉松志愿者招募")  # fmt: skip


def blocks(run: int) -> list[TextBlock]:
    return [
        TextBlock("headline", HEADLINES[run % len(HEADLINES)] + "!" * (run // len(HEADLINES)),
                  box=(0.08, 0.08, 0.5, 0.3)),
        TextBlock("subhead", f"04-30 前预约享八折优惠 第{run}期", box=(0.08, 0.42, 0.5, 0.1)),
        TextBlock("price", f"¥{199 + run}", box=(0.62, 0.6, 0.3, 0.2)),
        TextBlock("button", "立即报名", box=(0.08, 0.78, 0.2, 0.1)),
    ]  # fmt: skip


def median_ms(work: Callable[[int], object]) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds (CPU time is what a busy machine distorts least)."""
    work(-1)
    wall, cpu = [], []
    for run in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        work(run)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def fit_and_render(run: int) -> object:
    layouts = layout_blocks(blocks(run + 100), 3840, 2160)
    return render_text_layer(layouts, 3840, 2160)


def recomposite(background: Image.Image) -> Callable[[int], object]:
    def work(run: int) -> object:
        return compose(background, blocks(run + 200)).flat

    return work


def main() -> None:
    ensure_gui_application()
    default_family()
    segmenter()  # loaded once per process, about 0.2-0.9 s: not part of a change
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    wall, cpu = median_ms(fit_and_render)
    print(f"fit and render 3840x2160, 4 blocks: median {wall:.1f} ms wall, {cpu:.1f} ms CPU")
    background = Image.radial_gradient("L").resize((2048, 2048)).convert("RGBA")
    wall, cpu = median_ms(recomposite(background))
    print(f"re-composite 2048x2048 after a text change: median {wall:.1f} ms wall, "
          f"{cpu:.1f} ms CPU")  # fmt: skip


if __name__ == "__main__":
    main()
