"""Spec files in the window: save, open, recent files, studio images, and the crash autosave."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from app.core.metadata import embed_metadata, make_payload
from app.core.spec import Spec, TextBlock
from app.core.spec_json import spec_to_dict
from app.main import Studio
from tests.gui_support import make_studio, png, run, shut, until

pytestmark = pytest.mark.gui


def close(studio: Studio, qloop: asyncio.AbstractEventLoop) -> None:
    studio.window._confirmed_close = True
    run(qloop, shut(studio))


def test_the_autosaved_spec_comes_back_after_a_crash(
    qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    first = make_studio(tmp_path)
    document = first.document
    autosave = document.autosave_file
    run(qloop, document.start())
    first.builder.description = "A mid-autumn mooncake box"
    first.builder.blocks.add("headline", "花好月圆")
    first.builder.blocks.add("price", "¥128")
    first.builder.use_ratio("3:4")
    run(qloop, until(lambda: autosave.is_file(), document.autosaved))
    saved = json.loads(autosave.read_text("utf-8"))
    assert saved["spec"]["texts"][0]["text"] == "花好月圆"
    # The process dies here: no clean close, the autosave stays. Only the window is torn down.
    first.funnel.shutdown()
    first.decoder.shutdown()
    first.window._confirmed_close = True
    first.window.close()

    second = make_studio(tmp_path)
    seen: list[str] = []
    second.relay.posted.connect(lambda message: seen.append(message.code))
    try:
        run(qloop, second.document.start())
        spec = second.builder.spec()
        assert spec.description == "A mid-autumn mooncake box"
        assert [b.text for b in spec.texts] == ["花好月圆", "¥128"]
        assert spec.ratio == "3:4"
        assert second.document.dirty
        assert second.window.builder_panel.texts.editor(0).toPlainText() == "花好月圆"
        assert "spec.restored" in seen
    finally:
        close(second, qloop)
    assert not autosave.exists()  # a clean close leaves no autosave behind
    third = make_studio(tmp_path)
    try:
        run(qloop, third.document.start())
        assert third.builder.spec().texts == ()
        assert not third.document.dirty
    finally:
        close(third, qloop)


def test_save_then_open_keeps_the_spec_and_lists_it_as_recent(
    qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    studio = make_studio(tmp_path / "home")
    target = tmp_path / "specs" / "poster.json"
    try:
        run(qloop, studio.document.start())
        studio.builder.description = "A poster"
        studio.builder.blocks.add("headline", "限时特惠")
        assert studio.document.dirty
        assert run(qloop, studio.document.save(target))
        assert not studio.document.dirty
        assert studio.window.windowTitle().startswith("poster.json")
        assert json.loads(target.read_text("utf-8"))["texts"] == [
            {"role": "headline", "text": "限时特惠"}
        ]
        studio.document.new(model="gpt-image-2", quality="low", tier="1k")
        assert studio.builder.spec().texts == ()
        assert run(qloop, studio.document.open(target))
        assert studio.builder.spec().texts == (TextBlock("headline", "限时特惠"),)
        assert studio.document.recent == (str(target.resolve()),)
        assert studio.window.recent_menu.actions()[0].text() == str(target.resolve())
    finally:
        close(studio, qloop)


def test_an_image_carrying_a_spec_restores_the_builder(
    qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    spec = Spec(description="A cover", texts=(TextBlock("headline", "小红书封面"),), ratio="3:4")
    payload = make_payload(
        spec=spec_to_dict(spec), model="gpt-image-2", size="768x1024", job_id="j"
    )
    image = tmp_path / "cover.png"
    image.write_bytes(embed_metadata(png(64, 64), payload))
    plain = tmp_path / "plain.png"
    plain.write_bytes(png(64, 64))
    studio = make_studio(tmp_path / "home")
    seen: list[str] = []
    studio.relay.posted.connect(lambda message: seen.append(message.code))
    try:
        run(qloop, studio.document.start(open_path=image))
        assert studio.builder.spec().texts == (TextBlock("headline", "小红书封面"),)
        assert studio.builder.ratio == "3:4"
        assert studio.document.path is None  # saving asks where: the image is not a spec file
        assert not run(qloop, studio.document.open(plain))
        assert seen == ["spec.open_failed"]
        assert "no studio spec" in studio.window.banner.text.text()
    finally:
        close(studio, qloop)


def test_docks_and_geometry_come_back_on_the_next_start(
    qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    first = make_studio(tmp_path)
    first.window.show()
    first.window.resize(760, 560)
    first.window.jobs_dock.hide()
    first.series_dock.hide()  # docks added late (series, rows, library) come back too
    first.rows_dock.hide()
    first.window.close()  # a clean spec: no question asked; the state is saved
    run(qloop, first.stop())
    assert (tmp_path / "config" / "window.ini").is_file()

    second = make_studio(tmp_path)
    try:
        second.window.show()
        assert second.window.jobs_dock.isHidden()
        assert second.series_dock.isHidden()
        assert second.rows_dock.isHidden()
        assert not second.window.builder_dock.isHidden()
        assert (second.window.width(), second.window.height()) == (760, 560)
    finally:
        close(second, qloop)
