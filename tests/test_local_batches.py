"""The embedded engine's /v1/files and /v1/batches through the official SDK: batches run in the
background, outlive the engine that ran them, can be cancelled, and report failed lines."""

from __future__ import annotations

import asyncio
import base64
import io
import json
from pathlib import Path
from typing import Any

import openai
import pytest
from PIL import Image

from app.core.batch_lines import parse_results, request_line
from app.core.request import ImageRequest
from app.engine.local import Fault, FaultPlan, create_app
from app.engine.transport import local_client
from tests.openai_schemas import validate

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _gui(qapp: object) -> None:
    """The engine draws with Qt: pytest-qt's application object comes first."""


def _input(count: int) -> bytes:
    requests = [
        ImageRequest(kind="generate", prompt=f'A poster, the headline "春{i}"', size="1024x1024")
        for i in range(count)
    ]
    return b"".join(request_line(f"row-{i}", request) for i, request in enumerate(requests))


def _client(folder: Path, faults: FaultPlan) -> openai.AsyncOpenAI:
    return local_client(create_app(faults=faults, batch_dir=folder), max_retries=0)


async def _submit(client: openai.AsyncOpenAI, data: bytes) -> Any:
    uploaded = await client.files.create(file=("in.jsonl", data), purpose="batch")
    assert uploaded.purpose == "batch" and uploaded.bytes == len(data)
    return await client.batches.create(
        input_file_id=uploaded.id, endpoint="/v1/images/generations", completion_window="24h"
    )


def _completed(batch: Any) -> int:
    return int(batch.request_counts.completed)


async def _ended(client: openai.AsyncOpenAI, batch_id: str) -> Any:
    while True:
        batch = await client.batches.retrieve(batch_id)
        if batch.status in ("completed", "failed", "cancelled", "expired"):
            return batch
        await asyncio.sleep(0.05)


def test_a_batch_outlives_the_engine_that_ran_it_and_no_line_runs_twice(tmp_path: Path) -> None:
    first_faults = FaultPlan().queue(None, Fault.delay(60))  # the second line never finishes

    async def start_then_die() -> str:
        client = _client(tmp_path, first_faults)
        batch = await _submit(client, _input(3))
        assert batch.status == "in_progress" and batch.request_counts.total == 3
        while _completed(await client.batches.retrieve(batch.id)) < 1:
            await asyncio.sleep(0.05)
        return str(batch.id)  # the loop ends here, and the worker with it, mid-line

    batch_id = asyncio.run(start_then_die())
    state = json.loads((tmp_path / "batches" / f"{batch_id}.json").read_text())
    assert state["status"] == "in_progress"

    later_faults = FaultPlan()

    async def take_up() -> tuple[Any, bytes]:
        client = _client(tmp_path, later_faults)
        batch = await _ended(client, batch_id)
        return batch, (await client.files.content(batch.output_file_id)).content

    batch, output = asyncio.run(take_up())
    assert batch.status == "completed"
    assert (batch.request_counts.completed, batch.request_counts.failed) == (3, 0)
    assert later_faults.requests == 2  # only the two lines the first engine had not finished
    results = parse_results(output)
    assert sorted(result.custom_id for result in results) == ["row-0", "row-1", "row-2"]
    for result in results:
        assert result.body is not None
        validate("ImagesResponse", result.body)


def test_a_failed_line_goes_to_the_error_file_and_the_others_complete(tmp_path: Path) -> None:
    async def run() -> tuple[Any, bytes, bytes]:
        client = _client(tmp_path, FaultPlan().queue(Fault.server_error()))
        batch = await _ended(client, (await _submit(client, _input(3))).id)
        output = (await client.files.content(batch.output_file_id)).content
        errors = (await client.files.content(batch.error_file_id)).content
        return batch, output, errors

    batch, output, errors = asyncio.run(run())
    assert (batch.request_counts.completed, batch.request_counts.failed) == (2, 1)
    (failed,) = parse_results(errors)
    assert failed.custom_id == "row-0" and failed.status == 500 and failed.body is None
    assert len(parse_results(output)) == 2


def test_a_cancelled_batch_stops_its_lines_and_keeps_the_finished_ones(tmp_path: Path) -> None:
    async def run() -> Any:
        faults = FaultPlan().queue(None, None, Fault.delay(60), Fault.delay(60))
        client = _client(tmp_path, faults)
        batch = await _submit(client, _input(4))
        while _completed(await client.batches.retrieve(batch.id)) < 2:
            await asyncio.sleep(0.05)
        cancelled = await client.batches.cancel(batch.id)
        assert cancelled.status in ("cancelling", "cancelled")
        return await _ended(client, batch.id)

    batch = asyncio.run(run())
    assert batch.status == "cancelled" and batch.cancelled_at is not None
    assert batch.request_counts.completed == 2 and batch.output_file_id is not None


def test_a_file_with_bad_lines_fails_the_batch_naming_the_lines(tmp_path: Path) -> None:
    line = _input(1)
    data = line + line + b"not json\n"

    async def run() -> Any:
        client = _client(tmp_path, FaultPlan())
        return await _submit(client, data)

    batch = asyncio.run(run())
    assert batch.status == "failed"
    assert [(e.code, e.line) for e in batch.errors.data] == [
        ("duplicate_custom_id", 2),
        ("invalid_json_line", 3),
    ]


def test_unknown_batches_and_files_are_404s(tmp_path: Path) -> None:
    async def run() -> None:
        client = _client(tmp_path, FaultPlan())
        with pytest.raises(openai.NotFoundError):
            await client.batches.retrieve("batch_000000000000000000000000")
        with pytest.raises(openai.NotFoundError):
            await client.batches.retrieve("batch_../../etc")
        with pytest.raises(openai.NotFoundError):
            await client.files.content("file_000000000000000000000000")
        with pytest.raises(openai.BadRequestError):
            await client.batches.create(
                input_file_id="file_x", endpoint="/v1/chat/completions", completion_window="24h"
            )

    asyncio.run(run())


def test_edit_lines_read_their_images_from_the_uploaded_files(tmp_path: Path) -> None:
    """Edits in the JSON edit body: an uploaded file's id or a data URL is an image; an unknown
    file or a link (this engine fetches nothing) fails that line alone."""
    picture = io.BytesIO()
    Image.new("RGB", (512, 512), "#c0a080").save(picture, "PNG")
    png = picture.getvalue()
    edit = ImageRequest(kind="edit", prompt='A poster, the headline "春"', size="1024x1024",
                        images=("ref.png",))  # fmt: skip

    async def run() -> tuple[Any, bytes, bytes]:
        client = _client(tmp_path, FaultPlan())
        image = await client.files.create(file=("ref.png", png), purpose="vision")
        assert image.purpose == "vision"
        data_url = "data:image/png;base64," + base64.b64encode(png).decode()
        lines = [
            request_line("by-file", edit, file_ids={"ref.png": image.id}),
            request_line("unknown", edit, file_ids={"ref.png": "file_" + "0" * 24}),
        ]
        by_url = json.loads(lines[0])
        by_url["custom_id"] = "by-data-url"
        by_url["body"]["images"] = [{"image_url": data_url}]
        link = json.loads(lines[0])
        link["custom_id"] = "link"
        link["body"]["images"] = [{"image_url": "https://example.com/ref.png"}]
        lines += [json.dumps(line).encode() + b"\n" for line in (by_url, link)]
        uploaded = await client.files.create(file=("in.jsonl", b"".join(lines)), purpose="batch")
        batch = await client.batches.create(
            input_file_id=uploaded.id, endpoint="/v1/images/edits", completion_window="24h"
        )
        batch = await _ended(client, batch.id)
        output = (await client.files.content(batch.output_file_id)).content
        errors = (await client.files.content(batch.error_file_id)).content
        return batch, output, errors

    batch, output, errors = asyncio.run(run())
    assert batch.status == "completed"
    made = {result.custom_id: result for result in parse_results(output)}
    assert set(made) == {"by-file", "by-data-url"}
    for result in made.values():
        assert result.body is not None
        validate("ImagesResponse", result.body)
    failed = {result.custom_id: result for result in parse_results(errors)}
    assert failed["unknown"].status == 404
    assert failed["link"].status == 400 and "fetches no links" in (failed["link"].error or "")
