"""The studio window: the builder on the left, the gallery in the centre, jobs below, the
generation controls in the toolbar, and the status bar. Built from its models, passed in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.core.messages import Message
from app.core.spec_json import spec_to_dict
from app.model.builder import BuilderModel
from app.model.document import SpecDocument
from app.model.edit_session import EditSession
from app.model.gallery import GalleryModel
from app.model.generation import EngineInfo, Generator
from app.model.job_queue import JobQueueModel
from app.model.layout_board import LayoutBoardModel
from app.model.message_relay import MessageRelay
from app.model.preview import PreviewModel
from app.ui.builder_panel import BuilderPanel
from app.ui.edit_panel import EditPanel
from app.ui.gallery_view import GalleryPage
from app.ui.generation_bar import GenerationBar
from app.ui.icons import GLYPHS, icon
from app.ui.jobs_panel import JobsPanel
from app.ui.layout_page import LayoutPage
from app.ui.status import Banner, StudioStatusBar
from app.ui.swipe_compare import VersionComparePage


class MainWindow(QMainWindow):
    settings_requested = Signal()
    use_local_requested = Signal()
    closing = Signal()  # the user confirmed closing: save state, stop the engine

    def __init__(
        self,
        *,
        builder: BuilderModel,
        preview: PreviewModel,
        document: SpecDocument,
        gallery: GalleryModel,
        queue: JobQueueModel,
        generator: Generator,
        relay: MessageRelay,
        state: QSettings,
        defaults: dict[str, str],
        layout_board: LayoutBoardModel,
        edits: EditSession,
    ) -> None:
        super().__init__()
        self.builder, self.preview, self.document = builder, preview, document
        self.gallery, self.queue, self.generator = gallery, queue, generator
        self._state = state
        self._defaults = defaults
        self._confirmed_close = False
        self.setObjectName("studio-window")
        self.setWindowTitle("Zi Studio")
        self.resize(1280, 800)
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks
        )

        self.builder_panel = BuilderPanel(builder, preview)
        self.builder_dock = self._dock("builder", self.tr("Builder"), self.builder_panel)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.builder_dock)
        self.jobs_panel = JobsPanel(queue)
        self.jobs_dock = self._dock("jobs", self.tr("Jobs"), self.jobs_panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.jobs_dock)
        # The builder runs the full height; jobs sit under the canvas only.
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.resizeDocks([self.builder_dock], [430], Qt.Orientation.Horizontal)
        self.resizeDocks([self.jobs_dock], [90], Qt.Orientation.Vertical)
        self.edits = edits
        self.edit_panel = EditPanel(edits)
        self.edit_dock = self._dock("edit", self.tr("Edit"), self.edit_panel)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.edit_dock)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        # At 1280 pixels the builder keeps its chips whole and the edit dock its buttons.
        self.resizeDocks([self.builder_dock, self.edit_dock], [400, 330], Qt.Orientation.Horizontal)
        self._edited: int | None = None  # the image whose tree the edit panel shows

        self.banner = Banner()
        self.gallery_page = GalleryPage(gallery)
        self.compare_page = VersionComparePage(gallery, edits.images)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Canvas")
        self.tabs.setDocumentMode(True)
        self.layout_board = layout_board
        self.layout_page = LayoutPage(self.layout_board)
        self.builder_panel.texts.use_selection(self.layout_board.selection)
        self.tabs.addTab(self.layout_page, self.tr("Layout"))
        self.tabs.addTab(self.gallery_page, self.tr("Variations"))
        self.tabs.addTab(self.compare_page, self.tr("Compare"))
        centre = QWidget()
        layout = QVBoxLayout(centre)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(centre)

        self.generation = GenerationBar(builder, preview)
        self.status = StudioStatusBar()
        self.setStatusBar(self.status)
        self._build_actions()
        self._wire(relay)

    # Building
    def _dock(self, name: str, title: str, widget: QWidget) -> QDockWidget:
        """A dock called ``title`` (translated); its accessible name is fixed English made from
        ``name`` ("builder" is "Builder panel"), the same in every language (CONTRACTS §5)."""
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{name}-dock")
        dock.setWidget(widget)
        dock.setAccessibleName(f"{name.replace('-', ' ').capitalize()} panel")
        return dock

    def add_rows_panel(self, panel: QWidget) -> QDockWidget:
        """The rows panel (a table of values over the spec), tabbed with the jobs."""
        dock = self._dock("rows", self.tr("Rows"), panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        self.tabifyDockWidget(self.jobs_dock, dock)
        self.jobs_dock.raise_()
        self.view_menu.addAction(dock.toggleViewAction())
        return dock

    def add_series_panel(self, panel: QWidget) -> QDockWidget:
        """The series strip (a spec's shots in order), tabbed with the jobs."""
        dock = self._dock("series", self.tr("Series"), panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        self.tabifyDockWidget(self.jobs_dock, dock)
        self.jobs_dock.raise_()
        self.view_menu.addAction(dock.toggleViewAction())
        return dock

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        keys: str | QKeySequence.StandardKey | list[str] | None = None,
        name: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if isinstance(keys, list):
            action.setShortcuts([QKeySequence(k) for k in keys])
        elif keys is not None:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(slot)
        action.setObjectName(name)
        if name in GLYPHS:
            action.setIcon(icon(name))
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        standard = QKeySequence.StandardKey
        self.new_action = self._action(self.tr("New"), self.new_spec, standard.New, "new")
        self.open_action = self._action(self.tr("Open…"), self.open_spec, standard.Open, "open")
        self.save_action = self._action(self.tr("Save"), self.save_spec, standard.Save, "save")
        self.save_as_action = self._action(
            self.tr("Save As…"), self.save_spec_as, "Ctrl+Shift+S", "save-as"
        )
        self.settings_action = self._action(
            self.tr("Settings…"), self.settings_requested.emit, "Ctrl+,", "settings"
        )
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.quit_action = self._action(self.tr("Quit"), self.close, standard.Quit, "quit")
        self.generate_action = self._action(
            self.tr("Generate"), self.generate, ["Ctrl+Return", "Ctrl+Enter"], "generate"
        )
        self.cancel_action = self._action(
            self.tr("Cancel all"), self.generator.cancel_all, "Esc", "cancel"
        )

        menu = self.menuBar()
        file_menu = menu.addMenu(self.tr("&File"))
        file_menu.addActions([self.new_action, self.open_action])
        self.recent_menu = file_menu.addMenu(self.tr("Open Recent"))
        file_menu.addActions([self.save_action, self.save_as_action])
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        generate_menu = menu.addMenu(self.tr("&Generate"))
        generate_menu.addActions([self.generate_action, self.cancel_action])
        image_menu = menu.addMenu(self.tr("&Image"))
        image_menu.addActions(list(self.gallery_page.actions_by_name.values()))
        view_menu = menu.addMenu(self.tr("&View"))
        self.view_menu = view_menu
        view_menu.addActions(
            [
                self.builder_dock.toggleViewAction(),
                self.jobs_dock.toggleViewAction(),
                self.edit_dock.toggleViewAction(),
            ]
        )
        self.file_menu, self.image_menu, self.view_menu = file_menu, image_menu, view_menu

        toolbar = QToolBar(self.tr("Main"))
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        # Icons only (names in tooltips): with words beside them the generation controls no
        # longer fit 1280 pixels in English and fell into the overflow menu, Generate included.
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        toolbar.addActions([self.new_action, self.open_action, self.save_action])
        toolbar.addSeparator()
        toolbar.addWidget(self.generation)
        self.addToolBar(toolbar)

    def _wire(self, relay: MessageRelay) -> None:
        self.generation.generate_clicked.connect(self.generate)
        self.generation.cancel_clicked.connect(self.generator.cancel_all)
        self.jobs_panel.cancel_requested.connect(self.generator.cancel)
        self.gallery_page.compare_changed.connect(self.compare_page.show_rows)
        self.banner.action_requested.connect(self._banner_action)
        self.generator.engine_changed.connect(self._engine_changed)
        self.queue.spent_estimated_changed.connect(self._show_spend)
        self.queue.spent_actual_changed.connect(self._show_spend)
        self.queue.active_count_changed.connect(self._active_changed)
        self.document.path_changed.connect(lambda _: self._update_title())
        self.document.dirty_changed.connect(lambda _: self._update_title())
        self.document.recent_changed.connect(self._show_recent)
        self.gallery.rowsInserted.connect(self._new_tiles)
        self.gallery_page.list.selectionModel().currentChanged.connect(self._underlay_source)
        self.gallery.dataChanged.connect(self._underlay_source)
        relay.posted.connect(self.show_message)
        self.gallery_page.list.selectionModel().currentChanged.connect(self._follow_selection)
        self.gallery.dataChanged.connect(self._follow_selection)
        self.edits.compare_requested.connect(self._compare_versions)
        self._engine_changed(self.generator.engine)
        self._show_recent(self.document.recent)
        self._update_title()

    # Actions
    def generate(self) -> None:
        self.preview.recompute()  # the plan follows the last keystroke, not the debounce
        plan = self.preview.plan
        if plan is None:
            self.builder_panel.description.setFocus()
            return
        self.generator.generate(plan, spec_to_dict(self.builder.spec()))

    def new_spec(self) -> None:
        if self._confirm_discard():
            self.document.new(**self._defaults)

    def open_spec(self) -> None:
        if not self._confirm_discard():
            return
        filters = self.tr("Zi Studio spec (*.json);;Studio image (*.png *.webp *.jpg *.jpeg)")
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open spec"), "", filters)
        if path:
            self.document.open_file(Path(path))

    def save_spec(self) -> None:
        if self.document.path is None:
            self.save_spec_as()
        else:
            self.document.save_file()

    def save_spec_as(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save spec"), "", self.tr("Zi Studio spec (*.json)")
        )
        if path:
            target = Path(path if path.endswith(".json") else f"{path}.json")
            self.document.save_file(target)

    def show_message(self, message: object) -> None:
        if not isinstance(message, Message):
            return
        if message.level == "error":
            self.banner.show_error(message)
        self.status.show_message(message)

    # Reactions
    def _banner_action(self, action: str, message: object) -> None:
        if action == "settings":
            self.settings_requested.emit()
        elif action == "local":
            self.use_local_requested.emit()
        elif action == "retry" and isinstance(message, Message):
            entry = message.values.get("entry")
            if isinstance(entry, int):
                self.generator.retry(entry)

    def _engine_changed(self, info: object) -> None:
        self.status.show_engine(info)
        self.generation.set_local(not isinstance(info, EngineInfo) or info.local)

    def _show_spend(self, *_: object) -> None:
        self.status.show_spend(self.queue.spent_estimated, self.queue.spent_actual)

    def _active_changed(self, count: int) -> None:
        self.status.show_active(count)
        self.generation.set_running(count > 0)

    def _new_tiles(self, parent: object, first: int, last: int) -> None:
        if first == 0:
            self.tabs.setCurrentWidget(self.gallery_page)
            self.gallery_page.select_row(0)

    def _underlay_source(self, *_: object) -> None:
        """The board's underlay is the selected variation, once it is done."""
        tile = self.gallery_page.current_tile()
        done = tile is not None and tile.state == "done"
        self.layout_board.set_underlay_source(tile.path if done and tile is not None else None)

    def _follow_selection(self, *_: object) -> None:
        """The edit panel shows the tree of the selected image, once it is in the library."""
        tile = self.gallery_page.current_tile()
        if tile is not None and tile.image_id is not None and tile.image_id != self._edited:
            self._edited = tile.image_id
            self.edits.show_image(tile.image_id)

    def _compare_versions(self, first: object, second: object) -> None:
        labels = self.edits.labels()
        pair = []
        for version in (first, second):
            image = getattr(version, "image", None)
            if image is not None:
                pair.append((int(image.id), image.path))
        if len(pair) == 2:
            pair.sort()  # the older version left (before), the newer right
            caption = f"{labels.get(pair[0][0], '')} ↔ {labels.get(pair[1][0], '')}"
            self.compare_page.show_versions(pair[0], pair[1], caption)
            self.tabs.setCurrentWidget(self.compare_page)

    def _show_recent(self, recent: object) -> None:
        self.recent_menu.clear()
        items = recent if isinstance(recent, tuple) else ()
        for item in items:
            action = QAction(item, self.recent_menu)
            self.recent_menu.addAction(action)
            action.triggered.connect(lambda _=False, p=item: self._open_recent(Path(p)))
        self.recent_menu.setEnabled(bool(items))

    def _open_recent(self, path: Path) -> None:
        if self._confirm_discard():
            self.document.open_file(path)

    def _update_title(self) -> None:
        path = self.document.path
        name = path.name if path is not None else self.tr("Untitled")
        self.setWindowTitle(f"{name}{' •' if self.document.dirty else ''} — Zi Studio")

    # Closing and state
    def _confirm_discard(self) -> bool:
        """True when there are no unsaved changes, or the user chose to drop them."""
        if not self.document.dirty:
            return True
        answer = QMessageBox.question(
            self,
            self.tr("Unsaved changes"),
            self.tr("The spec has unsaved changes. Discard them?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._confirmed_close and self.document.dirty:
            answer = QMessageBox.question(
                self,
                self.tr("Unsaved changes"),
                self.tr("Save the changes to the spec before closing?"),
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                event.ignore()
                return
            if answer == QMessageBox.StandardButton.Save:
                event.ignore()
                if self.document.path is None:
                    self.save_spec_as()
                    if self.document.path is None:
                        return
                self.document.save_file(then=self.close_now)
                return
        self._save_state()
        self.closing.emit()
        event.accept()

    def close_now(self) -> None:
        self._confirmed_close = True
        self.close()

    def _save_state(self) -> None:
        self._state.setValue("window/geometry", self.saveGeometry())
        self._state.setValue("window/state", self.saveState())
        self._state.setValue("gallery/splitter", self.gallery_page.splitter.saveState())

    def restore_state(self) -> None:
        """Geometry, docks and splitters as the last session left them; called once every dock is
        in (a dock added after ``restoreState`` keeps its default place)."""
        geometry = self._state.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = self._state.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        splitter = self.gallery_page.splitter
        saved = self._state.value("gallery/splitter")
        if isinstance(saved, QByteArray):
            splitter.restoreState(saved)
