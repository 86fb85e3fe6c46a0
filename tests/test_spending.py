"""The spending cap and the monthly budget: one check, before anything is sent."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.core.plan import plan_generation
from app.core.request import ImageRequest
from app.core.spec import Spec, TextBlock
from app.core.spending import SpendingLimits, SpendingRefused, check_spending
from app.jobs.spending import check_job_spending
from app.store.library import Library
from app.store.paths import StudioPaths
from app.store.records import engine_label
from app.store.settings import Settings
from tests import fake_service as fake
from tests.test_cli_generate_remote import generate


def test_the_cap_refuses_one_job_over_it() -> None:
    limits = SpendingLimits(cap_usd=0.10)
    assert check_spending(0.10, "m", limits, spent_this_month=99.0).usd == 0.10
    with pytest.raises(SpendingRefused) as refused:
        check_spending(0.11, "m", limits, spent_this_month=0.0)
    assert refused.value.code == "over_cap" and refused.value.values["cap"] == 0.10
    assert "over the spending cap of $0.10" in str(refused.value)


def test_the_budget_counts_what_the_month_spent() -> None:
    limits = SpendingLimits(monthly_budget_usd=20.0)
    check = check_spending(0.5, "m", limits, spent_this_month=19.5)
    assert check.budget_left == 0.5
    with pytest.raises(SpendingRefused) as refused:
        check_spending(0.51, "m", limits, spent_this_month=19.5)
    assert refused.value.code == "over_budget"
    assert refused.value.values == {"usd": 0.51, "budget": 20.0, "spent": 19.5}
    assert "monthly budget of $20.00" in str(refused.value)


def test_an_unpriced_job_cannot_be_checked_against_a_limit() -> None:
    for limits, code in [(SpendingLimits(cap_usd=1.0), "cap_unpriced"),
                         (SpendingLimits(monthly_budget_usd=1.0), "budget_unpriced")]:  # fmt: skip
        with pytest.raises(SpendingRefused) as refused:
            check_spending(None, "gpt-image-2.6-x", limits, spent_this_month=0.0)
        assert refused.value.code == code and "gpt-image-2.6-x" in str(refused.value)
    assert check_spending(None, "m", SpendingLimits(), spent_this_month=0.0).usd is None


def _spent(library: Library, usd: float) -> None:
    request = ImageRequest(kind="generate", prompt="p")
    job_id = library.create_job(kind="generate", request=request, engine=engine_label("remote"))
    library.mark_running(job_id)
    library.finish_job(job_id, {"output_tokens": 1}, usd)


def test_the_job_check_reads_the_library_and_lets_local_jobs_through(tmp_path: Path) -> None:
    plan = plan_generation(Spec(texts=(TextBlock("headline", "绿茶"),), quality="high"))
    assert plan.cost.usd is not None
    settings = Settings(monthly_budget_usd=1.0)
    usd = plan.cost.usd
    with Library.open(StudioPaths.under(tmp_path)) as library:
        assert check_job_spending(usd, "gpt-image-2", settings, library, billed=True) is not None
        _spent(library, 1.0 - usd / 2)
        with pytest.raises(SpendingRefused, match="monthly budget"):
            check_job_spending(usd, "gpt-image-2", settings, library, billed=True)
        assert check_job_spending(usd, "gpt-image-2", settings, library, billed=False) is None


def _home_with_budget(tmp_path: Path, spent: float, *, days_ago: int) -> Path:
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    settings = {"version": 1, "values": {"monthly_budget_usd": 0.50}}
    (home / "config" / "settings.json").write_text(json.dumps(settings), "utf-8")
    when = datetime.now(UTC) - timedelta(days=days_ago)
    with Library.open(StudioPaths.under(home), clock=lambda: when) as library:
        _spent(library, spent)
    return home


def test_the_budget_stops_a_job_before_it_is_sent(tmp_path: Path) -> None:
    home = _home_with_budget(tmp_path, 0.499, days_ago=0)
    with fake.fake_service([]) as service:
        result = generate(home, service.base_url)
    assert result.returncode == 2, result.stderr
    assert "monthly budget of $0.50" in result.stderr and "$0.499" in result.stderr
    assert service.requests == []


def test_last_months_spending_does_not_count(tmp_path: Path) -> None:
    home = _home_with_budget(tmp_path, 0.499, days_ago=40)
    with fake.fake_service([]) as service:
        result = generate(home, service.base_url)
    assert result.returncode == 0, result.stderr
    assert len(service.requests) == 1
