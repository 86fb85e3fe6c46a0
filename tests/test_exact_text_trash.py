"""Emptying the trash removes an exact-text composite's kept background and text layer too."""

from __future__ import annotations

from pathlib import Path

from app.core.request import ImageRequest
from app.store.exact_parts import keep_parts, kept_parts
from app.store.library import Library
from app.store.paths import StudioPaths


def _composite(library: Library, job_id: str, index: int, background_format: str) -> int:
    record = library.add_image(
        job_id, index, b"composite", width=64, height=64, output_format="png"
    )
    keep_parts(record, background=b"background", background_format=background_format,
               layer=b"layer")  # fmt: skip
    parts = kept_parts(record)
    assert parts is not None and parts.background.is_file() and parts.layer.is_file()
    return record.id


def test_emptying_the_trash_removes_the_kept_background_and_layer(tmp_path: Path) -> None:
    library = Library.open(StudioPaths.under(tmp_path / "home"))
    try:
        request = ImageRequest(kind="generate", prompt="p", n=3)
        job_id = library.create_job(kind="generate", request=request, engine="local", spec=None)
        kept_id = _composite(library, job_id, 0, "png")
        trashed_id = _composite(library, job_id, 1, "jpeg")
        library.mark_running(job_id)
        library.finish_job(job_id, None, None)
        trashed = library.image(trashed_id).path  # type: ignore[union-attr]
        library.trash_image(trashed_id)
        before = set(trashed.parent.iterdir())

        assert library.empty_trash() == 1

        gone = before - set(trashed.parent.iterdir())
        assert {path.name for path in gone} == {
            trashed.name,
            trashed.with_suffix("").name + ".background.jpg",
            trashed.with_suffix("").name + ".layer.png",
        }
        kept_record = library.image(kept_id)
        assert kept_record is not None and kept_record.path.is_file()
        assert kept_parts(kept_record) is not None  # the other composite keeps its parts
    finally:
        library.close()
