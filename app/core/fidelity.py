"""Scoring the text read back from an image against the texts it had to carry.

The OCR's lines are put in reading order and joined; each required block is then looked for in
that text by approximate matching (the block may start and end anywhere; inside it every wrong,
missing or extra character costs one). Both sides are compared in ``textnorm``'s form: whitespace
removed, punctuation variants made one, letters never touched. A look-alike substitution
(茶→荼, 日→曰) is an error like any other; ``looks_alike`` only says why it was easy to miss.

Everything here is plain data in, plain data out: the OCR worker, the command line and the window
share it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from app.core.spec import Box, TextBlock
from app.core.textnorm import normalise_chars

PixelBox = tuple[int, int, int, int]
"""x, y, w, h in pixels, origin top-left."""

DifferenceKind = Literal["wrong", "missing", "extra"]

# Characters that differ by a stroke or a proportion: the substitutions a reader misses.
LOOK_ALIKE_GROUPS: Final = (
    "茶荼",
    "日曰",
    "未末",
    "己已巳",
    "土士",
    "千干于",
    "人入八",
    "大太犬",
    "刀力",
    "王玉主",
    "田由甲申",
    "木本术",
    "天夭",
    "今令",
    "候侯",
    "戊戌戍",
    "折拆",
    "往住",
    "体休",
    "免兔",
    "乌鸟",
    "白自",
    "贝见",
    "酒洒",
    "壶壸",
    "粟栗",
    "拨拔",
    "幼幻",
    "卷券",
    "徙徒",
    "径经",
    "微徵",
    "厉历",
    "孑子",
)
_LOOK_ALIKE: Final = {char: group for group in LOOK_ALIKE_GROUPS for char in group}
# A block's box is a request, not a promise: text found this far outside it still counts.
_BOX_SLACK: Final = 0.1
_VERTICAL_RATIO: Final = 1.5


def looks_alike(first: str, second: str) -> bool:
    """True when the two characters are a known look-alike pair (茶 and 荼)."""
    group = _LOOK_ALIKE.get(first)
    return first != second and group is not None and second in group


@dataclass(frozen=True, slots=True)
class ReadLine:
    """One line of text the OCR found: its text, where it is, and how sure the engine was."""

    text: str
    box: PixelBox
    score: float
    char_boxes: tuple[
        PixelBox, ...
    ] = ()  # one per character of ``text``, when the engine gives them

    @property
    def vertical(self) -> bool:
        """A column of characters (taller than wide, more than one character)."""
        return len(self.text) > 1 and self.box[3] > _VERTICAL_RATIO * self.box[2]

    def char_box(self, index: int) -> PixelBox:
        if len(self.char_boxes) == len(self.text):
            return self.char_boxes[index]
        return self.box


@dataclass(frozen=True, slots=True)
class RequiredText:
    """A text the image must carry: the exact characters, and where they were asked for."""

    text: str
    role: str | None = None
    box: Box | None = None  # fractions of the canvas, as in the spec
    vertical: bool = False

    @classmethod
    def from_block(cls, block: TextBlock) -> RequiredText:
        return cls(text=block.text, role=block.role, box=block.box, vertical=block.vertical)


@dataclass(frozen=True, slots=True)
class CharDifference:
    """One character that is not as asked.

    ``position`` is the index in the block's text of the expected character (for an extra
    character: of the character it came before). ``box`` is where the found character is.
    """

    kind: DifferenceKind
    position: int
    expected: str
    found: str
    box: PixelBox | None
    look_alike: bool = False


@dataclass(frozen=True, slots=True)
class BlockCheck:
    """How one required block came out."""

    text: str
    role: str | None
    found: str
    exact: bool
    cer: float  # character error rate: edit distance / the block's length
    differences: tuple[CharDifference, ...] = ()
    box: PixelBox | None = None  # around the found text, in pixels

    @property
    def wrong_count(self) -> int:
        return len(self.differences)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> BlockCheck:
        return cls(
            text=str(data["text"]),
            role=data.get("role"),
            found=str(data["found"]),
            exact=bool(data["exact"]),
            cer=float(data["cer"]),
            differences=tuple(
                CharDifference(
                    kind=item["kind"],
                    position=int(item["position"]),
                    expected=str(item["expected"]),
                    found=str(item["found"]),
                    box=_pixel_box(item.get("box")),
                    look_alike=bool(item.get("look_alike", False)),
                )
                for item in data.get("differences", ())
            ),
            box=_pixel_box(data.get("box")),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "text": self.text,
            "found": self.found,
            "exact": self.exact,
            "cer": round(self.cer, 4),
            "box": None if self.box is None else list(self.box),
            "differences": [
                {
                    "kind": item.kind,
                    "position": item.position,
                    "expected": item.expected,
                    "found": item.found,
                    "box": None if item.box is None else list(item.box),
                    "look_alike": item.look_alike,
                }
                for item in self.differences
            ],
        }


@dataclass(frozen=True, slots=True)
class TextCheck:
    """Every required block of one image, checked."""

    blocks: tuple[BlockCheck, ...]
    read_text: str = ""  # all the text read, in reading order, one line per OCR line
    seconds: float = field(default=0.0, compare=False)

    @property
    def exact(self) -> bool:
        return all(block.exact for block in self.blocks)

    @property
    def wrong_count(self) -> int:
        return sum(block.wrong_count for block in self.blocks)

    def to_json(self) -> dict[str, Any]:
        return {
            "exact": self.exact,
            "blocks": [block.to_json() for block in self.blocks],
            "read": self.read_text,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TextCheck:
        """A check as ``to_json`` wrote it (the library keeps them so)."""
        blocks = tuple(BlockCheck.from_json(item) for item in data.get("blocks", ()))
        return cls(blocks, str(data.get("read", "")))


def _pixel_box(value: Any) -> PixelBox | None:
    if value is None:
        return None
    x, y, w, h = (int(item) for item in value)
    return (x, y, w, h)


@dataclass(frozen=True, slots=True)
class _ReadChar:
    char: str  # normalised
    raw: str  # as the OCR gave it
    box: PixelBox


def _overlap(a_start: float, a_end: float, b_start: float, b_end: float) -> float:
    return max(0.0, min(a_end, b_end) - max(a_start, b_start))


def reading_order(lines: Iterable[ReadLine]) -> list[ReadLine]:
    """Lines in reading order: rows top to bottom, each row left to right; a row made only of
    columns (vertical text) right to left."""
    rows: list[list[ReadLine]] = []
    for line in sorted(lines, key=lambda item: (item.box[1] + item.box[3] / 2, item.box[0])):
        _x, top, _w, height = line.box
        for row in rows:
            row_top = min(item.box[1] for item in row)
            row_bottom = max(item.box[1] + item.box[3] for item in row)
            row_height = min(item.box[3] for item in row)
            shared = _overlap(top, top + height, row_top, row_bottom)
            if shared >= 0.5 * min(height, row_height):
                row.append(line)
                break
        else:
            rows.append([line])
    ordered: list[ReadLine] = []
    for row in rows:
        right_to_left = all(item.vertical for item in row)
        ordered += sorted(row, key=lambda item: item.box[0], reverse=right_to_left)
    return ordered


def _columns_order(lines: Iterable[ReadLine]) -> list[ReadLine]:
    """Vertical text: columns right to left, each top to bottom."""
    columns: list[list[ReadLine]] = []
    for line in sorted(lines, key=lambda item: -(item.box[0] + item.box[2] / 2)):
        left, _y, width, _h = line.box
        for column in columns:
            column_left = min(item.box[0] for item in column)
            column_right = max(item.box[0] + item.box[2] for item in column)
            if _overlap(left, left + width, column_left, column_right) >= 0.5 * width:
                column.append(line)
                break
        else:
            columns.append([line])
    return [line for column in columns for line in sorted(column, key=lambda item: item.box[1])]


def _read_chars(lines: Iterable[ReadLine]) -> list[_ReadChar]:
    chars: list[_ReadChar] = []
    for line in lines:
        for item in normalise_chars(line.text):
            raw = line.text[item.start : item.end]
            chars.append(_ReadChar(item.char, raw, line.char_box(item.start)))
    return chars


@dataclass(frozen=True, slots=True)
class _Match:
    distance: int
    start: int  # in the read characters
    end: int
    differences: tuple[CharDifference, ...]


def _match(
    expected: str, positions: Sequence[int], text_length: int, read: Sequence[_ReadChar]
) -> _Match:
    """The best place for ``expected`` in ``read``: approximate substring matching (free start and
    end in ``read``), then the differences along that alignment.

    Costs are ``errors * weight - matches``: the fewest errors first and, among alignments with as
    many, the one that keeps the most characters right (绿茶 in 绿色茶 is one extra character, not
    a wrong one).
    """
    rows, cols = len(expected), len(read)
    weight = rows + 1
    table = [[0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(1, rows + 1):
        above, current = table[i - 1], table[i]
        current[0] = i * weight
        wanted = expected[i - 1]
        for j in range(1, cols + 1):
            diagonal = above[j - 1] + (weight if wanted != read[j - 1].char else -1)
            missing = above[j] + weight
            extra = current[j - 1] + weight
            current[j] = min(diagonal, missing, extra)
    last = table[rows]
    end = min(range(cols + 1), key=lambda j: (last[j], -j))
    differences: list[CharDifference] = []
    i, j = rows, end
    while i > 0:
        here = table[i][j]
        same = j > 0 and expected[i - 1] == read[j - 1].char
        if j > 0 and here == table[i - 1][j - 1] + (-1 if same else weight):
            if not same:
                found = read[j - 1]
                differences.append(
                    CharDifference(
                        "wrong",
                        positions[i - 1],
                        expected[i - 1],
                        found.raw,
                        found.box,
                        looks_alike(expected[i - 1], found.char),
                    )
                )
            i, j = i - 1, j - 1
        elif here == table[i - 1][j] + weight:
            differences.append(
                CharDifference("missing", positions[i - 1], expected[i - 1], "", None)
            )
            i -= 1
        else:
            found = read[j - 1]
            position = positions[i] if i < rows else text_length
            differences.append(CharDifference("extra", position, "", found.raw, found.box))
            j -= 1
    differences.reverse()
    return _Match(len(differences), j, end, tuple(differences))


def _union(boxes: Iterable[PixelBox]) -> PixelBox | None:
    items = list(boxes)
    if not items:
        return None
    left = min(box[0] for box in items)
    top = min(box[1] for box in items)
    right = max(box[0] + box[2] for box in items)
    bottom = max(box[1] + box[3] for box in items)
    return (left, top, right - left, bottom - top)


def _inside(line: ReadLine, box: Box, width: int, height: int) -> bool:
    x, y, w, h = box
    centre_x = (line.box[0] + line.box[2] / 2) / width
    centre_y = (line.box[1] + line.box[3] / 2) / height
    return (
        x - _BOX_SLACK <= centre_x <= x + w + _BOX_SLACK
        and y - _BOX_SLACK <= centre_y <= y + h + _BOX_SLACK
    )


def check_block(
    required: RequiredText,
    lines: Sequence[ReadLine],
    *,
    image_size: tuple[int, int] | None = None,
) -> BlockCheck:
    """How ``required`` came out among ``lines`` (the OCR's, any order).

    Where the block has a box and ``image_size`` is known, the lines inside the box (with some
    slack) are tried first, in the block's own reading order; the whole image is searched when
    that does not give the exact text.
    """
    normal = normalise_chars(required.text)
    expected = "".join(item.char for item in normal)
    positions = [item.start for item in normal]
    if not expected:
        return BlockCheck(required.text, required.role, "", True, 0.0)
    haystacks: list[list[ReadLine]] = []
    if required.box is not None and image_size is not None:
        width, height = image_size
        local = [line for line in lines if _inside(line, required.box, width, height)]
        if local:
            haystacks.append(_columns_order(local) if required.vertical else reading_order(local))
    haystacks.append(reading_order(lines))
    best: tuple[_Match, list[_ReadChar]] | None = None
    for haystack in haystacks:
        read = _read_chars(haystack)
        match = _match(expected, positions, len(required.text), read)
        if best is None or match.distance < best[0].distance:
            best = (match, read)
        if match.distance == 0:
            break
    assert best is not None
    match, read = best
    if match.distance >= len(expected):  # nothing of it was found
        missing = tuple(
            CharDifference("missing", position, char, "", None)
            for char, position in zip(expected, positions, strict=True)
        )
        return BlockCheck(required.text, required.role, "", False, 1.0, missing)
    span = read[match.start : match.end]
    return BlockCheck(
        text=required.text,
        role=required.role,
        found="".join(item.raw for item in span),
        exact=match.distance == 0,
        cer=match.distance / len(expected),
        differences=match.differences,
        box=_union(item.box for item in span),
    )


def check_texts(
    required: Sequence[RequiredText],
    lines: Sequence[ReadLine],
    *,
    image_size: tuple[int, int] | None = None,
    seconds: float = 0.0,
) -> TextCheck:
    """Every required block checked against the lines read from one image."""
    blocks = tuple(check_block(item, lines, image_size=image_size) for item in required)
    read_text = "\n".join(line.text for line in reading_order(lines))
    return TextCheck(blocks, read_text, seconds)
