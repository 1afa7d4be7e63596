"""Property: whatever happens to a table's file, the validator ends with a report, never a crash."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ilrs_pipeline.validate import validate
from ilrs_pipeline.validate.problems import Problem, render_text
from ilrs_pipeline.validate.rules import RULES

REPO_ROOT = Path(__file__).resolve().parents[1]
VALID_DATA = Path(__file__).resolve().parent / "fixtures" / "valid" / "data"
TABLES = sorted(path.name for path in VALID_DATA.glob("*.csv"))
TODAY = dt.date(2026, 11, 21)

# Characters that break CSVs and the rules: separators, quotes, line ends, control and
# look-alike characters, spaces, formula starts, and a byte-order mark.
NASTY = st.sampled_from(
    [
        ",",
        '"',
        "\n",
        "\r",
        "\r\n",
        ";",
        "\t",
        "\x00",
        "\x1b",
        " ",
        "\u00a0",
        "\ufeff",
        "=",
        "-",
        "@",
        "\u043e",
        "\u2013",
        "/",
        "",
        "2021-02-30",
        "9999",
        "https://",
        "é",
    ]
)
TEXT = st.one_of(NASTY, st.text(max_size=20), st.lists(NASTY, max_size=5).map("".join))


@st.composite
def mutations(draw: st.DrawFn, original: bytes) -> bytes:
    """One to four random edits of a file's bytes: insert, delete, replace, duplicate, swap
    lines, re-encode, truncate, or replace it with junk."""
    data = original
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(
            st.sampled_from(
                [
                    "insert",
                    "delete",
                    "replace-line",
                    "duplicate-line",
                    "swap-lines",
                    "encode",
                    "truncate",
                    "junk",
                    "huge-cell",
                ]
            )
        )
        position = draw(st.integers(0, len(data)))
        if kind == "insert":
            data = data[:position] + draw(TEXT).encode("utf-8") + data[position:]
        elif kind == "delete":
            data = data[:position] + data[position + draw(st.integers(1, 40)) :]
        elif kind in ("replace-line", "duplicate-line", "swap-lines"):
            data = _edit_lines(draw, data, kind)
        elif kind == "encode":
            codec = draw(st.sampled_from(["latin-1", "utf-16", "cp1252"]))
            data = data.decode("utf-8", "replace").encode(codec, "replace")
        elif kind == "truncate":
            data = data[:position]
        elif kind == "junk":
            data = draw(st.binary(max_size=200))
        else:
            data = data[:position] + b'"' + b"x" * 100_050 + data[position:]
    return data


def _edit_lines(draw: st.DrawFn, data: bytes, kind: str) -> bytes:
    lines = data.split(b"\n")
    first = draw(st.integers(0, len(lines) - 1))
    second = draw(st.integers(0, len(lines) - 1))
    if kind == "replace-line":
        lines[first] = draw(TEXT).encode("utf-8")
    elif kind == "duplicate-line":
        lines.insert(second, lines[first])
    else:
        lines[first], lines[second] = lines[second], lines[first]
    return b"\n".join(lines)


@st.composite
def broken_tables(draw: st.DrawFn) -> dict[str, bytes]:
    """One or two tables of the small valid package, mutated."""
    names = draw(st.lists(st.sampled_from(TABLES), min_size=1, max_size=2, unique=True))
    return {name: draw(mutations((VALID_DATA / name).read_bytes())) for name in names}


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(broken_tables())
def test_any_mutated_file_ends_in_a_report(files):
    """validate() returns problems with known rule ids that the reports can render."""
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        shutil.copy(REPO_ROOT / "datapackage.json", root / "datapackage.json")
        shutil.copytree(REPO_ROOT / "schemas", root / "schemas")
        shutil.copytree(VALID_DATA, root / "data")
        for name, data in files.items():
            (root / "data" / name).write_bytes(data)
        problems = validate(root, TODAY)
        written = {name: (root / "data" / name).read_bytes() for name in files}
    assert all(isinstance(problem, Problem) and problem.rule in RULES for problem in problems)
    assert all(problem.line is None or problem.line >= 1 for problem in problems)
    assert written == files
    text = render_text(problems)
    assert text.startswith("Data package is valid") == (not problems)
    assert all(f"[{problem.rule}]" in text for problem in problems)
    json.dumps([problem.to_dict() for problem in problems])
