"""Text checks kept in the library: recorded per image, replaced by a newer one, read back whole."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.fidelity import ReadLine, RequiredText, check_texts
from app.core.request import ImageRequest
from app.store.db import Database, Schema
from app.store.library import Library
from app.store.migrations import LIBRARY_FIRST_VERSION, LIBRARY_SCHEMA
from app.store.paths import StudioPaths


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    with Library.open(StudioPaths.under(tmp_path / "home")) as opened:
        yield opened


def _image(library: Library, index: int = 0) -> int:
    job = library.create_job(
        kind="generate", request=ImageRequest(kind="generate", prompt="茶"), engine="local"
    )
    return library.add_image(job, index, b"\x89PNG fake", width=8, height=8, output_format="png").id


def test_a_check_is_kept_and_read_back_whole(library: Library) -> None:
    image_id = _image(library)
    assert library.text_check(image_id) is None
    wrong = check_texts(
        [RequiredText("有机绿茶", "headline")],
        [
            ReadLine(
                "有机绿荼",
                (10, 20, 160, 40),
                0.99,
                tuple((10 + 40 * i, 20, 40, 40) for i in range(4)),
            )
        ],
    )
    library.record_text_check(image_id, wrong)
    stored = library.text_check(image_id)
    assert stored == wrong
    assert stored is not None and stored.blocks[0].differences[0].box == (130, 20, 40, 40)
    assert library.text_exact([image_id]) == {image_id: False}


def test_a_newer_check_replaces_the_older_one(library: Library) -> None:
    first, second = _image(library), _image(library, 1)
    required = [RequiredText("有机绿茶")]
    library.record_text_check(
        first, check_texts(required, [ReadLine("有机绿荼", (0, 0, 9, 9), 1.0)])
    )
    library.record_text_check(
        first, check_texts(required, [ReadLine("有机绿茶", (0, 0, 9, 9), 1.0)])
    )
    assert library.text_exact([first, second]) == {first: True}  # the second was never checked
    stored = library.text_check(first)
    assert stored is not None and stored.exact


def test_a_check_of_an_image_not_in_the_library_is_refused(library: Library) -> None:
    with pytest.raises(KeyError):
        library.record_text_check(12345, check_texts([], []))


def test_a_library_made_before_text_checks_gets_them(tmp_path: Path) -> None:
    paths = StudioPaths.under(tmp_path / "home")
    paths.library_db.parent.mkdir(parents=True)
    Database.open(paths.library_db, Schema("library", LIBRARY_FIRST_VERSION, ())).close()
    with Library.open(paths) as library:
        image_id = _image(library)
        library.record_text_check(image_id, check_texts([RequiredText("茶")], []))
        assert library.text_exact([image_id]) == {image_id: False}
    connection = sqlite3.connect(paths.library_db)
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
    finally:
        connection.close()
    assert version == 100 + len(LIBRARY_SCHEMA.steps)
