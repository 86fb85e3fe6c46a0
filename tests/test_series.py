"""Series (a spec's ``shots``): each later image sent as an edit carrying its reference."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import AsyncGenerator, Iterator, Sequence
from pathlib import Path

import httpx2
import pytest

from app.core.plan import Plan, plan_generation
from app.core.request import ImageRequest
from app.core.series import KEEP_THE_LOOK, reference_index, shot_spec
from app.core.spec import Shot, Spec, SpecError, TextBlock
from app.core.spec_json import spec_from_dict, spec_to_dict
from app.engine.connect import local_spec_service
from app.engine.local import create_app
from app.engine.service import ImageEvent, ImageService
from app.engine.transport import StreamingASGITransport
from app.jobs.run import JobRunner
from app.jobs.series import run_series
from app.store.library import Library
from app.store.paths import StudioPaths
from tests.cli_process import run_cli

pytestmark = pytest.mark.gui

STEPS = ("第一步 选茶", "第二步 冲泡", "第三步 品茶", "第四步 回味")
SERIES = Spec(
    description="A carousel about green tea",
    texts=(TextBlock("headline", "有机绿茶"),),
    size="1024x1536",
    quality="low",
    shots=(
        *(Shot(texts=(TextBlock("headline", step),)) for step in STEPS[:3]),
        Shot(description="A teacup, close up"),
    ),
)


@pytest.fixture(autouse=True)
def _gui(qapp: object) -> None:
    """The engine draws with Qt: pytest-qt's application object comes first."""


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    with Library.open(StudioPaths.under(tmp_path)) as opened:
        yield opened


class Recording:
    """An ImageService that keeps every request and passes it on."""

    def __init__(self, service: ImageService) -> None:
        self.service = service
        self.requests: list[ImageRequest] = []

    def generate(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        self.requests.append(request)
        return self.service.generate(request)

    def edit(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        self.requests.append(request)
        return self.service.edit(request)


def test_shots_are_read_from_the_spec_file_within_their_limits() -> None:
    data = spec_to_dict(SERIES)
    assert [shot.get("texts", [{}])[0].get("text") for shot in data["shots"]][:3] == list(STEPS[:3])
    assert spec_from_dict(data).spec == SERIES
    with pytest.raises(SpecError, match=r"shots: 1 items, at least 2"):
        spec_from_dict({**data, "shots": data["shots"][:1]})
    with pytest.raises(SpecError, match=r"shots: 17 items, at most 16"):
        spec_from_dict({**data, "shots": [{}] * 17})
    with pytest.raises(SpecError, match=r"chain: 'last' is not one of first, previous"):
        spec_from_dict({**data, "chain": "last"})


def test_a_shot_takes_what_it_does_not_give_from_the_spec() -> None:
    first = shot_spec(SERIES, 0)
    assert first.texts[0].text == STEPS[0] and first.shots == () and first.references == ()
    last = shot_spec(SERIES, 3, "/lib/first.png")
    assert last.texts == SERIES.texts
    assert last.description == f"A teacup, close up {KEEP_THE_LOOK}"
    assert last.references == ("/lib/first.png",)
    assert [reference_index(SERIES, i) for i in range(4)] == [None, 0, 0, 0]
    chained = dataclasses.replace(SERIES, chain="previous")
    assert [reference_index(chained, i) for i in range(4)] == [None, 0, 1, 2]


@pytest.mark.parametrize("chain", ["first", "previous"])
def test_a_series_of_four_sends_each_later_image_with_its_reference(
    library: Library, chain: str
) -> None:
    spec = dataclasses.replace(SERIES, chain=chain)
    http = httpx2.AsyncClient(transport=StreamingASGITransport(create_app()))
    recording = Recording(local_spec_service(http, timeout=60, max_retries=0, spec=None))

    def runner_for(shot: Spec) -> JobRunner:
        return JobRunner(service=recording, library=library, engine_label="local", billed=False)

    def plan_for(shot: Spec, sizes: Sequence[tuple[int, int]]) -> Plan:
        return plan_generation(shot, reference_sizes=sizes)

    shots = asyncio.run(run_series(spec, runner_for, plan_for))
    assert [len(shot.outcome.images) for shot in shots] == [1, 1, 1, 1]
    paths = [str(shot.outcome.images[0].record.path) for shot in shots]
    kinds = [request.kind for request in recording.requests]
    assert kinds == ["generate", "edit", "edit", "edit"]
    assert recording.requests[0].images == ()
    expected = [paths[0]] * 3 if chain == "first" else paths[:3]
    assert [request.images[0] for request in recording.requests[1:]] == expected
    assert all(KEEP_THE_LOOK in request.prompt for request in recording.requests[1:])
    for shot, text in zip(shots, (*STEPS[:3], "有机绿茶"), strict=True):
        job = library.job(shot.outcome.job_id)
        assert job is not None and job.spec is not None
        assert job.spec["texts"][0]["text"] == text and "shots" not in job.spec


def test_generate_on_a_series_spec_makes_numbered_files_in_order(tmp_path: Path) -> None:
    spec_file = tmp_path / "series.json"
    spec_file.write_text(json.dumps(spec_to_dict(SERIES), ensure_ascii=False), "utf-8")
    out = tmp_path / "out"
    done = run_cli(tmp_path / "home", "generate", str(spec_file), "--out", str(out), "--json")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["shot"] for line in lines] == [0, 1, 2, 3]
    names = sorted(path.name for path in out.iterdir())
    assert [Path(line["path"]).name for line in lines] == names
    assert all(f"-shot0{i + 1}-1.png" in name for i, name in enumerate(names))
    assert len({name.split("-shot")[0] for name in names}) == 1  # one series, one stem
