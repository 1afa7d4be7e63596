"""The corpus of broken packages: each is reported with exactly its rule, file, line and column."""

from __future__ import annotations

import datetime as dt
import shutil
import tomllib
from pathlib import Path

import pytest

from ilrs_pipeline.validate import validate
from ilrs_pipeline.validate.rules import RULES

BROKEN = Path(__file__).resolve().parent / "fixtures" / "broken"
CASES: dict[str, dict] = tomllib.loads((BROKEN / "cases.toml").read_text(encoding="utf-8"))
# The fixtures' accessed dates are 2026-11-21; a fixed day keeps "in the future" stable.
TODAY = dt.date(2026, 11, 21)
# Catch-alls for frictionless errors that files and schemas of this package cannot raise: no
# schema uses a length or range constraint, and tables.py rejects malformed rows before them.
# Links cannot be committed portably, and a capped count needs thousands of broken rows:
# test_validation_cli.py makes both at run time.
NOT_IN_CORPUS = {"schema/constraint", "schema/structure", "file/symlink", "report/capped"}
# No schema of this package has a number field: test_validation_numbers.py makes one per cell.
NOT_IN_CORPUS |= {"schema/number-form"}


def broken_package(root: Path, name: str) -> Path:
    """The small valid package at `root` with the case's files laid over it."""
    case = BROKEN / name
    if case.is_dir():
        shutil.copytree(case, root, dirs_exist_ok=True)
    for relative in CASES[name].get("remove", []):
        (root / relative).unlink()
    return root


def place(item: dict) -> tuple:
    """Where an expected problem is: rule, file, line and column."""
    return (item["rule"], item["file"], item.get("line"), item.get("column"))


def test_the_small_package_is_valid(small_package):
    """Without this, every case below could pass on problems the fixture already had."""
    assert validate(small_package, TODAY) == []


@pytest.mark.parametrize("name", sorted(CASES), ids=str)
def test_each_broken_case_reports_exactly_its_defect(small_package, name):
    """The report holds the expected rule at the expected line and column, and nothing else;
    where a case gives the `value`, or part of the `message` or `hint`, the problem shows it."""
    problems = validate(broken_package(small_package, name), TODAY)
    by_place = {(p.rule, p.file, p.line, p.column): p for p in problems}
    assert set(by_place) == {place(item) for item in CASES[name]["expect"]}
    for item in CASES[name]["expect"]:
        problem = by_place[place(item)]
        if "value" in item:
            assert problem.value == item["value"], item
        if "message" in item:
            assert item["message"] in problem.message, (item, problem.message)
        if "hint" in item:
            assert item["hint"] in problem.hint, (item, problem.hint)


def test_the_corpus_covers_every_rule_a_file_can_break():
    """Every rule in the catalogue has a broken file that shows it, bar the listed catch-alls."""
    covered = {item["rule"] for case in CASES.values() for item in case["expect"]}
    assert covered | NOT_IN_CORPUS == set(RULES)
    assert len(covered) >= 25


def test_every_case_has_broken_files_or_removes_one():
    """A case directory with no files would test the valid package under a broken name."""
    for name, case in CASES.items():
        files = [path for path in (BROKEN / name).rglob("*") if path.is_file()]
        assert files or case.get("remove"), name
    assert {path.name for path in BROKEN.iterdir() if path.is_dir()} <= set(CASES)


def test_validation_never_writes_into_the_package(small_package):
    """The validator only reads: every file keeps its bytes and no file appears."""
    root = broken_package(small_package, "schema-enum")
    before = {path: path.read_bytes() for path in root.rglob("*") if path.is_file()}
    validate(root, TODAY)
    after = {path: path.read_bytes() for path in root.rglob("*") if path.is_file()}
    assert after == before
