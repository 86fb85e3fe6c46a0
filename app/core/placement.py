"""Where text blocks go on the canvas: role defaults, and places said in words.

A block with a ``box`` keeps it. Blocks without one get their role's default place: headline,
subhead, body and date flow down from the top in the order given; price, button, label and
caption stack up from the bottom. The prompt compiler says these places in words, and the
embedded engine's typesetter draws the same boxes, so a draft and its prompt agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from app.core.spec import Box, TextBlock


@dataclass(frozen=True, slots=True)
class RoleDefault:
    height: float
    width: float
    flow: str  # "top" flows downwards from the top edge, "bottom" stacks upwards from the bottom


ROLE_DEFAULTS: Final[dict[str, RoleDefault]] = {
    "headline": RoleDefault(height=0.18, width=0.84, flow="top"),
    "subhead": RoleDefault(height=0.08, width=0.76, flow="top"),
    "body": RoleDefault(height=0.16, width=0.76, flow="top"),
    "date": RoleDefault(height=0.06, width=0.5, flow="top"),
    "price": RoleDefault(height=0.12, width=0.4, flow="bottom"),
    "button": RoleDefault(height=0.08, width=0.32, flow="bottom"),
    "label": RoleDefault(height=0.07, width=0.36, flow="bottom"),
    "caption": RoleDefault(height=0.06, width=0.8, flow="bottom"),
}
_TOP_START: Final = 0.07
_BOTTOM_END: Final = 0.94
_GAP: Final = 0.025


def _centred(width: float, y: float, height: float) -> Box:
    return (round((1.0 - width) / 2, 4), round(y, 4), width, height)


def resolve_boxes(blocks: Sequence[TextBlock]) -> list[Box]:
    """The box of every block: its own, or its role's default place."""
    boxes: list[Box | None] = [block.box for block in blocks]
    y = _TOP_START
    for index, block in enumerate(blocks):
        default = ROLE_DEFAULTS.get(block.role, ROLE_DEFAULTS["body"])
        if block.box is None and default.flow == "top":
            boxes[index] = _centred(default.width, y, default.height)
            y += default.height + _GAP
    bottom = _BOTTOM_END
    for index in reversed(range(len(blocks))):
        default = ROLE_DEFAULTS.get(blocks[index].role, ROLE_DEFAULTS["body"])
        if blocks[index].box is None and default.flow == "bottom":
            bottom -= default.height
            boxes[index] = _centred(default.width, bottom, default.height)
            bottom -= _GAP
    return [box for box in boxes if box is not None]


def place_in_words(box: Box) -> str:
    """A short English phrase for where a box sits, e.g. "top third, centred"."""
    x, y, w, h = box
    centre_x, centre_y = x + w / 2, y + h / 2
    if centre_y < 1 / 3:
        vertical = "top third"
    elif centre_y <= 2 / 3:
        vertical = "middle"
    else:
        vertical = "bottom third"
    if w >= 0.7 or abs(centre_x - 0.5) < 0.1:
        horizontal = "centred"
    elif centre_x < 0.5:
        horizontal = "left side"
    else:
        horizontal = "right side"
    return f"{vertical}, {horizontal}"
