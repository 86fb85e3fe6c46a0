"""Images a command is given: checked before anything is sent, with a clear message each."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from app.cli.errors import CommandError, say_warning
from app.core.metadata import MetadataError, read_metadata
from app.core.sizes import Size
from app.core.spec import Spec, SpecError
from app.core.spec_json import spec_from_dict
from app.jobs.references import ReferenceRefused, TakenReference, take_reference
from app.store.files import StoreError
from app.store.paths import StudioPaths
from app.store.references import ReferenceStore

MAX_IMAGE_BYTES = 50 * 1024 * 1024
MAX_MASK_BYTES = 4 * 1024 * 1024
ACCEPTED_FORMATS = {"PNG": "png", "WEBP": "webp", "JPEG": "jpeg"}


@dataclass(frozen=True, slots=True)
class CheckedImage:
    path: Path
    data: bytes
    width: int
    height: int
    kind: str

    @property
    def size(self) -> Size:
        return Size(self.width, self.height)


def check_image(path: Path, *, what: str, limit: int = MAX_IMAGE_BYTES) -> CheckedImage:
    """Read ``path`` and make sure it is a PNG, WebP or JPEG image the API will take."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CommandError(f"{what} {path}: no such file") from None
    except IsADirectoryError:
        raise CommandError(f"{what} {path}: is a folder, not an image") from None
    except OSError as error:
        raise CommandError(f"{what} {path}: cannot read it ({error.strerror})") from None
    if len(data) > limit:
        raise CommandError(
            f"{what} {path}: {len(data) / 1_048_576:.1f} MB, over the limit of "
            f"{limit // 1_048_576} MB; export it smaller"
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = ACCEPTED_FORMATS.get(image.format or "")
            width, height = image.size
            image.load()
    except (UnidentifiedImageError, Image.DecompressionBombError) as error:
        reason = (
            "too large to open"
            if isinstance(error, Image.DecompressionBombError)
            else ("not an image this studio can read")
        )
        raise CommandError(f"{what} {path}: {reason}; use a PNG, WebP or JPEG file") from None
    except (OSError, SyntaxError, ValueError):
        raise CommandError(f"{what} {path}: the image is damaged; export it again") from None
    if kind is None:
        raise CommandError(
            f"{what} {path}: {image.format} images are not accepted; use PNG, WebP or JPEG"
        )
    return CheckedImage(path.resolve(), data, width, height, kind)


def kept_references(
    paths: Sequence[str], *, what: str, editing: bool
) -> tuple[tuple[str, ...], list[tuple[int, int]]]:
    """The references as the library keeps them (converted where the API would refuse them,
    as the window does), with their sizes; each change is said on stderr."""
    store = ReferenceStore(StudioPaths.from_environment().references_dir)
    taken: list[TakenReference] = []
    for path in paths:
        try:
            taken.append(
                take_reference(store, Path(path), count_before=len(taken), editing=editing)
            )
        except ReferenceRefused as error:
            raise CommandError(f"{what} {path}: {error}") from None
        except StoreError as error:
            raise CommandError(str(error)) from None
        for note in taken[-1].notes:
            say_warning(f"{what} {path}: {note}")
    return tuple(str(reference.path) for reference in taken), [
        (reference.width, reference.height) for reference in taken
    ]


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
        if checked.kind != "png":
            raise CommandError(f"--mask {mask}: the mask must be a PNG with transparency")
        if (checked.width, checked.height) != (image.width, image.height):
            raise CommandError(
                f"--mask {mask}: {checked.width}x{checked.height}, but the image is "
                f"{image.width}x{image.height}; the mask must be the same size"
            )
    digest = hashlib.sha256(image.data).hexdigest()
    return EditSource(image.path, image.width, image.height, spec, digest)
