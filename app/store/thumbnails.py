"""Gallery thumbnails, made with Pillow off the caller's thread and cached on disk."""

from __future__ import annotations

import io
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Final

from PIL import Image, ImageOps, UnidentifiedImageError

from app.store.files import StoreError, remove_stale_temp_files, write_atomic

DEFAULT_MAX_SIDE: Final = 256
_FORMATS: Final = {".png": "PNG", ".webp": "WEBP"}


def make_thumbnail(
    source_path: Path, dest_path: Path, max_side: int = DEFAULT_MAX_SIDE
) -> tuple[int, int]:
    """Write a copy of the image at ``source_path`` that fits in ``max_side`` to ``dest_path``.

    The format follows ``dest_path``'s suffix (.png or .webp); transparency is kept. Returns the
    thumbnail's (width, height). ``StoreError`` when the source cannot be read as an image.
    """
    if max_side < 1:
        raise ValueError(f"max_side must be positive, not {max_side}")
    target_format = _FORMATS.get(dest_path.suffix.lower())
    if target_format is None:
        raise ValueError(f"thumbnails are .png or .webp files, not {dest_path.name}")
    try:
        with Image.open(source_path) as opened:
            opened.draft("RGB", (max_side, max_side))  # JPEG: decode at a smaller scale, faster
            image = ImageOps.exif_transpose(opened)
            image = image.convert("RGBA" if _has_alpha(image) else "RGB")
    except FileNotFoundError as error:
        raise StoreError(f"The image {source_path} is missing: it may have been moved.") from error
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise StoreError(
            f"The image {source_path} cannot be read: the file is damaged or not an image."
        ) from error
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS, reducing_gap=3.0)
    buffer = io.BytesIO()
    if target_format == "PNG":
        image.save(buffer, "PNG", optimize=False)
    else:
        image.save(buffer, "WEBP", quality=85, method=4)
    write_atomic(dest_path, buffer.getvalue())
    return image.size


class ThumbnailMaker:
    """Makes thumbnails on worker threads; each request returns a ``Future`` of (width, height).

    Pillow releases the interpreter lock while it decodes and resizes, so the caller's thread
    stays responsive. Results are plain data; a GUI turns them into pixmaps on its own thread.
    """

    def __init__(
        self, thumbnails_dir: Path, *, max_side: int = DEFAULT_MAX_SIDE, workers: int = 2
    ) -> None:
        self.thumbnails_dir = thumbnails_dir
        self.max_side = max_side
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="thumbnails")
        # Leftovers of a process that died mid-write; swept on a worker, not the caller's thread.
        self._pool.submit(remove_stale_temp_files, thumbnails_dir, recursive=True)

    def path_for(self, key: str, suffix: str = ".webp", *, max_side: int | None = None) -> Path:
        """Where the thumbnail for ``key`` (for example an image's sha256) is cached, at this
        maker's size or at ``max_side``: each size is a file of its own."""
        side = self.max_side if max_side is None else max_side
        return self.thumbnails_dir / key[:2] / f"{key}-{side}{suffix}"

    def submit(self, source_path: Path, dest_path: Path) -> Future[tuple[int, int]]:
        """Make (or remake) the thumbnail of ``source_path`` at ``dest_path``."""
        return self._pool.submit(make_thumbnail, source_path, dest_path, self.max_side)

    def cached(self, source_path: Path, key: str) -> Future[tuple[int, int]]:
        """The thumbnail for ``key``: read from the cache when it is there, else made."""
        dest = self.path_for(key)
        return self._pool.submit(self._cached_or_made, source_path, dest)

    def shutdown(self, *, wait: bool = True) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=True)

    def __enter__(self) -> ThumbnailMaker:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.shutdown()

    def _cached_or_made(self, source_path: Path, dest: Path) -> tuple[int, int]:
        try:
            with Image.open(dest) as existing:
                return existing.size
        except (OSError, UnidentifiedImageError):
            return make_thumbnail(source_path, dest, self.max_side)


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
