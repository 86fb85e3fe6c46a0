"""Typed outcomes for everything that can go wrong talking to an image service.

Each error carries one sentence a designer can act on (what happened, what to do). The API key never
appears in one: messages from the service are redacted before they are kept.
"""

from __future__ import annotations


class ServiceError(Exception):
    """A request that did not give images. ``answered`` tells whether the service replied."""

    answered: bool = True

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class RefusedError(ServiceError):
    """The service answered 4xx: the request was refused, with the service's reason."""

    def __init__(
        self, message: str, *, status: int | None, param: str | None = None, code: str | None = None
    ) -> None:
        super().__init__(message, status=status)
        self.param = param
        self.code = code


class ModerationBlockedError(RefusedError):
    """The service's safety system blocked the prompt (input) or the image (output)."""

    def __init__(self, message: str, *, stage: str | None, categories: tuple[str, ...]) -> None:
        super().__init__(message, status=400, code="moderation_blocked")
        self.stage = stage
        self.categories = categories


class AuthenticationFailedError(RefusedError):
    """401/403: the key is missing, wrong or lacks access."""


class RateLimitedError(RefusedError):
    """429 after the retries: too many requests or no quota left."""

    def __init__(self, message: str, *, retry_after: float | None) -> None:
        super().__init__(message, status=429, code="rate_limited")
        self.retry_after = retry_after


class ServerFailedError(ServiceError):
    """5xx after the retries."""

    answered = False


class UnreachableError(ServiceError):
    """No connection, or the connection dropped before the answer was complete."""

    answered = False


class TimedOutError(ServiceError):
    """No answer within the timeout."""

    answered = False


class MalformedAnswerError(ServiceError):
    """The service answered, but not with usable images (bad JSON, bad base64, not an image)."""

    answered = False


class QuotaExhaustedError(RefusedError):
    """429 ``insufficient_quota``: the account has no credit left; never retried."""

    def __init__(self, message: str) -> None:
        super().__init__(message, status=429, code="insufficient_quota")


class GatewayCutError(UnreachableError):
    """A gateway closed the connection without an answer after a long wait; not retried."""

    def __init__(self, message: str, *, seconds: float) -> None:
        super().__init__(message)
        self.seconds = seconds
