"""Templates with rows: a spec whose texts hold ``{column}`` placeholders, and a table of values.

A CSV (UTF-8, a header row) makes one job per row: the placeholders in the spec's description,
style and texts are filled from the row (``{{`` and ``}}`` stand for literal braces). Everything
that would make a row fail is found here, before anything is sent: a placeholder that names no
column (the whole table is refused, naming the column), a row with the wrong number of values,
an empty value where a text needs one, a value that cannot go into a prompt, and whatever the
planner refuses (a prompt over the limit, a bad size).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from app.core.plan import Plan, PlanError
from app.core.spec import Spec, SpecError, TextBlock
from app.core.text_check import TextError, check_text

_PLACEHOLDER: Final = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
_SHOWN_COLUMNS: Final = 12


class TableError(ValueError):
    """A table that cannot be used at all; the message names the line or the column."""


@dataclass(frozen=True, slots=True)
class TableRow:
    index: int
    """0-based, as ``--json`` reports it (the header is not a row)."""
    line: int
    """The row's first line in the file, 1-based (the header is line 1)."""
    values: Mapping[str, str]
    problem: str | None = None
    """Set when the row itself is unusable (its number of values)."""


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    columns: tuple[str, ...]
    rows: tuple[TableRow, ...]


@dataclass(frozen=True, slots=True)
class RowJob:
    """One row made into a job: its filled spec and plan, or the problem that refuses it."""

    row: TableRow
    spec: Spec | None
    plan: Plan | None
    problem: str | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def read_table(data: bytes, name: str) -> Table:
    """The table in ``data`` (a CSV file's bytes); ``TableError`` names what is wrong."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # the byte-order mark spreadsheet programs write
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise TableError(
            f"{name} line {line}: not UTF-8 text (byte 0x{data[error.start]:02x}); save the "
            "table as 'CSV UTF-8' and try again"
        ) from None
    if not text.strip():
        raise TableError(f"{name} is empty: give a header row of column names, then one row a job")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
        columns = _header(header, name)
        rows = tuple(_rows(reader, columns, name))
    except csv.Error as error:
        raise TableError(f"{name} line {reader.line_num}: {error}; check its quote marks") from None
    if not rows:
        raise TableError(f"{name} has a header but no rows: add one row a job")
    return Table(name, columns, rows)


def _header(cells: list[str], name: str) -> tuple[str, ...]:
    columns = tuple(cell.strip() for cell in cells)
    for number, column in enumerate(columns, 1):
        if not column:
            raise TableError(f"{name} line 1: column {number} has no name; name every column")
    seen: set[str] = set()
    for column in columns:
        if column in seen:
            raise TableError(f"{name} line 1: two columns are named {column!r}; rename one")
        seen.add(column)
    return columns


def _rows(reader: Iterator[list[str]], columns: tuple[str, ...], name: str) -> Iterator[TableRow]:
    index = 0
    line = 2
    for cells in reader:
        first_line, line = line, reader.line_num + 1  # type: ignore[attr-defined]
        if not cells or all(not cell.strip() for cell in cells):
            continue  # blank lines are not rows
        problem = None
        if len(cells) != len(columns):
            problem = (
                f"{len(cells)} values, but the header names {len(columns)} columns; "
                "give one value a column (quote values that hold commas)"
            )
        values = dict(zip(columns, (cell.strip() for cell in cells), strict=False))
        yield TableRow(index, first_line, values, problem)
        index += 1
    del name


def placeholders(text: str) -> list[str]:
    """The column names ``text``'s placeholders use, in order (repeats kept)."""
    return [match.group(1).strip() for match in _PLACEHOLDER.finditer(text) if match.group(1)]


def _templated(spec: Spec) -> list[tuple[str, str]]:
    """Where the spec can hold placeholders: (the field's name for messages, its text)."""
    fields = [("description", spec.description), ("style", spec.style)]
    fields += [(f"texts[{i}]", block.text) for i, block in enumerate(spec.texts)]
    return fields


def spec_columns(spec: Spec) -> list[str]:
    """Every column the spec's placeholders use, each once, in order."""
    seen: dict[str, None] = {}
    for _, text in _templated(spec):
        for column in placeholders(text):
            seen.setdefault(column, None)
    return list(seen)


def is_template(spec: Spec) -> bool:
    return bool(spec_columns(spec)) or any(
        "{{" in text or "}}" in text for _, text in _templated(spec)
    )


def check_columns(spec: Spec, table: Table, *, what: str = "the spec") -> None:
    """Refuse a table that lacks a column the spec uses (every row would fail)."""
    missing = [column for column in spec_columns(spec) if column not in table.columns]
    if missing:
        shown = ", ".join(table.columns[:_SHOWN_COLUMNS])
        more = ", …" if len(table.columns) > _SHOWN_COLUMNS else ""
        names = ", ".join(f"{{{column}}}" for column in missing)
        raise TableError(
            f"{what} uses {names}, but {table.name} has no such column (its columns: "
            f"{shown}{more}); add the column or change the placeholder"
        )


def fill(text: str, values: Mapping[str, str], where: str, *, required: bool = False) -> str:
    """``text`` with its placeholders replaced; ``ValueError`` naming the field and column."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        column = match.group(1).strip()
        if not column:
            raise ValueError(f"{where}: an empty placeholder {{}}; write {{{{}}}} for braces")
        if column not in values:
            raise ValueError(f"{where}: {{{column}}} names no column of the table")
        value = values[column]
        if required and not value.strip():
            raise ValueError(f"{where}: column {column!r} is empty, and the text needs it")
        return value

    return _PLACEHOLDER.sub(replace, text)


def fill_spec(spec: Spec, values: Mapping[str, str]) -> Spec:
    """``spec`` with the row's values in its description, style and texts.

    Raises ``ValueError`` with the field and column for a row that cannot fill it.
    """
    description = fill(spec.description, values, "description")
    style = fill(spec.style, values, "style")
    texts: list[TextBlock] = []
    for number, block in enumerate(spec.texts):
        where = f"texts[{number}]"
        text = fill(block.text, values, where, required=True)
        try:
            text = check_text(text, where).text
        except TextError as error:
            raise ValueError(str(error)) from None
        if not text.strip():
            raise ValueError(f"{where}: empty once filled; give the row a value")
        texts.append(dataclasses.replace(block, text=text))
    for where, text in (("description", description), ("style", style)):
        try:
            check_text(text, where)
        except TextError as error:
            raise ValueError(str(error)) from None
    if not description.strip() and not texts:
        raise ValueError("description: empty once filled, and there are no texts")
    return dataclasses.replace(spec, description=description, style=style, texts=tuple(texts))


def plan_rows(spec: Spec, table: Table | None, plan_one: Callable[[Spec], Plan]) -> list[RowJob]:
    """One job per row (one job when there is no table); ``plan_one`` (a planner that raises
    ``PlanError`` or ``SpecError``) is called on each filled spec, so every refusal the run
    would meet is found now. Call ``check_columns`` first."""
    if table is None:
        only = TableRow(0, 0, {})
        return [_row_job(spec, only, plan_one)]
    jobs: list[RowJob] = []
    for row in table.rows:
        if row.problem is not None:
            jobs.append(RowJob(row, None, None, row.problem))
            continue
        try:
            filled = fill_spec(spec, row.values)
        except ValueError as error:
            jobs.append(RowJob(row, None, None, str(error)))
            continue
        jobs.append(_row_job(filled, row, plan_one))
    return jobs


def _row_job(spec: Spec, row: TableRow, plan_one: Callable[[Spec], Plan]) -> RowJob:
    try:
        return RowJob(row, spec, plan_one(spec), None)
    except (PlanError, SpecError) as error:
        return RowJob(row, spec, None, str(error))


def describe_bad_rows(jobs: Sequence[RowJob], table_name: str) -> list[str]:
    """One line per refused row: "row 3 (line 5 of t.csv): texts[0]: …"."""
    return [
        f"row {job.row.index} (line {job.row.line} of {table_name}): {job.problem}"
        for job in jobs
        if job.problem is not None
    ]
