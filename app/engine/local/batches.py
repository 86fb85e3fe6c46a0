"""The local engine's Files and Batches: image batches that run in the background, kept on disk.

``POST /v1/files`` keeps an uploaded file (a JSONL of requests, purpose ``batch``; or an input
image an edit line names by its id, purpose ``vision`` or ``user_data``); ``POST /v1/batches``
starts running its lines (generations, or edits with the JSON edit body), a few at a time, in the
background; ``GET /v1/batches/{id}`` says how far it got;
``POST /v1/batches/{id}/cancel`` stops it; the results are files like any other
(``GET /v1/files/{id}/content``). The shapes are OpenAI's.

Everything lives in one folder (under the studio home), so a batch outlives the process that
served it: a process that dies mid-batch leaves its finished lines on disk, and the next process
asked about the batch takes it up where it stopped. A lock file per batch (held while a process
works on it) keeps two processes from running the same batch; a cancel is a marker file, so it
reaches the worker in whichever process runs it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import sys
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, Final

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from app.engine.local.errors import ApiError, invalid

FileReader = Callable[[str], bytes]
"""A kept file's bytes by its id; raises ``ApiError`` (404) for an unknown id."""
LineRunner = Callable[[str, Mapping[str, Any], FileReader], Awaitable[tuple[int, dict[str, Any]]]]
"""Runs one request (its endpoint and body; the files its images name are read with the reader):
the HTTP status and the response body (an image answer or an error)."""

ENDPOINTS: Final = ("/v1/images/generations", "/v1/images/edits")
PURPOSES: Final = ("batch", "vision", "user_data")
COMPLETION_WINDOW: Final = "24h"
_EXPIRES_SECONDS: Final = 24 * 3600
_MAX_FILE_BYTES: Final = 200 * 1024 * 1024
_LINES_AT_ONCE: Final = 2
_ID_CHARS: Final = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


def _json(body: Mapping[str, Any], status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status, media_type="application/json")


def _write_atomic(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    with temporary.open("wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)


def _safe_id(value: str, prefix: str) -> str:
    """An id from a URL, refused unless it is one this engine could have made."""
    if not value.startswith(prefix) or not set(value) <= _ID_CHARS:
        raise ApiError(404, f"No such object: '{value}'.", code="not_found")
    return value


class BatchStore:
    """Files and batches in ``root``; ``run_line`` makes one request's answer."""

    def __init__(self, root: Path, run_line: LineRunner) -> None:
        self.root = root
        self.files_dir = root / "files"
        self.batches_dir = root / "batches"
        self._run_line = run_line
        self._workers: dict[str, asyncio.Task[None]] = {}

    # Files

    async def upload(self, request: Request) -> Response:
        async with request.form(max_part_size=_MAX_FILE_BYTES) as form:
            upload = form.get("file")
            purpose = form.get("purpose")
            if not isinstance(upload, UploadFile):
                raise invalid("Missing required parameter: 'file'.", "file", "missing")
            if purpose not in PURPOSES:
                raise invalid(
                    "Invalid 'purpose': this engine keeps batch files ('batch') and the images "
                    "their lines name ('vision', 'user_data').",
                    "purpose",
                )
            data = await upload.read()
            name = upload.filename or "input.jsonl"
        return _json(self.keep_file(data, name, str(purpose)))

    def keep_file(self, data: bytes, filename: str, purpose: str) -> dict[str, Any]:
        self.files_dir.mkdir(parents=True, exist_ok=True)
        file_id = f"file_{secrets.token_hex(12)}"
        info = {
            "id": file_id, "object": "file", "bytes": len(data), "created_at": int(time.time()),
            "filename": filename, "purpose": purpose, "status": "processed",
        }  # fmt: skip
        _write_atomic(self.files_dir / f"{file_id}.data", data)
        _write_atomic(self.files_dir / f"{file_id}.json", json.dumps(info).encode())
        return info

    def _file_info(self, file_id: str) -> dict[str, Any]:
        path = self.files_dir / f"{_safe_id(file_id, 'file_')}.json"
        try:
            info: dict[str, Any] = json.loads(path.read_bytes())
        except FileNotFoundError:
            raise ApiError(404, f"No such File object: {file_id}", code="not_found") from None
        return info

    def read_file(self, file_id: str) -> bytes:
        """A kept file's bytes (``ApiError`` 404 when there is no such file)."""
        self._file_info(file_id)
        return (self.files_dir / f"{file_id}.data").read_bytes()

    async def file(self, request: Request) -> Response:
        return _json(self._file_info(request.path_params["file_id"]))

    async def content(self, request: Request) -> Response:
        file_id = request.path_params["file_id"]
        self._file_info(file_id)
        data = await asyncio.to_thread((self.files_dir / f"{file_id}.data").read_bytes)
        return Response(data, media_type="application/octet-stream")

    # Batches

    def _state_path(self, batch_id: str) -> Path:
        return self.batches_dir / f"{_safe_id(batch_id, 'batch_')}.json"

    def _load(self, batch_id: str) -> dict[str, Any]:
        try:
            state: dict[str, Any] = json.loads(self._state_path(batch_id).read_bytes())
        except FileNotFoundError:
            raise ApiError(404, f"No batch found with id '{batch_id}'.", code="not_found") from None
        return state

    def _save(self, state: Mapping[str, Any]) -> None:
        _write_atomic(self._state_path(state["id"]), json.dumps(state).encode())

    async def create(self, request: Request) -> Response:
        try:
            fields = json.loads(await request.body())
        except ValueError:
            raise invalid("We could not parse the JSON body of your request.", None) from None
        if not isinstance(fields, dict):
            raise invalid("The request body must be a JSON object.", None)
        for name in ("input_file_id", "endpoint", "completion_window"):
            if not isinstance(fields.get(name), str):
                raise invalid(f"Missing required parameter: '{name}'.", name, "missing")
        if fields["endpoint"] not in ENDPOINTS:
            raise invalid(
                f"Invalid 'endpoint': this engine runs batches of {', '.join(ENDPOINTS)}.",
                "endpoint",
            )
        if fields["completion_window"] != COMPLETION_WINDOW:
            raise invalid("Invalid 'completion_window': only '24h' is supported.", "window")
        info = self._file_info(fields["input_file_id"])
        data = (self.files_dir / f"{info['id']}.data").read_bytes()
        now = int(time.time())
        lines, errors = _read_lines(data, fields["endpoint"])
        state: dict[str, Any] = {
            "id": f"batch_{secrets.token_hex(12)}", "object": "batch",
            "endpoint": fields["endpoint"], "errors": None, "input_file_id": info["id"],
            "completion_window": COMPLETION_WINDOW, "status": "in_progress",
            "output_file_id": None, "error_file_id": None, "created_at": now,
            "in_progress_at": now, "expires_at": now + _EXPIRES_SECONDS, "finalizing_at": None,
            "completed_at": None, "failed_at": None, "expired_at": None, "cancelling_at": None,
            "cancelled_at": None, "request_counts": {"total": len(lines), "completed": 0,
                                                     "failed": 0},
            "metadata": fields.get("metadata"),
        }  # fmt: skip
        if errors:
            state.update(status="failed", failed_at=now, in_progress_at=None)
            state["errors"] = {"object": "list", "data": errors}
        self.batches_dir.mkdir(parents=True, exist_ok=True)
        self._save(state)
        if state["status"] == "in_progress":
            self._start(state["id"])
        return _json(state)

    async def retrieve(self, request: Request) -> Response:
        batch_id = request.path_params["batch_id"]
        state = self._load(batch_id)
        if state["status"] in ("in_progress", "cancelling"):
            self._start(batch_id)  # a batch whose process died is taken up here
            state = self._load(batch_id)
        return _json(self._with_counts(state))

    async def cancel(self, request: Request) -> Response:
        batch_id = request.path_params["batch_id"]
        state = self._load(batch_id)
        if state["status"] not in ("in_progress", "cancelling", "validating"):
            raise ApiError(
                409, f"Cannot cancel a batch with status '{state['status']}'.", code="conflict"
            )
        _write_atomic(self._marker(batch_id, "cancel"), b"")
        if state["status"] == "in_progress":
            state.update(status="cancelling", cancelling_at=int(time.time()))
            self._save(state)
        running = self._workers.get(batch_id)
        if running is not None and not running.done():
            running.cancel()  # the lines in flight stop now; the worker ends the batch
            await asyncio.gather(running, return_exceptions=True)
        else:
            self._start(batch_id)  # whoever runs it stops; with nobody running it, this ends it
        return _json(self._with_counts(self._load(batch_id)))

    def _marker(self, batch_id: str, kind: str) -> Path:
        return self.batches_dir / f"{_safe_id(batch_id, 'batch_')}.{kind}"

    def _with_counts(self, state: dict[str, Any]) -> dict[str, Any]:
        if state["status"] in ("in_progress", "cancelling"):
            done = _done_index(self._marker(state["id"], "done"))
            counts = state["request_counts"]
            counts["completed"] = sum(1 for ok in done.values() if ok)
            counts["failed"] = sum(1 for ok in done.values() if not ok)
        return state

    def _start(self, batch_id: str) -> None:
        running = self._workers.get(batch_id)
        if running is not None and not running.done():
            return
        self._workers[batch_id] = asyncio.get_running_loop().create_task(self._work(batch_id))

    async def stop(self) -> None:
        """Stop this process's workers (their finished lines stay on disk)."""
        workers = [task for task in self._workers.values() if not task.done()]
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)

    async def _work(self, batch_id: str) -> None:
        with _held(self._marker(batch_id, "lock")) as held:
            if not held:
                return  # another process runs it
            state = self._load(batch_id)
            if state["status"] not in ("in_progress", "cancelling"):
                return
            data = (self.files_dir / f"{state['input_file_id']}.data").read_bytes()
            lines, _ = _read_lines(data, state["endpoint"])
            done_path = self._marker(batch_id, "done")
            done = _done_index(done_path)
            todo = [line for line in lines if line["custom_id"] not in done]
            results = self._marker(batch_id, "results")
            writing = asyncio.Lock()
            cancel = self._marker(batch_id, "cancel")

            async def run(line: dict[str, Any]) -> None:
                if cancel.exists():
                    return
                status, body = await self._run_line(state["endpoint"], line["body"], self.read_file)
                result = _result_line(line["custom_id"], status, body)
                async with writing:
                    await asyncio.to_thread(_append, results, result)
                    await asyncio.to_thread(_append, done_path, _done_line(line, status))

            try:
                for start in range(0, len(todo), _LINES_AT_ONCE):
                    group = todo[start : start + _LINES_AT_ONCE]
                    await asyncio.gather(*(run(line) for line in group))
                    if cancel.exists():
                        break
            except asyncio.CancelledError:
                if not cancel.exists():
                    raise  # the process is stopping: the next one takes the batch up
            await asyncio.to_thread(self._finish, batch_id, cancel.exists())

    def _finish(self, batch_id: str, cancelled: bool) -> None:
        """Write the output and error files from the finished lines, and end the batch."""
        state = self._load(batch_id)
        now = int(time.time())
        done = _done_index(self._marker(batch_id, "done"))
        output: list[bytes] = []
        failed: list[bytes] = []
        seen: set[str] = set()
        results = self._marker(batch_id, "results")
        for raw in _lines_of(results):
            try:
                line = json.loads(raw)
            except ValueError:
                continue  # a line cut short by a dying process: its request is run again
            custom_id = line.get("custom_id")
            if custom_id not in done or custom_id in seen:
                continue
            seen.add(custom_id)
            (output if done[custom_id] else failed).append(raw.rstrip(b"\n") + b"\n")
        if output:
            state["output_file_id"] = self.keep_file(b"".join(output), "output.jsonl",
                                                     "batch_output")["id"]  # fmt: skip
        if failed:
            state["error_file_id"] = self.keep_file(b"".join(failed), "errors.jsonl",
                                                    "batch_output")["id"]  # fmt: skip
        state["request_counts"].update(completed=len(output), failed=len(failed))
        if cancelled:
            state.update(status="cancelled", cancelled_at=now)
        else:
            state.update(status="completed", finalizing_at=now, completed_at=now)
        self._save(state)
        results.unlink(missing_ok=True)


def _read_lines(data: bytes, endpoint: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The input file's requests, and the problems that refuse the batch (as OpenAI lists them)."""
    lines: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    seen: set[str] = set()
    for number, raw in enumerate(data.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            line = json.loads(raw)
        except ValueError:
            line = None
        problem = None
        if not isinstance(line, dict) or not isinstance(line.get("body"), dict):
            problem = "invalid_json_line", "This line is not a JSON object with a 'body'."
        elif not isinstance(line.get("custom_id"), str) or not line["custom_id"]:
            problem = "missing_custom_id", "This line has no 'custom_id'."
        elif line["custom_id"] in seen:
            problem = "duplicate_custom_id", f"The custom_id '{line['custom_id']}' is repeated."
        elif line.get("url") != endpoint or line.get("method") != "POST":
            problem = "mismatched_endpoint", f"Each line must be a POST to {endpoint}."
        if problem is not None:
            code, message = problem
            errors.append({"code": code, "message": message, "param": None, "line": number})
            continue
        assert isinstance(line, dict)
        seen.add(line["custom_id"])
        lines.append(line)
    if not lines and not errors:
        errors.append({"code": "empty_file", "message": "The input file has no requests.",
                       "param": None, "line": None})  # fmt: skip
    return lines, errors


def _result_line(custom_id: str, status: int, body: Mapping[str, Any]) -> bytes:
    result = {
        "id": f"batch_req_{secrets.token_hex(12)}",
        "custom_id": custom_id,
        "response": {"status_code": status, "request_id": secrets.token_hex(16), "body": body},
        "error": None,
    }
    return json.dumps(result).encode() + b"\n"


def _done_line(line: Mapping[str, Any], status: int) -> bytes:
    return json.dumps({"custom_id": line["custom_id"], "ok": status == 200}).encode() + b"\n"


def _append(path: Path, data: bytes) -> None:
    with path.open("ab") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())


def _lines_of(path: Path) -> Iterator[bytes]:
    try:
        with path.open("rb") as file:
            yield from file
    except FileNotFoundError:
        return


def _done_index(path: Path) -> dict[str, bool]:
    """Which lines are finished, and whether each succeeded; a line cut short is not."""
    done: dict[str, bool] = {}
    for raw in _lines_of(path):
        with contextlib.suppress(ValueError, TypeError, KeyError):
            entry = json.loads(raw)
            done[str(entry["custom_id"])] = bool(entry["ok"])
    return done


@contextlib.contextmanager
def _held(path: Path) -> Iterator[bool]:
    """Whether this process got the lock at ``path``, held until the block ends (a dead
    process's lock is released by the system)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    file: IO[bytes] = path.open("ab")
    try:
        if not _lock(file.fileno()):
            yield False
            return
        yield True  # closing the file drops the lock
    finally:
        file.close()


def _lock(fd: int) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True
