"""What changed between two sets of text blocks, in words: the label of a version whose text was
set again (``app.jobs.retypeset``), e.g. "Headline: 春日限定 → 夏日冰饮" or "Moved the subhead".

``text_changes`` compares the blocks of the version before and after; ``describe`` words the
changes, in English by default (what the library keeps and finds), or through another phrasing
(the window words them in the designer's language from the same changes).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from difflib import SequenceMatcher
from typing import Final, Literal

from app.core.spec import TextBlock

ChangeKind = Literal["text", "added", "removed", "moved", "resized", "look", "role", "order"]
MAX_TEXT: Final = 24  # characters of a text quoted in a change; longer ones end in "…"
MAX_SAID: Final = 3  # changes worded one by one; the rest are counted
_LOOK: Final = tuple(f.name for f in fields(TextBlock) if f.name not in ("role", "text", "box"))


@dataclass(frozen=True, slots=True)
class TextChange:
    kind: ChangeKind
    role: str = ""  # the block's role (its new one, for a changed role)
    number: int = 0  # which block of that role, from 1, when several have it; else 0
    old: str = ""  # the text before (a changed text, a removed block), or the old role
    new: str = ""  # the text after (a changed text, an added block)


def short(text: str) -> str:
    """A text as a change quotes it: on one line, cut after ``MAX_TEXT`` characters."""
    line = " ".join(text.split())
    return line if len(line) <= MAX_TEXT else line[: MAX_TEXT - 1] + "…"


def _numbers(blocks: Sequence[TextBlock]) -> list[int]:
    """Each block's number among the blocks of its role (0 when it is the only one)."""
    counts: dict[str, int] = {}
    seen: dict[str, int] = {}
    for block in blocks:
        counts[block.role] = counts.get(block.role, 0) + 1
    numbers = []
    for block in blocks:
        seen[block.role] = seen.get(block.role, 0) + 1
        numbers.append(seen[block.role] if counts[block.role] > 1 else 0)
    return numbers


def _pair(old: TextBlock, new: TextBlock, number: int) -> list[TextChange]:
    found = []
    if old.role != new.role:
        found.append(TextChange("role", new.role, number, old=old.role))
    if old.text != new.text:
        found.append(TextChange("text", new.role, number, short(old.text), short(new.text)))
    if old.box != new.box:
        same_place = old.box is not None and new.box is not None and old.box[:2] == new.box[:2]
        found.append(TextChange("resized" if same_place else "moved", new.role, number))
    if any(getattr(old, name) != getattr(new, name) for name in _LOOK):
        found.append(TextChange("look", new.role, number))
    return found


def text_changes(old: Sequence[TextBlock], new: Sequence[TextBlock]) -> tuple[TextChange, ...]:
    """The changes that make ``old`` into ``new``, in the order of the new blocks."""
    old, new = tuple(old), tuple(new)
    if old == new:
        return ()
    if len(old) == len(new) and sorted(map(repr, old)) == sorted(map(repr, new)):
        return (TextChange("order"),)
    old_numbers, new_numbers = _numbers(old), _numbers(new)
    found: list[TextChange] = []
    keys = SequenceMatcher(None, [b.role for b in old], [b.role for b in new], autojunk=False)
    for tag, i1, i2, j1, j2 in keys.get_opcodes():
        paired = min(i2 - i1, j2 - j1) if tag in ("equal", "replace") else 0
        for k in range(paired):
            found += _pair(old[i1 + k], new[j1 + k], new_numbers[j1 + k])
        for i in range(i1 + paired, i2):
            found.append(TextChange("removed", old[i].role, old_numbers[i], old=short(old[i].text)))
        for j in range(j1 + paired, j2):
            found.append(TextChange("added", new[j].role, new_numbers[j], new=short(new[j].text)))
    return tuple(found)


def _english_role(change: TextChange) -> str:
    return change.role if not change.number else f"{change.role} {change.number}"


def english_phrase(change: TextChange) -> str:
    role = _english_role(change)
    if change.kind == "text":
        return f"{role[:1].upper()}{role[1:]}: {change.old} → {change.new}"
    if change.kind == "added":
        return f"Added a {role}: {change.new}"
    if change.kind == "removed":
        return f"Removed the {role}: {change.old}"
    if change.kind == "moved":
        return f"Moved the {role}"
    if change.kind == "resized":
        return f"Resized the {role}'s box"
    if change.kind == "look":
        return f"Typography of the {role}"
    if change.kind == "role":
        return f"The {change.old} is now a {role}"
    return "Order of the texts"


def english_more(count: int) -> str:
    return f"{count} more change" + ("" if count == 1 else "s")


def describe(
    changes: Sequence[TextChange],
    phrase: Callable[[TextChange], str] = english_phrase,
    more: Callable[[int], str] = english_more,
    separator: str = "; ",
) -> str:
    """The changes in words: the first ``MAX_SAID`` one by one, then how many more."""
    said = [phrase(change) for change in changes[:MAX_SAID]]
    if len(changes) > MAX_SAID:
        said.append(more(len(changes) - MAX_SAID))
    return separator.join(said)
