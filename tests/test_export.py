"""Export: formats, alpha, the background colour, the spec in the file, safe names, and a taken
name replaced safely, kept beside, or skipped."""

from __future__ import annotations

import errno
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from app.core.export import ExportError, ExportOptions, encode_export
from app.core.file_names import TemplateError, fill_template, safe_stem
from app.core.metadata import embed_metadata, make_payload, read_metadata
from app.core.request import ImageRequest
from app.jobs.export import ReplaceError, export_images, export_job
from app.store import files
from app.store.library import Library
from app.store.paths import StudioPaths

SPEC = {
    "version": 1,
    "description": "tea",
    "ratio": "3:4",
    "texts": [{"role": "subhead", "text": "100g"}, {"role": "headline", "text": "有机/绿茶: 春"}],
}
HALF_CLEAR = (200, 30, 30, 0)


def _transparent_png(payload: dict[str, Any] | None = None) -> bytes:
    image = Image.new("RGBA", (48, 64), (20, 120, 40, 255))
    image.paste(HALF_CLEAR, (0, 0, 24, 64))  # the left half fully transparent
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    data = buffer.getvalue()
    return embed_metadata(data, payload) if payload is not None else data


def _opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    opened = Library.open(
        StudioPaths.under(tmp_path / "home"),
        clock=lambda: datetime(2026, 11, 15, 12, 0, tzinfo=UTC),
    )
    yield opened
    opened.close()


def _job_with_images(library: Library, count: int) -> str:
    request = ImageRequest(kind="generate", prompt="tea", n=count, model="gpt-image-2")
    job_id = library.create_job(kind="generate", request=request, engine="local", spec=SPEC)
    payload = make_payload(spec=SPEC, model="gpt-image-2", size="48x64", job_id=job_id)
    for index in range(count):
        library.add_image(
            job_id, index, _transparent_png(payload), width=48, height=64, output_format="png"
        )
    return job_id


def test_png_keeps_alpha_and_the_spec() -> None:
    payload = make_payload(spec=SPEC, model="gpt-image-2", size="48x64", job_id="j1")
    exported = encode_export(_transparent_png(), ExportOptions("png"), payload)
    image = _opened(exported)
    assert image.mode == "RGBA"
    assert image.getpixel((5, 5))[3] == 0 and image.getpixel((40, 5)) == (20, 120, 40, 255)  # type: ignore[index]
    assert read_metadata(exported) == payload


def test_jpeg_flattens_transparent_pixels_on_the_chosen_colour() -> None:
    options = ExportOptions("jpeg", quality=95, background="#0040ff")
    image = _opened(encode_export(_transparent_png(), options, None))
    assert (image.format, image.mode) == ("JPEG", "RGB")
    red, green, blue = image.getpixel((5, 30))  # type: ignore[misc]
    assert red < 12 and 52 < green < 76 and blue > 240  # the colour, not the hidden red
    red, green, blue = image.getpixel((40, 30))  # type: ignore[misc]
    assert red < 40 and 100 < green < 140 and blue < 60  # opaque pixels unchanged


@pytest.mark.parametrize("lossless", [True, False])
def test_webp_keeps_alpha_lossless_or_with_quality(lossless: bool) -> None:
    options = ExportOptions("webp", quality=80, lossless=lossless)
    payload = make_payload(spec=SPEC, model="gpt-image-2", size="48x64", job_id="j2")
    exported = encode_export(_transparent_png(), options, payload)
    image = _opened(exported)
    assert (image.format, image.mode) == ("WEBP", "RGBA")
    assert image.getpixel((5, 5))[3] == 0  # type: ignore[index]
    if lossless:
        assert image.getpixel((40, 5)) == (20, 120, 40, 255)
    assert read_metadata(exported) == payload


@pytest.mark.parametrize("fmt", ["png", "webp", "jpeg"])
def test_the_spec_is_absent_when_switched_off(fmt: Any) -> None:
    payload = make_payload(spec=SPEC, model="gpt-image-2", size="48x64", job_id="j3")
    source = _transparent_png(payload)  # the library's copy carries it
    assert read_metadata(source) == payload
    exported = encode_export(source, ExportOptions(fmt, embed_spec=False), payload)
    assert read_metadata(exported) is None
    assert "有机".encode() not in exported and b"zi-studio" not in exported


def test_bad_options_are_refused_with_a_message() -> None:
    with pytest.raises(ExportError, match="not a colour"):
        ExportOptions("jpeg", background="teal-ish")
    with pytest.raises(ExportError, match=r"1\.\.100"):
        ExportOptions("webp", quality=0)
    with pytest.raises(ExportError, match="not a PNG, WebP or JPEG"):
        encode_export(b"GIF89a", ExportOptions(), None)
    cut = _transparent_png()[:60]
    for options in (ExportOptions("png"), ExportOptions("png", embed_spec=False),
                    ExportOptions("jpeg")):  # fmt: skip
        with pytest.raises(ExportError, match=r"cannot be exported|damaged"):
            encode_export(cut, options, {"spec": {}})


def test_a_template_with_slash_colon_and_chinese_gives_a_safe_name() -> None:
    fields = {"date": "2026-11-15", "headline": "有机/绿茶: 春\n新品", "ratio": "3x4", "index": "1"}
    name = fill_template("{date} {headline}: {ratio}/{index}", fields)
    assert name == "2026-11-15 有机_绿茶_ 春 新品_ 3x4_1"
    assert not set(name) & set('/\\:*?"<>|')


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("CON", "_CON"),
        ("nul.tar", "_nul.tar"),
        ("com1 ", "_com1"),
        ("LPT9", "_LPT9"),
        ("console", "console"),
        ("poster. . ", "poster"),
        ("..", "image"),
        ("", "image"),
        ("a\x00b\x01c\x7fd", "a_b_c_d"),
        ('q?"<>|*', "q______"),
        ("  tea  ", "tea"),
    ],
)
def test_names_are_safe_on_every_platform(raw: str, safe: str) -> None:
    assert safe_stem(raw) == safe


def test_long_names_are_cut_in_bytes_on_a_character_boundary() -> None:
    name = safe_stem("绿" * 100)  # 300 bytes of UTF-8
    assert len(name.encode("utf-8")) <= 200
    assert name == "绿" * 66  # 198 bytes: the 67th character would split


def test_an_unknown_field_is_refused() -> None:
    with pytest.raises(TemplateError, match=r"unknown field \{title\}"):
        fill_template("{title}", {})


def test_export_a_job_with_progress_never_overwrites(library: Library, tmp_path: Path) -> None:
    job_id = _job_with_images(library, 3)
    folder = tmp_path / "out"
    seen: list[tuple[int, int]] = []
    template = "{headline} {ratio} {index}"
    first = export_job(library, job_id, folder, template=template,
                       progress=lambda done, total: seen.append((done, total)))  # fmt: skip
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert [item.path.name for item in first] == [f"有机_绿茶_ 春 3x4 {i}.png" for i in (1, 2, 3)]
    again = export_job(library, job_id, folder, ExportOptions("png"), template=template)
    assert [item.path.name for item in again] == [f"有机_绿茶_ 春 3x4 {i}-2.png" for i in (1, 2, 3)]
    payload = read_metadata(first[0].path.read_bytes())
    assert payload is not None and payload["job_id"] == job_id and payload["spec"] == SPEC


def test_export_one_image_as_jpeg(library: Library, tmp_path: Path) -> None:
    job_id = _job_with_images(library, 2)
    second = library.images(job_id)[1]
    (written,) = export_images(library, [second], tmp_path, ExportOptions("jpeg"),
                               template="{date}-{job}-{index}")  # fmt: skip
    assert written.image_id == second.id
    assert written.path.name == f"2026-11-15-{job_id[:8]}-2.jpg"
    payload = read_metadata(written.path.read_bytes())
    assert payload is not None and payload["size"] == "48x64"


def fill_disk(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Every write into ``folder`` finds the disk full (files are written by ``_write_temp``)."""
    real = files._write_temp

    def write(directory: Path, name: str, data: bytes) -> Path:
        if directory == folder:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(directory, name, data)

    monkeypatch.setattr(files, "_write_temp", write)


def test_replace_overwrites_the_taken_name_with_the_new_image(
    library: Library, tmp_path: Path
) -> None:
    job_id = _job_with_images(library, 2)
    first, second = library.images(job_id)
    (tmp_path / "poster.png").write_bytes(b"the designer's old poster")
    (tmp_path / "other.png").write_bytes(b"not asked about")
    options = ExportOptions("png", embed_spec=False)
    (written,) = export_images(library, [first], tmp_path, options, template="poster",
                               clashes={"poster.png": "replace"})  # fmt: skip
    assert written.path == tmp_path / "poster.png"
    assert written.path.read_bytes() == encode_export(first.path.read_bytes(), options, None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "other.png", "poster.png"]
    # A name is replaced once: the export's second image of that name keeps both.
    both = export_images(library, [first, second], tmp_path, options, template="other",
                         clashes={"other.png": "replace"})  # fmt: skip
    assert [item.path.name for item in both] == ["other.png", "other-2.png"]
    assert (tmp_path / "other-2.png").read_bytes() == encode_export(
        second.path.read_bytes(), options, None
    )


def test_keep_both_makes_a_new_name_and_skip_writes_nothing(
    library: Library, tmp_path: Path
) -> None:
    job_id = _job_with_images(library, 2)
    first, second = library.images(job_id)
    for name in ("a-1.png", "a-2.png"):
        (tmp_path / name).write_bytes(b"old")
    written = export_images(library, [first, second], tmp_path, template="a-{index}",
                            clashes={"a-1.png": "keep_both", "a-2.png": "skip"})  # fmt: skip
    assert [item.path.name for item in written] == ["a-1-2.png"]
    assert (tmp_path / "a-1.png").read_bytes() == (tmp_path / "a-2.png").read_bytes() == b"old"


def test_a_replacement_on_a_full_disk_leaves_the_old_file_and_says_so(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    job_id = _job_with_images(library, 1)
    (image,) = library.images(job_id)
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "poster.png").write_bytes(b"the designer's old poster")
    fill_disk(monkeypatch, folder)
    with pytest.raises(ReplaceError) as raised:
        export_images(library, [image], folder, template="poster",
                      clashes={"poster.png": "replace"})  # fmt: skip
    assert raised.value.kept == folder / "poster.png"
    assert str(raised.value) == (
        "The disk is full: free some space and try again; poster.png in the folder was left as "
        "it was."
    )
    assert [p.name for p in folder.iterdir()] == ["poster.png"]  # no half file beside it
    assert (folder / "poster.png").read_bytes() == b"the designer's old poster"
