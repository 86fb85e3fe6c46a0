"""The spending check before a job is sent, with what the library says was spent this month."""

from __future__ import annotations

from app.core.spending import SpendingCheck, SpendingLimits, SpendingRefused, check_spending
from app.store.library import Library
from app.store.settings import Settings

__all__ = ["SpendingCheck", "SpendingRefused", "check_job_spending", "limits_of"]


def limits_of(settings: Settings) -> SpendingLimits:
    return SpendingLimits(settings.spending_cap_usd, settings.monthly_budget_usd)


def check_job_spending(
    usd: float | None, model: str, settings: Settings, library: Library, *, billed: bool
) -> SpendingCheck | None:
    """Refuse (``SpendingRefused``) a billed job estimated at ``usd`` over the cap or the
    monthly budget.

    Jobs on the embedded engine cost nothing and are never refused (``None``).
    """
    if not billed:
        return None
    limits = limits_of(settings)
    spent = library.spent_this_month() if limits.monthly_budget_usd is not None else 0.0
    return check_spending(usd, model, limits, spent_this_month=spent)
