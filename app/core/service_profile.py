"""What an OpenAI-compatible service can do, per base URL, learned from its answers.

Compatible services and gateways differ: many ignore ``stream``, some refuse ``partial_images``,
lack ``/images/edits`` or masks, refuse transparent backgrounds or make one image per request. A
``ServiceProfile`` records what was learned (True: seen working, False: refused, absent: not tried
yet), so the next request to the same base URL goes right the first time. Pure data; the store
keeps it on disk (``app.store.profiles``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final
from urllib.parse import urlsplit, urlunsplit

OFFICIAL_BASE_URL: Final = "https://api.openai.com/v1"

CAPABILITIES: Final = (
    "streaming", "partial_images", "edits", "masks", "transparent", "multiple_images",
)  # fmt: skip

LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "streaming": "Streaming",
        "partial_images": "Partial images (previews)",
        "edits": "Edits (/images/edits)",
        "masks": "Masks",
        "transparent": "Transparent backgrounds",
        "multiple_images": "Several images per request (n > 1)",
    }
)

# What the user is told, once, when a service turns out not to do something.
LACKING: Final[Mapping[str, str]] = MappingProxyType(
    {
        "streaming": "this service does not stream: no previews",
        "partial_images": "this service does not send partial images: no previews",
        "edits": "this service does not do edits (/images/edits)",
        "masks": "this service does not take masks: edits are asked without one",
        "transparent": "this service does not make transparent backgrounds: a flat backdrop is "
        "asked for and removed locally",
        "multiple_images": "this service makes one image per request: several images are asked "
        "one by one, and the input is billed each time",
    }
)


def profile_key(base_url: str | None) -> str:
    """The base URL a profile is kept under: scheme and host in lower case, no trailing slash."""
    if not base_url:
        return OFFICIAL_BASE_URL
    try:
        parts = urlsplit(base_url.strip())
    except ValueError:  # not a URL (refused where it is used); kept as written
        return base_url.strip()
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, "", ""))


@dataclass(frozen=True, slots=True)
class ServiceProfile:
    base_url: str
    known: Mapping[str, bool] = field(default_factory=dict)

    def lacks(self, capability: str) -> bool:
        """True only when the service was seen refusing ``capability``."""
        return self.known.get(capability) is False

    def with_known(self, capability: str, supported: bool) -> ServiceProfile:
        if capability not in CAPABILITIES:
            raise ValueError(f"unknown capability {capability!r}")
        return ServiceProfile(self.base_url, {**self.known, capability: supported})

    def rows(self) -> list[tuple[str, str]]:
        """For a settings page: each capability's label and "yes", "no" or "not tried yet"."""
        words = {True: "yes", False: "no"}
        return [
            (LABELS[name], words.get(self.known.get(name), "not tried yet"))  # type: ignore[arg-type]
            for name in CAPABILITIES
        ]


class ProfileBook:
    """Profiles in memory; ``learn`` says whether something new was learned. The store's
    ``ServiceProfiles`` keeps the same on disk."""

    def __init__(self, profiles: Mapping[str, ServiceProfile] | None = None) -> None:
        self._profiles: dict[str, ServiceProfile] = dict(profiles or {})

    def get(self, base_url: str | None) -> ServiceProfile:
        key = profile_key(base_url)
        return self._profiles.get(key) or ServiceProfile(key)

    def all(self) -> list[ServiceProfile]:
        return [self._profiles[key] for key in sorted(self._profiles)]

    def learn(self, base_url: str | None, capability: str, supported: bool) -> bool:
        profile = self.get(base_url)
        if profile.known.get(capability) is supported:
            return False
        self._profiles[profile.base_url] = profile.with_known(capability, supported)
        self.changed()
        return True

    def forget(self, base_url: str | None) -> None:
        """Start again for a service (after it changed, say)."""
        if self._profiles.pop(profile_key(base_url), None) is not None:
            self.changed()

    def changed(self) -> None:
        """Called after every change; the store saves here."""
