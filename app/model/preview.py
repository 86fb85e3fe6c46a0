"""What the builder's spec will send: the compiled prompt, warnings per block, the size, the cost.

Recomputed shortly after each change (compiling and costing take well under a millisecond, the
short delay only folds a burst of keystrokes into one update).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.compiler import compile_prompt, long_blocks
from app.core.plan import Plan, PlanError, plan_generation
from app.core.reference_cost import ReferenceCost, reference_cost
from app.model.builder import BuilderModel
from app.model.properties import Observable
from app.model.size_status import Problem, SizeStatus, size_status

DEBOUNCE_MS = 100


@dataclass(frozen=True, slots=True)
class Estimate:
    """The cost of the next Generate as the estimate label shows it."""

    usd: float | None
    input_tokens: int
    output_tokens: int
    output_tokens_per_image: int
    n: int
    partial_images: int
    notes: tuple[str, ...]
    price_source: str = ""  # whose prices: the built-in table's, or the user's (settings)
    references: ReferenceCost | None = None  # the range reference images add (usd is its top)


class PreviewModel(QObject):
    prompt_changed = Signal(str)
    block_warnings_changed = Signal(object)
    size_status_changed = Signal(object)
    estimate_changed = Signal(object)
    plan_error_changed = Signal(object)
    warnings_changed = Signal(object)
    updated = Signal()  # after each recomputation, whether anything changed or not

    prompt = Observable("")
    block_warnings: Observable[tuple[tuple[Problem, ...], ...]] = Observable(())
    """One tuple per text block row: (code, values) of what is wrong with it."""
    size_status: Observable[SizeStatus] = Observable(SizeStatus())
    estimate: Observable[Estimate | None] = Observable(None)
    plan_error: Observable[Problem | None] = Observable(None)
    """Why there is no plan: ("empty", {}), ("size", {}) or ("plan", {"reason": ...})."""
    warnings: Observable[tuple[str, ...]] = Observable(())

    def __init__(
        self,
        builder: BuilderModel,
        *,
        partial_images: int = 2,
        price_overrides: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self._builder = builder
        self.partial_images = partial_images
        self.price_overrides = price_overrides  # the user's prices (settings)
        self.reference_sizes: tuple[tuple[int, int], ...] = ()
        self.plan: Plan | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.recompute)
        builder.spec_changed.connect(self._timer.start)
        self.recompute()

    def set_reference_sizes(self, sizes: tuple[tuple[int, int], ...]) -> None:
        """The sizes of the reference images, for the estimate (recomputed shortly)."""
        if sizes != self.reference_sizes:
            self.reference_sizes = sizes
            self._timer.start()

    def recompute(self) -> None:
        self._timer.stop()
        spec = self._builder.spec()
        blocks = self._builder.blocks.blocks()
        warnings: list[list[Problem]] = [[] for _ in blocks]
        for index, length in long_blocks(blocks):
            warnings[index].append(("long", {"length": length}))
        for index, block in enumerate(blocks):
            if not block.text.strip():
                warnings[index].append(("empty", {}))
        self.block_warnings = tuple(tuple(w) for w in warnings)
        self.prompt = compile_prompt(spec).text
        status = size_status(spec)
        self.size_status = status
        problem: Problem | None = None
        if status.refused:
            problem = ("size", {})
        elif not spec.description.strip() and not spec.texts:
            problem = ("empty", {})
        else:
            try:
                plan = plan_generation(
                    spec,
                    partial_images=self.partial_images,
                    stream=True,
                    price_overrides=self.price_overrides,
                    reference_sizes=self.reference_sizes,
                )
            except PlanError as error:
                problem = ("plan", {"reason": str(error)})
        if problem is not None:
            self.plan = None
            self.plan_error = problem
            self.estimate = None
            self.warnings = ()
        else:
            self.plan = plan
            self.plan_error = None
            self.warnings = plan.warnings
            cost = plan.cost
            self.estimate = Estimate(
                usd=cost.usd,
                input_tokens=cost.input_tokens,
                output_tokens=cost.output_tokens,
                output_tokens_per_image=cost.output_tokens_per_image,
                n=cost.n,
                partial_images=self.partial_images,
                notes=cost.notes,
                price_source=cost.price_source,
                references=(
                    reference_cost(spec.model, self.reference_sizes)
                    if self.reference_sizes
                    else None
                ),
            )
        self.updated.emit()
