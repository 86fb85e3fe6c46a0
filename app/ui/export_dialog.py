"""The export dialog (Ctrl+E): format and its options, the spec embedded or not, a file-name
template, the selected image or all of its job, with progress; the last choices are remembered.

When names are taken in the folder it asks, name by name (or once for all): replace the file there
(safely: the old file stays if the new one cannot be written), keep both (the new one gets ``-2``),
or skip the image.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.export import EXPORT_FORMATS, ClashChoice, ExportError, ExportOptions
from app.core.file_names import DEFAULT_TEMPLATE, TEMPLATE_FIELDS, TemplateError, fill_template
from app.model.exporting import Exporter, ExportResult
from app.model.tasks import TaskFunnel

_FORMAT_NAMES = {"png": "PNG", "webp": "WebP", "jpeg": "JPEG"}


class ExportDialog(QDialog):
    def __init__(
        self,
        exporter: Exporter,
        funnel: TaskFunnel,
        state: QSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export"))
        self.setAccessibleName("Export")
        self.exporter = exporter
        self._funnel = funnel
        self._state = state
        self._selected: tuple[int, ...] = ()
        self._job: tuple[int, ...] = ()
        self._fields: dict[str, str] | None = None
        self._background = QColor("#ffffff")
        self.clash_box: QMessageBox | None = None  # the question about a taken name, when open

        self.format = QComboBox()
        self.format.setAccessibleName("Export format")
        for name in EXPORT_FORMATS:
            self.format.addItem(_FORMAT_NAMES[name], name)
        self.quality = QSpinBox()
        self.quality.setAccessibleName("Export quality")
        self.quality.setRange(1, 100)
        self.quality.setValue(90)
        self.lossless = QCheckBox(self.tr("Lossless"))
        self.lossless.setAccessibleName("Lossless")
        self.background = QToolButton()
        self.background.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.background.setAccessibleName("Background colour")
        self.background.setToolTip(self.tr("What transparent pixels are laid on in a JPEG"))
        self.embed = QCheckBox(self.tr("Embed the spec (the studio can restore it from the file)"))
        self.embed.setAccessibleName("Embed spec")
        self.embed.setChecked(True)
        self.template = QLineEdit()
        self.template.setAccessibleName("File name template")
        fields = " ".join("{" + field + "}" for field in TEMPLATE_FIELDS)
        self.template.setToolTip(self.tr("Fields: {fields}").format(fields=fields))
        self.name_preview = QLabel()
        self.name_preview.setAccessibleName("File name preview")
        self.name_preview.setWordWrap(True)
        self.folder = QLineEdit()
        self.folder.setAccessibleName("Export folder")
        browse = QPushButton(self.tr("Choose…"))
        browse.setAccessibleName("Choose folder")
        self.only_selected = QRadioButton()
        self.only_selected.setAccessibleName("Selected image")
        self.whole_job = QRadioButton()
        self.whole_job.setAccessibleName("All images of the job")
        scope = QButtonGroup(self)
        scope.addButton(self.only_selected)
        scope.addButton(self.whole_job)
        self.only_selected.setChecked(True)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Export progress")
        self.progress.hide()
        self.outcome = QLabel()
        self.outcome.setAccessibleName("Export result")
        self.outcome.setWordWrap(True)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        quality_row = QHBoxLayout()
        quality_row.addWidget(self.quality)
        quality_row.addWidget(self.lossless)
        quality_row.addWidget(self.background)
        quality_row.addStretch(1)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(self.tr("Images"), self.only_selected)
        form.addRow("", self.whole_job)
        form.addRow(self.tr("Format"), self.format)
        form.addRow(self.tr("Quality"), quality_row)
        form.addRow("", self.embed)
        form.addRow(self.tr("File name"), self.template)
        form.addRow("", self.name_preview)
        form.addRow(self.tr("Folder"), folder_row)
        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton(
            self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.export_button.setAccessibleName("Export images")
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.outcome)
        layout.addWidget(self.buttons)

        self.format.currentIndexChanged.connect(self._update)
        self.lossless.toggled.connect(self._update)
        self.template.textChanged.connect(self._update)
        self.folder.textChanged.connect(self._update)
        self.background.clicked.connect(self._choose_background)
        browse.clicked.connect(self._choose_folder)
        self.export_button.clicked.connect(self.export)
        self.close_button.clicked.connect(self._close_or_cancel)
        exporter.progress.connect(self._progress)
        exporter.finished.connect(self._finished)
        exporter.busy_changed.connect(self._update)
        self._restore()
        self._update()

    # Opening
    def open_for(self, selected: int | None, job_images: Sequence[int]) -> None:
        """Show the dialog for one image (``selected``) and the images of its job."""
        self._selected = () if selected is None else (selected,)
        self._job = tuple(job_images)
        self.only_selected.setText(self.tr("The selected image"))
        self.whole_job.setText(
            self.tr("All {count} images of its job").format(count=len(self._job))
        )
        self.only_selected.setEnabled(bool(self._selected))
        self.whole_job.setEnabled(len(self._job) > 1)
        if not self._selected:
            self.whole_job.setChecked(True)
        elif len(self._job) <= 1:
            self.only_selected.setChecked(True)
        self.outcome.clear()
        self.progress.hide()
        self._fields = None
        first = (self._selected or self._job or (None,))[0]
        if first is not None:
            self._funnel.run_task(self.exporter.name_fields(first), on_done=self._show_fields)
        self._update()
        self.open()

    def _show_fields(self, fields: dict[str, str] | None) -> None:
        self._fields = fields
        self._update()

    # Choices
    def options(self) -> ExportOptions:
        return ExportOptions(
            format=self.format.currentData(),
            quality=self.quality.value(),
            lossless=self.lossless.isChecked(),
            background=self._background.name(),
            embed_spec=self.embed.isChecked(),
        )

    def image_ids(self) -> tuple[int, ...]:
        return self._job if self.whole_job.isChecked() else self._selected

    def _template_problem(self) -> str | None:
        try:
            name = fill_template(self.template.text(), self._fields or {})
        except TemplateError:
            fields = " ".join("{" + field + "}" for field in TEMPLATE_FIELDS)
            return self.tr(
                "The template has an unknown field or a stray brace: use {fields}."
            ).format(fields=fields)
        if self._fields is not None:
            self.name_preview.setText(
                self.tr("For example: {name}").format(name=f"{name}.{self.options().extension}")
            )
        return None

    def _update(self, *_: object) -> None:
        chosen = self.format.currentData()
        self.quality.setEnabled(
            chosen == "jpeg" or (chosen == "webp" and not self.lossless.isChecked())
        )
        self.lossless.setVisible(chosen == "webp")
        self.background.setVisible(chosen == "jpeg")
        self.background.setText(self.tr("Background"))
        swatch = QPixmap(16, 16)
        swatch.fill(self._background)
        self.background.setIcon(QIcon(swatch))
        problem = self._template_problem()
        if problem is not None:
            self.name_preview.setText(problem)
        busy = self.exporter.busy
        ready = problem is None and bool(self.folder.text().strip()) and bool(self.image_ids())
        self.export_button.setEnabled(ready and not busy)
        self.close_button.setText(self.tr("Cancel") if busy else self.tr("Close"))

    def _choose_background(self) -> None:
        colour = QColorDialog.getColor(self._background, self, self.tr("Background for JPEG"))
        if colour.isValid():
            self._background = colour
            self._update()

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export to"), self.folder.text())
        if folder:
            self.folder.setText(folder)

    # Exporting
    def export(self) -> None:
        try:
            options = self.options()
        except ExportError as error:
            self.outcome.setText(str(error))
            return
        folder = Path(self.folder.text().strip()).expanduser()
        self._remember()
        ids = self.image_ids()
        template = self.template.text()

        def start(clashes: dict[str, ClashChoice]) -> None:
            self.progress.setRange(0, len(ids))
            self.progress.setValue(0)
            self.progress.show()
            self.outcome.setText(self.tr("Exporting…"))
            self.exporter.start(ids, folder, options, template, clashes)

        def go(taken: list[str]) -> None:
            if taken:
                self._ask_about_clashes(taken, {}, start)
            else:
                start({})

        self._funnel.run_task(self.exporter.clashes(ids, folder, options, template), on_done=go)

    def _ask_about_clashes(
        self,
        taken: list[str],
        chosen: dict[str, ClashChoice],
        start: Callable[[dict[str, ClashChoice]], None],
    ) -> None:
        """Ask, name after name, whether to replace the file there, keep both or skip the image;
        with several names taken, one answer can be applied to the rest. Cancel exports nothing."""
        name = taken[len(chosen)]
        left = len(taken) - len(chosen)
        several = len(taken) > 1
        box = QMessageBox(self)
        box.setObjectName("export-clash")
        box.setAccessibleName("Export name taken")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("File already there"))
        box.setText(self.tr("“{name}” is already in the folder.").format(name=name))
        if several:
            box.setInformativeText(
                self.tr(
                    "Taken name {number} of {count}. Replace the file there with the new "
                    "image, keep both (the new one gets -2), or skip this image?"
                ).format(number=len(chosen) + 1, count=len(taken))
            )
        else:
            box.setInformativeText(
                self.tr(
                    "Replace the file there with the new image, or keep both (the new one gets -2)?"
                )
            )
        replace = box.addButton(self.tr("Replace"), QMessageBox.ButtonRole.DestructiveRole)
        replace.setAccessibleName("Replace")
        keep = box.addButton(self.tr("Keep both"), QMessageBox.ButtonRole.AcceptRole)
        keep.setAccessibleName("Keep both")
        answers: dict[QAbstractButton, ClashChoice] = {replace: "replace", keep: "keep_both"}
        if several:
            skip = box.addButton(self.tr("Skip"), QMessageBox.ButtonRole.RejectRole)
            skip.setAccessibleName("Skip")
            answers[skip] = "skip"
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel export")
        box.setDefaultButton(keep)  # the answer that loses nothing
        box.setEscapeButton(cancel)
        if left > 1:
            apply_all = QCheckBox(  # parented: setCheckBox alone leaves it to Python's GC
                self.tr("Do the same for the rest ({count} more)").format(count=left - 1),
                box,
            )
            apply_all.setAccessibleName("Apply to all")
            box.setCheckBox(apply_all)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(button: QAbstractButton) -> None:
            choice = answers.get(button)
            if choice is None:
                return  # cancelled: nothing is exported
            every = box.checkBox() is not None and box.checkBox().isChecked()
            for other in taken[len(chosen) :] if every else (name,):
                chosen[other] = choice
            if len(chosen) < len(taken):
                self._ask_about_clashes(taken, chosen, start)
            else:
                start(chosen)

        box.buttonClicked.connect(answered)
        self.clash_box = box
        box.open()

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _finished(self, result: object) -> None:
        if not isinstance(result, ExportResult):
            return
        count = len(result.paths)
        folder = str(result.paths[0].parent) if result.paths else self.folder.text()
        if result.error is not None:
            text = self.tr("Stopped after {count} file(s): {reason}").format(
                count=count, reason=result.error
            )
            if result.kept is not None:
                text += " " + self.tr(
                    "“{name}” was not replaced: the file already there is as it was."
                ).format(name=result.kept.name)
        elif result.cancelled:
            text = self.tr("Cancelled: {count} file(s) written to {folder} are kept.").format(
                count=count, folder=folder
            )
        else:
            text = self.tr("Exported {count} file(s) to {folder}.").format(
                count=count, folder=folder
            )
        if result.skipped:
            text += " " + self.tr("{count} skipped (their names were taken).").format(
                count=result.skipped
            )
        self.outcome.setText(text)
        self._update()

    def _close_or_cancel(self) -> None:
        if self.exporter.busy:
            self.exporter.cancel()
        else:
            self.reject()

    # Remembered choices
    def _restore(self) -> None:
        state = self._state
        self.folder.setText(str(state.value("export/folder", "") or ""))
        self.template.setText(
            str(state.value("export/template", DEFAULT_TEMPLATE) or DEFAULT_TEMPLATE)
        )
        index = self.format.findData(state.value("export/format", "png"))
        self.format.setCurrentIndex(max(index, 0))
        self.embed.setChecked(str(state.value("export/embed", "true")).lower() != "false")
        colour = QColor(str(state.value("export/background", "#ffffff")))
        self._background = colour if colour.isValid() else QColor("#ffffff")

    def _remember(self) -> None:
        state = self._state
        state.setValue("export/folder", self.folder.text().strip())
        state.setValue("export/template", self.template.text())
        state.setValue("export/format", self.format.currentData())
        state.setValue("export/embed", "true" if self.embed.isChecked() else "false")
        state.setValue("export/background", self._background.name())
