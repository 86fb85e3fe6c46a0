"""The Batch API's files: the JSONL lines the studio uploads, and the result lines it reads back.

Each input line is ``{"custom_id", "method": "POST", "url": "/v1/images/generations", "body"}``
with the body a generation request as the image API takes it (DESIGN §3). A request with images
(a spec's references) is an ``/v1/images/edits`` line with the JSON edit body, each image
``{"file_id": ...}`` of a file uploaded before (``image_purpose``). A batch has one endpoint, so
generations and edits go in separate files. A file holds at most
``max_requests`` lines and ``max_bytes`` bytes (50,000 and 200 MB at OpenAI); more rows are split
over several files, each its own batch. Results come back unordered, one line per request, matched
by ``custom_id``; a batch costs half the price of the same requests sent one by one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from app.core.request import ImageRequest

BATCH_PRICE_FACTOR: Final = 0.5
"""The Batch API bills half the price of the same requests sent directly."""
GENERATIONS_URL: Final = "/v1/images/generations"
EDITS_URL: Final = "/v1/images/edits"
IMAGE_PURPOSE: Final = "vision"
"""The Files API purpose of an uploaded input image (a batch's JSONL file is ``batch``)."""
MAX_REQUESTS_PER_FILE: Final = 50_000
MAX_BYTES_PER_FILE: Final = 200 * 1024 * 1024


class BatchFileError(ValueError):
    """Lines that cannot go into a batch file; the message says which and why."""


def batch_usd(usd: float | None) -> float | None:
    """A direct run's price when sent as a batch."""
    return None if usd is None else usd * BATCH_PRICE_FACTOR


def line_url(request: ImageRequest) -> str:
    """The endpoint ``request``'s line (and so its batch) goes to."""
    return EDITS_URL if request.kind == "edit" or request.images else GENERATIONS_URL


def request_line(
    custom_id: str,
    request: ImageRequest,
    extra: Mapping[str, Any] | None = None,
    *,
    file_ids: Mapping[str, str] | None = None,
) -> bytes:
    """One input line for ``request``; ``extra`` fields go into its body (the studio's own engine
    takes its spec there; a real service is never sent any). An edit's images are given by the
    ids of their uploaded files (``file_ids``, by the image's path)."""
    body: dict[str, Any] = request.api_params()
    if request.kind == "edit" or request.images:
        if request.mask is not None:
            raise BatchFileError(f"{custom_id}: a batch carries no masked edits; send it directly")
        missing = [path for path in request.images if path not in (file_ids or {})]
        if not request.images or missing:
            raise BatchFileError(
                f"{custom_id}: an edit's images must be uploaded before its batch line is written"
            )
        assert file_ids is not None
        body["images"] = [{"file_id": file_ids[path]} for path in request.images]
    body.update(extra or {})
    line = {"custom_id": custom_id, "method": "POST", "url": line_url(request), "body": body}
    return json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def split_lines(
    lines: Sequence[bytes],
    *,
    max_requests: int = MAX_REQUESTS_PER_FILE,
    max_bytes: int = MAX_BYTES_PER_FILE,
) -> list[list[bytes]]:
    """The lines in files within both limits, in order; every file as full as it can be."""
    if max_requests < 1 or max_bytes < 1:
        raise ValueError("the batch limits must be at least 1")
    files: list[list[bytes]] = []
    current: list[bytes] = []
    size = 0
    for number, line in enumerate(lines):
        if len(line) > max_bytes:
            raise BatchFileError(
                f"request {number} is {len(line):,} bytes, over the {max_bytes:,} bytes a batch "
                "file may hold; shorten its texts"
            )
        if current and (len(current) >= max_requests or size + len(line) > max_bytes):
            files.append(current)
            current, size = [], 0
        current.append(line)
        size += len(line)
    if current:
        files.append(current)
    return files


@dataclass(frozen=True, slots=True)
class BatchResult:
    """One result line: the response body of a request that succeeded, or why it failed."""

    custom_id: str
    body: Mapping[str, Any] | None
    error: str | None = None
    status: int | None = None


def _error_of(line: Mapping[str, Any]) -> tuple[str, int | None]:
    response = line.get("response")
    status = response.get("status_code") if isinstance(response, Mapping) else None
    body = response.get("body") if isinstance(response, Mapping) else None
    inner = body.get("error") if isinstance(body, Mapping) else None
    error = inner if isinstance(inner, Mapping) else line.get("error")
    message = error.get("message") if isinstance(error, Mapping) else None
    code = error.get("code") if isinstance(error, Mapping) else None
    text = str(message or code or "the service gave no reason")
    if isinstance(status, int):
        text = f"({status}) {text}"
    return text, status if isinstance(status, int) else None


def parse_results(data: bytes) -> list[BatchResult]:
    """The result lines of an output or error file; a line that cannot be read is skipped
    (its request then counts as missing, which the caller reports)."""
    results: list[BatchResult] = []
    for raw in data.splitlines():
        if not raw.strip():
            continue
        try:
            line = json.loads(raw)
        except ValueError:
            continue
        if not isinstance(line, dict) or not isinstance(line.get("custom_id"), str):
            continue
        response = line.get("response")
        status = response.get("status_code") if isinstance(response, Mapping) else None
        body = response.get("body") if isinstance(response, Mapping) else None
        if status == 200 and isinstance(body, Mapping) and not line.get("error"):
            results.append(BatchResult(line["custom_id"], body, None, 200))
        else:
            message, code = _error_of(line)
            results.append(BatchResult(line["custom_id"], None, message, code))
    return results
