"""A series (a spec's ``shots``, CONTRACTS §1): images that share a look, made one after another.

The first shot is generated; every later one is an edit that carries the first shot's image (or,
with ``"chain": "previous"``, the one before it) as its reference, with the instruction to keep
the same characters, palette and style. Each shot is an ordinary library job whose spec is the
shot's own (the spec with the shot's description and texts, and no shots), so any shot can be
made again alone, from the same reference. Shared by ``zi-studio generate`` and the window.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.core.plan import Plan
from app.core.series import reference_index, shot_spec
from app.core.spec import Spec
from app.core.spec_json import spec_to_dict
from app.jobs.run import JobCallbacks, JobOutcome, JobRunner

PlanFor = Callable[[Spec, Sequence[tuple[int, int]]], Plan]
"""Plans a shot's spec, given its references' sizes (raises ``PlanError``)."""


@dataclass(frozen=True, slots=True)
class ShotOutcome:
    index: int
    spec: Spec
    outcome: JobOutcome


async def run_series(
    spec: Spec,
    runner_for: Callable[[Spec], JobRunner],
    plan_for: PlanFor,
    *,
    reference_sizes: Sequence[tuple[int, int]] = (),
    callbacks_for: Callable[[int], JobCallbacks] = lambda index: JobCallbacks(),
    on_shot: Callable[[ShotOutcome], object] = lambda shot: None,
) -> list[ShotOutcome]:
    """Every shot in order; stops at a shot that fails (the later ones need its image).
    ``runner_for`` gives the runner of a shot's spec (the embedded engine takes the spec with
    each request); ``reference_sizes``: the sizes of the spec's own references."""
    made: list[ShotOutcome] = []
    kept: list[tuple[Path, int, int]] = []  # each shot's first image: path, width, height
    for index in range(len(spec.shots)):
        source = reference_index(spec, index)
        reference = None if source is None else kept[source]
        shot = shot_spec(spec, index, None if reference is None else str(reference[0]))
        sizes = list(reference_sizes)
        if reference is not None:
            sizes.insert(0, (reference[1], reference[2]))
        plan = plan_for(shot, sizes)
        outcome = await runner_for(shot).run(
            plan, spec_json=spec_to_dict(shot), callbacks=callbacks_for(index)
        )
        made.append(ShotOutcome(index, shot, outcome))
        on_shot(made[-1])
        if outcome.error is not None or outcome.not_saved is not None or not outcome.images:
            break
        first = outcome.images[0].record
        kept.append((first.path, first.width, first.height))
    return made
