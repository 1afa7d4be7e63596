"""`ilrs bench loading` times both installs side by side; the light one really lacks pyarrow."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ilrs_pipeline.bench import loading


@pytest.mark.slow
@pytest.mark.parametrize(("flags", "has_pyarrow"), [([], True), (["--no-pyarrow"], False)])
def test_the_timing_subprocess_runs_with_and_without_pyarrow(repo_root, flags, has_pyarrow):
    command = [sys.executable, "-m", "ilrs_pipeline.bench.load_timing", str(repo_root), "1"]
    result = json.loads(subprocess.run([*command, *flags], capture_output=True, text=True,
                                       check=True).stdout)  # fmt: skip
    assert result["pyarrow"] is has_pyarrow
    assert result["rows"] > 0 and result["plain"] > 0 and result["typed"] > 0


@pytest.mark.slow
def test_the_loading_bench_prints_both_installs_and_the_ratios(repo_root, capsys):
    assert loading.main(["--root", str(repo_root), "--factors", "1", "--repeats", "1"]) == 0
    out = capsys.readouterr().out
    assert "with pyarrow" in out and "pandas only" in out
    row = next(line for line in out.splitlines() if line.strip().endswith("<= 1.1"))
    assert len(row.split("|")) == 3  # rows, then one cell group per install
    assert "pyarrow in the light runs: False" in out
