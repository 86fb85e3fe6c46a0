"""The Library dock: past images with thumbnails, search, favourites, the exact-text filter, the
trash, and the jobs that can be re-run.

Keys while the library has focus: Delete puts the selected image in the trash (Ctrl+Z brings it
back), F favourites it, Enter opens its job (the spec in the builder, its images in the gallery).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.model.library_model import THUMB, LibraryModel, LibraryRow
from app.ui.icons import icon
from app.ui.thumbnail_delegate import ThumbnailDelegate
from app.ui.wording import usd

SEARCH_DEBOUNCE_MS = 150
CELL = QSize(THUMB.width() + 24, THUMB.height() + 28)


class LibraryView(QListView):
    def __init__(self, model: LibraryModel) -> None:
        super().__init__()
        self.setAccessibleName("Library")
        self.setModel(model)
        # List mode flowing left to right and wrapping: a grid like icon mode, but laid out
        # from one uniform size instead of asking each of 10,000 rows for its own.
        self.setViewMode(QListView.ViewMode.ListMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)  # with 10,000 rows, layout must not ask each one
        self.setItemDelegate(ThumbnailDelegate(CELL, THUMB, self))
        self.setIconSize(THUMB)
        self.setGridSize(CELL)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setWordWrap(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalScrollBar().setSingleStep(24)
        self._library = model

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._library.set_pixel_ratio(self.devicePixelRatioF())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.DevicePixelRatioChange:  # moved to another screen
            self._library.set_pixel_ratio(self.devicePixelRatioF())
        return super().event(event)


class LibraryPanel(QWidget):
    open_job_requested = Signal(
        str
    )  # job id: its spec into the builder, its images into the gallery
    rerun_requested = Signal(str)  # job id

    def __init__(self, model: LibraryModel) -> None:
        super().__init__()
        self.model = model
        self._kept: int | None = None  # the chosen image's id across a reset
        self.search = QLineEdit()
        self.search.setAccessibleName("Library search")
        self.search.setPlaceholderText(self.tr("Search texts, descriptions and edits (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.favourites = self._toggle(self.tr("Favourites"), "Favourites only", "favourite")
        self.exact = self._toggle(self.tr("Exact text"), "Exact text only", "ok")
        self.exact.setToolTip(self.tr("Only images whose text was checked and came out exact"))
        self.trash = self._toggle(self.tr("Trash"), "Show trash", "delete")
        self.engine = QComboBox()
        self.engine.setAccessibleName("Engine filter")
        for text, value in (
            (self.tr("All engines"), None), (self.tr("Local drafts"), "local"),
            (self.tr("Services"), "remote"),
        ):  # fmt: skip
            self.engine.addItem(text, value)
        self.when = QComboBox()
        self.when.setAccessibleName("Date filter")
        for text, days in (
            (self.tr("Any time"), None), (self.tr("Today"), 1), (self.tr("Last 7 days"), 7),
            (self.tr("Last 30 days"), 30),
        ):  # fmt: skip
            self.when.addItem(text, days)
        self.count = QLabel()
        self.count.setAccessibleName("Library count")
        self.open_button = self._button(self.tr("Open job"), "Open job", "open")
        self.open_button.setToolTip(
            self.tr("Bring the job's spec into the builder and its images into the gallery")
        )
        self.delete_button = self._button(self.tr("Delete"), "Delete image", "delete")
        self.restore_button = self._button(self.tr("Restore"), "Restore image", "undo")
        self.empty_button = self._button(self.tr("Empty trash"), "Empty trash", "delete")
        self.rerun_button = self._button(self.tr("Re-run"), "Re-run jobs", "retry")
        self.rerun_button.setToolTip(self.tr("Jobs that were interrupted, cancelled or failed"))
        self.rerun_menu = QMenu(self)
        self.rerun_button.setMenu(self.rerun_menu)
        self.rerun_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.list = LibraryView(model)

        # A tool bar, so that a narrow window folds what does not fit into its overflow menu.
        bar = QToolBar()
        bar.setAccessibleName("Library tools")
        bar.setIconSize(QSize(16, 16))
        self._in_bar: dict[QWidget, QAction] = {}
        self.search.setMinimumWidth(160)
        for widget in (
            self.search, self.favourites, self.exact, self.engine, self.when, self.trash,
            self.count, self.open_button, self.delete_button, self.restore_button,
            self.empty_button, self.rerun_button,
        ):  # fmt: skip
            self._in_bar[widget] = bar.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(2)
        layout.addWidget(bar)
        layout.addWidget(self.list, 1)
        self.spend = QLabel()
        self.spend.setAccessibleName("Library spend")
        self.spend.setToolTip(
            self.tr("Billed jobs only, at their actual cost where the service reported it")
        )
        layout.addWidget(self.spend)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._timer.timeout.connect(lambda: model.search(self.search.text()))
        self.search.textChanged.connect(lambda _: self._timer.start())
        self.search.returnPressed.connect(self._search_now)
        self.favourites.toggled.connect(lambda on: model.search(favourites=on))
        self.exact.toggled.connect(lambda on: model.search(exact_only=on))
        self.trash.toggled.connect(model.show_trash)
        self.engine.currentIndexChanged.connect(self._filter)
        self.when.currentIndexChanged.connect(self._filter)
        self.open_button.clicked.connect(self.open_current)
        self.delete_button.clicked.connect(self.delete_current)
        self.restore_button.clicked.connect(self.restore_current)
        self.empty_button.clicked.connect(self.empty_trash)
        self.list.doubleClicked.connect(lambda _: self.open_current())
        self.list.activated.connect(lambda _: self.open_current())
        model.searched.connect(self._show_count)
        model.spend_changed.connect(self._show_spend)
        model.trash_mode_changed.connect(self._update)
        model.unfinished_changed.connect(self._show_unfinished)
        model.modelAboutToBeReset.connect(self._remember_current)
        model.modelReset.connect(self._restore_current)
        model.modelReset.connect(self._update)
        model.rowsRemoved.connect(self._update)
        model.rowsInserted.connect(self._update)
        self.list.selectionModel().currentChanged.connect(lambda *_: self._update())

        for text, keys, slot in (
            (self.tr("Delete image"), QKeySequence.StandardKey.Delete, self.delete_current),
            (self.tr("Favourite"), "F", self.toggle_favourite),
        ):
            action = QAction(text, self.list)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(slot)
            self.list.addAction(action)
        undo = model.undo_stack.createUndoAction(self, self.tr("Undo"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        undo.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(undo)
        self.undo_action = undo
        self._update()

    def _toggle(self, text: str, name: str, glyph: str) -> QToolButton:
        button = self._button(text, name, glyph)
        button.setCheckable(True)
        return button

    @staticmethod
    def _button(text: str, name: str, glyph: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setAccessibleName(name)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setAutoRaise(True)
        button.setIcon(icon(glyph))
        return button

    # Actions
    def _remember_current(self) -> None:
        current = self.current()
        self._kept = None if current is None else current[1].image_id

    def _restore_current(self) -> None:
        """A search again (after a job, a filter): the image chosen before stays chosen."""
        kept = self._kept
        position = None if kept is None else self.model.position_of(kept)
        if position is not None:
            self.list.setCurrentIndex(self.model.index(position))

    def _filter(self, *_: object) -> None:
        self.model.filter_by(self.engine.currentData(), self.when.currentData())

    def _search_now(self) -> None:
        self._timer.stop()
        self.model.search(self.search.text())

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def current(self) -> tuple[int, LibraryRow] | None:
        index = self.list.currentIndex()
        if not index.isValid():
            return None
        row = self.model.row_at(index.row())
        return None if row is None else (index.row(), row)

    def open_current(self) -> None:
        current = self.current()
        if current is not None and not self.model.trash_mode:
            self.open_job_requested.emit(current[1].job_id)

    def delete_current(self) -> None:
        current = self.current()
        if current is not None:
            self.model.discard(current[0])

    def restore_current(self) -> None:
        current = self.current()
        if current is not None:
            self.model.restore(current[0])

    def toggle_favourite(self) -> None:
        current = self.current()
        if current is not None:
            self.model.set_favourite(current[0], not current[1].favourite)

    def empty_trash(self) -> None:
        self.model.empty_trash_soon()

    # Reactions
    def _show_spend(self, today: float, month: float) -> None:
        self.spend.setText(
            self.tr("Spent today ≈ {today} · this month ≈ {month}").format(
                today=usd(today), month=usd(month)
            )
        )

    def _show_count(self, count: int, milliseconds: float) -> None:
        if self.model.trash_mode:
            self.count.setText(self.tr("{count} in the trash").format(count=count))
        else:
            self.count.setText(self.tr("{count} images").format(count=count))
        self.count.setToolTip(self.tr("Found in {ms} ms").format(ms=f"{milliseconds:.1f}"))
        self._update()

    def _show_unfinished(self, jobs: object) -> None:
        self.rerun_menu.clear()
        items = jobs if isinstance(jobs, tuple) else ()
        for job_id, title, status, missing in items:
            text = self.tr("{title} — {status}, {missing} image(s) missing").format(
                title=title or job_id[:8], status=self._status_text(status), missing=missing
            )
            action = self.rerun_menu.addAction(text)
            action.triggered.connect(lambda _=False, j=job_id: self.rerun_requested.emit(j))
        self.rerun_button.setEnabled(bool(items))
        self.rerun_button.setText(self.tr("Re-run ({count})").format(count=len(items)))

    def _status_text(self, status: str) -> str:
        return {
            "interrupted": self.tr("interrupted"),
            "cancelled": self.tr("cancelled"),
            "failed": self.tr("failed"),
        }.get(status, status)

    def _update(self, *_: object) -> None:
        in_trash = self.model.trash_mode
        chosen = self.current() is not None
        for button, shown in (
            (self.open_button, not in_trash), (self.delete_button, not in_trash),
            (self.rerun_button, not in_trash), (self.restore_button, in_trash),
            (self.empty_button, in_trash),
        ):  # fmt: skip
            self._in_bar[button].setVisible(shown)  # a tool bar's widget shows through its action
        self.open_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)
        self.restore_button.setEnabled(chosen)
        self.empty_button.setEnabled(self.model.rowCount() > 0)
        for widget in (self.search, self.favourites, self.exact, self.engine, self.when):
            widget.setEnabled(not in_trash)
