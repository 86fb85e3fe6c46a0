"""The studio's own engine is sent each job's spec (``zi_spec``, CONTRACTS §3), so its drafts set
the typography; a real service never sees the spec."""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path

import httpx2

from app.core.plan import plan_generation
from app.core.spec import Spec, TextBlock
from app.core.spec_json import spec_to_dict
from app.engine.service import OpenAIImageService, ServiceOptions
from app.jobs.run import JobRunner
from app.store.library import Library
from app.store.paths import StudioPaths
from tests.fake_service import png_bytes

SPEC = Spec(
    description="Tea box",
    texts=(TextBlock("headline", "有机绿茶", vertical=True),),
    n=1,
    size="1024x1024",
)
USAGE = {"input_tokens": 40, "output_tokens": 196, "total_tokens": 236}


def sent_bodies(tmp_path: Path, *, send_spec: bool) -> list[dict[str, object]]:
    bodies: list[dict[str, object]] = []

    def answer(request: httpx2.Request) -> httpx2.Response:
        bodies.append(json.loads(request.content))
        image = base64.b64encode(png_bytes(1024, 1024)).decode()
        return httpx2.Response(
            200, json={"created": 1, "data": [{"b64_json": image}], "usage": USAGE}
        )

    async def job() -> None:
        client = httpx2.AsyncClient(transport=httpx2.MockTransport(answer))
        service = OpenAIImageService(
            ServiceOptions("sk-local", "http://127.0.0.1:9/v1", max_retries=0), http_client=client
        )
        with Library.open(StudioPaths.under(tmp_path)) as library:
            runner = JobRunner(
                service=service, library=library, engine_label="local", billed=False,
                send_spec=send_spec,
            )  # fmt: skip
            outcome = await runner.run(plan_generation(SPEC), spec_json=spec_to_dict(SPEC))
            assert outcome.error is None and len(outcome.images) == 1
        await service.close()

    loop = asyncio.new_event_loop()  # not asyncio.run: it would unset the session's loop
    try:
        loop.run_until_complete(job())
    finally:
        loop.close()
    return bodies


def test_the_own_engine_gets_the_jobs_spec(tmp_path: Path) -> None:
    (body,) = sent_bodies(tmp_path, send_spec=True)
    spec = json.loads(str(body["zi_spec"]))
    assert spec["texts"][0]["text"] == "有机绿茶"
    assert spec["texts"][0]["vertical"] is True


def test_a_real_service_never_sees_the_spec(tmp_path: Path) -> None:
    (body,) = sent_bodies(tmp_path, send_spec=False)
    assert "zi_spec" not in body
    assert body["prompt"]  # the request itself went
