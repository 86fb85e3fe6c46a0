"""What ``zi-studio batch`` does: plan every row, refuse bad ones, then run directly or as a batch.

Imported only when the command runs (the SDK takes most of a second to import).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.cli.errors import CommandError, Exit, say_error, say_warning
from app.cli.inputs import kept_references
from app.cli.making import _check_out_dir, _prepare_typesetter, run_cancellable
from app.cli.service_flags import makes_one_image_per_request, opened_service
from app.cli.settings_defaults import LoadedSettings, load_settings, partial_images
from app.cli.settings_defaults import with_setting_defaults as settings_over
from app.core.batch_lines import BATCH_PRICE_FACTOR, BatchFileError, batch_usd
from app.core.cost import format_usd
from app.core.plan import Plan, plan_generation
from app.core.rows import (
    RowJob,
    Table,
    TableError,
    check_columns,
    describe_bad_rows,
    plan_rows,
    read_table,
)
from app.core.spec import Spec, SpecError
from app.core.spec_json import load_spec, spec_to_dict
from app.engine.batch_client import BatchClient
from app.engine.connect import (
    EngineChoice,
    local_http_client,
    local_spec_service,
    open_batch_client,
)
from app.engine.errors import ServiceError
from app.engine.service import ImageService, OpenAIImageService
from app.jobs.batch_run import (
    AnsweredService,
    Backoff,
    BatchLimits,
    Collected,
    FailedRow,
    collect,
    follow,
    submit,
)
from app.jobs.row_run import DirectRun, Progress, RowResult, RowTask
from app.jobs.run import JobRunner, SavedImage
from app.jobs.spending import SpendingRefused, check_job_spending
from app.store.files import StoreError, write_unique
from app.store.library import Library
from app.store.paths import StudioPaths
from app.store.records import engine_label
from app.store.row_runs import BatchRecord
from app.store.secrets import load_key

MAX_TABLE_BYTES = 64 * 1024 * 1024
POLL = Backoff(first=1.0, factor=1.5, most=60.0)


@dataclass(frozen=True, slots=True)
class _Connection:
    choice: EngineChoice
    key: str | None
    timeout: float
    retries: int
    service: OpenAIImageService
    """The flags' service: used for direct runs on a remote service; closed at the end."""

    @property
    def local(self) -> bool:
        return self.choice.engine == "local"

    @property
    def label(self) -> str:
        return engine_label(self.choice.engine, self.choice.base_url)


@dataclass(slots=True)
class _Printer:
    """One line per image (or one JSON object with its row), copied to ``--out`` when given."""

    args: argparse.Namespace
    has_rows: bool
    estimates: dict[str, float | None] = field(default_factory=dict)
    copies_failed: int = 0

    def image(self, row: int | None, image: SavedImage, actual_usd: float | None) -> None:
        path = image.record.path
        if self.args.out is not None:
            stem = f"zi-{image.record.job_id[:8]}"
            stem += f"-row{row}" if self.has_rows and row is not None else ""
            try:
                path = write_unique(self.args.out, f"{stem}-{image.index + 1}", path.suffix,
                                    path.read_bytes())  # fmt: skip
            except (StoreError, OSError):
                self.copies_failed += 1
        shown_row = row if self.has_rows else None
        if self.args.json:
            line = {
                "job_id": image.record.job_id, "index": image.index, "row": shown_row,
                "path": str(path), "library_path": str(image.record.path),
                "width": image.record.width, "height": image.record.height,
                "estimated_usd": self.estimates.get(image.record.job_id),
                "actual_usd": actual_usd, "usage": image.usage,
            }  # fmt: skip
            print(json.dumps(line, ensure_ascii=False), flush=True)
        else:
            where = f"  row {shown_row}" if shown_row is not None else ""
            print(f"{path}  {image.record.width}x{image.record.height}{where}", flush=True)


def run_batch(args: argparse.Namespace) -> int:
    if args.resume and args.cancel:
        raise CommandError("--resume and --cancel: give one of them")
    taken_up = args.resume or args.cancel
    if taken_up:
        if args.specs or args.rows:
            raise CommandError(f"--{'resume' if args.resume else 'cancel'} takes no specs or rows")
        _check_out_dir(args.out)
        return run_cancellable(_take_up(args, taken_up, cancel=bool(args.cancel)))
    if not args.specs:
        raise CommandError("give one or more spec files (or folders of them), and maybe --rows")
    loaded = load_settings()
    concurrency = args.concurrency
    if concurrency is None:
        concurrency = loaded.settings.rows_at_once
    if not 1 <= concurrency <= 16:
        raise CommandError(f"--concurrency {concurrency}: give 1 to 16 requests at once")
    table = _read_rows(args.rows)
    jobs = _plan_all(args, loaded, table)
    tasks = [_task(job, has_rows=table is not None) for job in jobs if job.ok]
    _check_out_dir(args.out)
    if any(task.plan.spec.exact_text and task.plan.spec.texts for task in tasks):
        _prepare_typesetter()
    if args.via == "batch":
        return run_cancellable(_via_batch(args, loaded, tasks, has_rows=table is not None))
    return run_cancellable(_direct(args, loaded, tasks, concurrency, has_rows=table is not None))


# Planning


def _spec_paths(paths: Sequence[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.suffix.lower() == ".json")
            if not inside:
                raise CommandError(f"{path}: a folder with no .json spec files in it")
            found += inside
        elif path.is_file():
            found.append(path)
        else:
            raise CommandError(f"{path}: no such file or folder")
    return found


def _read_rows(path: Path | None) -> Table | None:
    if path is None:
        return None
    try:
        if path.stat().st_size > MAX_TABLE_BYTES:
            raise CommandError(f"--rows {path}: larger than 64 MB; split the table")
        data = path.read_bytes()
    except FileNotFoundError:
        raise CommandError(f"--rows {path}: no such file") from None
    except IsADirectoryError:
        raise CommandError(f"--rows {path}: is a folder, not a CSV file") from None
    except OSError as error:
        raise CommandError(f"--rows {path}: cannot read it ({error.strerror})") from None
    try:
        return read_table(data, path.name)
    except TableError as error:
        raise CommandError(f"--rows {error}") from None


def _plan_all(
    args: argparse.Namespace, loaded: LoadedSettings, table: Table | None
) -> list[RowJob]:
    """Every job of every spec, planned; bad rows stop the run unless ``--skip-bad-rows``."""
    jobs: list[RowJob] = []
    bad: list[str] = []
    via_batch = args.via == "batch"
    partials = 0 if via_batch else partial_images(args, loaded)
    one_each = makes_one_image_per_request(args, loaded.settings)
    paths = _spec_paths(args.specs)
    for path in paths:
        try:
            spec_file = load_spec(path)
        except SpecError as error:
            raise CommandError(str(error)) from None
        for warning in spec_file.warnings:
            say_warning(warning)
        spec = settings_over(spec_file.spec, spec_file.given, loaded)
        references, sizes = kept_references(spec.references, what=f"{path}:", editing=False)
        spec = Spec(**{**_fields(spec), "references": references})
        if table is not None:
            try:
                check_columns(spec, table, what=str(path))
            except TableError as error:
                raise CommandError(str(error)) from None

        def plan_one(filled: Spec, sizes: list[tuple[int, int]] = sizes) -> Plan:
            return plan_generation(
                filled, partial_images=partials, stream=partials > 0, reference_sizes=sizes,
                price_overrides=loaded.settings.prices, one_image_per_request=one_each,
            )  # fmt: skip

        planned = plan_rows(spec, table, plan_one)
        prefix = f"{path.name}: " if len(paths) > 1 else ""
        name = table.name if table is not None else path.name
        bad += [prefix + line for line in describe_bad_rows(planned, name)]
        jobs += planned
    if bad and not args.skip_bad_rows:
        for line in bad:
            say_error(line)
        raise CommandError(
            f"{len(bad)} row(s) would be refused (listed above); nothing was sent. Fix them, or "
            "give --skip-bad-rows to leave them out"
        )
    for line in bad:
        say_warning(f"left out: {line}")
    if not any(job.ok for job in jobs):
        raise CommandError("every row would be refused; nothing was sent")
    return jobs


def _fields(spec: Spec) -> dict[str, Any]:
    return {name: getattr(spec, name) for name in spec.__dataclass_fields__}


def _task(job: RowJob, *, has_rows: bool) -> RowTask:
    assert job.spec is not None and job.plan is not None
    values = dict(job.row.values) if has_rows else {}
    return RowTask(job.row.index, values, job.plan, spec_to_dict(job.spec))


# Connecting


def _connect(args: argparse.Namespace, settings: LoadedSettings) -> _Connection:
    opened = opened_service(args, settings.settings)  # checks the flags; says when it picks local
    timeout = args.timeout if args.timeout is not None else settings.settings.timeout_seconds
    retries = args.max_retries if args.max_retries is not None else settings.settings.max_retries
    key = None if opened.choice.engine == "local" else load_key(os.environ)
    return _Connection(opened.choice, key, timeout, retries, opened.service)


def _batch_client(connection: _Connection) -> tuple[BatchClient, Any]:
    http = None
    if connection.local:
        http = local_http_client(StudioPaths.from_environment().local_batches_dir)
    client = open_batch_client(
        connection.choice, key=connection.key, timeout=connection.timeout,
        max_retries=connection.retries, local_http=http,
    )  # fmt: skip
    return client, http


def _check_spending(
    usd: float | None, model: str, settings: LoadedSettings, library: Library, *, billed: bool
) -> None:
    try:
        check_job_spending(usd, model, settings.settings, library, billed=billed)
    except SpendingRefused as refused:
        raise CommandError(str(refused)) from None


def _total(values: Sequence[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return sum(known) if known else None


# Direct


def _progress_printer() -> Any:
    shown: list[tuple[int, int]] = []
    tty = sys.stderr.isatty()

    def show(progress: Progress) -> None:
        ended = (progress.done, progress.failed)
        if tty:
            print(f"\rzi-studio: {progress.line()}   ", end="", file=sys.stderr, flush=True)
        elif not shown or shown[-1] != ended:
            print(f"zi-studio: {progress.line()}", file=sys.stderr, flush=True)
        shown.append(ended)
        if tty and progress.done + progress.failed == progress.total:
            print(file=sys.stderr)

    return show


async def _direct(
    args: argparse.Namespace,
    settings: LoadedSettings,
    tasks: list[RowTask],
    concurrency: int,
    *,
    has_rows: bool,
) -> int:
    connection = _connect(args, settings)
    http = local_http_client() if connection.local else None
    printer = _Printer(args, has_rows)
    try:
        with Library.open(StudioPaths.from_environment()) as library:
            total = _total([task.plan.cost.usd for task in tasks])
            _check_spending(total, tasks[0].plan.request.model, settings, library,
                            billed=not connection.local)  # fmt: skip

            def runner_for(task: RowTask) -> JobRunner:
                service: ImageService = connection.service
                if http is not None:
                    service = local_spec_service(
                        http, timeout=connection.timeout, max_retries=connection.retries,
                        spec=task.spec_json,
                    )  # fmt: skip
                return JobRunner(
                    service=service, library=library, engine_label=connection.label,
                    billed=not connection.local, price_overrides=settings.settings.prices,
                )  # fmt: skip

            def on_image(task: RowTask, image: SavedImage) -> None:
                printer.estimates[image.record.job_id] = task.plan.cost.usd
                actual = runner_for(task).cost_of(task.plan.request.model, image.usage)
                printer.image(task.row, image, actual)

            run = DirectRun(
                library, runner_for, concurrency=concurrency, on_progress=_progress_printer(),
                on_image=on_image, on_note=say_warning,
            )  # fmt: skip
            results = await run.run(tasks)
    finally:
        if http is not None:
            await http.aclose()
        await connection.service.close()
    return _direct_report(args, results, printer, has_rows=has_rows, local=connection.local)


def _direct_report(
    args: argparse.Namespace,
    results: list[RowResult],
    printer: _Printer,
    *,
    has_rows: bool,
    local: bool,
) -> int:
    failed = [result for result in results if result.failed]
    for result in failed:
        where = f"row {result.task.row}" if has_rows else f"job {str(result.job_id)[:8]}"
        again = (
            f" ('zi-studio resume {str(result.job_id)[:8]}' asks again)" if result.job_id else ""
        )
        say_error(f"{where}: {result.error}{again}")
    images = sum(len(result.images) for result in results)
    usd = _total([result.usd for result in results])
    summary = f"{len(results)} job(s), {images} image(s), {len(failed)} failed"
    cost = "local drafts, no cost" if local else f"actual {format_usd(usd)}"
    if args.json:
        counts = {"jobs": len(results), "images": images, "failed": len(failed)}
        print(json.dumps({"summary": {**counts, "actual_usd": usd}}), flush=True)
    else:
        print(f"{summary}; {cost}", flush=True)
    return _exit_code([(r.answered) for r in failed], printer)


def _exit_code(answered: list[bool], printer: _Printer) -> int:
    if answered:
        return int(Exit.SERVICE_ERROR if any(answered) else Exit.NO_ANSWER)
    if printer.copies_failed:
        say_error(f"{printer.copies_failed} image(s) could not be copied to --out; they are kept "
                  "in the library (the paths printed above)")  # fmt: skip
        return int(Exit.NO_ANSWER)
    return int(Exit.DONE)


# Through the Batch API


def _stopped(records: Sequence[BatchRecord], local: bool) -> CommandError:
    ids = ", ".join(record.id for record in records) or "(none sent)"
    goes_on = (
        "the embedded engine goes on with it when you resume"
        if local
        else "the service goes on with it"
    )
    first = records[0].id if records else "BATCH_ID"
    return CommandError(
        f"stopped waiting; batch {ids} is kept and {goes_on}: 'zi-studio batch --resume {first}' "
        "collects the results",
        Exit.INTERRUPTED,
    )


async def _via_batch(
    args: argparse.Namespace, settings: LoadedSettings, tasks: list[RowTask], *, has_rows: bool
) -> int:
    connection = _connect(args, settings)
    client, http = _batch_client(connection)
    printer = _Printer(args, has_rows)
    records: list[BatchRecord] = []

    def submitted(record: BatchRecord) -> None:
        records.append(record)
        if args.json:
            print(json.dumps({"batch": record.id, "requests": record.requests}), flush=True)
        else:
            print(f"batch {record.id}", flush=True)

    try:
        with Library.open(StudioPaths.from_environment()) as library:
            total = batch_usd(_total([task.plan.cost.usd for task in tasks]))
            model = tasks[0].plan.request.model
            _check_spending(total, model, settings, library, billed=not connection.local)
            if not args.json:
                price = f"at half price: about {format_usd(total)}"
                shown = "local drafts, no cost" if connection.local else price
                say_warning(f"{len(tasks)} request(s) as one Batch, {shown}; results within 24 "
                            "hours")  # fmt: skip
            extra = _engine_spec if connection.local else _no_extra
            limits = BatchLimits(settings.settings.batch_max_requests,
                                 settings.settings.batch_max_bytes)  # fmt: skip
            try:
                await submit(
                    library, client, tasks, engine=connection.label,
                    base_url=connection.choice.base_url, limits=limits, extra_for=extra,
                    on_submitted=submitted,
                )  # fmt: skip
                return await _wait_and_collect(
                    args, library, client, records, connection, settings, printer
                )
            except asyncio.CancelledError:
                raise _stopped(records, connection.local) from None
            except BatchFileError as error:
                raise CommandError(str(error)) from None
            except ServiceError as error:
                say_error(error.message)
                return int(Exit.SERVICE_ERROR if error.answered else Exit.NO_ANSWER)
    finally:
        await client.close()
        if http is not None:
            await http.aclose()
        await connection.service.close()


def _engine_spec(task: RowTask) -> dict[str, Any]:
    return {"zi_spec": json.dumps(task.spec_json, ensure_ascii=False)}


def _no_extra(task: RowTask) -> None:
    return None


class BatchProgress:
    """Prints a batch's progress line to stderr each time its status or counts change."""

    def __init__(self, batch_id: str) -> None:
        self.batch_id = batch_id
        self._last: tuple[str, int, int] | None = None

    def __call__(self, state: Any) -> None:
        # A new status counts too: the last poll often only turns "in_progress, 3/3 done" into
        # "completed, 3/3 done", and that line is the one that says the batch is over.
        seen = (state.status, state.completed, state.failed)
        if seen != self._last:
            done = f"{state.completed}/{state.total} done, {state.failed} failed"
            print(f"zi-studio: batch {self.batch_id}: {state.status}, {done}", file=sys.stderr,
                  flush=True)  # fmt: skip
            self._last = seen


async def _wait_and_collect(
    args: argparse.Namespace,
    library: Library,
    client: BatchClient,
    records: Sequence[BatchRecord],
    connection: _Connection,
    settings: LoadedSettings,
    printer: _Printer,
    *,
    cancel: bool = False,
) -> int:
    def runner_for(service: AnsweredService) -> JobRunner:
        return JobRunner(
            service=service, library=library, engine_label=connection.label,
            billed=not connection.local, price_overrides=settings.settings.prices,
            price_factor=BATCH_PRICE_FACTOR,
        )  # fmt: skip

    for record in records:
        for job_id in record.job_ids:
            job = library.job(job_id)
            printer.estimates[job_id] = None if job is None else job.estimated_usd
    failed: list[FailedRow] = []
    images = 0
    usd: float | None = None
    for record in records:
        if cancel:
            await client.cancel(record.id)
        state = await follow(client, record.id, backoff=POLL, on_state=BatchProgress(record.id))
        model = _model_of(library, record)

        def on_image(row: int | None, image: SavedImage, model: str = model) -> None:
            actual = runner_for(AnsweredService({}, ())).cost_of(model, image.usage)
            printer.image(row, image, actual)

        collected: Collected = await collect(
            library, client, record, state, runner_for, on_image=on_image
        )
        failed += collected.failed
        images += len(collected.images)
        if collected.usd is not None:
            usd = (usd or 0.0) + collected.usd
        if collected.status != "done" and not args.json:
            say_warning(
                f"batch {record.id} ended {collected.status}; the rows it finished are kept"
            )
    for row in failed:
        where = f"row {row.row}" if row.row is not None and printer.has_rows else "job"
        say_error(f"{where} (job {row.job_id[:8]}): {row.message}")
    if args.json:
        counts = {"images": images, "failed": len(failed), "actual_usd": usd}
        print(json.dumps({"summary": {"batches": [r.id for r in records], **counts}}), flush=True)
    else:
        cost = "local drafts, no cost" if connection.local else f"actual {format_usd(usd)}"
        print(f"{images} image(s), {len(failed)} failed row(s); {cost}", flush=True)
    if cancel:
        return int(Exit.DONE)
    return _exit_code([row.answered for row in failed], printer)


def _model_of(library: Library, record: BatchRecord) -> str:
    job = library.job(record.job_ids[0]) if record.job_ids else None
    return job.request.model if job is not None else "gpt-image-2"


async def _take_up(args: argparse.Namespace, batch_id: str, *, cancel: bool) -> int:
    """``--resume`` / ``--cancel``: a batch recorded in the library, collected into it."""
    settings = load_settings()
    with Library.open(StudioPaths.from_environment()) as library:
        rows = library.row_runs()
        record = rows.batch(batch_id.strip())
        what = "--cancel" if cancel else "--resume"
        if record is None:
            raise CommandError(
                f"{what} {batch_id}: there is no such batch in the library; give the id that "
                "'batch' printed"
            )
        if not record.open:
            raise CommandError(
                f"{what} {batch_id}: the batch is already {record.status}; its images are in the "
                "library ('zi-studio library')"
            )
        if record.engine == "local":
            args.engine, args.base_url = "local", None
        elif args.engine is None and args.base_url is None:
            args.engine, args.base_url = "remote", record.base_url
        connection = _connect(args, settings)
        client, http = _batch_client(connection)
        records = [record] if cancel else [r for r in rows.batches_of_run(record.run_id) if r.open]
        printer = _Printer(args, has_rows=bool(rows.rows_of_run(record.run_id)))
        try:
            return await _wait_and_collect(
                args, library, client, records, connection, settings, printer, cancel=cancel
            )
        except asyncio.CancelledError:
            raise _stopped(records, connection.local) from None
        except ServiceError as error:
            say_error(error.message)
            return int(Exit.SERVICE_ERROR if error.answered else Exit.NO_ANSWER)
        finally:
            await client.close()
            if http is not None:
                await http.aclose()
            await connection.service.close()
