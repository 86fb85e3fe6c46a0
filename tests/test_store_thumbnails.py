"""Thumbnails: made with Pillow, off the caller's thread, transparency kept, written atomically."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from app.store import thumbnails
from app.store.files import StoreError
from app.store.thumbnails import ThumbnailMaker, make_thumbnail


@pytest.fixture
def poster(tmp_path: Path) -> Path:
    image = Image.new("RGBA", (1000, 500), (200, 30, 30, 255))
    image.paste((0, 0, 0, 0), (0, 0, 500, 500))  # the left half is transparent
    path = tmp_path / "poster.png"
    image.save(path)
    return path


@pytest.fixture
def maker(tmp_path: Path) -> Iterator[ThumbnailMaker]:
    with ThumbnailMaker(tmp_path / "thumbnails") as made:
        yield made


@pytest.mark.parametrize("suffix", [".png", ".webp"])
def test_a_thumbnail_fits_and_keeps_transparency(poster: Path, tmp_path: Path, suffix: str) -> None:
    dest = tmp_path / "thumbs" / f"poster{suffix}"

    size = make_thumbnail(poster, dest)

    assert size == (256, 128)
    with Image.open(dest) as made:
        assert made.format == {".png": "PNG", ".webp": "WEBP"}[suffix]
        assert made.size == (256, 128)
        rgba = made.convert("RGBA")
        for x in (5, 64, 120):  # the transparent half stays transparent
            assert rgba.getpixel((x, 64))[3] == 0  # type: ignore[index]
        for x in (136, 200, 250):  # the red half stays opaque and red
            red, green, blue, alpha = rgba.getpixel((x, 64))  # type: ignore[misc]
            assert alpha == 255 and red > 180 and green < 60 and blue < 60
    assert [path.name for path in dest.parent.iterdir()] == [dest.name]


def test_an_opaque_jpeg_stays_opaque(tmp_path: Path) -> None:
    source = tmp_path / "photo.jpg"
    Image.new("RGB", (300, 900), (10, 120, 200)).save(source, quality=90)

    assert make_thumbnail(source, tmp_path / "photo.png", max_side=90) == (30, 90)
    with Image.open(tmp_path / "photo.png") as made:
        assert made.mode == "RGB"


def test_unreadable_sources_are_clear_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\nnot really")

    with pytest.raises(StoreError, match="damaged or not an image"):
        make_thumbnail(broken, tmp_path / "out.png")
    with pytest.raises(StoreError, match="missing"):
        make_thumbnail(tmp_path / "gone.png", tmp_path / "out.png")
    with pytest.raises(ValueError, match=r"\.png or \.webp"):
        make_thumbnail(broken, tmp_path / "out.gif")
    assert not (tmp_path / "out.png").exists()


def test_the_maker_works_off_the_callers_thread(
    maker: ThumbnailMaker, poster: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[int] = []
    real = thumbnails.make_thumbnail

    def spy(source: Path, dest: Path, max_side: int = 256) -> tuple[int, int]:
        threads.append(threading.get_ident())
        return real(source, dest, max_side)

    monkeypatch.setattr(thumbnails, "make_thumbnail", spy)

    future = maker.submit(poster, tmp_path / "out.webp")

    assert future.result(timeout=30) == (256, 128)
    assert threads and threads[0] != threading.get_ident()


def test_cached_thumbnails_are_made_once(
    maker: ThumbnailMaker, poster: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = "ab" + "0" * 62

    first = maker.cached(poster, key).result(timeout=30)
    assert maker.path_for(key).is_file()

    def must_not_run(source: Path, dest: Path, max_side: int = 256) -> tuple[int, int]:
        raise AssertionError("the cached thumbnail was made again")

    monkeypatch.setattr(thumbnails, "make_thumbnail", must_not_run)
    assert maker.cached(poster, key).result(timeout=30) == first == (256, 128)


def test_errors_arrive_through_the_future(maker: ThumbnailMaker, tmp_path: Path) -> None:
    future = maker.submit(tmp_path / "gone.png", tmp_path / "out.png")

    with pytest.raises(StoreError):
        future.result(timeout=30)
