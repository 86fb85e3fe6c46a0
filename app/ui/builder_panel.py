"""The builder: description, style, canvas, text blocks and the compiled prompt, top to bottom."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.model.builder import BuilderModel
from app.model.preview import PreviewModel
from app.ui.ratio_picker import RatioPicker
from app.ui.text_blocks_editor import TextBlocksEditor
from app.ui.wording import problem_text


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    label.setContentsMargins(0, 6, 0, 0)
    return label


def _editor(name: str, placeholder: str, lines: int) -> QPlainTextEdit:
    editor = QPlainTextEdit()
    editor.setAccessibleName(name)
    editor.setPlaceholderText(placeholder)
    editor.setTabChangesFocus(True)
    editor.setFixedHeight(editor.fontMetrics().lineSpacing() * lines + 14)
    return editor


class BuilderPanel(QScrollArea):
    def __init__(self, builder: BuilderModel, preview: PreviewModel) -> None:
        super().__init__()
        self.setAccessibleName("Builder")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._builder = builder
        self._preview = preview
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.setSpacing(4)

        self.description = _editor(
            "Description",
            self.tr("Describe the image in English: subject, composition, lighting…"),
            3,
        )
        self.style_edit = _editor("Style", self.tr("Style (optional): flat, vintage poster…"), 2)
        self.description.textChanged.connect(
            lambda: setattr(builder, "description", self.description.toPlainText())
        )
        self.style_edit.textChanged.connect(
            lambda: setattr(builder, "style", self.style_edit.toPlainText())
        )
        builder.description_changed.connect(lambda text: _show_text(self.description, text))
        builder.style_changed.connect(lambda text: _show_text(self.style_edit, text))

        self.picker = RatioPicker(builder, preview)
        self.texts = TextBlocksEditor(builder.blocks, preview)

        self.prompt = QPlainTextEdit()
        self.prompt.setReadOnly(True)
        self.prompt.setAccessibleName("Compiled prompt")
        self.prompt.setMinimumHeight(self.prompt.fontMetrics().lineSpacing() * 8)
        self.prompt.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        copy = QToolButton()
        copy.setText(self.tr("Copy"))
        copy.setAccessibleName("Copy prompt")
        copy.setToolTip(self.tr("Copy the compiled prompt"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.prompt.toPlainText()))
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Prompt problem")
        self.problem.setStyleSheet("color: #b45309;")

        layout.addWidget(_heading(self.tr("Description")))
        layout.addWidget(self.description)
        layout.addWidget(_heading(self.tr("Style")))
        layout.addWidget(self.style_edit)
        layout.addWidget(_heading(self.tr("Canvas")))
        layout.addWidget(self.picker)
        layout.addWidget(_heading(self.tr("Text in the image")))
        layout.addWidget(self.texts)
        self._body = layout
        self._sections_at = layout.count()  # further sections go here, above the prompt
        prompt_row = QHBoxLayout()
        prompt_row.addWidget(_heading(self.tr("Compiled prompt")))
        prompt_row.addStretch(1)
        prompt_row.addWidget(copy)
        layout.addLayout(prompt_row)
        layout.addWidget(self.problem)
        layout.addWidget(self.prompt, 1)
        self.setWidget(body)

        preview.prompt_changed.connect(self.prompt.setPlainText)
        preview.updated.connect(self._show_problem)
        self.prompt.setPlainText(preview.prompt)
        _show_text(self.description, builder.description)
        _show_text(self.style_edit, builder.style)
        self._show_problem()

    def add_section(self, title: str, widget: QWidget) -> None:
        """A titled section (References...) below the text blocks, above the compiled prompt."""
        self._body.insertWidget(self._sections_at, _heading(title))
        self._body.insertWidget(self._sections_at + 1, widget)
        self._sections_at += 2

    def _show_problem(self) -> None:
        problem = self._preview.plan_error
        texts: list[str] = []
        if problem is not None and problem[0] == "empty":
            texts.append(self.tr("Describe the image or add a text, then Generate."))
        elif problem is not None and problem[0] == "plan":
            texts.append(problem_text("plan.invalid", problem[1]))
        # Long texts are flagged on their block, experimental sizes by the canvas.
        shown_elsewhere = ("text ", "experimental")
        texts += [
            w for w in self._preview.warnings if not any(part in w for part in shown_elsewhere)
        ]
        self.problem.setText("\n".join(texts))
        self.problem.setVisible(bool(texts))


def _show_text(editor: QPlainTextEdit, text: str) -> None:
    if editor.toPlainText() != text:
        editor.setPlainText(text)
