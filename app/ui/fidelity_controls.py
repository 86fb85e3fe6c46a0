"""The text check in the gallery: sort and filter by fidelity, outlines, and Fix text.

Fix text joins the gallery page's toolbar: its menu offers, for each wrong block, an edit asking
the model for the exact text, or clearing the region and setting the exact text locally. A sort
(newest first, or exact text first) and a filter (all, exact text, text to fix) sit at the right
of the canvas's tabs while the gallery's tab is shown (the toolbar has no room left at 1280
pixels). The large view outlines the characters the check found wrong.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QImage
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QMenu, QTabWidget, QToolButton, QWidget

from app.core.fidelity import BlockCheck, PixelBox
from app.model.gallery import Tile
from app.model.gallery_fidelity import FILTERS, SORTS
from app.model.text_checks import TextChecks
from app.model.text_fix import TextFixer
from app.ui.gallery_view import GalleryPage
from app.ui.icons import icon
from app.ui.wording import role_text


def outline_boxes(blocks: tuple[BlockCheck, ...]) -> list[PixelBox]:
    """Where the wrong characters are: each one found in the wrong place, and for a block whose
    characters are only missing, the text found around the gap."""
    boxes: list[PixelBox] = []
    for block in blocks:
        if block.exact:
            continue
        placed = [item.box for item in block.differences if item.box is not None]
        if placed:
            boxes += placed
        elif block.box is not None:
            boxes.append(block.box)
    return boxes


class FidelityControls(QObject):
    def __init__(
        self, page: GalleryPage, checks: TextChecks, fixer: TextFixer, tabs: QTabWidget
    ) -> None:
        super().__init__(page)
        self.page, self.checks, self.fixer = page, checks, fixer
        page.proxy.set_checks(checks)

        self.sort = QComboBox()
        self.sort.setAccessibleName("Sort gallery")
        self.sort.setToolTip(self.tr("Order of the images"))
        sorts = (self.tr("Newest first"), self.tr("Exact text first"))
        for mode, text in zip(SORTS, sorts, strict=True):
            self.sort.addItem(text, mode)
        self.filter = QComboBox()
        self.filter.setAccessibleName("Filter gallery")
        self.filter.setToolTip(self.tr("Which images to show, by their text check"))
        texts = (self.tr("All images"), self.tr("Exact text"), self.tr("Text to fix"))
        for mode, text in zip(FILTERS, texts, strict=True):
            self.filter.addItem(text, mode)
        self.sort.currentIndexChanged.connect(
            lambda _: page.proxy.set_sort(str(self.sort.currentData()))
        )
        self.filter.currentIndexChanged.connect(
            lambda _: page.proxy.set_filter(str(self.filter.currentData()))
        )

        self.menu = QMenu(page)
        self.menu.aboutToShow.connect(self._fill_menu)
        self.fix_button = QToolButton()
        self.fix_button.setAccessibleName("Fix text")
        self.fix_action = QAction(icon("fix-text"), self.tr("Fix text"), page)
        self.fix_action.setMenu(self.menu)
        self.fix_button.setDefaultAction(self.fix_action)
        self.fix_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.fix_button.setToolButtonStyle(page.bar.toolButtonStyle())
        page.bar.addSeparator()
        page.bar.addWidget(self.fix_button)
        page.actions_by_name["fix"] = self.fix_action
        self.corner = QWidget()
        row = QHBoxLayout(self.corner)
        row.setContentsMargins(0, 0, 4, 0)
        row.setSpacing(4)
        row.addWidget(self.sort)
        row.addWidget(self.filter)
        tabs.setCornerWidget(self.corner, Qt.Corner.TopRightCorner)
        tabs.currentChanged.connect(lambda _: self.corner.setVisible(tabs.currentWidget() is page))

        # Bound methods, not lambdas: Qt drops these connections when the page goes.
        page.gallery.image_ready.connect(self._image_ready)
        page.gallery.dataChanged.connect(self._refresh_later)
        checks.changed.connect(self._refresh_later)
        page.list.selectionModel().currentChanged.connect(self._refresh_later)
        self.refresh()

    def _refresh_later(self, *_: object) -> None:
        self.refresh()

    # The current image
    def refresh(self) -> None:
        """Fix text's state and the outlines follow the current image and its check."""
        tile = self.page.current_tile()
        done = tile is not None and tile.state == "done" and tile.image_id is not None
        self.fix_action.setEnabled(done)
        wrong = bool(self.fixer.wrong_blocks(tile))
        self.fix_action.setToolTip(
            self.tr("Put the wrong characters right") if wrong else self.tr("Check the text")
        )
        self._outline(tile)

    def _outline(self, tile: Tile | None) -> None:
        fidelity = None if tile is None else self.checks.of_tile(tile)
        if tile is None or fidelity is None or fidelity.check is None:
            self.page.viewer.set_outlines(None if tile is None else tile.key, (), 0)
            return
        self.page.viewer.set_outlines(tile.key, outline_boxes(fidelity.check.blocks), tile.width)

    def _image_ready(self, purpose: str, key: object, image: QImage) -> None:
        if purpose == "large":
            self.refresh()

    # Fix text's menu
    def _fill_menu(self) -> None:
        self.menu.clear()
        tile = self.page.current_tile()
        if tile is None or tile.path is None or tile.image_id is None:
            return
        for index, block in self.fixer.wrong_blocks(tile):
            role = role_text(block.role) if block.role else self.tr("Text")
            found = block.found or self.tr("nothing")
            self.menu.addSection(self.tr("{role}: {found} → {text}").format(
                role=role, found=found, text=block.text
            ))  # fmt: skip
            ask = self.menu.addAction(self.tr("Ask the model for the exact text"))
            ask.triggered.connect(lambda _=False, t=tile, i=index: self.fixer.fix(t, i, "edit"))
            clear = self.menu.addAction(self.tr("Clear it and set the exact text here"))
            clear.setEnabled(block.box is not None and bool(block.found))
            clear.triggered.connect(
                lambda _=False, t=tile, i=index: self.fixer.fix(t, i, "typeset")
            )
        if not self.menu.isEmpty():
            self.menu.addSeparator()
        again = self.menu.addAction(self.tr("Check the text again"))
        path, image_id = tile.path, tile.image_id
        again.triggered.connect(lambda: self.checks.check(image_id, path))
