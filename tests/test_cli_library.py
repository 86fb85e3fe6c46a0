"""``zi-studio library``: the library's images for scripts, as CONTRACTS §2 says."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app.core.fidelity import ReadLine, RequiredText, check_texts
from app.core.request import ImageRequest
from app.store.library import Library
from app.store.paths import StudioPaths
from tests.cli_process import run_cli


def _fill(home: Path) -> dict[str, int]:
    moments = iter(datetime(2026, 11, 1, 9, tzinfo=UTC) + timedelta(hours=h) for h in range(99))
    ids = {}
    with Library.open(StudioPaths.under(home), clock=lambda: next(moments)) as library:
        for headline in ("有机绿茶", "珍珠奶茶", "手冲咖啡"):
            spec = {"version": 1, "description": "poster",
                    "texts": [{"role": "headline", "text": headline},
                              {"role": "subhead", "text": "100g \"无添加\""}]}  # fmt: skip
            request = ImageRequest(kind="generate", prompt="p")
            job_id = library.create_job(kind="generate", request=request, engine="local", spec=spec)
            image = library.add_image(job_id, 0, headline.encode(), width=1024, height=768,
                                      output_format="png")  # fmt: skip
            library.mark_running(job_id)
            library.finish_job(job_id, None, 0.0)
            ids[headline] = image.id
        library.set_favourite(ids["珍珠奶茶"])
    return ids


def _lines(home: Path, *argv: str) -> list[dict[str, Any]]:
    result = run_cli(home, "library", *argv, "--json")
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_library_lists_newest_first_with_the_contract_fields(tmp_path: Path) -> None:
    ids = _fill(tmp_path)
    lines = _lines(tmp_path)
    assert [line["id"] for line in lines] == [ids["手冲咖啡"], ids["珍珠奶茶"], ids["有机绿茶"]]
    first = lines[0]
    assert first["texts"] == ["手冲咖啡", '100g "无添加"']
    assert first["exact"] is None
    assert (first["width"], first["height"], first["favourite"]) == (1024, 768, False)
    assert Path(first["path"]).read_bytes() == "手冲咖啡".encode()
    times = [datetime.fromisoformat(line["created_at"]) for line in lines]
    assert times == sorted(times, reverse=True) and times[0].tzinfo is not None
    assert times[-1].date().isoformat() == "2026-11-01"
    assert len(first["job_id"]) == 32


def test_search_for_one_character_finds_both_teas(tmp_path: Path) -> None:
    ids = _fill(tmp_path)
    assert [line["id"] for line in _lines(tmp_path, "--search", "茶")] == [
        ids["珍珠奶茶"], ids["有机绿茶"]
    ]  # fmt: skip
    assert [line["id"] for line in _lines(tmp_path, "--search", "绿茶")] == [ids["有机绿茶"]]
    assert [line["id"] for line in _lines(tmp_path, "--favourites")] == [ids["珍珠奶茶"]]
    assert [line["id"] for line in _lines(tmp_path, "--limit", "1")] == [ids["手冲咖啡"]]


def test_plain_output_and_bad_flags(tmp_path: Path) -> None:
    _fill(tmp_path)
    result = run_cli(tmp_path, "library", "--search", "奶茶")
    assert result.returncode == 0
    (line,) = result.stdout.splitlines()
    assert "1024x768" in line and '★ 珍珠奶茶 / 100g "无添加"' in line
    result = run_cli(tmp_path, "library", "--limit", "0")
    assert result.returncode == 2 and "--limit" in result.stderr
    assert "Traceback" not in result.stderr


def test_exact_comes_from_the_text_check_once_there_is_one(tmp_path: Path) -> None:
    ids = _fill(tmp_path)
    with Library.open(StudioPaths.under(tmp_path)) as library:
        wanted = [RequiredText("有机绿茶")]
        library.record_text_check(
            ids["有机绿茶"], check_texts(wanted, [ReadLine("有机绿茶", (0, 0, 9, 9), 1.0)])
        )
        library.record_text_check(
            ids["珍珠奶茶"],
            check_texts([RequiredText("珍珠奶茶")], [ReadLine("珍珠奶荼", (0, 0, 9, 9), 1.0)]),
        )
    exact = {line["id"]: line["exact"] for line in _lines(tmp_path)}
    assert exact == {ids["有机绿茶"]: True, ids["珍珠奶茶"]: False, ids["手冲咖啡"]: None}
