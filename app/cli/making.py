"""What ``generate`` and ``edit`` do: make images, keep them, say what they cost.

Imported only when one of them runs: the SDK takes most of a second to import.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import signal
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.cli.errors import CommandError, Exit, say_error, say_warning
from app.cli.inputs import EditSource, kept_references, read_edit_source
from app.cli.service_flags import makes_one_image_per_request, opened_service
from app.cli.settings_defaults import LoadedSettings, load_settings, partial_images
from app.cli.spec_flags import spec_from_args
from app.core.cost import format_usd
from app.core.plan import Plan, PlanError, canvas_size, plan_edit, plan_generation
from app.core.sizes import Size, is_valid_size
from app.core.spec import Spec
from app.core.spec_json import SPEC_FIELDS, spec_to_dict
from app.core.text_replacement import typed_edit
from app.engine.errors import ServiceError
from app.jobs.resume import ResumeRefused, plan_resume, resume_job
from app.jobs.run import JobCallbacks, JobOutcome, JobRunner, SavedImage, exact_text_blocks
from app.jobs.spending import SpendingRefused, check_job_spending
from app.store.files import StoreError, make_dirs, write_unique
from app.store.library import Library
from app.store.paths import StudioPaths
from app.store.records import engine_label
from app.store.settings import Settings, SettingsFile


def exit_code_for(error: ServiceError) -> Exit:
    return Exit.SERVICE_ERROR if error.answered else Exit.NO_ANSWER


@dataclass(frozen=True, slots=True)
class _Asked:
    """What a job asks for, as the cap and the messages need it."""

    model: str
    estimated_usd: float | None
    spec_json: dict[str, Any] | None = None
    """The spec, for the embedded engine's ``zi_spec`` (its drafts then draw the typography)."""


StartJob = Callable[[JobRunner, JobCallbacks], Awaitable[JobOutcome]]
Prepare = Callable[[Library, argparse.Namespace], tuple[_Asked, StartJob]]
"""With the library open: what the job asks for, and how to start it (it may set flags)."""


class _Printer:
    """Prints each image as it is kept, and copies it to ``--out``.

    A copy that cannot be written (a full disk) does not stop the job: the image is in the library,
    its line gives the library's path, and the end of the run says which copies are missing.
    """

    def __init__(self, args: argparse.Namespace, asked: _Asked, runner: JobRunner) -> None:
        self.args = args
        self.asked = asked
        self.runner = runner
        self.copies_failed = 0
        self.copy_error = ""

    def image(self, image: SavedImage) -> None:
        path = image.record.path
        if self.args.out is not None:
            stem = f"zi-{image.record.job_id[:8]}-{image.index + 1}"
            try:
                path = write_unique(self.args.out, stem, path.suffix, path.read_bytes())
            except StoreError as error:
                self.copies_failed += 1
                self.copy_error = error.reason
            except OSError as error:
                self.copies_failed += 1
                self.copy_error = error.strerror or str(error)
        if self.args.json:
            line = {
                "job_id": image.record.job_id,
                "index": image.index,
                "path": str(path),
                "library_path": str(image.record.path),
                "width": image.record.width,
                "height": image.record.height,
                "estimated_usd": self.asked.estimated_usd,
                "actual_usd": self.actual_usd(image),
                "usage": image.usage,
            }
            print(json.dumps(line, ensure_ascii=False), flush=True)
        else:
            print(f"{path}  {image.record.width}x{image.record.height}", flush=True)

    def actual_usd(self, image: SavedImage) -> float | None:
        return self.runner.cost_of(self.asked.model, image.usage)


async def _run(args: argparse.Namespace, settings: Settings, prepare: Prepare) -> int:
    with Library.open(StudioPaths.from_environment()) as library:
        for job in library.recovered:
            say_warning(f"job {job.id[:8]} was interrupted earlier; its images are kept")
        asked, start = prepare(library, args)
        opened = opened_service(args, settings, asked.spec_json)
        local = opened.choice.engine == "local"
        try:
            try:  # inside: a refused job still closes its client
                check_job_spending(
                    asked.estimated_usd, asked.model, settings, library, billed=not local
                )
            except SpendingRefused as refused:
                raise CommandError(str(refused)) from None
            runner = JobRunner(
                service=opened.service,
                library=library,
                engine_label=engine_label(opened.choice.engine, opened.choice.base_url),
                billed=not local,
                price_overrides=settings.prices,
            )
            printer = _Printer(args, asked, runner)
            outcome = await start(runner, JobCallbacks(on_image=printer.image, on_note=say_warning))
        finally:
            await opened.service.close()
    code = _report(outcome, asked, json_lines=args.json, local=local)
    if printer.copies_failed and code == Exit.DONE:
        say_error(
            f"{printer.copies_failed} of the images could not be copied to {args.out}: "
            f"{printer.copy_error}. They are kept in the library (the paths printed above)."
        )
        return int(Exit.NO_ANSWER)
    return code


def _report(outcome: JobOutcome, asked: _Asked, *, json_lines: bool, local: bool) -> int:
    if json_lines:
        summary = {
            "job_id": outcome.job_id,
            "images": len(outcome.images),
            "estimated_usd": asked.estimated_usd,
            "actual_usd": outcome.actual_usd,
            "usage": outcome.usage,
        }
        print(json.dumps({"summary": summary}, ensure_ascii=False), flush=True)
    if outcome.error is not None:
        say_error(outcome.error.message)
        return int(exit_code_for(outcome.error))
    if outcome.not_saved is not None:
        say_error(outcome.not_saved)
        return int(Exit.NO_ANSWER)  # sent and answered, but not all kept: not "bad input"
    if not json_lines:
        count = f"job {outcome.job_id[:8]}: {len(outcome.images)} image(s)"
        if local:
            print(
                f"{count}; local drafts, no cost (on {asked.model} about "
                f"{format_usd(asked.estimated_usd)})"
            )
        else:
            print(
                f"{count}; estimated {format_usd(asked.estimated_usd)}, "
                f"actual {format_usd(outcome.actual_usd)}"
            )
    return int(Exit.DONE)


def _library_id(library: Library, sha256: str | None) -> int | None:
    """The library's record of an edited image, so the new version hangs under it."""
    found = library.find_images_by_sha256(sha256) if sha256 else []
    return found[0].id if found else None


def _check_out_dir(out: Path | None) -> None:
    """Before anything is sent: ``--out`` must be a folder this process can write in."""
    if out is None:
        return
    if out.exists() and not out.is_dir():
        raise CommandError(f"--out {out}: is a file, not a folder")
    try:
        make_dirs(out)
    except StoreError as error:
        raise CommandError(f"--out {out}: {error}") from None
    if not os.access(out, os.W_OK):
        raise CommandError(f"--out {out}: this folder cannot be written to; choose another")


def _execute(
    args: argparse.Namespace, plan: Plan, spec: Spec, parent: str | None, *, paste_back: bool = True
) -> int:
    for warning in plan.warnings:
        say_warning(warning)

    def prepare(library: Library, args: argparse.Namespace) -> tuple[_Asked, StartJob]:
        parent_image_id = _library_id(library, parent)

        def start(runner: JobRunner, callbacks: JobCallbacks) -> Awaitable[JobOutcome]:
            return runner.run(
                plan,
                spec_json=spec_to_dict(spec),
                parent_image_id=parent_image_id,
                callbacks=callbacks,
                paste_back=paste_back,
            )

        # The embedded engine gets the spec itself (a spec with nothing in it would be refused).
        has_content = bool(spec.texts or spec.description.strip())
        spec_json = spec_to_dict(spec) if has_content else None
        return _Asked(plan.request.model, plan.cost.usd, spec_json), start

    return _run_command(args, prepare)


def _run_command(args: argparse.Namespace, prepare: Prepare) -> int:
    _check_out_dir(args.out)
    settings = SettingsFile(StudioPaths.from_environment().settings_file).load()
    return run_cancellable(_run(args, settings, prepare))


def run_resume(args: argparse.Namespace) -> int:
    """``zi-studio resume JOB_ID``: the job's missing images, with its own request."""

    def prepare(library: Library, args: argparse.Namespace) -> tuple[_Asked, StartJob]:
        try:
            resumption = plan_resume(library, args.job_id)
        except ResumeRefused as error:
            raise CommandError(str(error)) from None
        if args.engine is None and args.base_url is None:
            # Drafts never fill a paid job's gaps, nor paid images a draft's, unless asked.
            args.engine = "local" if resumption.job.engine == "local" else "remote"
        estimate = resumption.estimate
        asked = _Asked(resumption.request.model, None if estimate is None else estimate.usd)
        if exact_text_blocks(resumption.job.spec or {}):
            _prepare_typesetter()

        def start(runner: JobRunner, callbacks: JobCallbacks) -> Awaitable[JobOutcome]:
            return resume_job(runner, resumption, callbacks)

        return asked, start

    return _run_command(args, prepare)


def run_cancellable(job: Coroutine[Any, Any, int]) -> int:
    """Run a job's coroutine to its exit code; Ctrl+C and SIGTERM cancel it the same way.

    Both signals cancel the task (never a KeyboardInterrupt raised at a random point), so the job
    ends "cancelled" with the images that arrived kept, and the command exits 130.
    """
    loop = asyncio.new_event_loop()
    task = loop.create_task(job)
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, task.cancel)
    try:
        return loop.run_until_complete(task)
    except (KeyboardInterrupt, asyncio.CancelledError):
        task.cancel()
        loop.run_until_complete(asyncio.gather(task, return_exceptions=True))
        raise CommandError("cancelled; images received so far are kept", Exit.INTERRUPTED) from None
    except StoreError as error:
        raise CommandError(str(error)) from None
    finally:
        _close_loop(loop)


def _close_loop(loop: asyncio.AbstractEventLoop) -> None:
    """End what is left (as ``asyncio.run`` does), then wait for the worker threads."""
    leftovers = asyncio.all_tasks(loop)
    for task in leftovers:
        task.cancel()
    if leftovers:
        loop.run_until_complete(asyncio.gather(*leftovers, return_exceptions=True))
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.run_until_complete(loop.shutdown_default_executor())
    loop.close()


def _prepare_typesetter() -> None:
    """Exact-text jobs typeset in worker threads: the application object comes first, here."""
    from app.typeset.fonts import FontError, default_family, ensure_gui_application

    try:
        ensure_gui_application()
        default_family()
    except FontError as error:
        raise CommandError(str(error)) from None


def run_generate(args: argparse.Namespace) -> int:
    settings = load_settings()
    spec = spec_from_args(args, settings=settings)
    if spec.exact_text and spec.texts:
        _prepare_typesetter()
    references, sizes = kept_references(spec.references, what="--ref", editing=False)
    spec = dataclasses.replace(spec, references=references)
    if spec.shots:
        from app.cli.series import run_series_command

        _check_out_dir(args.out)
        return run_series_command(args, spec, settings, sizes, partial_images(args, settings))
    try:
        plan = plan_generation(
            spec, stream=True, reference_sizes=sizes, **_plan_settings(args, settings)
        )
    except PlanError as error:
        raise CommandError(str(error)) from None
    return _execute(args, plan, spec, None)


def _plan_settings(args: argparse.Namespace, settings: LoadedSettings) -> dict[str, Any]:
    return {
        "partial_images": partial_images(args, settings),
        "price_overrides": settings.settings.prices,
        "one_image_per_request": makes_one_image_per_request(args, settings.settings),
    }


def _edit_size(spec: Spec, args: argparse.Namespace, source: EditSource) -> Size | None:
    """The asked size, else the input's own size when the API accepts it, else "auto"."""
    if args.size is not None or args.ratio is not None:
        return canvas_size(spec)
    return source.size if is_valid_size(source.width, source.height) else None


def run_edit(args: argparse.Namespace) -> int:
    source = read_edit_source(args.image, args.mask)
    # An edit makes one image by default and sends no earlier references, whatever the spec held.
    base = dataclasses.replace(source.spec, n=1, references=())
    settings = load_settings()
    # A spec the image carries counts as a spec file: each of its fields beats the settings.
    carried = frozenset() if source.spec == Spec() else frozenset(f.name for f in SPEC_FIELDS)
    spec = spec_from_args(
        args, base=base, base_given=carried, settings=settings, require_content=False
    )
    references, reference_sizes = kept_references(spec.references, what="--ref", editing=True)
    spec = dataclasses.replace(spec, references=references)
    sizes = [(source.width, source.height), *reference_sizes]
    # An instruction that replaces a text ("把“A”改成“B”") keeps the new text exact, not the old.
    instruction, texts = typed_edit(args.instruction, spec.texts)
    spec = dataclasses.replace(spec, texts=texts)
    try:
        plan = plan_edit(
            spec,
            instruction=instruction,
            image=str(source.path),
            blocks=spec.texts,
            mask=None if args.mask is None else str(args.mask.resolve()),
            stream=True,
            input_sizes=sizes,
            size=_edit_size(spec, args, source),
            **_plan_settings(args, settings),
        )
    except PlanError as error:
        raise CommandError(str(error)) from None
    return _execute(args, plan, spec, source.sha256, paste_back=args.paste_back)
