"""Whether a job may be sent: the per-job spending cap and the monthly budget.

One check for the window and the command line. A refusal carries a code and values, so the window
can word it in the UI language; its English message is what the command line prints.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from app.core.cost import format_usd

RefusalCode = Literal["cap_unpriced", "over_cap", "budget_unpriced", "over_budget"]


@dataclass(frozen=True, slots=True)
class SpendingLimits:
    cap_usd: float | None = None  # the most one job may cost
    monthly_budget_usd: float | None = None  # the most a calendar month may cost


class SpendingRefused(ValueError):
    """A job that would pass the cap or the budget; nothing was sent."""

    def __init__(self, code: RefusalCode, values: Mapping[str, Any]) -> None:
        super().__init__(_message(code, values))
        self.code = code
        self.values = dict(values)


@dataclass(frozen=True, slots=True)
class SpendingCheck:
    """What the check looked at, for a line such as "$3.20 of $20.00 spent this month"."""

    usd: float | None
    spent_this_month: float
    limits: SpendingLimits = field(default_factory=SpendingLimits)

    @property
    def budget_left(self) -> float | None:
        budget = self.limits.monthly_budget_usd
        return None if budget is None else max(budget - self.spent_this_month, 0.0)


def check_spending(
    usd: float | None, model: str, limits: SpendingLimits, *, spent_this_month: float
) -> SpendingCheck:
    """Refuse (``SpendingRefused``) a job estimated at ``usd`` that passes a limit.

    A job whose price is unknown cannot be checked, so it is refused while a limit is set.
    """
    cap, budget = limits.cap_usd, limits.monthly_budget_usd
    if cap is not None:
        if usd is None:
            raise SpendingRefused("cap_unpriced", {"model": model, "cap": cap})
        if usd > cap:
            raise SpendingRefused("over_cap", {"usd": usd, "cap": cap})
    if budget is not None:
        if usd is None:
            raise SpendingRefused("budget_unpriced", {"model": model, "budget": budget})
        if spent_this_month + usd > budget:
            values = {"usd": usd, "budget": budget, "spent": spent_this_month}
            raise SpendingRefused("over_budget", values)
    return SpendingCheck(usd, spent_this_month, limits)


def _message(code: RefusalCode, v: Mapping[str, Any]) -> str:
    if code == "cap_unpriced":
        return (
            f"no price is known for {v['model']}, so the spending cap of ${v['cap']:.2f} cannot "
            "be checked: remove the cap or choose a priced model"
        )
    if code == "over_cap":
        return (
            f"this job is estimated at {format_usd(v['usd'])}, over the spending cap of "
            f"${v['cap']:.2f}: lower n, the quality or the size, or raise the cap in the settings"
        )
    if code == "budget_unpriced":
        return (
            f"no price is known for {v['model']}, so the monthly budget of ${v['budget']:.2f} "
            "cannot be checked: remove the budget or choose a priced model"
        )
    return (
        f"this job is estimated at {format_usd(v['usd'])}, but {format_usd(v['spent'])} of the "
        f"monthly budget of ${v['budget']:.2f} is spent already: lower n, the quality or the "
        "size, wait for next month, or raise the budget in the settings"
    )
