"""The spec being built: observable fields and the text blocks, read back as one frozen ``Spec``."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QObject, Signal

from app.core.spec import DEFAULT_MODEL, Spec
from app.model.properties import Observable
from app.model.text_blocks import TextBlocksModel

_FIELDS = (
    "description", "style", "ratio", "tier", "size", "quality", "n", "background",
    "output_format", "output_compression", "model", "exact_text", "references",
)  # fmt: skip


class BuilderModel(QObject):
    """Every field of the spec the window edits. ``spec_changed`` fires after any change."""

    description_changed = Signal(str)
    style_changed = Signal(str)
    ratio_changed = Signal(object)
    tier_changed = Signal(str)
    size_changed = Signal(object)
    quality_changed = Signal(str)
    n_changed = Signal(int)
    background_changed = Signal(str)
    output_format_changed = Signal(str)
    output_compression_changed = Signal(object)
    model_changed = Signal(str)
    exact_text_changed = Signal(bool)
    references_changed = Signal(object)
    spec_changed = Signal()

    description = Observable("")
    style = Observable("")
    ratio: Observable[str | None] = Observable("1:1")
    tier = Observable("1k")
    size: Observable[str | None] = Observable(None)
    quality = Observable("medium")
    n = Observable(4)
    background = Observable("auto")
    output_format = Observable("png")
    output_compression: Observable[int | None] = Observable(None)
    model = Observable(DEFAULT_MODEL)
    exact_text = Observable(False)
    """Exact-text mode: a text-free scene from the model, the texts set over it by the studio."""
    references: Observable[tuple[str, ...]] = Observable(())
    """Paths of the reference images (the library's kept copies), in the order they are sent."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks = TextBlocksModel()
        self._loading = False
        for name in _FIELDS:
            getattr(self, f"{name}_changed").connect(self._changed)
        self.blocks.blocks_changed.connect(self._changed)

    def _changed(self, *_: object) -> None:
        if not self._loading:
            self.spec_changed.emit()

    def use_ratio(self, ratio: str) -> None:
        """A ratio (and the current tier) instead of an exact size."""
        self._loading = True
        try:
            self.size = None
            self.ratio = ratio
        finally:
            self._loading = False
        self.spec_changed.emit()

    def use_size(self, size: str) -> None:
        """An exact WIDTHxHEIGHT instead of a ratio."""
        self._loading = True
        try:
            self.ratio = None
            self.size = size
        finally:
            self._loading = False
        self.spec_changed.emit()

    def spec(self) -> Spec:
        """The spec as built; text blocks still empty are left out (there is nothing to render)."""
        texts = tuple(block for block in self.blocks.blocks() if block.text.strip())
        return Spec(
            description=self.description,
            style=self.style,
            texts=texts,
            ratio=None if self.size is not None else (self.ratio or "1:1"),
            tier=self.tier,
            size=self.size,
            quality=self.quality,
            n=self.n,
            background=self.background,
            output_format=self.output_format,
            output_compression=self.output_compression,
            model=self.model,
            references=self.references,
            exact_text=self.exact_text,
        )

    def load(self, spec: Spec) -> None:
        """Show ``spec`` in the builder (one ``spec_changed`` at the end)."""
        self._loading = True
        try:
            for name in _FIELDS:
                setattr(self, name, getattr(spec, name))
            if spec.size is None and spec.ratio is None:
                self.ratio = "1:1"
            self.blocks.set_blocks(spec.texts)
        finally:
            self._loading = False
        self.spec_changed.emit()

    def reset(
        self, *, model: str = DEFAULT_MODEL, quality: str = "medium", tier: str = "1k"
    ) -> None:
        """A new, empty spec with the settings' defaults."""
        self.load(dataclasses.replace(Spec(), model=model, quality=quality, tier=tier, n=4))
