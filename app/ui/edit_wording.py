"""Words for the edit panel: why a turn was not sent or failed, what the service cannot do, what
changed in a text set again."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication

from app.core.text_changes import TextChange, describe
from app.ui.wording import problem_text, role_text

translate = QCoreApplication.translate


def edit_problem_text(code: str, values: Mapping[str, Any]) -> str:
    reason = str(values.get("reason") or values.get("detail") or "")
    if code == "edit.empty":
        return translate("EditPanel", "Type what to change, then send.")
    if code == "edit.no_image":
        return translate("EditPanel", "Select an image in Variations to edit it.")
    if code == "edit.unsupported":
        return no_edits_text()
    if code == "edit.refused":
        return translate("EditPanel", "Not sent: {reason}.").format(reason=reason.rstrip("."))
    if code == "edit.mask_refused":
        return translate("EditPanel", "This mask cannot be used: {reason}.").format(
            reason=reason.rstrip(".")
        )
    if code == "edit.interrupted":
        return translate("EditPanel", "Interrupted when the studio closed; nothing was made.")
    if code == "edit.cancelled":
        return translate("EditPanel", "Cancelled; nothing was made.")
    if code == "edit.failed":
        if reason:
            return translate("EditPanel", "Failed: {reason}").format(reason=reason)
        return translate("EditPanel", "Failed; nothing was made.")
    return problem_text(code, values)


def no_edits_text() -> str:
    return translate(
        "EditPanel",
        "This image service cannot edit images, so editing is switched off. Choose another "
        "service or the local engine in Settings to edit.",
    )


def no_masks_text() -> str:
    return translate(
        "EditPanel",
        "This image service does not take masks, so the mask tools are switched off; edits "
        "change the whole image.",
    )


def _role(change: TextChange, capital: bool = False) -> str:
    """The block's role as a change names it ("headline", "body 2"), in the window's language."""
    word = role_text(change.role)
    word = word if capital else word[:1].lower() + word[1:]
    return word if not change.number else f"{word} {change.number}"


def change_text(change: TextChange) -> str:
    """One change of a text set again, in the window's language."""
    role = _role(change)
    if change.kind == "text":
        return translate("EditPanel", "{role}: {old} → {new}").format(
            role=_role(change, capital=True), old=change.old, new=change.new
        )
    if change.kind == "added":
        return translate("EditPanel", "Added a {role}: {text}").format(role=role, text=change.new)
    if change.kind == "removed":
        return translate("EditPanel", "Removed the {role}: {text}").format(
            role=role, text=change.old
        )
    if change.kind == "moved":
        return translate("EditPanel", "Moved the {role}").format(role=role)
    if change.kind == "resized":
        return translate("EditPanel", "Resized the {role}'s box").format(role=role)
    if change.kind == "look":
        return translate("EditPanel", "Typography of the {role}").format(role=role)
    if change.kind == "role":
        old = role_text(change.old)
        return translate("EditPanel", "The {old} is now a {role}").format(
            old=old[:1].lower() + old[1:], role=role
        )
    return translate("EditPanel", "Order of the texts")


def changes_text(changes: Sequence[TextChange]) -> str:
    """What a text set again changed, in the window's language."""
    return describe(
        changes,
        change_text,
        lambda count: translate("EditPanel", "{count} more").format(count=count),
        translate("EditPanel", "; "),
    )
