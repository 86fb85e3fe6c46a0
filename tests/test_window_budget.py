"""The monthly budget in the window: a billed job that would take the month over it is stopped
before it is sent, with what was spent; two jobs started together cannot both slip under it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from app.core.messages import Message
from app.main import Studio
from app.store.settings import Settings
from app.ui.wording import usd
from tests.gui_support import ScriptedService, attach, make_studio, run, shut, until

pytestmark = pytest.mark.gui


def ready(tmp_path: Path, budget: float | None) -> Studio:
    studio = make_studio(tmp_path, settings=Settings(monthly_budget_usd=budget))
    studio.window.show()
    studio.builder.description = "A tea shop poster"
    studio.builder.blocks.add("headline", "春日限定")
    studio.builder.n = 1
    studio.builder.quality = "low"
    return studio


def finished(studio: Studio, count: int) -> bool:
    ended = [e for e in studio.queue.entries() if e.state in ("finished", "failed")]
    return len(ended) == count


def test_a_job_over_the_monthly_budget_is_stopped_before_it_is_sent(
    qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    studio = ready(tmp_path, budget=None)
    service = ScriptedService(free=True)
    seen: list[Message] = []
    studio.relay.posted.connect(seen.append)
    try:

        async def scenario() -> None:
            await attach(studio, service)
            studio.generator.spent_this_month = studio.library.spent_this_month
            studio.window.generate()  # no budget yet: sent, and its cost recorded
            await until(lambda: finished(studio, 1), studio.queue.dataChanged)
            spent = await studio.funnel.in_thread(studio.library.spent_this_month)
            assert spent > 0
            # The Library shows what was spent today and this month.
            shown: list[tuple[float, float]] = []
            studio.library_view.spend_changed.connect(lambda *spend: shown.append(spend))
            studio.library_view.refresh()
            await until(lambda: bool(shown), studio.library_view.spend_changed)
            assert shown[-1] == pytest.approx((spent, spent))
            label = studio.library_parts.library_panel.spend.text()
            assert usd(spent) in label and "today" in label
            studio.preview.recompute()
            plan = studio.preview.plan
            assert plan is not None and plan.cost.usd is not None
            # Room for less than one more job this month.
            studio.generator.monthly_budget_usd = spent + plan.cost.usd / 2
            studio.window.generate()
            await until(lambda: finished(studio, 2), studio.queue.dataChanged)

        run(qloop, scenario())
        assert len(service.requests) == 1  # the second job never reached the service
        refused = [m for m in seen if m.code == "budget.exceeded"]
        assert len(refused) == 1
        assert refused[0].values["spent"] > 0
        banner = studio.window.banner
        assert not banner.isHidden() and "monthly budget" in banner.text.text()
        assert sorted(e.state for e in studio.queue.entries()) == ["failed", "finished"]
    finally:
        studio.window._confirmed_close = True
        run(qloop, shut(studio))


def test_two_jobs_started_together_cannot_both_slip_under_the_budget(
    qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    studio = ready(tmp_path, budget=None)
    studio.generator.concurrency = 2
    service = ScriptedService(free=False)  # the first job stays running, counted at its estimate
    try:

        async def scenario() -> None:
            await attach(studio, service)
            studio.generator.spent_this_month = studio.library.spent_this_month
            studio.preview.recompute()
            plan = studio.preview.plan
            assert plan is not None and plan.cost.usd is not None
            studio.generator.monthly_budget_usd = plan.cost.usd * 1.5  # room for one job
            studio.window.generate()
            studio.window.generate()
            await until(lambda: finished(studio, 1), studio.queue.dataChanged)
            assert len(service.requests) == 1
            service.release(0)
            await until(lambda: finished(studio, 2), studio.queue.dataChanged)

        run(qloop, scenario())
        assert len(service.requests) == 1
        assert sorted(e.state for e in studio.queue.entries()) == ["failed", "finished"]
    finally:
        studio.window._confirmed_close = True
        run(qloop, shut(studio))


def test_the_local_engine_is_never_stopped_by_the_budget(
    qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    studio = ready(tmp_path, budget=0.0)
    service = ScriptedService(free=True)
    try:

        async def scenario() -> None:
            await attach(studio, service, local=True)
            studio.generator.spent_this_month = lambda: 100.0
            studio.window.generate()
            await until(lambda: finished(studio, 1), studio.queue.dataChanged)

        run(qloop, scenario())
        assert len(service.requests) == 1
        assert [e.state for e in studio.queue.entries()] == ["finished"]
    finally:
        studio.window._confirmed_close = True
        run(qloop, shut(studio))
