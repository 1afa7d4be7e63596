"""`ilrs bench loading` times both installs side by side; the light one really lacks pyarrow."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import ilrs_data
from ilrs_pipeline.bench import loading, scaling


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
    assert any(line.split("|")[0].strip().endswith("#") for line in out.splitlines())


def test_the_hashed_copy_makes_the_loader_check_every_file(repo_root, tmp_path):
    """The bench's '#' rows time what a release user gets: every sha256 checked."""
    copy = scaling.hashed_copy(repo_root, tmp_path / "hashed")
    resources = json.loads((copy / "datapackage.json").read_text(encoding="utf-8"))["resources"]
    assert all(r["hash"].startswith("sha256:") and r["bytes"] > 0 for r in resources)
    assert set(ilrs_data.load_all(copy)) == {r["name"] for r in resources}
    sources = copy / "data" / "sources.csv"
    damaged = sources.read_bytes().replace(b"https", b"hxxps", 1)
    sources.unlink()  # a hard link: replace the copy's file, never the repository's
    sources.write_bytes(damaged)
    with pytest.raises(ilrs_data.ChecksumError, match=r"sources\.csv"):
        ilrs_data.load("sources", source=copy)
    assert b"hxxps" not in (repo_root / "data" / "sources.csv").read_bytes()
