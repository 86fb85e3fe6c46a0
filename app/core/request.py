"""The one frozen object that holds everything sent to the image API for one call."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

RequestKind = Literal["generate", "edit"]


@dataclass(frozen=True, slots=True)
class ImageRequest:
    """A generation or edit call, exactly as it will be sent (paths stand for uploaded files)."""

    kind: RequestKind
    prompt: str
    model: str = "gpt-image-2"
    size: str = "auto"
    quality: str = "medium"
    n: int = 1
    background: str = "auto"
    output_format: str = "png"
    output_compression: int | None = None
    moderation: str | None = None
    stream: bool = False
    partial_images: int = 0
    images: tuple[str, ...] = ()
    mask: str | None = None

    def api_params(self) -> dict[str, Any]:
        """The JSON fields of the call, by the API's names (files and streaming aside)."""
        params: dict[str, Any] = {
            "model": self.model,
            "prompt": self.prompt,
            "n": self.n,
            "size": self.size,
            "quality": self.quality,
            "background": self.background,
            "output_format": self.output_format,
        }
        if self.output_compression is not None:
            params["output_compression"] = self.output_compression
        if self.moderation is not None and self.kind == "generate":
            params["moderation"] = self.moderation  # the edits endpoint has no such field
        return params

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["images"] = list(self.images)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImageRequest:
        known = {f.name for f in dataclasses.fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        values["images"] = tuple(values.get("images", ()))
        return cls(**values)
