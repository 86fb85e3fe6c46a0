"""Errors the local engine answers with, in the official shape.

Every refusal is an HTTP status and a body ``{"error": {"message", "type", "param", "code"}}``;
a moderation block also carries ``moderation_details`` inside ``error``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

INVALID_REQUEST: Final = "invalid_request_error"


class ApiError(Exception):
    """A request the engine refuses: raised anywhere while handling it, answered as JSON."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = INVALID_REQUEST,
        param: str | None = None,
        code: str | None = None,
        extra: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code
        self.extra = dict(extra or {})
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {
            "message": self.message,
            "type": self.type,
            "param": self.param,
            "code": self.code,
        }
        error.update(self.extra)
        return {"error": error}


def invalid(message: str, param: str | None, code: str | None = "invalid_value") -> ApiError:
    """A 400 invalid_request_error: the usual refusal of a bad parameter."""
    return ApiError(400, message, param=param, code=code)
