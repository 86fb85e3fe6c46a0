"""The zh_CN translation is complete, compiled from its source, and shown in the built window."""

from __future__ import annotations

import asyncio
import importlib.util
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.core.models import known_models
from app.model.api_key_model import ApiKeyModel
from app.model.connection_test import ConnectionTester
from app.model.settings_model import SettingsModel
from app.store.settings import Settings, SettingsFile
from app.ui.i18n import install_translators, translations_dir, ui_language
from app.ui.settings_dialog import SettingsDialog
from tests.widget_texts import visible_texts

ROOT = Path(__file__).parents[1]
SHIPPED = translations_dir()
Message = tuple[str, str]  # (context, source)


def _script() -> ModuleType:
    path = ROOT / "packaging" / "update_translations.py"
    spec = importlib.util.spec_from_file_location("update_translations", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("update_translations", module)
    spec.loader.exec_module(module)
    return module


def _messages(ts_file: Path) -> dict[Message, list[str | None]]:
    """Each message's translations (one per plural form), or None where it is unfinished."""
    found: dict[Message, list[str | None]] = {}
    for context in ET.parse(ts_file).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            forms = [f.text for f in translation.iter("numerusform")] or [translation.text]
            unfinished = translation.get("type") in ("unfinished", "vanished", "obsolete")
            found[(name, message.findtext("source") or "")] = (
                [None] * len(forms) if unfinished else forms
            )
    return found


@pytest.mark.parametrize("language", ["zh_CN"])
def test_every_message_has_a_finished_translation_with_the_same_placeholders(
    language: str,
) -> None:
    messages = _messages(SHIPPED / f"{language}.ts")
    assert len(messages) > 40
    unfinished = [source for source, forms in messages.items() if not all(forms)]
    assert unfinished == []
    for (_, source), forms in messages.items():
        for form in forms:
            placeholders = re.findall(r"\{\d\}|%n|%\d", source)
            assert sorted(re.findall(r"\{\d\}|%n|%\d", form or "")) == sorted(placeholders), source


@pytest.mark.parametrize("language", ["zh_CN"])
def test_the_shipped_ts_holds_exactly_the_strings_of_the_sources(
    tmp_path: Path, language: str
) -> None:
    fresh = tmp_path / f"{language}.ts"
    _script().lupdate(fresh, language)  # a new file: only what the sources say today

    in_sources = set(_messages(fresh))
    shipped = set(_messages(SHIPPED / f"{language}.ts"))
    assert sorted(in_sources - shipped) == [], "run packaging/update_translations.py"
    assert sorted(shipped - in_sources) == [], "run packaging/update_translations.py"


@pytest.mark.parametrize("language", ["zh_CN"])
def test_the_shipped_qm_is_what_the_ts_compiles_to(tmp_path: Path, language: str) -> None:
    compiled = tmp_path / f"{language}.qm"
    _script().lrelease(SHIPPED / f"{language}.ts", compiled)

    assert compiled.read_bytes() == (SHIPPED / f"{language}.qm").read_bytes()


def test_the_language_follows_the_system_unless_the_settings_choose() -> None:
    chinese, german = QLocale("zh_CN"), QLocale("de_DE")
    assert ui_language("system", chinese) == "zh_CN"
    assert ui_language("system", QLocale("zh_TW")) == "zh_CN"
    assert ui_language("system", german) == "en"
    assert ui_language("en", chinese) == "en"
    assert ui_language("zh_CN", german) == "zh_CN"


def untranslated(root: QWidget, ts_file: Path) -> list[tuple[str, str]]:
    """Visible strings that are still the English source of a translated message."""
    english = {
        source
        for (_, source), forms in _messages(ts_file).items()
        if forms and forms[0] and forms[0] != source
    }
    return [(kind, text) for kind, text in visible_texts(root) if text in english]


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[None]:
    locale = QLocale()
    installed = install_translators(qapp, "zh_CN")
    assert len(installed) == 2  # ours and Qt's own qtbase_zh_CN
    assert QLocale().language() == QLocale.Language.Chinese
    yield
    for translator in installed:
        qapp.removeTranslator(translator)
    QLocale.setDefault(locale)  # text shaping follows it: other tests must not see Chinese


@pytest.mark.gui
def test_the_settings_dialog_in_chinese_shows_no_english_string(
    qtbot: QtBot, chinese: None, tmp_path: Path
) -> None:
    settings = SettingsModel(Settings(), SettingsFile(tmp_path / "settings.json"))
    tester = ConnectionTester(lambda coroutine: pytest.fail("no test is run"))
    dialog = SettingsDialog(settings, ApiKeyModel(env={}), tester, models=("gpt-image-2",))
    qtbot.addWidget(dialog)

    assert untranslated(dialog, SHIPPED / "zh_CN.ts") == []
    assert dialog.windowTitle() == "设置"
    texts = [text for _, text in visible_texts(dialog)]
    assert "测试连接" in texts and "确定" in texts  # ours, and Qt's own button box
    assert dialog.engine_button("custom").accessibleName() == "Engine: custom"  # never translated


# Names and codes that stay as they are in Chinese text.
_KEPT_WORDS = {
    "Zi", "Studio", "OpenAI", "API", "URL", "PNG", "WEBP", "WebP", "JPEG", "Ctrl", "Shift", "Alt",
    "Enter", "Esc", "Delete", "Up", "Down", "token", "https", "host", "English", "CSV", "UTF",
}  # fmt: skip


def _english_words(text: str) -> list[str]:
    """English words in a shown text (model and font names aside), where the zh_CN UI should
    have none."""
    from app.typeset.fonts import available_families

    if text in known_models() or text in available_families():
        return []
    text = re.sub(r"https?://\S+", "", text)  # an address is shown as it is
    text = re.sub(r"\{[a-z_]+\}", "", text)  # file-name template fields are syntax, like Ctrl
    return [word for word in re.findall(r"[A-Za-z]{3,}", text) if word not in _KEPT_WORDS]


ACCESSIBLE_NAMES = (
    "Description", "Add text", "Compiled prompt", "Size", "Variations", "Quality", "Estimate",
    "Generate", "Cancel", "Gallery", "Layout board", "Exact text",
)  # fmt: skip


@pytest.mark.gui
def test_the_window_in_chinese_shows_no_english_string_and_keeps_its_accessible_names(
    qloop: asyncio.AbstractEventLoop, chinese: None, tmp_path: Path
) -> None:
    from tests.gui_support import make_studio, run, shut

    studio = make_studio(tmp_path)
    window = studio.window
    window._confirmed_close = True  # closing asks nothing, even after a failure
    try:
        studio.builder.blocks.add("headline", "春日限定")
        studio.open_settings()
        assert studio.settings_dialog is not None

        assert untranslated(window, SHIPPED / "zh_CN.ts") == []
        texts = {text for _, text in visible_texts(window)}
        assert [text for text in texts if _english_words(text)] == []
        assert {"生成", "取消", "添加文字"} <= texts
        names = {widget.accessibleName() for widget in window.findChildren(QWidget)}
        assert set(ACCESSIBLE_NAMES) | {"Text 1", "Role 1"} <= names
    finally:
        studio.settings_dialog.close()
        run(qloop, shut(studio))  # stops the autosave timer and the workers
