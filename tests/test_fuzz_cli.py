"""Fuzzing the command line: any spec file, any arguments, and never a traceback.

Whatever ``prompt``, ``estimate`` and ``generate`` are given, they end with one of their own exit
codes (CONTRACTS §2), and a failure is exactly one line on stderr (warnings before it are lines of
their own, each saying so). Most examples run in process for speed; ``generate`` stops before
sending (``--out`` names a file, which is checked last), and a few cases run as real processes.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli import main
from app.core.spec import BACKGROUNDS, OUTPUT_FORMATS, QUALITIES, ROLES, TIERS
from app.core.spec_json import SPEC_FIELDS
from tests.cli_process import COMMAND, cli_env
from tests.test_spec_declared_once import objects

EXIT_CODES = {"prompt": {0, 2}, "estimate": {0, 2}, "generate": {0, 2, 3, 4, 130}}
SCALE = int(os.environ.get("ZI_FUZZ_SCALE", "1"))
"""Run longer campaigns with ZI_FUZZ_SCALE=10 (the CI keeps the fixed counts below)."""
FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Any Unicode, with what hostile input holds more often than chance would give it: lone
# surrogates (also what undecodable argv bytes become), controls, direction and zero-width marks.
hostile = st.sampled_from(list("\x1b\x07\x7f\x85\u202e\u2066\u200b\u200d\ufeff\r\n\t\u3000："))
characters = st.one_of(st.characters(), st.characters(categories=["Cs"]), hostile)
any_text = st.text(characters, max_size=24)
# A real argv cannot hold NUL (the kernel ends a string there).
argv_text = st.text(st.one_of(st.characters(exclude_characters="\x00"), hostile), max_size=24)
numbers = st.one_of(
    st.integers(-20, 5000).map(str), st.sampled_from(["9" * 5000, "1e9", "NaN", "-0", "٣", "３"])
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | any_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4),
    max_leaves=10,
)


def choice_or_text(choices: tuple[str, ...]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(choices), argv_text)


FLAG_VALUES: dict[str, st.SearchStrategy[str]] = {
    "--description": argv_text,
    "--style": argv_text,
    "--text": st.one_of(st.builds("{}={}".format, choice_or_text(ROLES), argv_text), argv_text),
    "--ratio": st.one_of(st.sampled_from(["3:4", "3：4", "2.35:1", "9:1", "0:1", "x"]), argv_text),
    "--tier": choice_or_text(TIERS),
    "--size": st.one_of(st.sampled_from(["1024x1024", "auto", "1000x1000", "1x99999"]), argv_text),
    "-n": numbers,
    "--quality": choice_or_text((*QUALITIES, "hd")),
    "--background": choice_or_text(BACKGROUNDS),
    "--format": choice_or_text(OUTPUT_FORMATS),
    "--compression": numbers,
    "--model": choice_or_text(("gpt-image-2", "gpt-image-1", "dall-e-3", "gpt-image-1.5")),
    "--ref": st.one_of(st.sampled_from(["/", ".", "/etc/passwd", "no-such.png"]), argv_text),
}
flag_pairs = st.sampled_from(sorted(FLAG_VALUES)).flatmap(
    lambda flag: FLAG_VALUES[flag].map(lambda value: [flag, value])
)
stray = st.sampled_from(["--json", "--colour", "-", "--", "-n", "--text", "--partial-images"])
arguments = st.lists(st.one_of(flag_pairs, stray.map(lambda token: [token])), max_size=6).map(
    lambda groups: [token for group in groups for token in group]
)

spec_documents = st.one_of(
    objects(SPEC_FIELDS, {"description": "Tea box", "texts": [{"text": "有机绿茶"}]}).map(
        lambda data: json.dumps(data, ensure_ascii=False).encode("utf-8", "surrogatepass")
    ),
    json_values.map(lambda data: json.dumps(data).encode("ascii")),
    st.binary(max_size=64),
    st.sampled_from([b"[" * 50_000, b'{"n": ' + b"7" * 5000 + b"}", b'{"description": NaN}']),
)


@pytest.fixture(scope="module")
def workspace() -> Iterator[Path]:
    """A studio home and a folder for the spec files, one for all examples."""
    with tempfile.TemporaryDirectory() as folder:
        previous = os.environ.get("ZI_STUDIO_HOME")
        os.environ["ZI_STUDIO_HOME"] = str(Path(folder) / "home")
        try:
            yield Path(folder)
        finally:
            if previous is None:
                os.environ.pop("ZI_STUDIO_HOME", None)
            else:
                os.environ["ZI_STUDIO_HOME"] = previous


def run_in_process(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as leaving:  # --help and --version end argparse's way: exit 0
            code = leaving.code if isinstance(leaving.code, int) else 0
    return code, out.getvalue(), err.getvalue()


def assert_one_clear_line(command: str, code: int, out: str, err: str) -> None:
    assert code in EXIT_CODES[command], (code, err)
    assert "Traceback" not in err
    lines = err.splitlines()
    assert all(line.startswith("zi-studio: ") for line in lines), err
    problems = [line for line in lines if not line.startswith("zi-studio: warning: ")]
    if code != 0:
        assert len(problems) == 1, err
    assert "\x1b" not in out + err


def write_spec(workspace: Path, document: bytes | None) -> list[str]:
    if document is None:
        return []
    path = workspace / "spec.json"
    path.write_bytes(document)
    return [str(path)]


def fuzz(command: str, workspace: Path, document: bytes | None, argv: list[str]) -> None:
    full = [command, *write_spec(workspace, document), *argv]
    code, out, err = run_in_process(full)
    assert_one_clear_line(command, code, out, err)


@settings(FUZZ, max_examples=250 * SCALE)
@given(document=st.none() | spec_documents, argv=arguments)
def test_prompt_never_fails_with_a_traceback(
    workspace: Path, document: bytes | None, argv: list[str]
) -> None:
    fuzz("prompt", workspace, document, argv)


@settings(FUZZ, max_examples=200 * SCALE)
@given(document=st.none() | spec_documents, argv=arguments)
def test_estimate_never_fails_with_a_traceback(
    workspace: Path, document: bytes | None, argv: list[str]
) -> None:
    fuzz("estimate", workspace, document, argv)


@settings(FUZZ, max_examples=120 * SCALE)
@given(document=st.none() | spec_documents, argv=arguments)
def test_generate_never_fails_with_a_traceback_before_sending(
    workspace: Path, document: bytes | None, argv: list[str]
) -> None:
    blocker = workspace / "a-file"
    blocker.write_bytes(b"")
    # --out names a file: refused after every input check, before anything is sent.
    fuzz("generate", workspace, document, ["--engine", "local", *argv, "--out", str(blocker)])


# --- as real processes: argv bytes, and generations that do run ---------------------------------


@settings(FUZZ, max_examples=5 * SCALE)
@given(
    raw=st.lists(st.binary(min_size=1, max_size=12).filter(lambda b: b"\x00" not in b), max_size=3)
)
def test_undecodable_argv_bytes_as_a_process(workspace: Path, raw: list[bytes]) -> None:
    command = [os.fsencode(part) for part in COMMAND]
    description = raw[0] if raw else b"x"
    text = b"headline=" + b"".join(raw)
    result = subprocess.run(
        [*command, b"prompt", b"--text", text, b"--description", description],
        capture_output=True, env=cli_env(workspace / "home"), timeout=60, check=False,
    )  # fmt: skip
    err = result.stderr.decode("utf-8")
    assert_one_clear_line("prompt", result.returncode, result.stdout.decode("utf-8"), err)


@settings(FUZZ, max_examples=1 * SCALE)
@given(
    texts=st.lists(st.text(st.characters(), min_size=1, max_size=12), min_size=1, max_size=2),
    description=any_text,
)
def test_generate_on_the_local_engine_as_a_process(
    workspace: Path, texts: list[str], description: str
) -> None:
    spec: dict[str, Any] = {
        "description": description,
        "texts": [{"role": "headline", "text": text} for text in texts],
        "size": "1024x640",
        "quality": "low",
    }
    path = workspace / "generate.json"
    path.write_bytes(json.dumps(spec).encode("ascii"))
    result = subprocess.run(
        [*COMMAND, "generate", str(path), "--engine", "local"],
        capture_output=True, text=True, env=cli_env(workspace / "home"), timeout=180, check=False,
    )  # fmt: skip
    assert_one_clear_line("generate", result.returncode, result.stdout, result.stderr)
