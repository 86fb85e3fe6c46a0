"""Images a command is given: checked before anything is sent, with a clear message each."""

from __future__ import annotations

import hashlib
import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from app.cli.errors import CommandError, say_warning
from app.core.metadata import MetadataError, read_metadata
from app.core.models import MAX_INPUT_EDGE, MAX_INPUT_PIXELS
from app.core.sizes import Size
from app.core.spec import Spec, SpecError
from app.core.spec_json import spec_from_dict
from app.store.reading import FileTooLarge, describe_bytes, read_at_most

MAX_IMAGE_BYTES = 50 * 1024 * 1024
MAX_MASK_BYTES = 4 * 1024 * 1024
ACCEPTED_FORMATS = {"PNG": "png", "WEBP": "webp", "JPEG": "jpeg"}
_MASK_MODES = frozenset({"RGBA", "LA", "PA", "RGBa", "La", "L", "I;16"})


@dataclass(frozen=True, slots=True)
class CheckedImage:
    path: Path
    data: bytes
    width: int
    height: int
    kind: str
    usable_as_mask: bool = False

    @property
    def size(self) -> Size:
        return Size(self.width, self.height)


def check_image(path: Path, *, what: str, limit: int = MAX_IMAGE_BYTES) -> CheckedImage:
    """Read ``path`` and make sure it is a PNG, WebP or JPEG image the API will take."""
    try:
        data = read_at_most(path, limit)
    except FileNotFoundError:
        raise CommandError(f"{what} {path}: no such file") from None
    except IsADirectoryError:
        raise CommandError(f"{what} {path}: is a folder, not an image") from None
    except FileTooLarge:
        raise CommandError(
            f"{what} {path}: larger than {describe_bytes(limit)}, the limit; export it smaller"
        ) from None
    except OSError as error:
        raise CommandError(f"{what} {path}: cannot read it ({error.strerror})") from None
    try:
        with warnings.catch_warnings():
            # Measured below against the studio's own limit, with a message that names it.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
        with image:
            kind = ACCEPTED_FORMATS.get(image.format or "")
            if kind is None:
                raise CommandError(
                    f"{what} {path}: {image.format} images are not accepted; use PNG, WebP or JPEG"
                )
            width, height = image.size
            _check_pixels(path, what, width, height)
            image.load()
            transparent = _has_alpha_or_is_grey(image)
    except Image.DecompressionBombError:  # Pillow refuses to open it at all: far too many pixels
        raise CommandError(
            f"{what} {path}: more than the {MAX_INPUT_PIXELS:,} pixels ({MAX_INPUT_EDGE}x"
            f"{MAX_INPUT_EDGE}) an input may have; export it smaller"
        ) from None
    except UnidentifiedImageError:
        raise CommandError(
            f"{what} {path}: not an image this studio can read; use a PNG, WebP or JPEG file"
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise CommandError(f"{what} {path}: the image is damaged; export it again") from None
    return CheckedImage(path.resolve(), data, width, height, kind, transparent)


def _check_pixels(path: Path, what: str, width: int, height: int) -> None:
    if width * height > MAX_INPUT_PIXELS:
        raise CommandError(
            f"{what} {path}: {width}x{height} is {width * height:,} pixels, more than the "
            f"{MAX_INPUT_PIXELS:,} ({MAX_INPUT_EDGE}x{MAX_INPUT_EDGE}) an input may have; "
            "export it smaller"
        )


def _has_alpha_or_is_grey(image: Image.Image) -> bool:
    """A mask the image API takes: with an alpha channel (RGBA, LA) or greyscale (L)."""
    return image.mode in _MASK_MODES or "transparency" in image.info


def image_sizes(paths: Sequence[str], *, what: str) -> list[tuple[int, int]]:
    checked = [check_image(Path(path), what=what) for path in paths]
    return [(image.width, image.height) for image in checked]


@dataclass(frozen=True, slots=True)
class EditSource:
    path: Path
    width: int
    height: int
    spec: Spec
    sha256: str

    @property
    def size(self) -> Size:
        return Size(self.width, self.height)


def read_edit_source(path: Path, mask: Path | None) -> EditSource:
    """The image to edit, its studio spec (if it carries one) and a checked mask."""
    image = check_image(path, what="IMAGE")
    spec = Spec()
    try:
        payload = read_metadata(image.data)
    except MetadataError as error:
        say_warning(f"{path}: its studio data cannot be read ({error}); editing without it")
        payload = None
    if payload is not None and isinstance(payload.get("spec"), dict):
        try:
            spec = spec_from_dict(payload["spec"]).spec
        except SpecError as error:
            say_warning(f"{path}: its studio spec is not usable ({error}); editing without it")
    if mask is not None:
        checked = check_image(mask, what="--mask", limit=MAX_MASK_BYTES)
        if checked.kind != "png" or not checked.usable_as_mask:
            raise CommandError(
                f"--mask {mask}: the mask must be a PNG with transparency (or greyscale): its "
                "fully transparent areas mark what changes; export it with an alpha channel"
            )
        if (checked.width, checked.height) != (image.width, image.height):
            raise CommandError(
                f"--mask {mask}: {checked.width}x{checked.height}, but the image is "
                f"{image.width}x{image.height}; the mask must be the same size"
            )
    digest = hashlib.sha256(image.data).hexdigest()
    return EditSource(image.path, image.width, image.height, spec, digest)
