"""Prompts written as the published guides write them, sent through the official SDK to
``serve-local``: every quoted text is laid out exactly once, and no apostrophe starts a text."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import openai
import pytest

from app.engine.local.job import LAYOUT_HEADER
from tests.local_server import serve_local

GUIDE_PROMPTS = [
    ("海报中央写着‘有机绿茶 100g 无添加’,极简包装风格", ["有机绿茶 100g 无添加"]),
    ("Chinese text on label exactly: '有机绿茶 100g 无添加'.", ["有机绿茶 100g 无添加"]),
    ("with the text 'TECH 2026' glowing on the screen", ["TECH 2026"]),
    ("A tea box, the label says “春日限定” and below it “明前龙井”", ["春日限定", "明前龙井"]),
    (
        "红色春节海报，主标题「新春快乐」，副标题『阖家幸福 万事如意』",
        ["新春快乐", "阖家幸福 万事如意"],
    ),
    ('A bakery sign that reads "FRESH BREAD", don\'t add other words', ["FRESH BREAD"]),
    (
        "A Women's Day flyer, headline 'Don't Stop' and date '2027.03.08'",
        ["Don't Stop", "2027.03.08"],
    ),
    ("A children's book cover, the kids' names are not shown, title ‘小熊的冬天’", ["小熊的冬天"]),
]


@pytest.fixture(scope="module")
def client() -> Iterator[openai.OpenAI]:
    with (
        serve_local() as base_url,
        openai.OpenAI(api_key="any", base_url=base_url, max_retries=0) as sdk,
    ):
        yield sdk


def laid_out(raw: Any) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = json.loads(raw.headers[LAYOUT_HEADER])
    return blocks


@pytest.mark.parametrize(("prompt", "texts"), GUIDE_PROMPTS)
def test_every_quoted_text_is_drawn_exactly_once(
    client: openai.OpenAI, prompt: str, texts: list[str]
) -> None:
    raw = client.images.with_raw_response.generate(
        model="gpt-image-2", prompt=prompt, size="1024x640", quality="low"
    )
    images = raw.parse().data
    assert images and images[0].b64_json  # an image came back
    blocks = laid_out(raw)
    assert [block["text"] for block in blocks] == texts
    for block in blocks:
        assert "".join(block["lines"]).replace(" ", "") == block["text"].replace(" ", "")
        assert block["text"][0] not in "'’"  # no apostrophe starts a text
    drawn = "\n".join(block["text"] for block in blocks)
    for text in texts:
        assert drawn.count(text) == 1


def test_roles_named_in_the_prompt_are_kept_when_streaming(client: openai.OpenAI) -> None:
    prompt = (
        "主标题“春节快乐”，副标题「阖家团圆」，日期『2027.01.28』，按钮\"立即购买\"，价格 '¥99'"
    )
    with client.images.with_streaming_response.generate(
        model="gpt-image-2", prompt=prompt, size="1024x640", quality="low", stream=True,
        partial_images=1,
    ) as raw:  # fmt: skip
        blocks = laid_out(raw)
        events = [line for line in raw.iter_lines() if line.startswith("event: ")]
    assert events == [
        "event: image_generation.partial_image",
        "event: image_generation.completed",
    ]
    assert [(b["role"], b["text"]) for b in blocks] == [
        ("headline", "春节快乐"),
        ("subhead", "阖家团圆"),
        ("date", "2027.01.28"),
        ("button", "立即购买"),
        ("price", "¥99"),
    ]
