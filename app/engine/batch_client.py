"""The Batch API over the official SDK: upload a JSONL file, start a batch, follow it, read results.

The same client talks to OpenAI and to the embedded engine (which serves ``/v1/files`` and
``/v1/batches``, CONTRACTS §3). Failures are the studio's ``ServiceError``s, with the key masked.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any, Final, TypeVar, cast

import httpx2
import openai

from app.core.batch_lines import GENERATIONS_URL, IMAGE_PURPOSE
from app.engine.errors import MalformedAnswerError, UnreachableError
from app.engine.service import ServiceOptions, service_error

T = TypeVar("T")

ENDED: Final = frozenset({"completed", "failed", "expired", "cancelled"})
ENDPOINT: Final = GENERATIONS_URL


@dataclass(frozen=True, slots=True)
class BatchState:
    """Where a batch is: its status and counts, and its result files once there are some."""

    id: str
    status: str
    input_file_id: str
    total: int = 0
    completed: int = 0
    failed: int = 0
    output_file_id: str | None = None
    error_file_id: str | None = None
    problems: tuple[str, ...] = ()
    """Why the service refused the whole batch (its ``errors``), one sentence each."""

    @property
    def ended(self) -> bool:
        return self.status in ENDED


def _state(batch: Any) -> BatchState:
    counts = getattr(batch, "request_counts", None)
    errors = getattr(getattr(batch, "errors", None), "data", None) or []
    problems = tuple(
        f"line {error.line}: {error.message}" if getattr(error, "line", None) else error.message
        for error in errors
        if getattr(error, "message", None)
    )
    return BatchState(
        id=batch.id,
        status=batch.status,
        input_file_id=batch.input_file_id,
        total=getattr(counts, "total", 0) or 0,
        completed=getattr(counts, "completed", 0) or 0,
        failed=getattr(counts, "failed", 0) or 0,
        output_file_id=batch.output_file_id,
        error_file_id=batch.error_file_id,
        problems=problems,
    )


class BatchClient:
    def __init__(self, options: ServiceOptions, *, http_client: httpx2.AsyncClient | None) -> None:
        self._key = options.api_key
        self._client = openai.AsyncOpenAI(
            api_key=options.api_key,
            base_url=options.base_url,
            timeout=options.timeout,
            max_retries=options.max_retries,
            http_client=http_client,
        )

    async def close(self) -> None:
        await self._client.close()

    async def submit(
        self, data: bytes, name: str = "zi-studio-batch.jsonl", *, endpoint: str = ENDPOINT
    ) -> BatchState:
        """Upload ``data`` (JSONL, every line a request to ``endpoint``) and start a batch of it."""

        async def submit() -> Any:
            uploaded = await self._client.files.create(file=(name, data), purpose="batch")
            return await self._client.batches.create(
                input_file_id=uploaded.id,
                endpoint=cast(Any, endpoint),  # one of the SDK's literal endpoints
                completion_window="24h",
            )

        return _state(await self._call(submit()))

    async def upload_image(self, data: bytes, name: str) -> str:
        """Upload an input image (a reference the batch's edit lines name); its file id."""
        uploaded = await self._call(
            self._client.files.create(file=(name, data), purpose=IMAGE_PURPOSE)
        )
        return str(uploaded.id)

    async def state(self, batch_id: str) -> BatchState:
        return _state(await self._call(self._client.batches.retrieve(batch_id)))

    async def cancel(self, batch_id: str) -> BatchState:
        return _state(await self._call(self._client.batches.cancel(batch_id)))

    async def content(self, file_id: str) -> bytes:
        answer = await self._call(self._client.files.content(file_id))
        return bytes(answer.content)

    async def _call(self, call: Awaitable[T]) -> T:
        """``call``'s result; the SDK's exceptions become the studio's (the key masked)."""
        try:
            return await call
        except openai.APIError as error:
            raise service_error(error, self._key) from None
        except httpx2.TransportError:
            raise UnreachableError(
                "The connection to the service dropped. Check the network and try again."
            ) from None
        except ValueError:  # an answer the SDK could not read
            raise MalformedAnswerError(
                "The service's answer was not in the expected shape."
            ) from None
