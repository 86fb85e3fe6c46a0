"""Files a command is given: read no further than their limit, refused before anything is sent."""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from app.cli import main
from app.cli.inputs import read_edit_source
from app.core.models import MAX_INPUT_PIXELS
from app.store.reading import FileTooLarge, read_at_most
from app.store.references import READ_LIMIT

ENDLESS = Path("/dev/zero")
pytestmark = pytest.mark.skipif(not ENDLESS.exists(), reason="needs /dev/zero")  # POSIX only


@pytest.fixture(autouse=True)
def studio_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("ZI_STUDIO_HOME", str(home))
    return home


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert code == 2, captured.err
    assert len(captured.err.splitlines()) == 1 and "Traceback" not in captured.err
    return captured.err


def png(
    path: Path, size: tuple[int, int] = (1024, 1024), mode: str = "RGB", colour: object = 0
) -> Path:
    Image.new(mode, size, colour).save(path, "PNG")  # type: ignore[arg-type]
    return path


@pytest.fixture(scope="module")
def huge_png(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 12000x12000 PNG of 17 KB: small on disk, 144 million pixels."""
    buffer = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(buffer, "PNG")
    path = tmp_path_factory.mktemp("huge") / "huge.png"
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture
def endless_fifo(tmp_path: Path) -> Iterator[Path]:
    """A named pipe whose writer never stops until the reader goes away."""
    path = tmp_path / "endless.json"
    os.mkfifo(path)

    def write_forever() -> None:
        try:
            with open(path, "wb") as pipe:
                while True:
                    pipe.write(b" " * 65536)
        except (BrokenPipeError, OSError):
            pass

    writer = threading.Thread(target=write_forever, daemon=True)
    writer.start()
    yield path
    writer.join(timeout=10)
    assert not writer.is_alive()


# --- endless files ----------------------------------------------------------------------------


def test_read_at_most_stops_after_the_limit() -> None:
    with pytest.raises(FileTooLarge) as caught:
        read_at_most(ENDLESS, 1024)
    assert caught.value.strerror == "larger than 1 KB"


def test_an_endless_spec_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    err = refused(capsys, "prompt", str(ENDLESS))
    assert "/dev/zero: larger than 4 MB, too large to be a spec" in err


def test_a_spec_from_an_endless_pipe_is_refused(
    capsys: pytest.CaptureFixture[str], endless_fifo: Path
) -> None:
    assert "too large to be a spec" in refused(capsys, "estimate", str(endless_fifo))


def test_an_endless_reference_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    err = refused(
        capsys, "generate", "--engine", "local", "--description", "x", "--ref", str(ENDLESS)
    )
    # A reference over the API's 50 MB is scaled down, so more is read; never past the limit.
    assert f"--ref /dev/zero: larger than {READ_LIMIT // 1_048_576} MB, the limit" in err


def test_an_endless_image_or_mask_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    err = refused(capsys, "edit", str(ENDLESS), "--instruction", "x", "--engine", "local")
    assert "IMAGE /dev/zero: larger than 50 MB" in err
    image = png(tmp_path / "in.png")
    err = refused(
        capsys,
        "edit",
        str(image),
        "--instruction",
        "x",
        "--mask",
        str(ENDLESS),
        "--engine",
        "local",
    )
    assert "--mask /dev/zero: larger than 4 MB" in err


# --- what was accepted and should not have been ----------------------------------------------


def test_a_12000_pixel_square_reference_is_refused_with_the_limit(
    capsys: pytest.CaptureFixture[str], huge_png: Path
) -> None:
    err = refused(
        capsys, "generate", "--engine", "local", "--text", "headline=字", "--ref", str(huge_png)
    )
    assert "12000x12000 is 144,000,000 pixels" in err
    assert f"{MAX_INPUT_PIXELS:,} (8192x8192)" in err


def test_a_12000_pixel_square_image_to_edit_is_refused(
    capsys: pytest.CaptureFixture[str], huge_png: Path
) -> None:
    err = refused(capsys, "edit", str(huge_png), "--instruction", "x", "--engine", "local")
    assert "IMAGE" in err and "12000x12000" in err and "8192x8192" in err


def test_a_mask_without_alpha_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    image = png(tmp_path / "in.png")
    for name, mode in (("rgb.png", "RGB"), ("bilevel.png", "1"), ("palette.png", "P")):
        mask = png(tmp_path / name, mode=mode)
        err = refused(
            capsys,
            "edit",
            str(image),
            "--instruction",
            "x",
            "--mask",
            str(mask),
            "--engine",
            "local",
        )
        assert f"--mask {mask}: the mask must be a PNG with transparency" in err


@pytest.mark.parametrize(("mode", "colour"), [("RGBA", (0, 0, 0, 0)), ("LA", (0, 0)), ("L", 0)])
def test_masks_the_api_takes_are_accepted(tmp_path: Path, mode: str, colour: object) -> None:
    image = png(tmp_path / "in.png")
    mask = png(tmp_path / "mask.png", mode=mode, colour=colour)
    assert (read_edit_source(image, mask).width, read_edit_source(image, mask).height) == (
        1024,
        1024,
    )
