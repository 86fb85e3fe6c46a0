"""The Batch API's files: the lines the studio uploads (checked against OpenAI's own request
schema), splitting over the limits, and reading results back by custom_id."""

from __future__ import annotations

import dataclasses
import json

import pytest

from app.core.batch_lines import (
    BatchFileError,
    batch_usd,
    parse_results,
    request_line,
    split_lines,
)
from app.core.plan import plan_generation
from app.core.request import ImageRequest
from app.core.rows import plan_rows, read_table
from app.core.spec import Spec, TextBlock
from app.jobs.batch_run import batch_request
from tests.openai_schemas import unknown_keys, validate

TEMPLATE = Spec(
    description="A product card for {name}",
    texts=(TextBlock("headline", "{name}"), TextBlock("price", "¥{price}")),
    ratio="3:4",
    quality="low",
    n=2,
)


def _lines() -> list[bytes]:
    table = read_table("name,price\n有机绿茶,39\n乌龙茶,59\n红茶,99\n".encode(), "t.csv")
    jobs = plan_rows(TEMPLATE, table, lambda spec: plan_generation(spec, partial_images=2))
    return [
        request_line(f"job-{job.row.index}", batch_request(job.plan.request))
        for job in jobs
        if job.plan is not None
    ]


def test_every_uploaded_line_is_a_request_the_official_schema_accepts() -> None:
    lines = _lines()
    assert len(lines) == 3
    for raw in lines:
        assert raw.endswith(b"\n") and raw.count(b"\n") == 1  # one JSON object per line
        line = json.loads(raw)
        assert set(line) == {"custom_id", "method", "url", "body"}
        assert (line["method"], line["url"]) == ("POST", "/v1/images/generations")
        validate("CreateImageRequest", line["body"])
        assert unknown_keys("CreateImageRequest", line["body"]) == set()
        assert "stream" not in line["body"] and "partial_images" not in line["body"]
        assert line["body"]["n"] == 2 and line["body"]["size"] == "768x1024"
    assert "有机绿茶" in json.loads(lines[0])["body"]["prompt"]


def test_a_row_with_references_is_an_edit_line_naming_the_uploaded_files() -> None:
    # 1:1, so 1024x1024: the document's JSON edit body still lists only the three first sizes.
    refs = ("/refs/bottle.png", "/refs/leaf.png")
    spec = dataclasses.replace(TEMPLATE, ratio="1:1", references=refs)
    table = read_table("name,price\n有机绿茶,39\n".encode(), "t.csv")
    (job,) = plan_rows(spec, table, lambda filled: plan_generation(filled, partial_images=2))
    assert job.plan is not None
    request = batch_request(job.plan.request)
    assert request.kind == "edit"
    ids = {"/refs/bottle.png": "file-abc", "/refs/leaf.png": "file-def"}
    line = json.loads(request_line("job-0", request, file_ids=ids))
    assert (line["method"], line["url"]) == ("POST", "/v1/images/edits")
    body = line["body"]
    assert body["images"] == [{"file_id": "file-abc"}, {"file_id": "file-def"}]
    validate("EditImageBodyJsonParam", body)
    assert unknown_keys("EditImageBodyJsonParam", body) == set()
    assert "stream" not in body and "partial_images" not in body and "moderation" not in body


def test_an_edit_line_needs_its_images_uploaded_and_no_mask() -> None:
    edit = ImageRequest(kind="edit", prompt="x", images=("/a.png",))
    with pytest.raises(BatchFileError, match="must be uploaded"):
        request_line("job", edit)
    with pytest.raises(BatchFileError, match="must be uploaded"):
        request_line("job", edit, file_ids={"/b.png": "file-b"})
    masked = ImageRequest(kind="edit", prompt="x", images=("/a.png",), mask="/m.png")
    with pytest.raises(BatchFileError, match="no masked edits"):
        request_line("job", masked, file_ids={"/a.png": "file-a"})


def test_lines_are_split_over_both_limits_in_order() -> None:
    lines = [b"a" * 10 + b"\n"] * 5
    assert split_lines(lines, max_requests=2, max_bytes=1000) == [lines[:2], lines[2:4], lines[4:]]
    assert split_lines(lines, max_requests=100, max_bytes=33) == [lines[:3], lines[3:]]
    assert split_lines(lines) == [lines]
    with pytest.raises(BatchFileError, match="request 0 is 11 bytes"):
        split_lines(lines, max_bytes=10)


def test_results_are_matched_by_custom_id_with_errors_worded() -> None:
    ok = {"custom_id": "b", "response": {"status_code": 200, "body": {"data": []}}, "error": None}
    refused = {
        "custom_id": "a",
        "response": {"status_code": 400, "body": {"error": {"message": "Bad size", "code": None}}},
        "error": None,
    }
    expired = {"custom_id": "c", "response": None,
               "error": {"code": "batch_expired", "message": "This request expired."}}  # fmt: skip
    data = b"\n".join(json.dumps(x).encode() for x in (ok, refused, expired)) + b"\n{not json\n"
    results = {result.custom_id: result for result in parse_results(data)}
    assert set(results) == {"a", "b", "c"}
    assert results["b"].body == {"data": []} and results["b"].error is None
    assert results["a"].body is None and results["a"].error == "(400) Bad size"
    assert results["c"].error == "This request expired."


def test_a_batch_costs_half() -> None:
    assert batch_usd(0.4) == pytest.approx(0.2)
    assert batch_usd(None) is None
