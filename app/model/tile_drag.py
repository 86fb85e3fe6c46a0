"""What a gallery tile carries when it is dragged out: the stored PNG's file URL, and its bytes as
image data for applications that take pictures rather than files.

The bytes are read only when a drop target asks for them (``retrieveData``), not when the drag
starts, so starting a drag never waits on the disk.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import QByteArray, QMetaType, QMimeData, QUrl

URI_LIST: Final = "text/uri-list"
TILE_FORMATS: Final = (URI_LIST, "image/png", "image/webp", "image/jpeg")


class TileMimeData(QMimeData):
    def __init__(self, paths: Sequence[Path]) -> None:
        super().__init__()
        self.paths = tuple(paths)
        self.setUrls([QUrl.fromLocalFile(str(path)) for path in self.paths])
        first = self.paths[0] if self.paths else None
        self._image_type = _image_type(first) if first is not None else None

    def formats(self) -> list[str]:
        formats = [URI_LIST]
        if self._image_type is not None:
            formats.append(self._image_type)
        return formats

    def hasFormat(self, mime_type: str) -> bool:
        return mime_type in self.formats()

    def retrieveData(self, mime_type: str, preferred: QMetaType | QMetaType.Type) -> Any:
        if mime_type == self._image_type and self.paths:
            try:
                return QByteArray(self.paths[0].read_bytes())
            except OSError:
                return None  # moved or deleted meanwhile: the drop gets the file URL only
        return super().retrieveData(mime_type, preferred)


def _image_type(path: Path) -> str | None:
    kind = mimetypes.guess_type(path.name)[0]
    return kind if kind in TILE_FORMATS else None


def tile_mime(paths: Sequence[Path]) -> QMimeData:
    return TileMimeData(paths)
