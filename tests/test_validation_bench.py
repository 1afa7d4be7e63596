"""The benchmark's synthetic packages: more rows, still valid, so the timings measure real work."""

from __future__ import annotations

import datetime as dt

import pytest

from ilrs_pipeline.bench.scaling import scaled_package
from ilrs_pipeline.validate import validate
from test_validation_corpus import TODAY


def test_a_scaled_package_has_every_row_n_times_and_stays_valid(small_package, tmp_path):
    """Ids, names, references and source lists are rewritten per copy, so no rule fires."""
    target = tmp_path / "scaled"
    target.mkdir()
    rows = scaled_package(small_package, target, 3)
    originals = sum(
        len(path.read_text(encoding="utf-8").splitlines()) - 1
        for path in (small_package / "data").glob("*.csv")
    )
    assert rows == 3 * originals
    assert validate(target, TODAY) == []


@pytest.mark.slow
def test_the_real_package_scaled_stays_valid(repo_root, tmp_path):
    """The shipped rows hold what the small package lacks (status events keyed by date,
    claims on them, discrepancies keeping an id), and copying them must keep them valid."""
    scaled_package(repo_root, tmp_path, 2)
    assert validate(tmp_path, dt.date.today()) == []  # the real data is checked as of today
