"""The window's parts for references, export and the library, added to the main window.

The References section in the builder, the Library dock (bottom, beside Jobs), Export (Ctrl+E),
search the library (Ctrl+F), paste an image as a reference (Ctrl+V), files dropped on the window
(a studio image or a spec restores the builder; another image is offered as a reference), and
tiles dragged out of the gallery.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QDockWidget, QMessageBox

from app.model.drops import Restorer
from app.model.exporting import Exporter
from app.model.library_model import LibraryModel
from app.model.references import ReferencesModel
from app.model.tasks import TaskFunnel
from app.ui.icons import icon
from app.ui.library_panel import LibraryPanel
from app.ui.main_window import MainWindow
from app.ui.references_list import ReferencesPanel

if TYPE_CHECKING:
    from app.ui.export_dialog import ExportDialog

LIBRARY_HEIGHT = 190


class LibraryParts(QObject):
    def __init__(
        self,
        window: MainWindow,
        *,
        references: ReferencesModel,
        exporter: Exporter,
        library: LibraryModel,
        restorer: Restorer,
        funnel: TaskFunnel,
        state: QSettings,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.restorer = restorer
        self.exporter = exporter
        self._funnel = funnel
        self.references_panel = ReferencesPanel(references)
        window.builder_panel.add_section(self.tr("References"), self.references_panel)

        self.library_panel = LibraryPanel(library)
        self.library_dock = QDockWidget(self.tr("Library"), window)
        self.library_dock.setObjectName("library-dock")
        self.library_dock.setAccessibleName("Library panel")
        self.library_dock.setWidget(self.library_panel)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.library_dock)
        window.tabifyDockWidget(window.jobs_dock, self.library_dock)
        window.jobs_dock.raise_()
        window.resizeDocks([window.jobs_dock], [LIBRARY_HEIGHT], Qt.Orientation.Vertical)
        window.view_menu.addAction(self.library_dock.toggleViewAction())
        self._state = state
        self._export_dialog: ExportDialog | None = None  # made on first use (it loads Pillow)

        self.export_action = self._action(self.tr("Export…"), self.export, "Ctrl+E", "export")
        self.export_action.setIcon(icon("save-as"))
        self.search_action = self._action(
            self.tr("Search the library"), self.search_library, "Ctrl+F", "search-library"
        )
        self.paste_action = self._action(
            self.tr("Paste image as reference"), self.references_panel.paste, "Ctrl+V", "paste"
        )
        window.file_menu.insertAction(window.settings_action, self.export_action)
        window.image_menu.addActions([self.paste_action, self.export_action])
        window.view_menu.addAction(self.search_action)

        gallery_list = window.gallery_page.list
        gallery_list.setDragEnabled(True)  # tiles out to the desktop or another application
        gallery_list.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        gallery_list.setDefaultDropAction(Qt.DropAction.CopyAction)

        window.setAcceptDrops(True)
        window.installEventFilter(self)
        restorer.reference_offered.connect(self.offer_references)
        restorer.replace_asked.connect(self.ask_to_replace)
        self.library_panel.open_job_requested.connect(restorer.open_job)

    def _action(self, text: str, slot: object, keys: str, name: str) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(QKeySequence(keys))
        action.setObjectName(name)
        action.triggered.connect(slot)
        self.window.addAction(action)
        return action

    # Export
    @property
    def export_dialog(self) -> ExportDialog:
        if self._export_dialog is None:
            from app.ui.export_dialog import ExportDialog

            self._export_dialog = ExportDialog(
                self.exporter, self._funnel, self._state, self.window
            )
        return self._export_dialog

    def export(self) -> None:
        """Ctrl+E: the image selected in the library when it has focus, else in the gallery."""
        image_id = None
        if self.library_panel.list.hasFocus():
            current = self.library_panel.current()
            image_id = None if current is None else current[1].image_id
        if image_id is None:
            tile = self.window.gallery_page.current_tile()
            image_id = None if tile is None else tile.image_id
        if image_id is None:
            self.window.status.showMessage(self.tr("Select an image to export first."), 5000)
            return

        def show(job_images: list[int]) -> None:
            self.export_dialog.open_for(image_id, job_images or [image_id])

        self._funnel.run_task(self.exporter.job_image_ids(image_id), on_done=show)

    # Library
    def search_library(self) -> None:
        self.library_dock.show()
        self.library_dock.raise_()
        self.library_panel.focus_search()

    # Drops on the window
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and isinstance(event, QDropEvent):
            if event.type() == QEvent.Type.Drop:
                self.drop(event)
                return True
            if isinstance(event, QDragEnterEvent) or event.type() == QEvent.Type.DragMove:
                mime = event.mimeData()
                if (
                    mime.hasUrls()
                    or mime.hasImage()
                    or any(kind.startswith("image/") for kind in mime.formats())
                ):
                    event.acceptProposedAction()
                    return True
        return super().eventFilter(watched, event)

    def drop(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        files = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
        if files:
            self.restorer.drop(files)
        else:
            self.references_panel.take_mime(mime)  # image data only: nothing to restore from
        event.acceptProposedAction()

    def ask_to_replace(self, answer: object) -> None:
        """A dropped studio image or an opened job would replace a spec with unsaved changes."""
        if not isinstance(answer, asyncio.Future):
            return
        box = QMessageBox(self.window)
        box.setObjectName("replace-spec")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Unsaved changes"))
        box.setText(self.tr("The spec has unsaved changes. Discard them and open this one?"))
        discard = box.addButton(QMessageBox.StandardButton.Discard)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def reply(agreed: bool) -> None:
            if not answer.done():
                answer.set_result(agreed)

        box.buttonClicked.connect(lambda button: reply(button is discard))
        box.finished.connect(lambda _: reply(False))  # closed without a choice: keep the spec
        self.replace_box = box
        box.open()

    def offer_references(self, paths: object) -> None:
        """Images without a studio spec: ask whether to add them as references."""
        files = (
            [path for path in paths if isinstance(path, Path)] if isinstance(paths, list) else []
        )
        if not files:
            return
        box = QMessageBox(self.window)
        box.setObjectName("offer-references")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Add as references?"))
        names = "\n".join(path.name for path in files[:6]) + ("\n…" if len(files) > 6 else "")
        box.setText(self.tr("These images carry no studio spec. Add them as reference images?"))
        box.setInformativeText(names)
        add = box.addButton(self.tr("Add as references"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        model = self.references_panel.model
        box.buttonClicked.connect(
            lambda button: (
                model.add([(path, path.name) for path in files]) if button is add else None
            )
        )
        self.offer_box = box
        box.open()
