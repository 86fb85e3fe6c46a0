"""A typed edit instruction that replaces a text, read the way designers write one.

``change "AI Engineering" to "AI Engineer 训练营"``, ``replace 春日限定 with 夏日冰饮``,
``把“春日限定”改成“夏日冰饮”``, ``将标题改为“夏日冰饮”``, ``make the headline say '夏日冰饮'``,
``headline: 夏日冰饮``: each names the text it replaces (quoted in any style — “”‘’「」『』"' —
or, unquoted, found verbatim among the image's texts) or the role of the block (headline, 副标题,
price...), and the new text. ``read_replacement`` reads that; ``replacement_in`` finds the block
it changes. An instruction that is not a text replacement ("make the background sunset") reads as
None. Pure: strings in, strings out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from app.core.edit_turns import replaced_blocks
from app.core.free_prompt import quoted_spans
from app.core.spec import TextBlock


@dataclass(frozen=True, slots=True)
class Replacement:
    """The text an instruction replaces (``old``) or the role of the block it names (``role``),
    and the text that takes its place (``new``)."""

    new: str
    old: str | None = None
    role: str | None = None


# Words for each role, as designers name the blocks; longest first when matched.
_ROLE_WORDS: Final = {
    "headline": ("headline", "heading", "title", "主标题", "大标题", "标题"),
    "subhead": (
        "subheadline", "subheading", "subhead", "subtitle", "sub-headline", "tagline",
        "slogan", "副标题", "小标题", "标语",
    ),
    "body": ("body text", "body copy", "body", "正文"),
    "caption": ("caption", "说明文字", "说明", "图注"),
    "button": ("button", "cta", "按钮"),
    "label": ("label", "标签"),
    "price": ("price", "价格", "售价", "价钱"),
    "date": ("date", "日期", "时间"),
}  # fmt: skip
_ROLE_OF: Final = {word: role for role, words in _ROLE_WORDS.items() for word in words}
_ROLE: Final = (
    "(?P<role>"
    + "|".join(re.escape(word) for word in sorted(_ROLE_OF, key=len, reverse=True))
    + r")(?![A-Za-z])"
)

_OPEN: Final = "\x01"
_CLOSE: Final = "\x02"
_Q: Final = _OPEN + r"\d+" + _CLOSE  # a quoted text, in the instruction's skeleton
_NEW: Final = rf"(?P<new>{_Q}|[^{_OPEN}{_CLOSE}\n]+)"
_OLD_ZH: Final = rf"(?P<old>{_Q}|[^{_OPEN}{_CLOSE}\n，。；！？、,;!?]+?)"

_EN_VERBS: Final = (
    r"(?:change|replace|swap|switch|rename|update|edit|turn|fix|correct|alter|modify|set)"
)
_EN_TEXT: Final = r"(?:(?:text|words?|wording|copy|line)\s+)?"
_EN_TO: Final = r"(?:to|with|into|for|by|->|→)"
_EN_SAY: Final = r"(?:(?:read|say|show|exactly)\b\s*:?\s*)?(?:exactly\s*:?\s*)?"
_ZH_VERBS: Final = (
    r"(?:替换成|替换为|更改为|更改成|修改为|修改成|改写为|改写成|更换为|更换成|改成|改为|"
    r"换成|换为|变成|变为|写成|写为|改作)"
)
_ZH_NOUN: Final = r"(?:的)?(?:文字|文案|字样|内容|文本)?"
_ZH_THESE: Final = r"(?:这几个字|几个字|这些字|这行字|这句话|这句|字样)?"
_ZH_LEAD: Final = r"(?:请|麻烦)?(?:把|将)?"

# Each pattern runs on the skeleton (each quoted text a placeholder); the first whose texts make
# sense wins. Unquoted old texts must be among the image's texts.
_PATTERNS: Final = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        # change/replace [the headline] [text] "A" to/with "B"
        rf"\b{_EN_VERBS}\s+(?:the\s+)?(?:{_ROLE}\s+)?{_EN_TEXT}(?:from\s+)?(?P<old>{_Q})\s*"
        rf"{_EN_TO}\s+{_EN_SAY}{_NEW}",
        # "B" instead of "A"
        rf"(?P<new>{_Q})\s+instead\s+of\s+(?:the\s+)?{_EN_TEXT}(?P<old>{_Q})",
        # 把“A”改成“B”, 把标题“A”改成B, “A”换成“B”
        rf"{_ZH_LEAD}\s*(?:{_ROLE}{_ZH_NOUN}(?:里的|中的|上的)?)?\s*(?P<old>{_Q})\s*{_ZH_THESE}\s*"
        rf"{_ZH_VERBS}\s*{_NEW}",
        # 用“B”替换“A”
        rf"用\s*(?P<new>{_Q}|[^{_OPEN}{_CLOSE}\n，。；！？、,;!?]+?)\s*"
        rf"(?:替换掉|替换|代替|取代|替代|换掉)\s*{_OLD_ZH}(?=$|[，。；！？、,;!?\s]|{_ZH_THESE})",
        # "A" → "B"
        rf"(?P<old>{_Q}|[^{_OPEN}{_CLOSE}\n，。；！？、,;!?]+?)\s*(?:->|→|=>|⇒|⟶)\s*{_NEW}",
        # replace 春日限定 with 夏日冰饮 (the old text unquoted)
        rf"\b{_EN_VERBS}\s+(?:the\s+)?{_EN_TEXT}(?:from\s+)?"
        rf"(?P<old>[^{_OPEN}{_CLOSE}\n]+?)\s+{_EN_TO}\s+{_EN_SAY}{_NEW}",
        # 把春日限定改成夏日冰饮 (the old text unquoted)
        rf"{_OLD_ZH}\s*{_ZH_THESE}\s*{_ZH_VERBS}\s*{_NEW}",
        # change the headline to "B", make the headline say "B"
        rf"\b(?:{_EN_VERBS}|make)\s+(?:the\s+)?{_ROLE}(?:\s+(?:text|copy|line))?\s+"
        rf"(?:to|into|with|so\s+(?:that\s+)?it\s+(?:says|reads))\s*{_EN_SAY}{_NEW}",
        rf"\bmake\s+(?:the\s+)?{_ROLE}(?:\s+(?:text|copy|line))?\s+(?:say|read|show)\b\s*:?\s*"
        rf"(?:exactly\s*:?\s*)?{_NEW}",
        # the headline should say "B"
        rf"(?:^|\bthe\s+){_ROLE}(?:\s+(?:text|copy|line))?\s+(?:should\s+|must\s+|now\s+|will\s+)?"
        rf"(?:say|read|says|reads|be)\b\s*:?\s*(?:exactly\s*:?\s*)?{_NEW}",
        # 将标题改为“B”, 修改标题为B
        rf"{_ZH_LEAD}\s*{_ROLE}{_ZH_NOUN}\s*{_ZH_VERBS}\s*{_NEW}",
        rf"(?:修改|更改|替换|更换|改)\s*{_ROLE}{_ZH_NOUN}\s*(?:为|成)\s*{_NEW}",
        # headline: B, 标题：B
        rf"^\s*(?:the\s+)?(?:new\s+)?{_ROLE}(?:\s*(?:text|文字|文案))?\s*[:：=]\s*{_NEW}",
    )
)

_CUT: Final = re.compile(r"[，。；！？\n,;!?]|\.(?=\s|$)|\s+(?:and|then|but|please)\b", re.I)
# Unquoted words that say how the text looks, not what it says: 改成红色, 改为粗体.
_STYLE: Final = re.compile(
    r"(?:色|颜色|字体|字号|粗体|斜体|加粗|居中|对齐|一点|一些|大些|小些|更大|更小|竖排|横排|"
    r"大一号|小一号|透明|体|效果|风格|样式|描边|阴影|渐变|发光|质感|艺术字|英文|中文|繁体|简体|大写|小写|[一二两三四五六七八九十\d]行)$"
)
_STYLE_WORDS: Final = frozenset(
    {
        "bigger", "smaller", "larger", "bold", "bolder", "italic", "red", "blue", "green",
        "white", "black", "yellow", "gold", "centered", "centred", "left", "right", "vertical",
        "chinese", "english", "japanese", "uppercase", "lowercase", "caps", "all caps", "serif",
        "sans-serif", "sans serif", "bold italic", "italics", "two lines", "one line",
    }
)  # fmt: skip


def _skeleton(instruction: str) -> tuple[str, list[str]]:
    """The instruction with each quoted text replaced by a numbered placeholder, and the texts."""
    parts: list[str] = []
    texts: list[str] = []
    position = 0
    for start, text_start, text_end, end in quoted_spans(instruction):
        parts.append(instruction[position:start])
        parts.append(f"{_OPEN}{len(texts)}{_CLOSE}")
        texts.append(instruction[text_start:text_end])
        position = end
    parts.append(instruction[position:])
    return "".join(parts), texts


def _quoted(slot: str, texts: Sequence[str]) -> str | None:
    if slot.startswith(_OPEN) and slot.endswith(_CLOSE):
        return texts[int(slot[1:-1])]
    return None


def _unquoted_new(slot: str) -> str | None:
    if (cut := _CUT.search(slot)) is not None:
        slot = slot[: cut.start()]
    slot = slot.strip().rstrip(".。")
    slot = re.sub(r"(?:即可|就行|就好|吧)$", "", slot).strip()
    if not slot or _STYLE.search(slot) or slot.lower() in _STYLE_WORDS:
        return None
    return slot


def _looks_like_copy(text: str) -> bool:
    """An unquoted new text: copy (Chinese, figures, capitals), not English words about the
    look ("change the title to something bolder", "turn “SALE” into a neon sign")."""
    if any(not char.isascii() for char in text) or any(char.isdigit() for char in text):
        return True
    words = [word for word in re.split(r"\s+", text) if word]
    return all(word[0].isupper() for word in words if word[0].isalpha())


def _is_latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _unquoted_old(slot: str, known: Sequence[str]) -> str | None:
    """The longest end of ``slot`` found verbatim among the image's texts (at least two
    characters): what an unquoted old text is, after any words that lead into it."""
    slot = slot.strip()
    for start in range(len(slot) - 1):
        if start and _is_latin(slot[start - 1]) and _is_latin(slot[start]):
            continue  # never from the middle of a word
        candidate = slot[start:].strip()
        if len(candidate) >= 2 and any(candidate in text for text in known):
            return candidate
    return None


def _read(match: re.Match[str], texts: Sequence[str], known: Sequence[str]) -> Replacement | None:
    groups = match.groupdict()
    new_slot = groups["new"]
    new = _quoted(new_slot, texts)
    old_slot = groups.get("old")
    old = None if old_slot is None else _quoted(old_slot, texts)
    if old_slot is not None and old is None:
        old = _unquoted_old(old_slot, known)
        if old is None:
            return None
    word = groups.get("role")
    role = None if word is None else _ROLE_OF[word.lower()]
    if new is None:
        new = _unquoted_new(new_slot)
        if new is None or not _looks_like_copy(new):
            return None
    if not new.strip() or new == old:
        return None
    return Replacement(new=new, old=old, role=role)


def read_replacement(instruction: str, known: Sequence[str] = ()) -> Replacement | None:
    """The text replacement an edit instruction asks for, or None when it asks for something
    else. ``known``: the image's texts (an unquoted old text must be one of them, or part of
    one). Quoted texts come back exactly as written."""
    skeleton, texts = _skeleton(instruction)
    for pattern in _PATTERNS:
        for match in pattern.finditer(skeleton):
            found = _read(match, texts, known)
            if found is not None:
                return found
    return None


def replacement_in(
    blocks: Sequence[TextBlock], replacement: Replacement
) -> tuple[int, str, str] | None:
    """Which block the replacement changes: (its index, its text before, its text after), or
    None when no block is named. A block whose whole text is the old text first, then one that
    contains it (only that part changes), then one that already holds the new text (a spec sent
    as it will be); by role, the first block of that role."""
    old, new, role = replacement.old, replacement.new, replacement.role
    if old is not None:
        fitting = [i for i, block in enumerate(blocks) if role is None or block.role == role]
        order = fitting + [i for i in range(len(blocks)) if i not in fitting]
        for index in order:
            if blocks[index].text == old:
                return index, old, new
        for index in order:
            if old in blocks[index].text:
                text = blocks[index].text
                return index, text, text.replace(old, new, 1)
        for index in order:
            if blocks[index].text == new:
                return index, old, new
        return None
    for index, block in enumerate(blocks):
        if block.role == role:
            return (index, block.text, new) if block.text != new else None
    return None


def replaced_block(instruction: str, blocks: Sequence[TextBlock]) -> tuple[int, str] | None:
    """The block a typed instruction gives a new text, and that text (the whole block's, where
    the instruction changes a part of it); None when it changes no block's text."""
    replacement = read_replacement(instruction, [block.text for block in blocks])
    target = None if replacement is None else replacement_in(blocks, replacement)
    if target is None or blocks[target[0]].text == target[2]:
        return None
    return target[0], target[2]


def typed_edit(typed: str, blocks: Sequence[TextBlock]) -> tuple[str, tuple[TextBlock, ...]]:
    """The instruction to send for a typed edit and the texts it keeps exact. One that replaces
    a text of the image ("把“A”改成“B”", "headline: B") requires the new text instead of the old
    and says which text it takes the place of, as a Replace text turn does (``replaced_blocks``);
    any other instruction goes as typed, with the texts as they were."""
    found = replaced_block(typed, blocks)
    if found is None:
        return typed, tuple(blocks)
    sentence, new_blocks = replaced_blocks(blocks, *found)
    typed = typed.strip()
    lead = typed if typed[-1] in ".!?。！？" else f"{typed}."
    return f"{lead} {sentence}", new_blocks
