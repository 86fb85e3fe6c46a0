"""Answers in every shape a compatible service sends, and the refusals that name a capability.

- An image as ``url`` instead of ``b64_json`` is fetched with a plain HTTP client that sends no
  ``Authorization`` header (the image may sit on another host, and the key must never go there),
  with the request's timeout, over https or to this computer only.
- A 400 that names ``stream``, ``partial_images``, ``mask``, ``n`` or a transparent
  ``background``, or a 404 for ``/images/edits``, says which capability the service lacks.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import urlsplit

import httpx2
import openai

from app.core.request import ImageRequest
from app.engine.errors import MalformedAnswerError
from app.engine.gateway import error_details

_MAX_IMAGE_BYTES: Final = 64 * 1024 * 1024
_MAX_REDIRECTS: Final = 3


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def url_problem(url: str) -> str | None:
    """Why an image link must not be fetched, or None."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and parts.hostname and _is_loopback(parts.hostname):
        return None
    return (
        "The service answered with an image link that is not https: it was not fetched (it "
        "could be read or changed on the way). Use a service that answers over https."
    )


async def _check_redirect(request: httpx2.Request) -> None:
    if (problem := url_problem(str(request.url))) is not None:
        raise MalformedAnswerError(problem)


async def fetch_image(url: str, timeout: float) -> bytes:
    """The bytes behind an image link: no credentials sent, https or loopback only."""
    if (problem := url_problem(url)) is not None:
        raise MalformedAnswerError(problem)
    # A client of its own: no Authorization header, no base URL, nothing of the SDK's.
    async with httpx2.AsyncClient(
        timeout=timeout,
        follow_redirects=True,
        max_redirects=_MAX_REDIRECTS,
        event_hooks={"request": [_check_redirect]},
    ) as client:
        try:
            response = await client.get(url)
        except httpx2.TimeoutException:
            raise MalformedAnswerError(
                "The image link the service answered with did not answer in time. Try again."
            ) from None
        except httpx2.HTTPError:
            raise MalformedAnswerError(
                "The image link the service answered with could not be reached. Try again."
            ) from None
    if response.status_code != 200:
        raise MalformedAnswerError(
            f"The image link the service answered with gave HTTP {response.status_code}. Try again."
        )
    if len(response.content) > _MAX_IMAGE_BYTES:
        raise MalformedAnswerError("The image link the service answered with is too large.")
    return response.content


def item_field(item: Any, name: str) -> Any:
    """A field of one ``data`` item, parsed (SDK model) or raw (dict)."""
    if isinstance(item, Mapping):
        return item.get(name)
    return getattr(item, name, None)


def refused_capability(error: openai.APIStatusError, request: ImageRequest) -> str | None:
    """The capability a refusal names, if it names one the request used."""
    details = error_details(error.body)
    param = details.get("param") if isinstance(details.get("param"), str) else ""
    message = str(details.get("message") or error.message).lower()
    if error.status_code == 404 and request.kind == "edit":
        return "edits"
    if error.status_code not in (400, 422):
        return None

    def names(word: str) -> bool:  # as a word: "upstream" does not name "stream"
        return param == word or re.search(rf"(?<![a-z_]){word}(?![a-z_])", message) is not None

    if names("partial_images"):
        return "partial_images"
    if names("stream"):
        return "streaming"
    if request.kind == "edit" and request.mask is not None and names("mask"):
        return "masks"
    if request.background == "transparent" and (names("background") or "transparen" in message):
        return "transparent"
    if request.n > 1 and (param == "n" or "'n'" in message or "n must be" in message):
        return "multiple_images"
    return None
