from __future__ import annotations

import io

from PIL import Image, ImageDraw

from app.core.keying import KEY_SENTENCE, remove_key_colour, with_key_colour


def test_prompt_asks_for_the_key_colour() -> None:
    assert with_key_colour("A lantern").endswith(KEY_SENTENCE)


def test_backdrop_becomes_transparent_and_subject_stays() -> None:
    image = Image.new("RGB", (200, 100), "#FF00FF")
    draw = ImageDraw.Draw(image)
    draw.rectangle((50, 25, 150, 75), fill="#2E8B57")  # a green subject must survive
    draw.rectangle((60, 30, 80, 50), fill="#F0F0F0")  # so must white and red
    draw.rectangle((90, 30, 110, 50), fill="#D02020")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    with Image.open(io.BytesIO(remove_key_colour(buffer.getvalue()))) as result:
        assert result.mode == "RGBA"
        assert result.getchannel("A").getpixel((5, 5)) == 0
        assert result.getpixel((100, 70)) == (0x2E, 0x8B, 0x57, 255)
        assert result.getpixel((70, 40)) == (0xF0, 0xF0, 0xF0, 255)
        assert result.getpixel((100, 40)) == (0xD0, 0x20, 0x20, 255)


def test_near_key_jpeg_noise_is_removed() -> None:
    image = Image.new("RGB", (64, 64), "#F508F8")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    with Image.open(io.BytesIO(remove_key_colour(buffer.getvalue()))) as result:
        alpha = result.getchannel("A")
    assert alpha.getextrema() == (0, 0)
