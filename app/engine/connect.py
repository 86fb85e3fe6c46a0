"""Which engine a call goes to, and the ImageService for it.

Remote when a key or a base URL is given, else the embedded local engine — reached through the
same SDK and the same code path, in process, over a streaming transport.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import httpx2

from app.core.service_profile import ProfileBook
from app.engine.batch_client import BatchClient
from app.engine.gateway import service_http_client
from app.engine.service import OpenAIImageService, ServiceOptions
from app.engine.transport import LOCAL_API_KEY, LOCAL_BASE_URL, StreamingASGITransport

PLACEHOLDER_KEY = "sk-no-key"  # some compatible services want a bearer token, any token


@dataclass(frozen=True, slots=True)
class EngineChoice:
    engine: Literal["local", "remote"]
    base_url: str | None
    announce: bool  # the local engine was chosen without being asked for


def choose_engine(
    *, asked: str | None, key: str | None, base_url: str | None, base_url_flag: bool = False
) -> EngineChoice:
    if asked == "local":
        return EngineChoice("local", None, announce=False)
    if asked == "remote" or key or base_url_flag:
        return EngineChoice("remote", base_url, announce=False)
    return EngineChoice("local", None, announce=True)


def local_http_client(batch_dir: Path | None = None) -> httpx2.AsyncClient:
    """An HTTP client whose requests are answered by the embedded engine in this process (with
    ``batch_dir``, its batches too, kept there)."""
    from app.engine.local import create_app  # Qt and the font load only when the engine is used

    return service_http_client(StreamingASGITransport(create_app(batch_dir=batch_dir)))


def local_spec_service(
    http_client: httpx2.AsyncClient,
    *,
    timeout: float,
    max_retries: int,
    spec: Mapping[str, Any] | None,
) -> OpenAIImageService:
    """The embedded engine over a shared ``http_client``, sending ``spec`` as ``zi_spec``: many
    jobs of different specs share one engine. Close the client, not the service."""
    options = ServiceOptions(
        api_key=LOCAL_API_KEY,
        base_url=LOCAL_BASE_URL,
        timeout=timeout,
        max_retries=max_retries,
        extra_body={} if spec is None else {"zi_spec": json.dumps(spec, ensure_ascii=False)},
    )
    return OpenAIImageService(options, http_client=http_client)


def open_batch_client(
    choice: EngineChoice,
    *,
    key: str | None,
    timeout: float,
    max_retries: int,
    local_http: httpx2.AsyncClient | None = None,
) -> BatchClient:
    """The Batch API of ``choice``'s service; the embedded engine's through ``local_http``
    (a ``local_http_client`` with a batch folder)."""
    if choice.engine == "local":
        if local_http is None:
            raise ValueError("the embedded engine's batches need its client")
        options = ServiceOptions(LOCAL_API_KEY, LOCAL_BASE_URL, timeout, max_retries)
        return BatchClient(options, http_client=local_http)
    options = ServiceOptions(key or PLACEHOLDER_KEY, choice.base_url, timeout, max_retries)
    return BatchClient(options, http_client=service_http_client())


def open_service(
    choice: EngineChoice,
    *,
    key: str | None,
    timeout: float,
    max_retries: int,
    spec: Mapping[str, Any] | None = None,
    profiles: ProfileBook | None = None,
    on_note: Callable[[str], None] | None = None,
) -> OpenAIImageService:
    """The service for ``choice``. The embedded engine also gets ``spec`` (its ``zi_spec``
    field, CONTRACTS §3), so its drafts honour the typography; a real service never sees it.
    ``profiles`` (remote only) keeps what each base URL can do, and ``on_note`` is told once
    what a service turned out not to do."""
    if choice.engine == "local":
        options = ServiceOptions(
            api_key=LOCAL_API_KEY,
            base_url=LOCAL_BASE_URL,
            timeout=timeout,
            max_retries=max_retries,
            # As a JSON string: an edit is a multipart form, where an object becomes many fields.
            extra_body={} if spec is None else {"zi_spec": json.dumps(spec, ensure_ascii=False)},
        )
        return OpenAIImageService(options, http_client=local_http_client())
    options = ServiceOptions(
        api_key=key or PLACEHOLDER_KEY,
        base_url=choice.base_url,
        timeout=timeout,
        max_retries=max_retries,
        on_note=on_note,
    )
    return OpenAIImageService(options, http_client=service_http_client(), profiles=profiles)
