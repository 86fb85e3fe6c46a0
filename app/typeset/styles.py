"""How each text role is set: weight, line height, alignment, wrapping and ink, as data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

Ink = Literal["text", "muted", "accent"]


@dataclass(frozen=True, slots=True)
class RoleStyle:
    weight: int
    line_height: float  # line pitch as a multiple of the font's pixel size
    align: str = "center"  # in a centred box; a box off to one side aligns to that side...
    right_side_align: str = "right"  # ...except running text, which keeps its left edge
    ink: Ink = "text"
    balance: bool = False  # lines of near-equal length rather than full lines and a short last one
    whole_words: bool = False  # break only between words while any such setting fits
    hang: bool = False  # full-width punctuation at a line end hangs by half an em
    pill: bool = False  # text on a filled rounded pill
    # Very heavy strokes fill in at small sizes: below small_px the small_weight is used instead.
    small_weight: int | None = None
    small_px: int = 0


ROLE_STYLES: Final[dict[str, RoleStyle]] = {
    "headline": RoleStyle(
        weight=900,
        line_height=1.18,
        balance=True,
        whole_words=True,
        hang=True,
        small_weight=800,
        small_px=40,
    ),
    "subhead": RoleStyle(weight=500, line_height=1.3, balance=True, whole_words=True, hang=True),
    "body": RoleStyle(weight=400, line_height=1.5, right_side_align="left"),
    "caption": RoleStyle(weight=400, line_height=1.4, ink="muted", right_side_align="left"),
    "button": RoleStyle(weight=700, line_height=1.2, balance=True, whole_words=True, pill=True),
    "label": RoleStyle(weight=700, line_height=1.25, balance=True, whole_words=True),
    "price": RoleStyle(weight=800, line_height=1.15, ink="accent", balance=True, whole_words=True),
    "date": RoleStyle(weight=500, line_height=1.3, ink="muted", balance=True, whole_words=True),
}

ALIGNMENTS: Final = ("left", "center", "right")

# A button's text sits inside its pill: insets as fractions of the box height (x capped by width).
PILL_INSET_Y: Final = 0.2
PILL_INSET_X: Final = 0.5
PILL_INSET_X_MAX_OF_WIDTH: Final = 0.2


def style_for(role: str) -> RoleStyle:
    """The role's style; an unknown role is set like body text."""
    return ROLE_STYLES.get(role, ROLE_STYLES["body"])
