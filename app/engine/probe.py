"""Testing a connection to an image service with a free request: ``GET {base_url}/models``.

The settings page runs it on the engine's loop before a base URL or a key is relied on. The
answer is a code with a few values, worded where it is shown; the key never appears in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

import httpx2

OPENAI_BASE_URL: Final = "https://api.openai.com/v1"

ProbeCode = Literal["ok", "unauthorized", "not_found", "refused", "unreachable", "timeout", "odd"]


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """What the service said: ``code`` and, where they help, the HTTP status and model count."""

    code: ProbeCode
    status: int | None = None
    models: int = 0

    @property
    def ok(self) -> bool:
        return self.code == "ok"


async def probe_service(
    base_url: str | None,
    key: str | None,
    *,
    timeout: float = 10.0,
    transport: httpx2.AsyncBaseTransport | None = None,
) -> ProbeResult:
    """Ask ``base_url`` (OpenAI's own when ``None``) for its model list; never raises for I/O."""
    url = (base_url or OPENAI_BASE_URL).rstrip("/") + "/models"
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    try:
        async with httpx2.AsyncClient(transport=transport, timeout=timeout) as client:
            response = await client.get(url, headers=headers)
    except httpx2.TimeoutException:
        return ProbeResult("timeout")
    except httpx2.HTTPError:
        return ProbeResult("unreachable")
    status = response.status_code
    if status in (401, 403):
        return ProbeResult("unauthorized", status)
    if status == 404:
        return ProbeResult("not_found", status)
    if status >= 400:
        return ProbeResult("refused", status)
    try:
        models = response.json()["data"]
    except (ValueError, KeyError, TypeError):
        return ProbeResult("odd", status)
    return ProbeResult("ok", status, len(models) if isinstance(models, list) else 0)
