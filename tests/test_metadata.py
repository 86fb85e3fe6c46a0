"""Studio data inside PNG, WebP and JPEG files: exact pixels, round trips, no credentials."""

from __future__ import annotations

import io
import json
import zlib
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from PIL import Image

from app.core.metadata import (
    KEYWORD,
    XMP_NAMESPACE,
    MetadataError,
    embed_metadata,
    image_format,
    make_payload,
    read_metadata,
)

KEY = "sk-proj-SECRETsecretSECRETsecret0123456789"
SPEC = {
    "version": 1,
    "description": 'Tea packaging & <soft> shadows, "studio" light',
    "texts": [
        {"role": "headline", "text": "有机绿茶", "box": [0.1, 0.08, 0.8, 0.2]},
        {"role": "subhead", "text": "100g 无添加\n「新品」</zi:payload>]]>"},
    ],
    "ratio": "3:4",
}
PAYLOAD = make_payload(spec=SPEC, model="gpt-image-2", size="1024x1536", job_id="0123abcd")


def _encode(image: Image.Image, fmt: str, **options: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _rgba_with_transparency() -> Image.Image:
    image = Image.new("RGBA", (48, 32), (0, 0, 0, 0))
    for x in range(48):
        for y in range(32):
            image.putpixel((x, y), (x * 5, y * 7, (x * y) % 256, (x * 11 + y) % 256))
    return image


def _pixels(data: bytes) -> tuple[str, tuple[int, int], bytes]:
    with Image.open(io.BytesIO(data)) as image:
        return image.mode, image.size, image.tobytes()


def _png_chunk_types(data: bytes) -> list[bytes]:
    types, position = [], 8
    while position < len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        types.append(data[position + 4 : position + 8])
        position += 12 + length
    return types


def test_png_round_trip_keeps_every_pixel_and_alpha() -> None:
    original = _encode(_rgba_with_transparency(), "PNG")

    embedded = embed_metadata(original, PAYLOAD)

    assert read_metadata(embedded) == PAYLOAD
    assert _pixels(embedded) == _pixels(original)
    assert _pixels(embedded)[0] == "RGBA"
    # Only a chunk was added: the original chunks are all still there, byte for byte.
    assert len(embedded) > len(original)
    assert original[:33] == embedded[:33]  # signature and header
    assert embedded.endswith(original[33:])
    assert _png_chunk_types(embedded)[:2] == [b"IHDR", b"iTXt"]


def test_png_metadata_is_a_utf8_itxt_chunk_other_readers_see() -> None:
    embedded = embed_metadata(_encode(Image.new("RGB", (8, 8)), "PNG"), PAYLOAD)

    assert "有机绿茶".encode() in embedded  # UTF-8, not escaped
    with Image.open(io.BytesIO(embedded)) as image:
        assert json.loads(image.info[KEYWORD]) == PAYLOAD


def test_embedding_again_replaces_the_earlier_data() -> None:
    once = embed_metadata(_encode(Image.new("RGB", (8, 8)), "PNG"), PAYLOAD)
    changed = {**PAYLOAD, "job_id": "second"}

    twice = embed_metadata(once, changed)

    assert read_metadata(twice) == changed
    assert _png_chunk_types(twice).count(b"iTXt") == 1
    for fmt in ("WEBP", "JPEG"):
        first = embed_metadata(_encode(Image.new("RGB", (8, 8)), fmt), PAYLOAD)
        second = embed_metadata(first, changed)
        assert read_metadata(second) == changed
        assert second.count(XMP_NAMESPACE.encode()) == 1


def test_a_large_payload_is_compressed_in_png() -> None:
    spec = {**SPEC, "description": "繁华的夜市，灯笼高挂。" * 400}
    payload = make_payload(spec=spec, model="gpt-image-2", size="auto", job_id=None)
    original = _encode(Image.new("RGB", (8, 8)), "PNG")

    embedded = embed_metadata(original, payload)

    assert read_metadata(embedded) == payload
    assert len(embedded) - len(original) < len(json.dumps(payload, ensure_ascii=False).encode())


@pytest.mark.parametrize(
    ("mode", "options"),
    [
        ("RGBA", {"lossless": True}),
        ("RGB", {"lossless": True}),
        ("RGBA", {"quality": 80}),
        ("RGB", {"quality": 80}),
    ],
)
def test_webp_round_trip_keeps_every_pixel(mode: str, options: dict[str, Any]) -> None:
    image = _rgba_with_transparency() if mode == "RGBA" else Image.new("RGB", (31, 17), "teal")
    original = _encode(image, "WEBP", **options)

    embedded = embed_metadata(original, PAYLOAD)

    assert read_metadata(embedded) == PAYLOAD
    assert _pixels(embedded) == _pixels(original)
    assert _pixels(embedded)[0] == mode
    with Image.open(io.BytesIO(embedded)) as reopened:
        assert XMP_NAMESPACE.encode() in reopened.info["xmp"]  # a standard XMP chunk
    # The extended header announces XMP, and alpha exactly when the image has it.
    assert embedded[12:16] == b"VP8X"
    flags = embedded[20]
    assert flags & 0x04
    assert bool(flags & 0x10) == (mode == "RGBA")


def test_jpeg_round_trip_keeps_every_pixel() -> None:
    original = _encode(_rgba_with_transparency().convert("RGB"), "JPEG", quality=85)

    embedded = embed_metadata(original, PAYLOAD)

    assert read_metadata(embedded) == PAYLOAD
    assert _pixels(embedded) == _pixels(original)
    with Image.open(io.BytesIO(embedded)) as reopened:
        assert reopened.info.get("jfif") is not None
        assert XMP_NAMESPACE.encode() in reopened.info["xmp"]
    assert embedded.index(b"JFIF") < embedded.index(b"http://ns.adobe.com/xap/1.0/")


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "JPEG"])
def test_an_image_without_studio_data_gives_none(fmt: str) -> None:
    assert read_metadata(_encode(Image.new("RGB", (8, 8)), fmt)) is None


def test_xmp_from_another_program_gives_none() -> None:
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        b'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="Other"/></rdf:RDF></x:xmpmeta>'
    )
    data = _encode(Image.new("RGB", (8, 8)), "JPEG", xmp=xmp)

    assert read_metadata(data) is None
    assert read_metadata(embed_metadata(data, PAYLOAD)) == PAYLOAD


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"GIF89a" + bytes(40),
        b"definitely not an image",
    ],
)
def test_bytes_that_are_not_an_image_are_a_clear_error(data: bytes) -> None:
    with pytest.raises(MetadataError, match="not a PNG, WebP or JPEG image"):
        read_metadata(data)
    with pytest.raises(MetadataError):
        embed_metadata(data, PAYLOAD)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "JPEG"])
def test_a_truncated_image_is_a_clear_error(fmt: str) -> None:
    data = embed_metadata(_encode(_rgba_with_transparency().convert("RGB"), fmt), PAYLOAD)
    cut = data[: len(data) // 8] if fmt != "JPEG" else data[:30]

    with pytest.raises(MetadataError, match=r"cut short|damaged"):
        read_metadata(cut)
    with pytest.raises(MetadataError):
        embed_metadata(cut, PAYLOAD)


def test_damaged_studio_data_is_a_clear_error() -> None:
    embedded = bytearray(embed_metadata(_encode(Image.new("RGB", (8, 8)), "PNG"), PAYLOAD))
    position = embedded.index(b'"model"')
    embedded[position] = ord("X")

    with pytest.raises(MetadataError, match="damaged"):
        read_metadata(bytes(embedded))


def test_studio_data_that_is_not_json_is_a_clear_error() -> None:
    text = KEYWORD.encode() + b"\0\0\0\0\0" + b"{not json"
    chunk = len(text).to_bytes(4, "big") + b"iTXt" + text
    chunk += (zlib.crc32(b"iTXt" + text) & 0xFFFFFFFF).to_bytes(4, "big")
    original = _encode(Image.new("RGB", (8, 8)), "PNG")
    data = original[:33] + chunk + original[33:]

    with pytest.raises(MetadataError, match="not JSON"):
        read_metadata(data)


def test_credentials_never_go_into_the_file() -> None:
    payload = {
        **PAYLOAD,
        "api_key": KEY,
        "engine": {"base_url": f"https://user:{KEY}@proxy.example/v1", "Authorization": KEY},
        "headers": [{"X-Api-Key": KEY, "accept": "image/png"}],
        "note": f"called with {KEY}",
    }

    for fmt in ("PNG", "WEBP", "JPEG"):
        embedded = embed_metadata(_encode(Image.new("RGB", (8, 8)), fmt), payload)
        assert KEY.encode() not in embedded
        assert b"SECRETsecret" not in embedded
        restored = read_metadata(embedded)
        assert restored is not None
        assert "api_key" not in restored
        assert restored["engine"] == {"base_url": "https://proxy.example/v1"}
        assert restored["headers"] == [{"accept": "image/png"}]
        assert restored["note"] == "called with sk-…redacted"
        assert restored["spec"] == SPEC


def test_image_format_is_read_from_the_signature() -> None:
    assert image_format(_encode(Image.new("RGB", (4, 4)), "PNG")) == "png"
    assert image_format(_encode(Image.new("RGB", (4, 4)), "WEBP")) == "webp"
    assert image_format(_encode(Image.new("RGB", (4, 4)), "JPEG")) == "jpeg"


def test_a_spec_too_large_for_jpeg_is_refused_clearly() -> None:
    spec = {"description": "x" * 70_000}

    with pytest.raises(MetadataError, match="too large to store in a JPEG"):
        embed_metadata(_encode(Image.new("RGB", (8, 8)), "JPEG"), {"spec": spec})


_SMALL_PNG = _encode(Image.new("RGBA", (4, 4), (1, 2, 3, 4)), "PNG")
_SMALL_WEBP = _encode(Image.new("RGBA", (4, 4), (1, 2, 3, 4)), "WEBP", lossless=True)
_SMALL_JPEG = _encode(Image.new("RGB", (4, 4), (1, 2, 3)), "JPEG")
_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)


@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(st.fixed_dictionaries({"role": st.just("headline"), "text": _TEXT}), max_size=4),
    description=_TEXT,
)
def test_any_text_round_trips_in_every_format(
    texts: list[dict[str, str]], description: str
) -> None:
    payload = make_payload(
        spec={"description": description, "texts": texts}, model="m", size="auto", job_id="j"
    )
    assume("sk-" not in json.dumps(payload) and "://" not in json.dumps(payload))  # scrubbed
    for original in (_SMALL_PNG, _SMALL_WEBP, _SMALL_JPEG):
        assert read_metadata(embed_metadata(original, payload)) == payload
