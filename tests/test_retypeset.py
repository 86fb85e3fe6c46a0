"""An exact-text image set again with new texts, kept as its child version (``save_retypeset``)."""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from app.core.metadata import read_metadata
from app.core.spec import TextBlock
from app.jobs.retypeset import save_retypeset
from app.store.exact_parts import keep_parts, kept_parts
from app.store.library import Library, LibraryQuery
from app.store.paths import StudioPaths
from app.store.search import searchable_text_of_row
from tests.cli_process import run_cli

pytestmark = pytest.mark.gui

SPEC: dict[str, Any] = {
    "version": 1,
    "description": "A calm studio table with a tea cup",
    "size": "768x1024",
    "texts": [{"role": "headline", "text": "人工智能摄影展", "box": [0.1, 0.06, 0.8, 0.16]}],
}
NEW = (TextBlock("headline", "今日开幕", box=(0.1, 0.06, 0.8, 0.16)),)


def _library_with_one_image(tmp_path: Path, *, exact_text: bool) -> StudioPaths:
    spec_file = tmp_path / "spec.json"
    spec_file.write_text(json.dumps({**SPEC, "exact_text": exact_text}, ensure_ascii=False))
    home = tmp_path / "home"
    result = run_cli(home, "generate", str(spec_file), "--engine", "local")
    assert result.returncode == 0, result.stderr
    return StudioPaths.under(home)


def test_a_new_version_shares_the_background_costs_nothing_and_is_found_by_its_text(
    tmp_path: Path, qapp: object
) -> None:
    paths = _library_with_one_image(tmp_path, exact_text=True)
    with Library.open(paths) as library:
        (original,) = library.images()
        made = save_retypeset(library, original.id, NEW)
        assert made is not None and made.parent_image_id == original.id
        job = library.job(made.job_id)
        assert job is not None and job.status == "done" and job.actual_usd == 0.0
        assert job.request.n == 1  # nothing left for a re-run to ask for
        payload = read_metadata(made.path.read_bytes())
        assert payload is not None and payload["job_id"] == made.job_id
        assert payload["spec"]["texts"][0]["text"] == "今日开幕"
        assert payload["spec"]["description"] == SPEC["description"]  # the rest as it was
        new, old = kept_parts(made), kept_parts(original)
        assert new is not None and old is not None
        assert new.background.samefile(old.background)
        assert new.layer.read_bytes() != old.layer.read_bytes()
        assert [i.id for i in library.search(LibraryQuery(text="今日开幕"))] == [made.id]
        # Its turn says what changed, and the library finds it by those words too.
        tree = library.versions.tree_of(original.id)
        assert tree is not None
        ((kind, instruction, source, images),) = [
            (t.kind, t.instruction, t.source_image_id, t.image_ids) for t in tree.turns
        ]
        assert (kind, source, images) == ("retypeset", original.id, (made.id,))
        assert instruction == "Headline: 人工智能摄影展 → 今日开幕"
        found = library.search(LibraryQuery(text="headline: 人工智能摄影展 →"))
        assert [i.id for i in found] == [made.id]
        # The same texts again: nothing to make.
        assert save_retypeset(library, made.id, NEW) is None
        tree = library.versions.tree_of(original.id)
        assert tree is not None and tree.current_id == made.id


def test_an_image_not_made_in_exact_text_mode_is_left_alone(tmp_path: Path, qapp: object) -> None:
    paths = _library_with_one_image(tmp_path, exact_text=False)
    with Library.open(paths) as library:
        (image,) = library.images()
        assert save_retypeset(library, image.id, NEW) is None
        # A Fix-text image keeps the cleared background beside it, but the model drew the other
        # texts on it: setting every block over it would show them twice.
        data = image.path.read_bytes()
        keep_parts(image, background=data, background_format="png", layer=data)
        assert save_retypeset(library, image.id, NEW) is None
        assert len(library.images()) == 1


def test_versions_set_again_in_a_library_of_format_1_4_get_their_turns(
    tmp_path: Path, qapp: object
) -> None:
    paths = _library_with_one_image(tmp_path, exact_text=True)
    moved = (dataclasses.replace(NEW[0], box=(0.1, 0.5, 0.8, 0.16)),)
    with Library.open(paths) as library:
        (original,) = library.images()
        made = save_retypeset(library, original.id, NEW)
        assert made is not None
        again = save_retypeset(library, made.id, moved)
        assert again is not None
    # As format 1.4 kept them: no turn, nothing but their texts to find them by.
    connection = sqlite3.connect(paths.library_db)
    with connection:
        connection.execute("DELETE FROM edit_turns")
        for job_id, kind, spec_json, request_json in connection.execute(
            "SELECT id, kind, spec_json, request_json FROM jobs"
        ).fetchall():
            text = searchable_text_of_row(kind, spec_json, request_json)
            connection.execute("UPDATE jobs SET search_text = ? WHERE id = ?", (text, job_id))
        connection.execute("PRAGMA user_version = 104")
    connection.close()

    with Library.open(paths) as library:
        tree = library.versions.tree_of(original.id)
        assert tree is not None
        assert [(t.kind, t.instruction, t.source_image_id, t.image_ids) for t in tree.turns] == [
            ("retypeset", "Headline: 人工智能摄影展 → 今日开幕", original.id, (made.id,)),
            ("retypeset", "Moved the headline", made.id, (again.id,)),
        ]
        assert [i.id for i in library.search(LibraryQuery(text="moved the headline"))] == [again.id]
        assert library.integrity_check() == ["ok"]
    assert (paths.library_db.parent / f"{paths.library_db.name}.v1.4.bak").exists()
