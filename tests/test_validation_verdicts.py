"""Recorded great-expectations passes: an unchanged table is not checked twice, a changed one
always is, and a run whose tables all passed before never imports great-expectations."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ilrs_pipeline.validate import semantic, validate
from test_validation_corpus import TODAY, broken_package


def refuse_great_expectations() -> None:
    raise AssertionError("great-expectations was asked although every table had a recorded pass")


def test_a_recorded_pass_is_reused_and_a_changed_cell_is_checked_again(
    small_package, tmp_path, monkeypatch
):
    verdicts = tmp_path / "verdicts.json"
    assert validate(small_package, TODAY, verdicts) == []
    recorded = json.loads(verdicts.read_text(encoding="utf-8"))["passed"]
    assert len(recorded) >= 5
    with monkeypatch.context() as patch:
        patch.setattr(semantic, "_batch_definition", refuse_great_expectations)
        assert validate(small_package, TODAY, verdicts) == []
    broken = broken_package(small_package, "date-not-real")
    assert {(p.rule, p.file) for p in validate(broken, TODAY, verdicts)} == {
        ("date/not-a-date", "data/agreements.csv")
    }
    # The failing table's pass is gone, the others' stay.
    assert len(json.loads(verdicts.read_text(encoding="utf-8"))["passed"]) == len(recorded) - 1


def test_another_day_is_another_verdict(small_package, tmp_path, monkeypatch):
    """'Not in the future' depends on today, so a pass recorded yesterday is not reused."""
    verdicts = tmp_path / "verdicts.json"
    validate(small_package, TODAY, verdicts)
    calls = []
    original = semantic._batch_definition
    monkeypatch.setattr(semantic, "_batch_definition", lambda: calls.append(1) or original())
    validate(small_package, TODAY.replace(day=TODAY.day + 1), verdicts)
    assert calls


@pytest.mark.parametrize("junk", ["not json", '{"passed": 3}', "[]", ""])
def test_an_unreadable_verdicts_file_counts_as_none(small_package, tmp_path, junk):
    verdicts = tmp_path / "verdicts.json"
    verdicts.write_text(junk, encoding="utf-8")
    assert validate(small_package, TODAY, verdicts) == []
    assert json.loads(verdicts.read_text(encoding="utf-8"))["passed"]


@pytest.mark.slow
def test_a_run_of_recorded_passes_never_imports_great_expectations(small_package, tmp_path):
    """The point of recording: the seconds great-expectations takes to import are not spent."""
    verdicts = tmp_path / "verdicts.json"
    today = f"dt.date.fromisoformat({TODAY.isoformat()!r})"
    script = (
        "import sys, datetime as dt; from pathlib import Path; "
        "from ilrs_pipeline.validate import validate; "
        f"assert validate(Path({str(small_package)!r}), {today}, Path({str(verdicts)!r})) == []; "
        "print('great_expectations' in sys.modules)"
    )
    runs = [
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
        for _ in range(2)
    ]
    assert [run.stdout.strip() for run in runs] == ["True", "False"]
