"""Words for the codes that reach the window (GUI.md §4): messages, refusals, tile reasons.

Lower layers post a code with values; the window words it here, through Qt's translation, so the
same message reads in the user's language. A service's own reason (English, from the service)
is kept as a detail after the translated sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication

from app.core.messages import Message

# The context is written out in each call: Qt's lupdate only finds literal strings.
translate = QCoreApplication.translate


def separator() -> str:
    """What goes between the items of a short list: ", " in English, "，" in Chinese."""
    return translate("Messages", ", ", "between the items of a list")


def usd(value: float | None) -> str:
    if value is None:
        return translate("Messages", "price unknown")
    if value == 0:
        return "$0"
    if value < 0.0005:
        return "< $0.001"
    return f"${value:.3f}" if value < 1 else f"${value:,.2f}"


def message_text(message: Message) -> str:
    return problem_text(message.code, message.values)


def problem_text(code: str, values: Mapping[str, Any]) -> str:
    detail = str(values.get("detail") or values.get("reason") or "")
    texts = {
        "service.auth": translate(
            "Messages", "The service refused the API key. Check the key in Settings."
        ),
        "service.moderation": translate(
            "Messages",
            "The service's safety system blocked this request. Change the description or the "
            "texts and try again.",
        ),
        "service.rate_limited": translate(
            "Messages", "The service is busy or your quota is used up. Try again later."
        ),
        "service.refused": translate("Messages", "The service refused the request."),
        "service.timeout": translate("Messages", "The service did not answer in time. Try again."),
        "service.unreachable": translate(
            "Messages", "Cannot reach the image service. Check the network."
        ),
        "service.failed": translate("Messages", "The service failed. Try again later."),
        "plan.invalid": translate("Messages", "These settings cannot be sent."),
        "store.failed": translate(
            "Messages", "An image could not be saved; what was saved is kept."
        ),
        "job.cancelled": translate("Messages", "Cancelled"),
        "job.incomplete": translate("Messages", "The service sent fewer images than asked for."),
        "job.crashed": translate("Messages", "The job stopped unexpectedly."),
        "row.failed": translate("Messages", "This row's images were not made."),
        "task.failed": translate("Messages", "Something went wrong."),
        "spec.open_failed": translate("Messages", "The file could not be opened."),
        "spec.save_failed": translate("Messages", "The spec could not be saved."),
        "spec.autosave_failed": translate("Messages", "The spec could not be autosaved."),
        "spec.restored": translate(
            "Messages", "Restored the spec you were working on before the studio closed."
        ),
        "engine.local": translate(
            "Messages",
            "No API key is set: images are local drafts made on this computer, at no cost.",
        ),
        "engine.failed": translate("Messages", "The image engine could not start."),
        "library.failed": translate("Messages", "The library could not be opened."),
        "library.recovered": translate(
            "Messages", "Jobs interrupted earlier were found; their images are kept."
        ),
        "image.missing": translate("Messages", "The image file is missing."),
        "check.failed": translate("Messages", "The text of an image could not be checked."),
        "fix.failed": translate("Messages", "The text could not be fixed."),
        "settings.reset": translate(
            "Messages", "Some settings could not be read and went back to their defaults."
        ),
        "settings.save_failed": translate(
            "Messages",
            "The settings could not be saved. They stay in use until the studio closes: free "
            "some disk space, then change a setting to save again.",
        ),
    }
    if code == "cap.exceeded":
        return translate(
            "Messages",
            "Not sent: this job is estimated at {usd}, over your spending cap of {cap}. Lower "
            "the variations, quality or size, or raise the cap in Settings.",
        ).format(usd=usd(values.get("usd")), cap=usd(values.get("cap")))
    if code == "cap.unpriced":
        return translate(
            "Messages",
            "Not sent: no price is known for {model}, so the spending cap cannot be checked.",
        ).format(model=values.get("model", ""))
    if code == "budget.exceeded":
        return translate(
            "Messages",
            "Not sent: this job is estimated at {usd}, and {spent} is already spent this month: "
            "that would pass your monthly budget of {budget}. Raise the budget in Settings, or "
            "use the local engine.",
        ).format(
            usd=usd(values.get("usd")), spent=usd(values.get("spent")),
            budget=usd(values.get("budget")),
        )  # fmt: skip
    if code == "budget.unpriced":
        return translate(
            "Messages",
            "Not sent: no price is known for {model}, so the monthly budget cannot be checked.",
        ).format(model=values.get("model", ""))
    if code == "job.note":
        return str(values.get("note", ""))
    text = texts.get(code, translate("Messages", "Something went wrong."))
    return f"{text} ({detail})" if detail and code != "job.cancelled" else text


def action_text(action: str) -> str:
    return {
        "retry": translate("Messages", "Retry"),
        "settings": translate("Messages", "Open settings"),
        "local": translate("Messages", "Use the local engine"),
    }.get(action, action)


def size_problem_text(code: str, values: Mapping[str, Any]) -> str:
    if code == "ratio_range":
        return translate("Messages", "{ratio} is outside the allowed ratios, 1:3 to 3:1.").format(
            ratio=values.get("text", "")
        )
    if code == "ratio_text":
        return translate("Messages", "Write the ratio as W:H, for example 3:4.")
    if code == "size_text":
        return translate("Messages", "Write the size as WIDTHxHEIGHT, for example 1024x1536.")
    return {
        "positive": translate("Messages", "Both sides must be greater than zero."),
        "step": translate("Messages", "Both sides must be multiples of 16."),
        "ratio": translate("Messages", "The ratio must be between 1:3 and 3:1."),
        "long_edge": translate("Messages", "The long edge can be at most 3840 pixels."),
        "few_pixels": translate("Messages", "Too small: at least 655,360 pixels."),
        "many_pixels": translate("Messages", "Too large: at most 8,294,400 pixels."),
    }.get(code, translate("Messages", "This size is not accepted."))


def block_warning_text(code: str, values: Mapping[str, Any]) -> str:
    if code == "long":
        return translate(
            "Messages",
            "{length} characters: long texts come out wrong more often. Split it into shorter "
            "blocks.",
        ).format(length=values.get("length", 0))
    if code == "empty":
        return translate("Messages", "Empty: type the exact text, or remove this block.")
    return ""


def role_text(role: str) -> str:
    return {
        "headline": translate("Messages", "Headline"),
        "subhead": translate("Messages", "Subhead"),
        "body": translate("Messages", "Body"),
        "caption": translate("Messages", "Caption"),
        "button": translate("Messages", "Button"),
        "label": translate("Messages", "Label"),
        "price": translate("Messages", "Price"),
        "date": translate("Messages", "Date"),
    }.get(role, role)


def state_text(state: str) -> str:
    return {
        "queued": translate("Messages", "queued"),
        "running": translate("Messages", "running"),
        "finished": translate("Messages", "finished"),
        "failed": translate("Messages", "failed"),
        "cancelled": translate("Messages", "cancelled"),
        "waiting": translate("Messages", "waiting"),
        "streaming": translate("Messages", "arriving"),
        "done": translate("Messages", "done"),
    }.get(state, state)


def choice_text(value: str) -> str:
    """A quality or background as shown in its selector."""
    return {
        "low": translate("Messages", "low"),
        "medium": translate("Messages", "medium"),
        "high": translate("Messages", "high"),
        "auto": translate("Messages", "auto"),
        "xhigh": translate("Messages", "extra high"),
        "max": translate("Messages", "maximum"),
        "opaque": translate("Messages", "opaque"),
        "transparent": translate("Messages", "transparent"),
    }.get(value, value)


def preset_text(key: str, label: str) -> str:
    """A platform preset's chip; Chinese platform names stay as they are in every language."""
    return {
        "landscape": translate("Messages", "Landscape 16:9"),
        "banner": translate("Messages", "Banner 3:1"),
        "a4-poster": translate("Messages", "A4 poster 1:1.414"),
    }.get(key, label)
