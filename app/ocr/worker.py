"""The OCR worker: one warm process that reads images, fed by a queue.

The engine runs in its own process, not a thread, so it never holds the window's interpreter. The
process is started with ``spawn`` (the window has threads; forking them is unsafe) on the first
request and kept warm: ten images share it. One thread in the calling process feeds it requests
one at a time over a pipe and hands back the answers as ``concurrent.futures`` futures, which
``check_async`` turns into awaitables for the window's event loop. Requests and answers are plain
data: image bytes and required texts in, a ``TextCheck`` out.

A worker that dies (killed, out of memory) is started again and the request sent once more; a
request whose worker dies twice fails with a clear ``OcrError`` instead of crashing a third time.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Final, Protocol

from app.core.fidelity import ReadLine, RequiredText, TextCheck, check_texts
from app.core.spec import Box

log = logging.getLogger(__name__)

_POLL_SECONDS: Final = 0.2
_ATTEMPTS: Final = 2  # the first try and one restart
_NICENESS: Final = 10


class OcrError(RuntimeError):
    """The text check could not be done; the message says what happened and what to do."""


class ImageReader(Protocol):
    def read(
        self, image_bytes: bytes, boxes: Sequence[Box] = ()
    ) -> tuple[list[ReadLine], tuple[int, int]]: ...


def default_reader() -> ImageReader:
    """The real engine (``app.ocr.reader``); imported in the worker process only."""
    from app.ocr.reader import Reader

    return Reader()


@dataclass(frozen=True, slots=True)
class CheckRequest:
    image: bytes
    required: tuple[RequiredText, ...]


def serve(connection: Connection, make_reader: Callable[[], ImageReader]) -> None:
    """The worker process: load the engine once, then answer requests until told to stop."""
    from app.ocr.reader import ReadError

    if hasattr(os, "nice"):
        # Background work: when the cores are busy, the window's process gets them first.
        os.nice(_NICENESS)
    try:
        reader = make_reader()
    except Exception as error:  # any failure to load is reported, not raised into nowhere
        connection.send(("failed", f"{type(error).__name__}: {error}"))
        return
    connection.send(("ready", None))
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        try:
            connection.send(_answer(reader, request, ReadError))
        except OSError:  # the window's process is gone (closed while this image was read)
            return


def _answer(reader: ImageReader, request: CheckRequest, read_error: type[Exception]) -> Any:
    started = time.perf_counter()
    try:
        boxes = [item.box for item in request.required if item.box is not None]
        lines, size = reader.read(request.image, boxes)
        check = check_texts(
            request.required,
            lines,
            image_size=size,
            seconds=time.perf_counter() - started,
        )
    except read_error as error:
        return ("error", str(error))
    except Exception as error:  # a bug in the engine fails this image, not the worker
        log.exception("text check failed")
        return ("error", f"The text check failed on this image ({error}).")
    return ("ok", check)


class _WorkerDied(Exception):
    pass


@dataclass(slots=True)
class _Job:
    request: CheckRequest
    future: Future[TextCheck]


class OcrWorker:
    """Text checks in a worker process. Thread-safe; ``close()`` it when done (or use ``with``)."""

    def __init__(
        self,
        *,
        make_reader: Callable[[], ImageReader] = default_reader,
        start_timeout: float = 180.0,
        answer_timeout: float = 300.0,
    ) -> None:
        self._make_reader = make_reader
        self._start_timeout = start_timeout
        self._answer_timeout = answer_timeout
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._lock = threading.Lock()
        self._closed = False
        self._thread: threading.Thread | None = None
        self._process: Any = None  # multiprocessing's SpawnProcess
        self._connection: Connection | None = None
        self.starts = 0
        """How many worker processes were started (a restart counts)."""

    # The API

    def submit(self, image: bytes, required: Sequence[RequiredText]) -> Future[TextCheck]:
        """Queue a check of ``image`` against ``required``; the future gives a ``TextCheck`` or
        raises ``OcrError``. Cancelling it before its turn drops it."""
        future: Future[TextCheck] = Future()
        with self._lock:
            if self._closed:
                raise OcrError("The text check was shut down: restart Zi Studio to use it again.")
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._feed, name="zi-studio-ocr-feeder", daemon=True
                )
                self._thread.start()
            self._jobs.put(_Job(CheckRequest(bytes(image), tuple(required)), future))
        return future

    def check(
        self, image: bytes, required: Sequence[RequiredText], *, timeout: float | None = None
    ) -> TextCheck:
        """The check, waited for here (the command line)."""
        return self.submit(image, required).result(timeout)

    async def check_async(self, image: bytes, required: Sequence[RequiredText]) -> TextCheck:
        """The check, awaited on the running event loop (the window); the loop never blocks."""
        return await asyncio.wrap_future(self.submit(image, required))

    @property
    def pid(self) -> int | None:
        """The worker process's id while it runs."""
        process = self._process
        return None if process is None or not process.is_alive() else int(process.pid)

    def close(self, timeout: float = 10.0) -> None:
        """Finish the queued checks' failures, stop the worker process, and wait for it."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            thread = self._thread
            self._jobs.put(None)
        if thread is not None:
            thread.join(timeout)
        self._stop_process(timeout)

    def __enter__(self) -> OcrWorker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # The feeding thread

    def _feed(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                break
            if not job.future.set_running_or_notify_cancel():
                continue
            try:
                job.future.set_result(self._run(job.request))
            except OcrError as error:
                job.future.set_exception(error)
            except BaseException as error:  # a bug: handed to the caller, the feeder lives on
                job.future.set_exception(error)
        while True:  # closed: whatever is still queued fails cleanly
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                break
            if job is not None and job.future.set_running_or_notify_cancel():
                job.future.set_exception(
                    OcrError("The text check was shut down before this image.")
                )

    def _run(self, request: CheckRequest) -> TextCheck:
        for attempt in range(_ATTEMPTS):
            if self._closed:
                raise OcrError("The text check was shut down before this image.")
            try:
                connection = self._ensure_started()
                connection.send(request)
                status, value = self._answer(connection, self._answer_timeout)
            except _WorkerDied:
                log.warning("the OCR worker stopped (attempt %d)", attempt + 1)
                self._stop_process(0.0)
                continue
            if status == "ok":
                assert isinstance(value, TextCheck)
                return value
            raise OcrError(str(value))
        raise OcrError(
            "The text check stopped working twice on this image (its worker process died). "
            "Try again; if it keeps happening, restart Zi Studio."
        )

    def _ensure_started(self) -> Connection:
        if self._connection is not None and self._process is not None and self._process.is_alive():
            return self._connection
        self._stop_process(0.0)
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        process = context.Process(
            target=serve, args=(child, self._make_reader), name="zi-studio-ocr", daemon=True
        )
        process.start()
        child.close()
        self._process, self._connection = process, parent
        self.starts += 1
        status, value = self._answer(parent, self._start_timeout)
        if status != "ready":
            self._stop_process(0.0)
            raise OcrError(
                f"The text check could not start its OCR engine ({value}). Reinstall Zi Studio "
                "(the rapidocr and onnxruntime packages)."
            )
        return parent

    def _answer(self, connection: Connection, timeout: float) -> tuple[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if connection.poll(_POLL_SECONDS):
                    status, value = connection.recv()
                    return str(status), value
            except (EOFError, OSError):
                raise _WorkerDied from None
            if self._process is None or not self._process.is_alive():
                raise _WorkerDied
            if time.monotonic() > deadline:
                self._stop_process(0.0)
                raise OcrError(
                    f"The text check took more than {timeout:.0f} s on this image and was "
                    "stopped. Try again, or check a smaller image."
                )

    def _stop_process(self, timeout: float) -> None:
        process, connection = self._process, self._connection
        self._process = self._connection = None
        if connection is not None:
            try:
                if timeout > 0 and process is not None and process.is_alive():
                    connection.send(None)
            except OSError:
                pass
            connection.close()
        if process is not None:
            process.join(timeout)
            if process.is_alive():
                process.kill()
                process.join()
