"""Reading the required texts out of a prompt written by hand, the way people write them.

People quote the texts they want in the image with “”, ‘’, 「」, 『』, "" or '' — an apostrophe
inside an English word (don't, Women's) is not a quote — or write them after a cue and a colon
(``标题：春节快乐``, ``exactly: SALE``). Each text is found once, in the order written; its role
comes from the words just before it (headline, 副标题, date, 按钮, price...) where they say one,
else from its position (headline, subhead, body, caption). Pure: strings in, strings out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

QUOTE_PAIRS: Final = {
    "\u201c": "\u201d",  # “ ”
    "\u2018": "\u2019",  # ‘ ’
    "\u300c": "\u300d",  # 「 」
    "\u300e": "\u300f",  # 『 』
    '"': '"',
    "'": "'",
}
_APOSTROPHES: Final = frozenset({"'", "\u2019"})

# Words that introduce a text when followed by a colon and no quote: 标题：春节快乐.
_CUES: Final = (
    "exactly", "text", "reads", "says", "saying", "words", "title", "headline", "subtitle",
    "写着", "写", "标题", "主标题", "副标题", "文字", "文案", "字样", "内容", "日期", "按钮",
    "价格",
)  # fmt: skip
_CUED_TEXT = re.compile(
    r"(?<![A-Za-z])(?:" + "|".join(sorted(map(re.escape, _CUES), key=len, reverse=True)) + r")"
    r"\s*[:：]\s*(?P<text>[^\s\"'“”‘’「」『』][^\n，。；;,]*)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")

# Role words, most specific first: the one nearest the text wins.
_ROLE_WORDS: Final = (
    (
        "subhead",
        ("subheadline", "subheading", "subhead", "subtitle", "tagline", "副标题", "小标题"),
    ),
    ("headline", ("headline", "heading", "title", "主标题", "大标题", "标题")),
    ("date", ("date", "日期", "时间")),
    ("button", ("button", "按钮", "cta")),
    ("price", ("price", "价格", "售价", "价钱")),
)
_PRICE_TEXT = re.compile(r"^\s*[¥￥$€£]\s*\d|\d\s*元\s*$")
_POSITION_ROLES: Final = ("headline", "subhead", "body", "caption")
_ROLE_WINDOW: Final = 16  # characters before a text that may name its role


@dataclass(frozen=True, slots=True)
class FoundText:
    role: str
    text: str
    start: int  # where the text (or its opening quote) starts in the prompt
    end: int  # just after the text (or its closing quote)


def _is_word_char(char: str) -> bool:
    """A letter or digit of a word-spaced script: an apostrophe between two is not a quote."""
    return char.isalnum() and ord(char) < 0x2E80


def _char(prompt: str, index: int) -> str:
    return prompt[index] if 0 <= index < len(prompt) else " "


def _inside_word(prompt: str, index: int) -> bool:
    return _is_word_char(_char(prompt, index - 1)) and _is_word_char(_char(prompt, index + 1))


def _closing(prompt: str, opening: int) -> int:
    """Where the quote opened at ``opening`` closes, or -1."""
    mark = QUOTE_PAIRS[prompt[opening]]
    position = opening + 1
    while (position := prompt.find(mark, position)) >= 0:
        if mark not in _APOSTROPHES or not _inside_word(prompt, position):
            return position
        position += 1
    return -1


def _opens(prompt: str, index: int) -> bool:
    char = prompt[index]
    if char not in QUOTE_PAIRS:
        return False
    # An apostrophe after a letter (don't, Women's, students') never opens a text.
    return char != "'" or not _is_word_char(_char(prompt, index - 1))


def _quoted(prompt: str) -> Iterator[tuple[int, int, int, int]]:
    """(start, text start, text end, end) of each quoted text, in order."""
    index = 0
    while index < len(prompt):
        if _opens(prompt, index):
            closing = _closing(prompt, index)
            if closing > index + 1 and prompt[index + 1 : closing].strip():
                yield index, index + 1, closing, closing + 1
                index = closing + 1
                continue
        index += 1


def quoted_spans(prompt: str) -> list[tuple[int, int, int, int]]:
    """(start, text start, text end, end) of each quoted text, in order, read as people quote
    (every quote style; an apostrophe inside a word is no quote)."""
    return list(_quoted(prompt))


def _cued(prompt: str, start: int, end: int) -> Iterator[tuple[int, int, int, int]]:
    """Unquoted texts after a cue and a colon, between ``start`` and ``end``."""
    for match in _CUED_TEXT.finditer(prompt, start, end):
        text_start, text_end = match.span("text")
        if (sentence := _SENTENCE_END.search(prompt, text_start, text_end)) is not None:
            text_end = sentence.start()
        while text_end > text_start and prompt[text_end - 1].isspace():
            text_end -= 1
        if text_end > text_start:
            yield text_start, text_start, text_end, text_end


def _spans(prompt: str) -> list[tuple[int, int, int, int]]:
    quoted = list(_quoted(prompt))
    spans: list[tuple[int, int, int, int]] = []
    previous_end = 0
    for span in [*quoted, (len(prompt), 0, 0, len(prompt))]:
        spans.extend(_cued(prompt, previous_end, span[0]))
        spans.append(span)
        previous_end = span[3]
    return spans[:-1]


def _role_before(lead_in: str, text: str) -> str | None:
    lowered = lead_in[-_ROLE_WINDOW:].lower()
    best: tuple[int, str] | None = None
    for role, words in _ROLE_WORDS:
        for word in words:
            at = lowered.rfind(word)
            if at >= 0:
                if word.isascii() and _is_word_char(_char(lowered, at - 1)):
                    continue  # "update" is not "date"
                candidate = (at + len(word), role)
                if best is None or candidate[0] > best[0]:
                    best = candidate
    if best is not None:
        return best[1]
    return "price" if _PRICE_TEXT.search(text) else None


def read_free_prompt(prompt: str) -> tuple[str, tuple[FoundText, ...]]:
    """The description (the prompt without its texts) and the texts, each once, in order."""
    found: list[FoundText] = []
    seen: set[str] = set()
    previous_end = 0
    for start, text_start, text_end, end in _spans(prompt):
        text = prompt[text_start:text_end]
        role = _role_before(prompt[previous_end:start], text)
        previous_end = end
        if text in seen:
            continue
        seen.add(text)
        found.append(FoundText(role or "", text, start, end))
    used = {item.role for item in found}
    unnamed = iter(role for role in _POSITION_ROLES if role not in used)
    texts = tuple(
        item if item.role else FoundText(next(unnamed, "body"), item.text, item.start, item.end)
        for item in found
    )
    description = _description(prompt, texts)
    return description, texts


def _description(prompt: str, texts: tuple[FoundText, ...]) -> str:
    parts, position = [], 0
    for item in texts:
        parts.append(prompt[position : item.start])
        position = item.end
    parts.append(prompt[position:])
    return re.sub(r"[ \t]{2,}", " ", " ".join(parts)).strip()
