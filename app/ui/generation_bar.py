"""The toolbar's generation controls: model, quality, variations, background, format, compression,
the live estimate, Generate and Cancel. Choices follow the model's capabilities (``app.core``)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QToolButton,
    QWidget,
)

from app.core.models import ModelError, known_models, model_info
from app.core.prices import USER_SOURCE
from app.core.spec import BACKGROUNDS, OUTPUT_FORMATS
from app.model.builder import BuilderModel
from app.model.preview import Estimate, PreviewModel
from app.ui.icons import icon
from app.ui.references_list import reference_range_text
from app.ui.wording import choice_text, usd

COMPRESSIBLE = ("webp", "jpeg")


def _combo(name: str, tip: str) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.setToolTip(tip)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


def _label(text: str) -> QLabel:
    label = QLabel(text)
    label.setContentsMargins(8, 0, 2, 0)
    return label


class GenerationBar(QWidget):
    generate_clicked = Signal()
    cancel_clicked = Signal()

    def __init__(self, builder: BuilderModel, preview: PreviewModel) -> None:
        super().__init__()
        self._builder = builder
        self._preview = preview
        self._local = True
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(4)

        self.model = _combo("Model", self.tr("The image model"))
        for name in known_models():
            if "*" not in name:
                self.model.addItem(name, name)
        self.quality = _combo("Quality", self.tr("Higher quality costs more and takes longer"))
        self.variations = QSpinBox()
        self.variations.setRange(1, 10)
        self.variations.setAccessibleName("Variations")
        self.variations.setToolTip(self.tr("How many images to make (1 to 10)"))
        self.background = _combo("Background", self.tr("Transparent needs PNG or WebP"))
        self.format = _combo("Format", self.tr("The file format of the images"))
        for fmt in OUTPUT_FORMATS:
            self.format.addItem(fmt.upper(), fmt)
        self.compression = QSpinBox()
        self.compression.setRange(-1, 100)
        self.compression.setSpecialValueText(self.tr("default"))
        self.compression.setSuffix(" %")
        self.compression.setAccessibleName("Compression")
        self.compression.setToolTip(self.tr("WebP and JPEG compression, 0 to 100"))

        self.exact_text = QToolButton()
        self.exact_text.setText(self.tr("Exact text"))
        self.exact_text.setCheckable(True)
        self.exact_text.setAccessibleName("Exact text")
        self.exact_text.setToolTip(
            self.tr(
                "Exact text: the model paints the scene with clean space where the boxes are and "
                "no text; the studio sets your texts over it, exactly as typed. Changing a text "
                "later costs nothing."
            )
        )
        self.estimate = QLabel("≈ $—")
        self.estimate.setAccessibleName("Estimate")
        self.estimate.setMinimumWidth(70)
        self.estimate.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.generate = QPushButton(icon("generate"), self.tr("Generate"))
        self.generate.setAccessibleName("Generate")
        self.generate.setToolTip(self.tr("Generate (Ctrl+Enter)"))
        self.generate.setDefault(True)
        self.cancel = QPushButton(icon("cancel"), self.tr("Cancel"))
        self.cancel.setAccessibleName("Cancel")
        self.cancel.setToolTip(self.tr("Stop the running jobs; images that arrived are kept (Esc)"))
        self.cancel.setEnabled(False)

        for label, widget in (
            (self.tr("Model"), self.model),
            (self.tr("Quality"), self.quality),
            (self.tr("Variations"), self.variations),
            (self.tr("Background"), self.background),
            (self.tr("Format"), self.format),
        ):
            layout.addWidget(_label(label))
            layout.addWidget(widget)
        layout.addWidget(self.compression)
        layout.addStretch(1)
        layout.addWidget(self.exact_text)
        layout.addWidget(self.estimate)
        layout.addWidget(self.generate)
        layout.addWidget(self.cancel)

        self.generate.clicked.connect(self.generate_clicked)
        self.cancel.clicked.connect(self.cancel_clicked)
        self.model.activated.connect(lambda _: setattr(builder, "model", self.model.currentData()))
        self.quality.activated.connect(
            lambda _: setattr(builder, "quality", self.quality.currentData())
        )
        self.variations.valueChanged.connect(lambda value: setattr(builder, "n", value))
        self.exact_text.toggled.connect(lambda on: setattr(builder, "exact_text", on))
        self.background.activated.connect(
            lambda _: setattr(builder, "background", self.background.currentData())
        )
        self.format.activated.connect(
            lambda _: setattr(builder, "output_format", self.format.currentData())
        )
        self.compression.valueChanged.connect(
            lambda value: setattr(builder, "output_compression", None if value < 0 else value)
        )
        builder.spec_changed.connect(self._sync)
        preview.updated.connect(self._show_estimate)
        self._sync()
        self._show_estimate()

    def set_local(self, local: bool) -> None:
        self._local = local
        self._show_estimate()

    def set_running(self, running: bool) -> None:
        self.cancel.setEnabled(running)

    def _sync(self) -> None:
        builder = self._builder
        _select(self.model, builder.model)
        try:
            info = model_info(builder.model)
            qualities, backgrounds = (
                info.qualities,
                [b for b in BACKGROUNDS if b in info.backgrounds],
            )
        except ModelError:
            qualities, backgrounds = (builder.quality,), list(BACKGROUNDS)
        _fill(self.quality, qualities, builder.quality)
        _fill(self.background, backgrounds, builder.background)
        self.variations.blockSignals(True)
        self.variations.setValue(builder.n)
        self.variations.blockSignals(False)
        _select(self.format, builder.output_format)
        if self.exact_text.isChecked() != builder.exact_text:
            self.exact_text.setChecked(builder.exact_text)
        compressible = builder.output_format in COMPRESSIBLE
        self.compression.setVisible(compressible)
        self.compression.blockSignals(True)
        self.compression.setValue(
            -1 if builder.output_compression is None else builder.output_compression
        )
        self.compression.blockSignals(False)

    def _show_estimate(self) -> None:
        estimate = self._preview.estimate
        self.generate.setEnabled(self._preview.plan is not None)
        if not isinstance(estimate, Estimate):
            self.estimate.setText("≈ $—")
            self.estimate.setToolTip(self.tr("Nothing to estimate yet"))
            return
        amount = usd(estimate.usd)
        references = estimate.references
        if references is not None and references.usd_spread and estimate.usd is not None:
            amount = f"{usd(estimate.usd - references.usd_spread)}–{usd(estimate.usd)}"
        self.estimate.setText(f"≈ {amount}")
        tokens = self.tr(
            "About {input} input tokens and {output} output tokens ({per} per image × {n})."
        ).format(
            input=f"{estimate.input_tokens:,}",
            output=f"{estimate.output_tokens:,}",
            per=f"{estimate.output_tokens_per_image:,}",
            n=estimate.n,
        )
        if estimate.partial_images:
            included = self.tr(
                "Includes the {count} partial previews per image (100 output tokens each). "
                "Not included: retries."
            ).format(count=estimate.partial_images)
        else:
            included = self.tr("Not included: retries.")
        lines = [self.tr("On the service: ≈ {amount}").format(amount=amount), tokens, included]
        if references is not None:
            lines.insert(2, reference_range_text(references))
        if estimate.price_source == USER_SOURCE:
            lines.append(self.tr("Prices: your own, from the settings."))
        elif estimate.price_source:
            built_in = estimate.price_source.removeprefix("built-in table").strip()
            lines.append(self.tr("Prices: the built-in table of {date}.").format(date=built_in))
        if self._local:
            lines.insert(
                0, self.tr("The local engine makes drafts at no cost; this is the service's price.")
            )
        self.estimate.setToolTip("\n".join([*lines, *estimate.notes]))


def _select(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    if index >= 0 and index != combo.currentIndex():
        combo.setCurrentIndex(index)


def _fill(combo: QComboBox, values: tuple[str, ...] | list[str], current: str) -> None:
    items = [combo.itemData(i) for i in range(combo.count())]
    if items != list(values):
        combo.blockSignals(True)
        combo.clear()
        for value in values:
            combo.addItem(choice_text(value), value)
        combo.blockSignals(False)
    _select(combo, current)
