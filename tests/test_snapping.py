"""Snapping boxes to the canvas's lines and to other boxes (fractions of the canvas)."""

from __future__ import annotations

import pytest

from app.core.snapping import MIN_SIZE, SAFE_MARGIN, Guide, snap_move, snap_resize

NEAR = (0.02, 0.02)


def test_a_move_snaps_the_nearest_of_edges_and_centre_to_the_nearest_line() -> None:
    snapped = snap_move((0.207, 0.6, 0.6, 0.1), (), NEAR)  # centre 0.507: the centre line
    assert snapped.box[0] == pytest.approx(0.2)
    assert Guide("x", 0.5) in snapped.guides
    snapped = snap_move((0.04, 0.4, 0.2, 0.1), (), NEAR)  # left 0.04: the safe margin
    assert snapped.box[0] == pytest.approx(SAFE_MARGIN)
    snapped = snap_move((0.3, 0.32, 0.2, 0.1), (), NEAR)  # top 0.32: the upper third
    assert snapped.box[1] == pytest.approx(1 / 3)


def test_a_move_snaps_to_other_boxes_and_not_beyond_the_threshold() -> None:
    other = (0.42, 0.8, 0.3, 0.1)  # its left edge at 0.42
    snapped = snap_move((0.41, 0.6, 0.1, 0.05), [other], NEAR)
    assert snapped.box[0] == pytest.approx(0.42)
    assert snap_move((0.2, 0.2, 0.1, 0.1), [other], (0.001, 0.001)).guides == ()
    assert snap_move((0.2, 0.2, 0.1, 0.1), [other], (0.0, 0.0)).box == (0.2, 0.2, 0.1, 0.1)


def test_a_move_stays_inside_the_canvas() -> None:
    assert snap_move((0.9, -0.2, 0.3, 0.2), (), (0.0, 0.0)).box == pytest.approx(
        (0.7, 0.0, 0.3, 0.2)
    )


def test_a_resize_snaps_only_the_dragged_edges_and_keeps_a_size() -> None:
    snapped = snap_resize((0.1, 0.1, 0.385, 0.2), frozenset({"right"}), (), NEAR)
    assert snapped.box == pytest.approx((0.1, 0.1, 0.4, 0.2))  # right 0.485 -> the centre line
    assert snapped.guides == (Guide("x", 0.5),)
    snapped = snap_resize((0.4, 0.1, -0.3, 0.2), frozenset({"right"}), (), (0.0, 0.0))
    assert snapped.box[2] == pytest.approx(MIN_SIZE)  # never turned inside out
    snapped = snap_resize((-0.1, 0.1, 0.5, 1.2), frozenset({"left", "bottom"}), (), (0.0, 0.0))
    assert snapped.box == pytest.approx((0.0, 0.1, 0.4, 0.9))
