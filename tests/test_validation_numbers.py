"""Number cells: what the validator reports is exactly what the loader refuses, including what
frictionless lets through (1_000, full-width digits, inf, 1e400)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import ilrs_data
from ilrs_pipeline.validate import validate
from ilrs_pipeline.validate.descriptor import read_package
from ilrs_pipeline.validate.files import read_tables
from ilrs_pipeline.validate.schema import check_structure

TODAY = dt.date(2026, 12, 1)
# (field type, cell): taken by both or refused by both.
CELLS = [
    ("integer", "12"), ("integer", "+5"), ("integer", "-0"), ("integer", " 7 "),
    ("integer", "1.0"), ("integer", "1e3"), ("integer", "1_000"), ("integer", "\uff11\uff12"),
    ("integer", "0x10"), ("integer", "99999999999999999999999"), ("integer", "٣"),
    ("integer", "INF"), ("integer", "twelve"),
    ("number", "1.5"), ("number", ".5"), ("number", "5."), ("number", "-1e-3"),
    ("number", "2E3"), ("number", "INF"), ("number", "-INF"), ("number", "1.8e308"),
    ("number", "1e400"), ("number", "-1e400"), ("number", "inf"), ("number", "Infinity"),
    ("number", "nan"), ("number", "1_000.5"), ("number", "\uff11.\uff15"), ("number", "1,5"),
    ("year", "2024"), ("year", "2024.0"),
]  # fmt: skip
# What frictionless 5 takes although the loader does not: the reason the validator checks.
FRICTIONLESS_TAKES = [
    ("integer", "1_000"), ("number", "inf"), ("number", "Infinity"), ("number", "1e400"),
    ("number", "1_000.5"),
]  # fmt: skip


def one_cell_package(root: Path, kind: str, cell: str) -> Path:
    """A package of one table whose one row holds `cell` in a field of type `kind`."""
    (root / "data").mkdir(parents=True)
    (root / "data" / "t.csv").write_text(f'id,value\na,"{cell}"\n', encoding="utf-8")
    fields = [{"name": "id", "type": "string"}, {"name": "value", "type": kind}]
    descriptor = {
        "name": "t",
        "version": "1.0.0",
        "resources": [
            {"name": "t", "path": "data/t.csv", "schema": {"fields": fields, "primaryKey": "id"}}
        ],
    }
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return root


def loads(root: Path) -> bool:
    try:
        ilrs_data.load("t", root)
    except ilrs_data.TableValueError:
        return False
    return True


@pytest.mark.parametrize(("kind", "cell"), CELLS, ids=[f"{k}:{c}" for k, c in CELLS])
def test_the_validator_reports_every_number_cell_the_loader_refuses(tmp_path, kind, cell):
    """Validation passing means the table loads; a cell another rule reports first (nan is a
    placeholder) counts as reported."""
    root = one_cell_package(tmp_path, kind, cell)
    problems = validate(root, TODAY)
    on_cell = [p for p in problems if (p.file, p.line, p.column) == ("data/t.csv", 2, "value")]
    assert on_cell == problems
    if not loads(root):
        assert on_cell, "the loader refuses a cell validation passed"
    for problem in on_cell:
        if problem.rule == "schema/number-form":
            assert not loads(root)
            assert repr(cell) in problem.message


@pytest.mark.parametrize(
    ("kind", "cell"), FRICTIONLESS_TAKES, ids=[c for _, c in FRICTIONLESS_TAKES]
)
def test_frictionless_alone_would_let_through_what_the_loader_refuses(tmp_path, kind, cell):
    root = one_cell_package(tmp_path, kind, cell)
    descriptor, problems = read_package(root)
    assert descriptor is not None and not problems
    tables, _ = read_tables(root, descriptor)
    assert check_structure(root, tables) == []
    assert not loads(root)
    assert [p.rule for p in validate(root, TODAY)] == ["schema/number-form"]


def test_an_overflowing_number_is_named_as_too_large(tmp_path):
    root = one_cell_package(tmp_path, "number", "1e400")
    (problem,) = validate(root, TODAY)
    assert "too large for a float64 number" in problem.message
    assert "float64" in problem.hint
