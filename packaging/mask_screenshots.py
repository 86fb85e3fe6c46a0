"""Screenshots of the mask painter, for review.

Run under a display, for example:
    xvfb-run -a -s '-screen 0 1280x800x24' python packaging/mask_screenshots.py OUT_DIR \\
        --image draft.png --language zh_CN --theme dark

Scenes: a lasso and brush strokes painted over the image with the brush's outline under the
pointer; the same after importing a mask of another size (the message says it was scaled).
With ``--zoom-4k``: a lasso and a soft stroke on a 3840x2160 picture, seen at 200 % where their
edges meet (the overlay at the mask's resolution, or its reduced copy's 2x2 blocks).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


def picture(path: Path | None) -> QImage:
    if path is not None:
        return QImage(str(path))
    image = QImage(1536, 1024, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    gradient = QLinearGradient(0, 0, 0, 1024)
    gradient.setColorAt(0, QColor("#eef5e6"))
    gradient.setColorAt(1, QColor("#b9d3ad"))
    painter.fillRect(image.rect(), gradient)
    painter.setBrush(QColor("#7fae6a"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(460, 590, 250, 250)
    painter.drawEllipse(880, 690, 190, 190)
    painter.end()
    return image


def picture_4k() -> QImage:
    image = QImage(3840, 2160, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    gradient = QLinearGradient(0, 0, 3840, 2160)
    gradient.setColorAt(0, QColor("#f4d9b0"))
    gradient.setColorAt(1, QColor("#3a6d8c"))
    painter.fillRect(image.rect(), gradient)
    painter.end()
    return image


def settle(app: QApplication, milliseconds: int = 400) -> None:
    QTest.qWait(milliseconds)
    app.processEvents()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--image", type=Path, help="the picture to paint on (default: drawn)")
    parser.add_argument("--language", default="en", choices=("en", "zh_CN"))
    parser.add_argument("--theme", default="light", choices=("light", "dark"))
    parser.add_argument("--suffix", default="")
    parser.add_argument("--zoom-4k", action="store_true", help="only the 4K image at 200 %%")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    os.environ["ZI_STUDIO_HOME"] = tempfile.mkdtemp(prefix="zi-shots-")

    app = QApplication(sys.argv[:1])
    from PIL import Image

    from app.main import set_up_look
    from app.model.mask import MaskModel
    from app.store.settings import Settings
    from app.ui.mask_canvas import Tool
    from app.ui.mask_painter import MaskPainter

    theme, translators = set_up_look(app, Settings(language=args.language, theme=args.theme))
    image = picture_4k() if args.zoom_4k else picture(args.image)
    painter = MaskPainter()
    painter.set_mask(MaskModel(image.size()), image)
    painter.resize(900, 700)
    painter.show()
    settle(app)
    canvas = painter.canvas

    def view(x: float, y: float) -> QPoint:
        """A point of the image (in its pixels) on the canvas."""
        return canvas.to_view(QPointF(x, y)).toPoint()

    def drag(points: list[QPoint]) -> None:
        QTest.mousePress(
            canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[0]
        )
        for point in points[1:]:
            QTest.mouseMove(canvas, point)
        QTest.mouseRelease(
            canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[-1]
        )

    if args.zoom_4k:
        painter.set_tool(Tool.LASSO)
        drag([view(x, y) for x, y in ((1500, 700), (2300, 820), (2100, 1500), (1450, 1300))])
        painter.set_tool(Tool.BRUSH)
        painter.size_box.setValue(160)
        painter.hardness_box.setValue(60)
        drag([view(x, y) for x, y in ((2200, 1000), (2500, 1150), (2650, 1400))])
        canvas.leaveEvent(None)
        canvas.zoom_by(2.0 / canvas.zoom, canvas.to_view(QPointF(2260, 1080)))
        settle(app)
        shot = args.out / f"mask-4k-200{args.suffix}.png"
        painter.grab().save(str(shot))
        print(shot)
        return 0

    painter.set_tool(Tool.LASSO)
    drag([view(x, y) for x, y in ((430, 560), (760, 580), (760, 900), (600, 920), (420, 860))])
    painter.set_tool(Tool.BRUSH)
    painter.size_box.setValue(90)
    painter.hardness_box.setValue(70)
    drag([view(x, y) for x, y in ((860, 700), (960, 640), (1090, 720), (1080, 880), (960, 900))])
    QTest.mouseMove(canvas, view(1250, 420))
    settle(app)
    first = args.out / f"mask-painting{args.suffix}.png"
    painter.grab().save(str(first))
    print(first)

    small = Path(tempfile.mkdtemp(prefix="zi-mask-")) / "headline-mask.png"
    mask = Image.new("RGBA", (768, 512), (0, 0, 0, 255))
    mask.paste((0, 0, 0, 0), (180, 20, 560, 180))
    mask.save(small)
    painter.import_mask(small)
    reading = painter.message.text()
    for _ in range(100):  # read on a background thread, which a busy machine serves last
        if painter.message.text() != reading:
            break
        settle(app, 100)
    settle(app)
    second = args.out / f"mask-imported{args.suffix}.png"
    painter.grab().save(str(second))
    print(second)
    del theme, translators
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
