"""The settings' second page: what the configured service was seen doing (and forgetting it), and
the prices estimates use, which the user can correct (issue 9)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QPushButton, QWidget

from app.core.prices import USER_SOURCE
from app.core.service_profile import CAPABILITIES
from app.main import Studio
from app.store.profiles import profiles_file
from app.store.settings import Settings
from tests.gui_support import make_studio, run, shut, until

pytestmark = pytest.mark.gui

GATEWAY = "https://gw.example/v1"
OTHER = "https://other.example/v1"


def _named(root: QWidget, name: str) -> QWidget:
    found = [w for w in root.findChildren(QWidget) if w.accessibleName() == name]
    assert len(found) == 1, f"{len(found)} widgets named {name!r}"
    return found[0]


@pytest.fixture
def gateway_studio(qloop: asyncio.AbstractEventLoop, tmp_path: Path) -> Iterator[Studio]:
    studio = make_studio(tmp_path, settings=Settings(engine="custom", base_url=GATEWAY))
    learned = {"streaming": False, "partial_images": True}
    other = {"masks": False}
    profiles = profiles_file(studio.paths)
    profiles.parent.mkdir(parents=True, exist_ok=True)
    document = {"version": 1, "services": {GATEWAY: learned, OTHER: other}}
    profiles.write_text(json.dumps(document))
    yield studio
    studio.window._confirmed_close = True
    run(qloop, shut(studio))


def _rows(studio: Studio) -> dict[str, str]:
    model = studio.service_profile
    return {
        capability: model.data(model.index(row, 1)) for row, capability in enumerate(CAPABILITIES)
    }


def test_the_page_shows_what_the_service_was_seen_doing_and_forgets_it(
    gateway_studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    studio = gateway_studio
    studio.ensure_engine()
    profile = studio.service_profile

    async def scenario() -> None:
        studio.open_settings()
        await until(lambda: _rows(studio)["streaming"] == "no", profile.loaded)
        rows = _rows(studio)
        assert rows["partial_images"] == "yes" and rows["masks"] == "not tried yet"
        dialog = studio.settings_dialog
        assert GATEWAY in _named(dialog, "Service profile for").text()  # type: ignore[attr-defined]
        table = _named(dialog, "Service profile")
        assert table.model() is profile  # type: ignore[attr-defined]

        forget = _named(dialog, "Forget what was learned")
        assert isinstance(forget, QPushButton) and forget.isEnabled()
        forget.click()
        await until(lambda: set(_rows(studio).values()) == {"not tried yet"}, profile.forgotten)

    run(qloop, scenario())
    kept = json.loads(profiles_file(studio.paths).read_text())["services"]
    assert GATEWAY not in kept and "https://other.example/v1" in kept  # only this service


def test_typing_a_base_url_shows_its_profile_without_toggling_the_engine(
    gateway_studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    studio = gateway_studio
    profile = studio.service_profile
    shown: list[str] = []

    async def scenario() -> None:
        studio.open_settings()
        await until(lambda: _rows(studio)["streaming"] == "no", profile.loaded)
        dialog = studio.settings_dialog
        profile.base_url_changed.connect(shown.append)
        field = _named(dialog, "Base URL")
        assert isinstance(field, QLineEdit)
        field.selectAll()
        QTest.keyClicks(field, OTHER)  # typed, the engine left as it is
        await until(lambda: _rows(studio)["masks"] == "no", profile.loaded)
        assert _rows(studio)["streaming"] == "not tried yet"
        assert OTHER in _named(dialog, "Service profile for").text()  # type: ignore[attr-defined]

    run(qloop, scenario())
    assert shown == [OTHER]  # read once, when typing paused: not once a keystroke


def test_the_local_engine_has_no_profile_to_show(
    qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    studio = make_studio(tmp_path, settings=Settings(engine="local"))
    try:
        studio.open_settings()
        dialog = studio.settings_dialog
        assert not _named(dialog, "Forget what was learned").isEnabled()
        assert not _named(dialog, "Service profile").isEnabled()
    finally:
        studio.settings_dialog.close()
        studio.window._confirmed_close = True
        run(qloop, shut(studio))


def test_the_engine_learns_into_the_same_profiles(
    gateway_studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    """The window's service starts from what was learned before (and by the command line)."""
    studio = gateway_studio

    async def scenario() -> None:
        studio.ensure_engine()
        await studio.use_engine(key="sk-test-not-used")

    run(qloop, scenario())
    assert studio.service.profile.lacks("streaming")
    assert not studio.service.profile.lacks("partial_images")


def test_prices_edited_on_the_page_drive_the_estimate(
    qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    studio = make_studio(tmp_path)
    try:
        studio.builder.description = "A tea shop poster"
        studio.builder.blocks.add("headline", "春日限定")
        studio.preview.recompute()
        before = studio.preview.estimate
        assert before is not None and before.usd is not None and before.price_source != USER_SOURCE
        assert "partial previews" in studio.window.generation.estimate.toolTip()

        studio.open_settings()
        dialog = studio.settings_dialog
        prices = _named(dialog, "Prices").model()  # type: ignore[attr-defined]
        row = next(r for r in range(prices.rowCount()) if prices.row(r).model == "gpt-image-2")
        image_out = prices.index(row, 3)
        assert not prices.setData(image_out, "a lot")  # not a price: nothing changes
        assert not prices.setData(image_out, "-3")
        assert prices.setData(image_out, "60")
        assert prices.data(prices.index(row, 4)) == "yours"
        dialog.accept()

        assert studio.settings.prices == {"gpt-image-2": {"image_out": 60.0}}
        after = studio.preview.estimate
        assert after is not None and after.price_source == USER_SOURCE
        assert after.usd is not None and after.usd > before.usd
        assert "your own" in studio.window.generation.estimate.toolTip()

        studio.open_settings()
        _named(dialog, "Use built-in prices").click()  # type: ignore[attr-defined]
        assert prices.data(prices.index(row, 3), Qt.ItemDataRole.EditRole) == 30.0
        dialog.accept()
        assert studio.settings.prices == {}
        assert studio.preview.estimate.usd == pytest.approx(before.usd)  # type: ignore[union-attr]
    finally:
        studio.window._confirmed_close = True
        run(qloop, shut(studio))
