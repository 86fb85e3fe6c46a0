"""``zi-studio generate`` on a spec with ``shots``: the series, one shot after another.

Each image is printed as ``generate`` prints it, with its ``shot`` (0-based); with ``--out`` the
copies are numbered in the series' order (``…-shot01-1.png``, ``…-shot02-1.png``…).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence

from app.cli.errors import CommandError, Exit, say_error, say_warning
from app.cli.making import exit_code_for, run_cancellable
from app.cli.service_flags import opened_service
from app.cli.settings_defaults import LoadedSettings
from app.core.plan import Plan, PlanError, plan_generation
from app.core.series import shot_spec
from app.core.spec import Spec
from app.core.spec_json import spec_to_dict
from app.engine.connect import local_http_client, local_spec_service
from app.engine.service import ImageService
from app.jobs.run import JobCallbacks, JobRunner, SavedImage
from app.jobs.series import PlanFor, ShotOutcome, run_series
from app.jobs.spending import SpendingRefused, check_job_spending
from app.store.files import StoreError, write_unique
from app.store.library import Library
from app.store.paths import StudioPaths
from app.store.records import engine_label


def run_series_command(
    args: argparse.Namespace,
    spec: Spec,
    loaded: LoadedSettings,
    reference_sizes: Sequence[tuple[int, int]],
    partial_images: int,
) -> int:
    def plan_for(shot: Spec, sizes: Sequence[tuple[int, int]]) -> Plan:
        return plan_generation(
            shot, partial_images=partial_images, stream=True, reference_sizes=sizes,
            price_overrides=loaded.settings.prices,
        )  # fmt: skip

    try:  # the first shot, planned now: a bad size or prompt stops before anything is sent
        first = plan_for(_first_shot(spec), reference_sizes)
    except PlanError as error:
        raise CommandError(str(error)) from None
    return run_cancellable(_series(args, spec, loaded, reference_sizes, plan_for, first))


def _first_shot(spec: Spec) -> Spec:
    return shot_spec(spec, 0)


async def _series(
    args: argparse.Namespace,
    spec: Spec,
    loaded: LoadedSettings,
    reference_sizes: Sequence[tuple[int, int]],
    plan_for: PlanFor,
    first: Plan,
) -> int:
    opened = opened_service(args, loaded.settings)
    local = opened.choice.engine == "local"
    http = local_http_client() if local else None
    copies_failed = 0
    series: dict[str, str] = {}
    try:
        with Library.open(StudioPaths.from_environment()) as library:
            usd = None if first.cost.usd is None else first.cost.usd * len(spec.shots)
            try:
                check_job_spending(usd, first.request.model, loaded.settings, library,
                                   billed=not local)  # fmt: skip
            except SpendingRefused as refused:
                raise CommandError(str(refused)) from None
            label = engine_label(opened.choice.engine, opened.choice.base_url)

            def runner_for(shot: Spec) -> JobRunner:
                service: ImageService = opened.service
                if http is not None:
                    timeout = args.timeout or loaded.settings.timeout_seconds
                    retries = args.max_retries
                    if retries is None:
                        retries = loaded.settings.max_retries
                    service = local_spec_service(
                        http, timeout=timeout, max_retries=retries, spec=spec_to_dict(shot)
                    )
                return JobRunner(
                    service=service, library=library, engine_label=label, billed=not local,
                    price_overrides=loaded.settings.prices,
                )  # fmt: skip

            def callbacks_for(index: int) -> JobCallbacks:
                def image(saved: SavedImage) -> None:
                    nonlocal copies_failed
                    path = saved.record.path
                    if args.out is not None:
                        series.setdefault("id", saved.record.job_id[:8])  # the first shot's
                        stem = f"zi-series-{series['id']}-shot{index + 1:02d}"
                        try:
                            path = write_unique(args.out, f"{stem}-{saved.index + 1}",
                                                path.suffix, path.read_bytes())  # fmt: skip
                        except (StoreError, OSError):
                            copies_failed += 1
                    _print(args, index, saved, path)

                return JobCallbacks(on_image=image, on_note=say_warning)

            shots = await run_series(
                spec, runner_for, plan_for,
                reference_sizes=reference_sizes, callbacks_for=callbacks_for,
            )  # fmt: skip
    finally:
        if http is not None:
            await http.aclose()
        await opened.service.close()
    return _report(args, spec, shots, copies_failed)


def _print(args: argparse.Namespace, shot: int, saved: SavedImage, path: object) -> None:
    record = saved.record
    if args.json:
        line = {
            "job_id": record.job_id, "index": saved.index, "shot": shot, "path": str(path),
            "library_path": str(record.path), "width": record.width, "height": record.height,
            "usage": saved.usage,
        }  # fmt: skip
        print(json.dumps(line, ensure_ascii=False), flush=True)
    else:
        print(f"{path}  {record.width}x{record.height}  shot {shot + 1}", flush=True)


def _report(
    args: argparse.Namespace, spec: Spec, shots: list[ShotOutcome], copies_failed: int
) -> int:
    last = shots[-1].outcome if shots else None
    if last is not None and last.error is not None:
        left = len(spec.shots) - len(shots)
        say_error(f"shot {len(shots)}: {last.error.message} ({left} later shot(s) not made)")
        return int(exit_code_for(last.error))
    if last is not None and last.not_saved is not None:
        say_error(last.not_saved)
        return int(Exit.NO_ANSWER)
    if not args.json:
        print(f"series of {len(shots)} shot(s)", flush=True)
    if copies_failed:
        say_error(f"{copies_failed} image(s) could not be copied to --out; they are in the library")
        return int(Exit.NO_ANSWER)
    return int(Exit.DONE)
