"""Fix text: queue the edit that puts a wrong text block right (``app.jobs.fix_text``).

The fix is prepared off the GUI thread (the image is read, the mask written, the exact text
fitted), then queued like any job: its image arrives as a new tile, a child of the original in
the library, and is checked like every new image.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from app.core.fidelity import BlockCheck
from app.core.messages import MessageBridge
from app.model.gallery import Tile
from app.model.generation import Generator
from app.model.tasks import TaskFunnel
from app.model.text_checks import TextChecks

if TYPE_CHECKING:  # Pillow and the typesetter load with the first fix, not before the window shows
    from app.jobs.fix_text import FixWay


class TextFixer(QObject):
    queued = Signal(object)  # the JobEntry of a fix, once it is queued

    def __init__(
        self,
        funnel: TaskFunnel,
        messages: MessageBridge,
        generator: Generator,
        checks: TextChecks,
        *,
        mask_dir: Path,
        price_overrides: Callable[[], Mapping[str, Any] | None] = lambda: None,
    ) -> None:
        super().__init__()
        self._funnel = funnel
        self._messages = messages
        self._generator = generator
        self._checks = checks
        self._mask_dir = mask_dir
        self._price_overrides = price_overrides

    def wrong_blocks(self, tile: Tile | None) -> list[tuple[int, BlockCheck]]:
        """The tile's blocks that did not come out exactly, with their index in its check."""
        fidelity = None if tile is None else self._checks.of_tile(tile)
        if fidelity is None or fidelity.check is None or tile is None or tile.path is None:
            return []
        return [(i, block) for i, block in enumerate(fidelity.check.blocks) if not block.exact]

    def fix(self, tile: Tile, block_index: int, way: FixWay) -> None:
        """Queue the fix of the tile's ``block_index``-th checked block, ``way`` edit or typeset."""
        fidelity = self._checks.of_tile(tile)
        if fidelity is None or fidelity.check is None or tile.path is None:
            return
        block = fidelity.check.blocks[block_index]
        self._funnel.run_task(self._fix(tile, block, way), failure_code="fix.failed")

    async def _fix(self, tile: Tile, block: BlockCheck, way: FixWay) -> None:
        from app.jobs.fix_text import FixError, prepare_fix

        assert tile.path is not None
        try:
            prepared = await self._funnel.in_thread(
                lambda: prepare_fix(
                    tile.path,  # type: ignore[arg-type]
                    block,
                    way,
                    mask_dir=self._mask_dir,
                    price_overrides=self._price_overrides(),
                )
            )
        except FixError as error:
            self._messages.error("fix.failed", reason=str(error))
            return
        entry = self._generator.generate(
            prepared.plan,
            prepared.spec_json,
            parent_image_id=tile.image_id,
            exact_text=prepared.exact_text,
        )
        if entry is not None:
            self.queued.emit(entry)
