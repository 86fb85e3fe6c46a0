"""The builder panel: text blocks, the compiled prompt, the estimate, the ratio picker."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication, QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLabel, QPlainTextEdit, QPushButton, QSpinBox, QWidget

from app.main import Studio
from tests.gui_support import run, until

pytestmark = pytest.mark.gui


def named(studio: Studio, name: str) -> QWidget:
    found = [w for w in studio.window.findChildren(QWidget) if w.accessibleName() == name]
    assert len(found) == 1, f"{len(found)} widgets named {name!r}"
    return found[0]


def test_accessible_names_of_the_contract_are_set(studio: Studio) -> None:
    studio.builder.blocks.add("headline", "春日限定")
    studio.builder.blocks.add("subhead", "新品上市")
    kinds = {
        "Description": QPlainTextEdit,
        "Add text": QPushButton,
        "Text 1": QPlainTextEdit,
        "Text 2": QPlainTextEdit,
        "Role 1": QComboBox,
        "Role 2": QComboBox,
        "Compiled prompt": QPlainTextEdit,
        "Size": QLabel,
        "Variations": QSpinBox,
        "Quality": QComboBox,
        "Estimate": QLabel,
        "Generate": QPushButton,
        "Cancel": QPushButton,
    }
    for name, kind in kinds.items():
        assert isinstance(named(studio, name), kind), name
    gallery = named(studio, "Gallery")
    # The view shows the gallery's rows (sorted and filtered by text fidelity through a proxy).
    assert gallery.model().sourceModel() is studio.gallery  # type: ignore[attr-defined]
    assert "$" in named(studio, "Estimate").text()  # type: ignore[attr-defined]


def test_typing_chinese_updates_the_prompt_and_the_estimate(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    studio.builder.description = "A tea shop poster"
    studio.window.builder_panel.texts.add_button.click()
    editor = named(studio, "Text 1")
    estimate = named(studio, "Estimate")
    prompt = named(studio, "Compiled prompt")
    assert isinstance(editor, QPlainTextEdit) and isinstance(prompt, QPlainTextEdit)
    run(qloop, until(lambda: studio.preview.estimate is not None, studio.preview.updated))
    tokens_before = studio.preview.estimate.input_tokens  # type: ignore[union-attr]
    tip_before = estimate.toolTip()

    editor.setFocus()
    # What a Chinese input method does: a preedit while composing, then the committed text.
    composing = QInputMethodEvent("chunri", [])
    QCoreApplication.sendEvent(editor, composing)
    committed = QInputMethodEvent()
    committed.setCommitString("春日限定，第二杯半价")
    QCoreApplication.sendEvent(editor, committed)
    run(
        qloop, until(lambda: "春日限定，第二杯半价" in prompt.toPlainText(), studio.preview.updated)
    )

    assert "exactly “春日限定，第二杯半价”" in prompt.toPlainText()
    assert studio.builder.blocks.block(0).text == "春日限定，第二杯半价"
    assert studio.preview.estimate.input_tokens > tokens_before  # type: ignore[union-attr]
    assert estimate.toolTip() != tip_before
    assert "$" in estimate.text()  # type: ignore[attr-defined]


def test_compiled_prompt_can_be_copied(studio: Studio, qloop: asyncio.AbstractEventLoop) -> None:
    studio.builder.description = "A quiet bookshop"
    run(qloop, until(lambda: "bookshop" in studio.preview.prompt, studio.preview.updated))
    named(studio, "Copy prompt").click()  # type: ignore[attr-defined]
    assert "A quiet bookshop." in QGuiApplication.clipboard().text()


def test_a_long_text_is_flagged_on_its_block(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    studio.builder.blocks.add("headline", "短")
    studio.builder.blocks.add(
        "body", "这是一段非常非常长的正文文字，超过了二十四个字，模型更容易写错它们"
    )
    run(qloop, until(lambda: len(studio.preview.block_warnings) == 2, studio.preview.updated))
    first, second = (named(studio, f"Warning {n}") for n in (1, 2))
    assert first.isHidden()
    assert not second.isHidden()
    assert "characters" in second.text()  # type: ignore[attr-defined]


def test_blocks_move_and_go_with_the_keyboard(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    blocks = studio.builder.blocks
    blocks.add("headline", "一")
    blocks.add("subhead", "二")
    blocks.add("body", "三")
    third = named(studio, "Text 3")
    QTest.keyClick(third, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert [b.text for b in blocks.blocks()] == ["一", "三", "二"]
    assert named(studio, "Text 2").toPlainText() == "三"  # type: ignore[attr-defined]
    assert named(studio, "Role 2").currentData() == "body"  # type: ignore[attr-defined]
    modifiers = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(named(studio, "Text 1"), Qt.Key.Key_Delete, modifiers)
    assert [b.text for b in blocks.blocks()] == ["三", "二"]
    named(studio, "Move text 2 up").click()  # type: ignore[attr-defined]
    assert [b.text for b in blocks.blocks()] == ["二", "三"]
    role = named(studio, "Role 1")
    assert isinstance(role, QComboBox)
    role.setCurrentIndex(role.findData("price"))
    assert blocks.block(0).role == "price"


def test_the_ratio_picker_refuses_4_to_1_and_offers_the_nearest(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    custom = named(studio, "Custom ratio")
    size = named(studio, "Size")
    assert isinstance(size, QLabel)
    custom.setText("4:1")  # type: ignore[attr-defined]
    custom.editingFinished.emit()  # type: ignore[attr-defined]
    run(qloop, until(lambda: studio.preview.size_status.refused, studio.preview.updated))
    nearest = named(studio, "Use nearest size")
    assert isinstance(nearest, QPushButton)
    assert not nearest.isHidden()
    assert "3:1" in nearest.text()
    assert "1:3" in named(studio, "Size note").text()  # type: ignore[attr-defined]
    assert studio.preview.plan is None
    assert not named(studio, "Generate").isEnabled()

    nearest.click()
    run(qloop, until(lambda: not studio.preview.size_status.refused, studio.preview.updated))
    assert studio.builder.ratio == "3:1"
    assert size.text() == "1440x480"


def test_presets_tiers_exact_sizes_and_experimental(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    size = named(studio, "Size")
    named(studio, "Ratio 小红书 3:4").click()  # type: ignore[attr-defined]
    run(qloop, until(lambda: size.text() == "768x1024", studio.preview.updated))  # type: ignore[attr-defined]
    tier = named(studio, "Tier")
    assert isinstance(tier, QComboBox)
    tier.setCurrentIndex(tier.findData("4k"))
    tier.activated.emit(tier.currentIndex())
    run(qloop, until(lambda: size.text() == "2480x3312", studio.preview.updated))  # type: ignore[attr-defined]
    assert "xperimental" in named(studio, "Size note").text()  # type: ignore[attr-defined]

    studio.builder.use_size("1000x1000")
    run(qloop, until(lambda: studio.preview.size_status.refused, studio.preview.updated))
    nearest = named(studio, "Use nearest size")
    assert "992x992" in nearest.text()  # type: ignore[attr-defined]
    nearest.click()  # type: ignore[attr-defined]
    run(qloop, until(lambda: size.text() == "992x992", studio.preview.updated))  # type: ignore[attr-defined]
