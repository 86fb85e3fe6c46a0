"""The studio's data inside image files (CONTRACTS §4), read and written as bytes.

A PNG carries a UTF-8 ``iTXt`` chunk with the keyword ``zi-studio``; WebP and JPEG carry an XMP
packet whose ``zi:payload`` element holds the same JSON: the spec, the model, the size, the job id.
The chunk or segment is spliced into the file's container; the compressed image data is copied
untouched, so pixels and alpha stay exactly as they were. Credentials never go in: anything that
looks like one is dropped or masked before writing.
"""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Mapping
from typing import Any, Final, Literal
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from app.core.redaction import scrub_credentials

KEYWORD: Final = "zi-studio"
XMP_NAMESPACE: Final = "urn:zi-studio:xmp:1/"
XMP_PROPERTY: Final = "payload"

ImageFormat = Literal["png", "webp", "jpeg"]

_PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
_TEXT_CHUNKS: Final = (b"iTXt", b"tEXt", b"zTXt")
_KEYWORD_PREFIX: Final = KEYWORD.encode("latin-1") + b"\0"
_COMPRESS_OVER: Final = 1024
_MAX_TEXT: Final = 16 * 1024 * 1024
_XMP_HEADER: Final = b"http://ns.adobe.com/xap/1.0/\0"
_JPEG_APP1: Final = 0xE1
_JPEG_MAX_SEGMENT: Final = 0xFFFF - 2


class MetadataError(ValueError):
    """Image bytes that cannot carry or give back studio data; the message says why."""


def make_payload(
    *, spec: Mapping[str, Any], model: str, size: str, job_id: str | None
) -> dict[str, Any]:
    """The payload CONTRACTS §4 describes, ready for ``embed_metadata``."""
    return {"spec": dict(spec), "model": model, "size": size, "job_id": job_id}


def image_format(image_bytes: bytes) -> ImageFormat:
    """Which of the studio's formats the bytes are, by their signature."""
    if image_bytes.startswith(_PNG_SIGNATURE):
        return "png"
    if len(image_bytes) >= 12 and image_bytes[:4] == b"RIFF" and image_bytes[8:12] == b"WEBP":
        return "webp"
    if image_bytes.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    raise MetadataError("This file is not a PNG, WebP or JPEG image.")


def embed_metadata(image_bytes: bytes, payload: Mapping[str, Any]) -> bytes:
    """``image_bytes`` carrying ``payload`` (credentials removed), replacing earlier studio data."""
    clean = scrub_credentials(payload)
    kind = image_format(image_bytes)
    if kind == "png":
        text = json.dumps(clean, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        try:
            encoded = text.encode("utf-8")
        except UnicodeEncodeError as error:
            raise MetadataError("The spec holds text that is not valid Unicode.") from error
        return _png_embed(image_bytes, encoded)
    # ASCII JSON: nothing in it can clash with XML or with the packet's encoding.
    packet = _xmp_packet(
        json.dumps(clean, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    )
    if kind == "webp":
        return _webp_embed(image_bytes, packet)
    return _jpeg_embed(image_bytes, packet)


def png_without_metadata(image_bytes: bytes) -> bytes:
    """A PNG with its studio data removed; every other chunk, pixels included, copied as is."""
    if image_format(image_bytes) != "png":
        raise MetadataError("This file is not a PNG image.")
    chunks = _png_chunks(image_bytes)
    kept = [image_bytes[s:e] for kind, s, e in chunks if not _png_is_ours(image_bytes, kind, s)]
    return _PNG_SIGNATURE + b"".join(kept)


def read_metadata(image_bytes: bytes) -> dict[str, Any] | None:
    """The studio payload in ``image_bytes``, or ``None`` when the image has none.

    Raises ``MetadataError`` when the bytes are not a PNG, WebP or JPEG image, when the image's
    structure is damaged, or when the studio data in it is.
    """
    kind = image_format(image_bytes)
    if kind == "png":
        text = _png_read(image_bytes)
    else:
        packet = _webp_read(image_bytes) if kind == "webp" else _jpeg_read(image_bytes)
        text = None if packet is None else _xmp_read(packet)
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError as error:
        raise MetadataError("The Zi Studio data in this image is damaged (not JSON).") from error
    if not isinstance(value, dict):
        raise MetadataError("The Zi Studio data in this image is damaged (not a JSON object).")
    return value


# PNG: 8-byte signature, then chunks of length (4, big-endian), type (4), data, CRC-32 (4).


def _png_chunks(data: bytes) -> list[tuple[bytes, int, int]]:
    """(type, start, end) of every chunk up to IEND; ``start`` is the length field's offset."""
    chunks: list[tuple[bytes, int, int]] = []
    position = len(_PNG_SIGNATURE)
    while True:
        if position + 12 > len(data):
            raise MetadataError("The PNG image is cut short: it ends before its last chunk.")
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        end = position + 12 + length
        if length >= 2**31 or end > len(data) or not kind.isalpha():
            raise MetadataError("The PNG image is damaged: a chunk runs past the end of the file.")
        chunks.append((kind, position, end))
        position = end
        if kind == b"IEND":
            break
    if chunks[0][0] != b"IHDR":
        raise MetadataError("The PNG image is damaged: it does not start with its header.")
    return chunks


def _png_is_ours(data: bytes, kind: bytes, start: int) -> bool:
    return kind in _TEXT_CHUNKS and data[start + 8 : start + 8 + len(_KEYWORD_PREFIX)] == (
        _KEYWORD_PREFIX
    )


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def _png_embed(data: bytes, text: bytes) -> bytes:
    compressed = len(text) > _COMPRESS_OVER
    body = _KEYWORD_PREFIX + (b"\1\0" if compressed else b"\0\0") + b"\0\0"
    body += zlib.compress(text, 9) if compressed else text
    chunks = _png_chunks(data)
    header_end = chunks[0][2]
    parts = [data[:header_end], _png_chunk(b"iTXt", body)]
    parts += [data[s:e] for kind, s, e in chunks[1:] if not _png_is_ours(data, kind, s)]
    return b"".join(parts)


def _png_read(data: bytes) -> str | None:
    for kind, start, end in _png_chunks(data):
        if kind != b"iTXt" or not _png_is_ours(data, kind, start):
            continue
        body = data[start + 8 : end - 4]
        if zlib.crc32(kind + body) & 0xFFFFFFFF != int.from_bytes(data[end - 4 : end], "big"):
            raise MetadataError("The Zi Studio data in this image is damaged (checksum).")
        rest = body[len(_KEYWORD_PREFIX) :]
        flag, fields = rest[:1], rest[2:].split(b"\0", 2)
        if len(fields) != 3:
            raise MetadataError("The Zi Studio data in this image is damaged (text chunk).")
        raw = _inflate(fields[2]) if flag == b"\1" else fields[2]
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise MetadataError("The Zi Studio data in this image is damaged (UTF-8).") from error
    return None


def _inflate(raw: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        text = inflater.decompress(raw, _MAX_TEXT)
    except zlib.error as error:
        raise MetadataError("The Zi Studio data in this image is damaged (compression).") from error
    if inflater.unconsumed_tail:
        raise MetadataError("The Zi Studio data in this image is too large to read.")
    return text


# JPEG: SOI, then marker segments (0xFF, marker, big-endian length including itself) until SOS.


def _jpeg_segments(data: bytes) -> tuple[list[tuple[int, int, int]], int]:
    """(marker, start, end) of the segments before the image data, and where that data starts."""
    segments: list[tuple[int, int, int]] = []
    position = 2
    while True:
        if position + 4 > len(data):
            raise MetadataError("The JPEG image is cut short: it ends inside its header.")
        if data[position] != 0xFF:
            raise MetadataError("The JPEG image is damaged: its header is not well formed.")
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in (0xDA, 0xD9):  # start of scan, end of image
            return segments, position
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # markers without a length
            position += 2
            continue
        end = position + 2 + int.from_bytes(data[position + 2 : position + 4], "big")
        if end > len(data) or end < position + 4:
            raise MetadataError("The JPEG image is damaged: a segment runs past the end.")
        segments.append((marker, position, end))
        position = end


def _jpeg_is_xmp(data: bytes, marker: int, start: int) -> bool:
    return marker == _JPEG_APP1 and data[start + 4 : start + 4 + len(_XMP_HEADER)] == _XMP_HEADER


def _jpeg_embed(data: bytes, packet: bytes) -> bytes:
    body = _XMP_HEADER + packet
    if len(body) > _JPEG_MAX_SEGMENT:
        raise MetadataError("The spec is too large to store in a JPEG file: export PNG or WebP.")
    segment = b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body
    segments, data_start = _jpeg_segments(data)
    kept = [(m, s, e) for m, s, e in segments if not _jpeg_is_xmp(data, m, s)]
    # After the JFIF (APP0) and Exif (APP1) segments, where readers expect XMP.
    insert_at = 0
    while insert_at < len(kept) and kept[insert_at][0] in (0xE0, _JPEG_APP1):
        insert_at += 1
    parts = [data[:2]]
    parts += [data[s:e] for _m, s, e in kept[:insert_at]]
    parts.append(segment)
    parts += [data[s:e] for _m, s, e in kept[insert_at:]]
    parts.append(data[data_start:])
    return b"".join(parts)


def _jpeg_read(data: bytes) -> bytes | None:
    segments, _data_start = _jpeg_segments(data)
    for marker, start, end in segments:
        if _jpeg_is_xmp(data, marker, start):
            return data[start + 4 + len(_XMP_HEADER) : end]
    return None


# WebP: a RIFF container ("RIFF", size, "WEBP") of chunks: FourCC, little-endian size, data, pad.


def _webp_chunks(data: bytes) -> list[tuple[bytes, int, int]]:
    declared = int.from_bytes(data[4:8], "little")
    stop = 8 + declared
    if declared < 4 or stop > len(data):
        raise MetadataError("The WebP image is cut short.")
    chunks: list[tuple[bytes, int, int]] = []
    position = 12
    while position < stop:
        if position + 8 > stop:
            raise MetadataError("The WebP image is damaged: a chunk runs past the end.")
        size = int.from_bytes(data[position + 4 : position + 8], "little")
        end = position + 8 + size + (size & 1)
        if end > stop:
            raise MetadataError("The WebP image is damaged: a chunk runs past the end.")
        chunks.append((data[position : position + 4], position, end))
        position = end
    if not chunks:
        raise MetadataError("The WebP image is damaged: it holds no image.")
    return chunks


def _webp_chunk(fourcc: bytes, body: bytes) -> bytes:
    return fourcc + struct.pack("<I", len(body)) + body + (b"\0" if len(body) & 1 else b"")


def _webp_extended_header(data: bytes, fourcc: bytes, start: int) -> bytes:
    """A VP8X chunk for a simple (single-bitstream) WebP, so it can hold XMP."""
    body = data[start + 8 : start + 18]
    if fourcc == b"VP8 " and len(body) == 10 and body[3:6] == b"\x9d\x01\x2a":
        width = int.from_bytes(body[6:8], "little") & 0x3FFF
        height = int.from_bytes(body[8:10], "little") & 0x3FFF
        alpha = False
    elif fourcc == b"VP8L" and len(body) >= 5 and body[0] == 0x2F:
        bits = int.from_bytes(body[1:5], "little")
        width, height = (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        alpha = bool((bits >> 28) & 1)
    else:
        raise MetadataError("The WebP image is damaged: its image data is not recognised.")
    flags = 0x04 | (0x10 if alpha else 0)  # XMP, alpha
    dims = (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    return _webp_chunk(b"VP8X", bytes([flags, 0, 0, 0]) + dims)


def _webp_embed(data: bytes, packet: bytes) -> bytes:
    chunks = [c for c in _webp_chunks(data) if c[0] != b"XMP "]
    first, first_start, first_end = chunks[0]
    parts: list[bytes] = []
    if first == b"VP8X":
        header = bytearray(data[first_start:first_end])
        header[8] |= 0x04  # XMP present
        parts.append(bytes(header))
        chunks = chunks[1:]
    else:
        parts.append(_webp_extended_header(data, first, first_start))
    parts += [data[s:e] for _f, s, e in chunks]
    parts.append(_webp_chunk(b"XMP ", packet))
    body = b"WEBP" + b"".join(parts)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _webp_read(data: bytes) -> bytes | None:
    for fourcc, start, _end in _webp_chunks(data):
        if fourcc == b"XMP ":
            size = int.from_bytes(data[start + 4 : start + 8], "little")
            return data[start + 8 : start + 8 + size]
    return None


# XMP: an RDF/XML packet; the payload is the text of one element in the studio's namespace.


def _xmp_packet(text: str) -> bytes:
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        f'  <rdf:Description rdf:about="" xmlns:zi="{XMP_NAMESPACE}">\n'
        f"   <zi:{XMP_PROPERTY}>{escape(text)}</zi:{XMP_PROPERTY}>\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    ).encode()


def _xmp_read(packet: bytes) -> str | None:
    if b"<!DOCTYPE" in packet or b"<!ENTITY" in packet:
        raise MetadataError("The XMP data in this image is not plain XMP (it declares entities).")
    try:
        root = ElementTree.fromstring(packet.strip(b"\0 \t\r\n"))
    except ElementTree.ParseError as error:
        raise MetadataError("The XMP data in this image is damaged (not valid XML).") from error
    name = f"{{{XMP_NAMESPACE}}}{XMP_PROPERTY}"
    element = root.find(f".//{name}")
    if element is not None:
        return element.text or ""
    for description in root.iter("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}Description"):
        value = description.get(name)  # the same property written as an attribute
        if value is not None:
            return value
    return None
