"""Templates with rows: the table read, placeholders filled, bad rows found before sending."""

from __future__ import annotations

import pytest

from app.core.models import MAX_PROMPT_CHARS
from app.core.plan import plan_generation
from app.core.rows import (
    TableError,
    check_columns,
    describe_bad_rows,
    fill,
    fill_spec,
    placeholders,
    plan_rows,
    read_table,
    spec_columns,
)
from app.core.spec import Spec, TextBlock

TEMPLATE = Spec(
    description="A product card for {name}, {{studio}} light",
    style="{mood}",
    texts=(TextBlock("headline", "{name}"), TextBlock("price", "¥{price}")),
    size="1024x1024",
)


def test_a_table_is_read_with_its_header_quotes_and_a_byte_order_mark() -> None:
    data = '\ufeffname,price,mood\n有机绿茶,39,calm\n红茶,"1,299",warm\n\n'.encode()
    table = read_table(data, "t.csv")
    assert table.columns == ("name", "price", "mood")
    assert [row.values["price"] for row in table.rows] == ["39", "1,299"]
    assert [(row.index, row.line) for row in table.rows] == [(0, 2), (1, 3)]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "t.csv is empty"),
        (b"  \n\n", "t.csv is empty"),
        (b"name,price\n", "has a header but no rows"),
        ("name\n绿茶\n".encode("gbk"), "t.csv line 2: not UTF-8 text"),
        (b"name,,price\na,b,c\n", "column 2 has no name"),
        (b"name,name\na,b\n", "two columns are named 'name'"),
        (b'name\n"open\n', "t.csv line"),
    ],
)
def test_a_table_that_cannot_be_used_is_refused_naming_the_line(data: bytes, expected: str) -> None:
    with pytest.raises(TableError, match=expected):
        read_table(data, "t.csv")


def test_placeholders_are_found_and_doubled_braces_are_literal() -> None:
    assert placeholders("{a} and {{b}} and { c }") == ["a", "c"]
    assert spec_columns(TEMPLATE) == ["name", "mood", "price"]
    assert fill("{{x}} {a}", {"a": "1"}, "description") == "{x} 1"


def test_a_missing_column_refuses_the_table_naming_the_column() -> None:
    table = read_table(b"name,price\na,1\n", "t.csv")
    with pytest.raises(TableError, match=r"uses \{mood\}, but t.csv has no such column"):
        check_columns(TEMPLATE, table)


def test_each_row_fills_the_description_style_and_texts() -> None:
    spec = fill_spec(TEMPLATE, {"name": "乌龙茶", "price": "59", "mood": "warm"})
    assert spec.description == "A product card for 乌龙茶, {studio} light"
    assert spec.style == "warm"
    assert [block.text for block in spec.texts] == ["乌龙茶", "¥59"]
    assert spec.size == TEMPLATE.size


def test_bad_rows_are_marked_with_their_reason_and_the_good_ones_planned() -> None:
    long_name = "长" * (MAX_PROMPT_CHARS + 1)
    rows = "\n".join(
        ["name,price,mood", "绿茶,39,calm", "红茶,,warm", f"{long_name},9,calm", "a,b"]
    )
    table = read_table(rows.encode(), "t.csv")
    jobs = plan_rows(TEMPLATE, table, plan_generation)
    assert [job.ok for job in jobs] == [True, False, False, False]
    assert jobs[0].plan is not None and "绿茶" in jobs[0].plan.request.prompt
    lines = describe_bad_rows(jobs, "t.csv")
    assert lines[0].startswith("row 1 (line 3 of t.csv): texts[1]: column 'price' is empty")
    assert lines[1].startswith("row 2 (line 4 of t.csv)") and "32,000" in lines[1]
    assert lines[2].startswith("row 3 (line 5 of t.csv): 2 values, but the header names 3")


def test_a_value_that_cannot_go_into_a_prompt_marks_its_row() -> None:
    table = read_table("name,price,mood\n绿\u0007茶,1,calm\n".encode(), "t.csv")
    (job,) = plan_rows(TEMPLATE, table, plan_generation)
    assert not job.ok and job.problem is not None and "texts[0]" in job.problem


def test_without_a_table_the_spec_is_one_job() -> None:
    spec = Spec(description="tea", texts=(TextBlock("headline", "绿茶"),))
    (job,) = plan_rows(spec, None, plan_generation)
    assert job.ok and job.spec == spec
