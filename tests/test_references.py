"""Reference images: checked, converted where the API would refuse them, kept, and said."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from app.core.reference_images import (
    MAX_REFERENCE_PIXELS,
    Note,
    ReferenceRefused,
    describe,
    prepare_reference,
)
from app.jobs.references import take_reference, take_references
from app.store.references import ReferenceStore, read_reference


def _encoded(image: Image.Image, kind: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def _codes(notes: tuple[Note, ...]) -> list[str]:
    return [note.code for note in notes]


def _opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _png_16bit_rgb(width: int, height: int, rgb16: tuple[int, int, int]) -> bytes:
    """A 16-bit-per-channel RGB PNG (Pillow cannot write one), built chunk by chunk."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0)
    row = b"\0" + struct.pack(">HHH", *rgb16) * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def test_an_image_the_api_takes_is_kept_byte_for_byte() -> None:
    data = _encoded(Image.new("RGB", (64, 48), "#336699"), "PNG")
    prepared = prepare_reference(data)
    assert prepared.data == data
    assert (prepared.format, prepared.width, prepared.height, prepared.notes) == ("png", 64, 48, ())


def test_an_exif_rotated_jpeg_is_turned_upright() -> None:
    image = Image.new("RGB", (40, 20), "red")
    image.paste((0, 0, 255), (20, 0, 40, 20))  # left half red, right half blue
    exif = Image.Exif()
    exif[0x0112] = 6  # shown turned 90° clockwise
    prepared = prepare_reference(_encoded(image, "JPEG", exif=exif, quality=95))
    assert _codes(prepared.notes) == ["exif_rotated"]
    assert (prepared.width, prepared.height, prepared.format) == (20, 40, "jpeg")
    upright = _opened(prepared.data)
    assert upright.size == (20, 40)
    red, _, blue = upright.getpixel((10, 5))  # type: ignore[misc]
    assert red > 200 and blue < 60  # the left half is now on top
    red, _, blue = upright.getpixel((10, 35))  # type: ignore[misc]
    assert blue > 200 and red < 60
    assert upright.getexif().get(0x0112, 1) == 1  # not turned a second time by a viewer


def test_a_cmyk_jpeg_becomes_rgb() -> None:
    data = _encoded(Image.new("CMYK", (32, 32), (0, 255, 255, 0)), "JPEG", quality=95)
    prepared = prepare_reference(data)
    assert prepared.notes == (Note("made_8bit_rgb", {"mode": "CMYK", "bits": 8, "to": "RGB"}),)
    converted = _opened(prepared.data)
    assert (converted.format, converted.mode) == ("JPEG", "RGB")
    red, green, blue = converted.getpixel((16, 16))  # type: ignore[misc]
    assert red > 200 and green < 60 and blue < 60


def test_a_cmyk_jpeg_with_a_broken_colour_profile_still_becomes_rgb() -> None:
    image = Image.new("CMYK", (16, 16), (0, 0, 255, 0))  # yellow
    data = _encoded(image, "JPEG", quality=95, icc_profile=b"not a colour profile" * 8)
    converted = _opened(prepare_reference(data).data)
    assert converted.mode == "RGB" and "icc_profile" not in converted.info
    red, green, blue = converted.getpixel((8, 8))  # type: ignore[misc]
    assert red > 200 and green > 200 and blue < 60


def test_a_16bit_greyscale_png_becomes_8bit_rgb_without_clipping() -> None:
    data = _encoded(Image.new("I;16", (16, 16), 0x8000), "PNG")
    assert data[24] == 16  # the test image really is 16-bit
    prepared = prepare_reference(data)
    assert _codes(prepared.notes) == ["made_8bit_rgb"]
    assert prepared.notes[0].values["bits"] == 16
    assert prepared.data[24:26] == bytes([8, 2])  # 8 bits, colour type RGB
    assert _opened(prepared.data).getpixel((3, 3)) == (128, 128, 128)


def test_a_16bit_rgb_png_becomes_8bit() -> None:
    prepared = prepare_reference(_png_16bit_rgb(8, 8, (0xFFFF, 0x8000, 0x0000)))
    assert prepared.notes == (Note("made_8bit_rgb", {"mode": "RGB", "bits": 16, "to": "RGB"}),)
    assert prepared.data[24] == 8
    assert _opened(prepared.data).getpixel((1, 1)) == (255, 128, 0)


def test_palette_and_greyscale_images_become_rgb_or_rgba() -> None:
    palette = Image.new("P", (10, 10), 1)
    palette.putpalette([0, 0, 0, 200, 10, 10] + [0] * 762)
    transparent = _encoded(palette, "PNG", transparency=0)
    prepared = prepare_reference(transparent)
    assert prepared.notes[0].values == {"mode": "P", "bits": 8, "to": "RGBA"}
    assert _opened(prepared.data).mode == "RGBA"
    grey = prepare_reference(_encoded(Image.new("L", (10, 10), 90), "PNG"))
    assert grey.notes[0].values["to"] == "RGB"
    assert _opened(grey.data).getpixel((0, 0)) == (90, 90, 90)


@pytest.mark.parametrize("kind", ["GIF", "WEBP"])
def test_an_animated_image_gives_its_first_frame(kind: str) -> None:
    frames = [Image.new("RGB", (24, 24), colour) for colour in ("#00ff00", "#ff0000", "#0000ff")]
    data = _encoded(frames[0], kind, save_all=True, append_images=frames[1:], duration=100,
                    **({"lossless": True} if kind == "WEBP" else {}))  # fmt: skip
    prepared = prepare_reference(data)
    assert Note("first_frame", {"frames": 3}) in prepared.notes
    assert prepared.format == "png"
    still = _opened(prepared.data)
    assert getattr(still, "n_frames", 1) == 1
    red, green, blue = still.convert("RGB").getpixel((12, 12))  # type: ignore[misc]
    assert green > 200 and red < 40 and blue < 40


def test_too_many_pixels_are_scaled_down() -> None:
    data = _encoded(Image.new("RGB", (400, 300), "#123456"), "PNG")
    prepared = prepare_reference(data, max_pixels=30_000)
    (note,) = prepared.notes
    assert note.code == "scaled_down" and note.values["reason"] == "pixels"
    assert prepared.width * prepared.height <= 30_000
    assert (note.values["width"], note.values["height"]) == (400, 300)
    assert abs(prepared.width / prepared.height - 4 / 3) < 0.02  # the shape is kept
    assert _opened(prepared.data).size == (prepared.width, prepared.height)


def test_a_huge_png_is_scaled_under_the_pixel_limit() -> None:
    huge = Image.new("RGB", (6000, 4000), "#2a6")  # 24 million pixels
    huge.paste((250, 250, 250), (0, 0, 3000, 4000))
    prepared = prepare_reference(_encoded(huge, "PNG"))
    assert prepared.width * prepared.height <= MAX_REFERENCE_PIXELS
    assert prepared.width == 5016 and prepared.height == 3344  # 3:2 kept, sides whole pixels
    (note,) = prepared.notes
    assert note.values == {"width": 6000, "height": 4000, "to_width": 5016, "to_height": 3344,
                           "reason": "pixels"}  # fmt: skip
    assert describe(note) == "scaled down from 6000x4000 to 5016x3344 (too many pixels)"


def test_a_file_over_the_byte_limit_is_scaled_until_it_fits() -> None:
    noise = Image.frombytes("RGB", (300, 300), bytes(range(256)) * (300 * 300 * 3 // 256 + 1))
    data = _encoded(noise, "PNG")
    limit = len(data) // 3
    prepared = prepare_reference(data, max_bytes=limit)
    assert len(prepared.data) < limit
    assert [n.values["reason"] for n in prepared.notes if n.code == "scaled_down"] == ["bytes"]


def test_a_huge_png_is_refused_unopened() -> None:
    bomb = _encoded(Image.new("1", (20_000, 20_000)), "PNG")  # small file, 400 million pixels
    with pytest.raises(ReferenceRefused) as refused:
        prepare_reference(bomb)
    assert refused.value.note == Note("too_large_to_open", {"pixels": 400_000_000})
    assert str(refused.value) == (
        "too large to open: 400,000,000 pixels, more than the 67,108,864 (8192x8192) an image "
        "may have; export it smaller"
    )


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"\x00garbage bytes, not a picture" * 10, "not_an_image"),
        (_encoded(Image.new("RGB", (200, 200), "red"), "PNG")[:120], "damaged"),
    ],
)
def test_unreadable_data_is_refused_with_the_reason(data: bytes, code: str) -> None:
    with pytest.raises(ReferenceRefused) as refused:
        prepare_reference(data)
    assert refused.value.note.code == code
    assert str(refused.value) == describe(refused.value.note) != code


def test_other_formats_are_converted_to_png() -> None:
    prepared = prepare_reference(_encoded(Image.new("RGB", (20, 20), "white"), "BMP"))
    assert prepared.notes == (Note("converted_format", {"source": "BMP", "to": "png"}),)
    assert prepared.data.startswith(b"\x89PNG")


def test_reading_stops_after_the_limit_even_on_an_endless_file(tmp_path: Path) -> None:
    with pytest.raises(ReferenceRefused) as refused:
        read_reference(Path("/dev/zero"), limit=1024 * 1024)
    assert refused.value.note.code == "too_big_to_read"
    with pytest.raises(ReferenceRefused) as refused:
        read_reference(tmp_path / "nope.png")
    assert refused.value.note.code == "missing"
    with pytest.raises(ReferenceRefused) as refused:
        read_reference(tmp_path)
    assert refused.value.note.code == "is_folder"
    exact = tmp_path / "exact"
    exact.write_bytes(b"x" * 1000)
    assert read_reference(exact, limit=1000) == b"x" * 1000


def test_a_kept_reference_survives_its_original_moving(tmp_path: Path) -> None:
    store = ReferenceStore(tmp_path / "library" / "references")
    original = tmp_path / "desk" / "bottle.jpg"
    original.parent.mkdir()
    Image.new("CMYK", (30, 30), (0, 0, 0, 0)).save(original, "JPEG")
    taken = take_reference(store, original)
    again = take_reference(store, original.read_bytes())
    original.unlink()
    assert taken.path == again.path and taken.path.is_relative_to(store.directory)
    assert _opened(taken.path.read_bytes()).mode == "RGB"
    assert taken.source == original and again.source is None
    assert len(list(store.directory.rglob("*.jpg"))) == 1  # stored once, by content


def test_the_17th_reference_is_refused_and_the_16th_beside_an_edit(tmp_path: Path) -> None:
    store = ReferenceStore(tmp_path / "refs")
    paths = []
    for number in range(17):
        path = tmp_path / f"ref{number}.png"
        Image.new("RGB", (16, 16), (number * 10, 0, 0)).save(path)
        paths.append(path)
    assert len(take_references(store, paths[:16])) == 16
    with pytest.raises(ReferenceRefused) as refused:
        take_references(store, paths)
    assert refused.value.note == Note("too_many", {"limit": 16, "editing": False})
    assert "at most 16 reference images" in str(refused.value)
    assert len(take_references(store, paths[:15], editing=True)) == 15
    with pytest.raises(ReferenceRefused) as refused:
        take_references(store, paths[:16], editing=True)
    assert refused.value.note.values["limit"] == 15
