"""Where a headline may break between words: Chinese word segmentation plus units kept whole.

Qt's UAX #14 breaks allow a break between any two ideographs, which splits words (上|午). A
segmenter finds the words: ``rjieba`` (jieba's dictionary and algorithm, compiled; the dictionary
ships inside the wheel, it loads in about 0.2 s and needs nothing at run time; see
``packaging/eval_segmenters.py``). On top of its words, spans that a reader takes as one are kept
whole whatever the dictionary says: numbers with their currency and unit (¥199, 100g, 24点,
9.9元, 3折起), dates and times (04-30, 12:00, 2026年5月20日), and a Latin word with the model
number after it (iPhone 17). A few shop words the general dictionary lacks are added, and
dictionary words that jieba hands back as single characters are joined again.
"""

from __future__ import annotations

import functools
import itertools
import re
from typing import Final, Protocol

# Shop words the general dictionary splits (双十|一, 会员|日满减).
SHOP_WORDS: Final = (
    "双十一", "双十二", "会员日", "满减", "秒杀", "包邮", "直播间", "买一送一", "到手价",
    "开抢", "预售", "尾款", "定金", "折扣", "爆款", "新品", "上新", "福袋", "零基础",
)  # fmt: skip

_CURRENCY = "¥￥$€£"
# Characters that, after a number, belong to it: measure words and units.
_UNITS = "点元角折年月日号天件个杯瓶盒袋包张分秒克斤岁期倍万亿周届楼层度℃%‰"
_NUMBER = r"\d+(?:[.,:/\-]\d+)*"
_KEEP_WHOLE: Final = re.compile(
    "|".join(
        (
            r"\d+年\d+月(?:\d+日)?|\d+月\d+日",  # dates in words
            rf"[{_CURRENCY}]?{_NUMBER}(?:[A-Za-z]+|[{_UNITS}]+起?)?",  # ¥199 100g 24点 3折起
            r"[A-Za-z][A-Za-z'’\-]*(?: \d+[A-Za-z]*)?",  # iPhone 17, Wi-Fi
        )
    )
)


class Segmenter(Protocol):
    def cut(self, text: str, hmm: bool = True) -> list[str]: ...

    def has_word(self, word: str) -> bool: ...


@functools.cache
def segmenter() -> Segmenter:
    """The segmenter, loaded once (about 0.2 s), with the shop words added."""
    import rjieba

    jieba = rjieba.Jieba()
    for word in SHOP_WORDS:
        jieba.add_word(word, None, None)
    return jieba


def _is_han(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def rejoined(words: list[str], cut: Segmenter) -> list[str]:
    """The words, with dictionary words that jieba gave back as single characters joined.

    Where a dictionary word's characters are each more frequent alone, jieba yields them one by
    one (上手 → 上 手); joined again, they stay on one line.
    """
    joined: list[str] = []
    index = 0
    while index < len(words):
        end = index + 1
        if len(words[index]) == 1 and _is_han(words[index]):
            run = index
            while run < len(words) and len(words[run]) == 1 and _is_han(words[run]):
                run += 1
            for candidate in range(run, index + 1, -1):
                if cut.has_word("".join(words[index:candidate])):
                    end = candidate
                    break
        joined.append("".join(words[index:end]))
        index = end
    return joined


def segment_starts(words: list[str]) -> set[int]:
    """The index where each word after the first starts."""
    starts: set[int] = set()
    position = 0
    for word in words:
        if position:
            starts.add(position)
        position += len(word)
    return starts


def word_starts(text: str, cut: Segmenter | None = None) -> frozenset[int]:
    """The indices in ``text`` where a line may start without splitting a word or a unit.

    Only word boundaries: whether a break is allowed there by the line-breaking rules (kinsoku)
    is for UAX #14 to say. ``0`` and ``len(text)`` are not included.
    """
    cut = cut or segmenter()
    starts = segment_starts(rejoined(cut.cut(text), cut))
    for match in _KEEP_WHOLE.finditer(text):
        start, end = match.span()
        starts.difference_update(range(start + 1, end))
        starts.update(position for position in (start, end) if 0 < position < len(text))
    return frozenset(starts)


def split_words(text: str, starts: frozenset[int]) -> list[str]:
    """``text`` cut at ``starts`` (for tests and for showing what the segmenter did)."""
    cuts = [0, *sorted(starts), len(text)]
    return [text[a:b] for a, b in itertools.pairwise(cuts) if b > a]
