"""Where a large image is read: padded block regions, tiles whose cores cover it once, joins."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.core.fidelity import ReadLine
from app.ocr.regions import (
    MAX_SIDE,
    TILE_OVERLAP,
    block_regions,
    column_groups,
    core_pieces,
    join_pieces,
    tiles,
)


@given(st.integers(1, 8000), st.integers(1, 8000))
def test_tiles_fit_the_engine_and_their_cores_cover_the_region_exactly_once(
    width: int, height: int
) -> None:
    found = tiles((10, 20, width, height))
    area = 0
    for tile in found:
        x, y, w, h = tile.box
        assert w <= MAX_SIDE and h <= MAX_SIDE
        assert x >= 10 and x + w <= 10 + width and y >= 20 and y + h <= 20 + height
        cx, cy, cw, ch = tile.core
        assert x <= cx and cx + cw <= x + w and y <= cy and cy + ch <= y + h
        # A character up to the overlap wide, centred in the core, lies wholly in the tile.
        margin = TILE_OVERLAP // 2
        assert cx == 10 or cx - x >= margin
        assert cx + cw == 10 + width or (x + w) - (cx + cw) >= margin
        area += cw * ch
    assert area == width * height  # cores tile the region without overlap (they are a grid)


def test_a_4k_canvas_is_six_tiles() -> None:
    assert len(tiles((0, 0, 3840, 2160))) == 6


def test_block_regions_are_padded_clipped_and_merged_when_they_touch() -> None:
    boxes = [(0.0, 0.0, 0.1, 0.05), (0.1, 0.02, 0.1, 0.05), (0.7, 0.8, 0.2, 0.1)]
    regions = block_regions(boxes, 3840, 2160)
    assert len(regions) == 2
    first, second = regions
    assert first[0] == 0 and first[1] == 0  # clipped at the canvas edge
    assert first[0] + first[2] > 0.2 * 3840  # padded past the second box, merged with it
    x, y, w, h = second
    assert x < 0.7 * 3840 and x + w > 0.9 * 3840 and y + h <= 2160


def _line(text: str, x: int, y: int, size: int = 30) -> ReadLine:
    boxes = tuple((x + size * i, y, size, size) for i in range(len(text)))
    return ReadLine(text, (x, y, size * len(text), size), 0.9, boxes)


def test_a_line_cut_by_a_tile_edge_is_joined_from_the_two_cores() -> None:
    # Tile A reads 春风又绿 (its core ends at x=100), tile B 又绿江南岸 (its core starts there).
    left = core_pieces([_line("春风又绿", 10, 50)], (0, 0, 100, 200))
    right = core_pieces([_line("又绿江南岸", 70, 50)], (100, 0, 200, 200))
    assert [line.text for line in left] == ["春风又"]
    assert [line.text for line in right] == ["绿江南岸"]
    [joined] = join_pieces(left + right)
    assert joined.text == "春风又绿江南岸"
    assert joined.box == (10, 50, 210, 30)


def test_lines_on_other_rows_are_not_joined() -> None:
    joined = join_pieces([_line("春风", 0, 0), _line("明月", 0, 100)])
    assert sorted(line.text for line in joined) == ["明月", "春风"]


def test_single_glyphs_stacked_make_a_column_and_a_row_does_not() -> None:
    glyphs = [_line(char, 300, 40 * i) for i, char in enumerate("春眠不觉晓")]
    row = _line("有机绿茶", 0, 400)
    columns, others = column_groups([*glyphs, row])
    assert [[line.text for line in column] for column in columns] == [list("春眠不觉晓")]
    assert others == [row]
