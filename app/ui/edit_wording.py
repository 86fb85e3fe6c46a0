"""Words for the edit panel: why a turn was not sent or failed, what the service cannot do."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication

from app.ui.wording import problem_text

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
