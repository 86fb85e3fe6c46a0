"""Version trees in the library: turns, branches, the current version, and library step 3."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.compiler import compile_edit_prompt
from app.core.request import ImageRequest
from app.core.spec import TextBlock
from app.store.db import Database, Schema
from app.store.library import Library, LibraryQuery
from app.store.migrations import LIBRARY_FIRST_VERSION, LIBRARY_STEPS
from app.store.paths import StudioPaths
from app.store.records import JobKind
from tests.gui_support import png


def _image(library: Library, *, parent: int | None, prompt: str = "a poster") -> int:
    kind: JobKind = "generate" if parent is None else "edit"
    request = ImageRequest(kind=kind, prompt=prompt)
    job = library.create_job(kind=kind, request=request, engine="local", spec={"texts": []})
    library.mark_running(job)
    record = library.add_image(
        job, 0, png(32, 32), width=32, height=32, output_format="png", parent_image_id=parent
    )
    library.finish_job(job, None, 0.0)
    if parent is not None:
        library.versions.record_turn(
            job, kind="instruction", instruction=prompt, source_image_id=parent
        )
    return record.id


def test_a_tree_is_found_from_any_of_its_versions_with_its_turns(tmp_path: Path) -> None:
    with Library.open(StudioPaths.under(tmp_path)) as library:
        root = _image(library, parent=None)
        second = _image(library, parent=root, prompt="sunset background")
        third = _image(library, parent=second, prompt="headline 30% larger")
        branch = _image(library, parent=root, prompt="make it winter")
        other = _image(library, parent=None)

        tree = library.versions.tree_of(third)
        assert tree is not None and tree.root_id == root
        assert [v.image.id for v in tree.versions] == [root, second, third, branch]
        assert other not in [v.image.id for v in tree.versions]
        assert [t.instruction for t in tree.turns] == [
            "sunset background", "headline 30% larger", "make it winter",
        ]  # fmt: skip
        assert [t.source_image_id for t in tree.turns] == [root, second, root]
        assert tree.turns[0].image_ids == (second,) and tree.turns[0].status == "done"
        assert tree.current_id == third  # nothing stored: the image it was asked for

        library.versions.set_current(second)
        assert library.versions.tree_of(branch).current_id == second  # type: ignore[union-attr]
        assert library.versions.tree_of(other).versions[0].image.id == other  # type: ignore[union-attr]
        assert library.versions.tree_of(999) is None


def test_a_turn_recorded_again_keeps_its_place_in_the_conversation(tmp_path: Path) -> None:
    with Library.open(StudioPaths.under(tmp_path)) as library:
        root = _image(library, parent=None)
        first = _image(library, parent=root, prompt="sunset background")
        _image(library, parent=root, prompt="make it winter")
        job = library.image(first).job_id  # type: ignore[union-attr]
        library.versions.record_turn(  # a retried turn, recorded when it ends again
            job, kind="instruction", instruction="sunset background", source_image_id=root
        )
        turns = library.versions.tree_of(root).turns  # type: ignore[union-attr]
        assert [t.instruction for t in turns] == ["sunset background", "make it winter"]


def test_the_tree_and_its_current_version_survive_reopening(tmp_path: Path) -> None:
    paths = StudioPaths.under(tmp_path)
    with Library.open(paths) as library:
        root = _image(library, parent=None)
        second = _image(library, parent=root, prompt="swap the background to sunset")
        library.versions.set_current(root)
    with Library.open(paths) as library:
        tree = library.versions.tree_of(second)
        assert tree is not None and tree.current_id == root
        assert [t.instruction for t in tree.turns] == ["swap the background to sunset"]
        found = library.search(LibraryQuery(text="background to sun"))
        assert [image.id for image in found] == [second]


def test_a_turn_of_an_unknown_kind_is_refused(tmp_path: Path) -> None:
    with Library.open(StudioPaths.under(tmp_path)) as library:
        root = _image(library, parent=None)
        with pytest.raises(ValueError, match="kind"):
            library.versions.record_turn("x", kind="paint", instruction="", source_image_id=root)  # type: ignore[arg-type]


@pytest.mark.parametrize("steps_applied", range(3))
def test_step_3_turns_earlier_edits_into_turns(tmp_path: Path, steps_applied: int) -> None:
    """A library of 1.0, 1.1 or 1.2 holding a command-line edit opens with that edit as a turn."""
    paths = StudioPaths.under(tmp_path / "home")
    paths.library_db.parent.mkdir(parents=True, exist_ok=True)
    database = Database.open(
        paths.library_db, Schema("library", LIBRARY_FIRST_VERSION, LIBRARY_STEPS[:steps_applied])
    )
    blocks = (TextBlock("headline", "有机绿茶"),)
    edit_prompt = compile_edit_prompt("make the headline larger", blocks).text
    with database.transaction() as connection:
        for job_id, kind, prompt in (("g", "generate", "tea"), ("e", "edit", edit_prompt)):
            request = ImageRequest(kind=kind, prompt=prompt).to_json()  # type: ignore[arg-type]
            connection.execute(
                "INSERT INTO jobs (id, kind, request_json, engine, status, owner, created_at) "
                "VALUES (?, ?, ?, 'local', 'done', 'someone', '2026-01-01T00:00:00+00:00')",
                (job_id, kind, json.dumps(request)),
            )
        for image_id, job_id, parent in ((1, "g", None), (2, "e", 1)):
            connection.execute(
                "INSERT INTO images (id, job_id, index_in_job, path, width, height, sha256, "
                "output_format, created_at, parent_image_id) VALUES (?, ?, 0, ?, 8, 8, 'x', "
                "'png', '2026-01-01T00:00:00+00:00', ?)",
                (image_id, job_id, f"2026/01/{job_id}.png", parent),
            )
    database.close()

    with Library.open(paths) as library:
        tree = library.versions.tree_of(1)
        assert tree is not None
        assert [(t.job_id, t.instruction, t.source_image_id) for t in tree.turns] == [
            ("e", "make the headline larger.", 1)
        ]
        assert [v.image.id for v in tree.versions] == [1, 2]
