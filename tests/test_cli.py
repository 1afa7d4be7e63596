"""The `ilrs` command: one entry point, every stage listed, every failure a message."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from ilrs_pipeline.cli import COMMANDS, main
from ilrs_pipeline.release.build import LINKED_DOCUMENTS, RELEASE_DOCUMENTS


def test_help_lists_every_stage(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in ("validate", "build", "diff", "docs", "site", "release-check", "bench"):
        assert name in COMMANDS
        assert f"  {name} " in out


def test_an_unknown_command_exits_2_with_the_list(capsys):
    assert main(["vaildate"]) == 2
    err = capsys.readouterr().err
    assert "unknown command 'vaildate'" in err
    assert "release-check" in err


def test_a_project_error_is_a_message_not_a_traceback(small_package, repo_root, capsys):
    """A broken pyproject.toml stops the site with what to fix, exit status 1."""
    for name in (*RELEASE_DOCUMENTS, *LINKED_DOCUMENTS):
        (small_package / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(repo_root / name, small_package / name)
    (small_package / "pyproject.toml").write_text("[project\nname = ", encoding="utf-8")
    status = main(["site", "--root", str(small_package), "--out", str(small_package / "out")])
    err = capsys.readouterr().err
    assert status == 1, err
    assert "pyproject.toml" in err
    assert "Traceback" not in err
    assert not (small_package / "out").exists()


@pytest.mark.parametrize("stage", ["docs", "release-check"])
def test_a_stage_on_a_folder_without_a_package_fails_cleanly(tmp_path, capsys, stage):
    status = main([stage, "--root", str(tmp_path)])
    err = capsys.readouterr().err
    assert status in (1, 2)
    assert "Traceback" not in err
    assert err.strip(), "a failing stage says why"


@pytest.mark.slow
def test_a_reader_that_stops_reading_is_not_a_pipeline_bug():
    """`ilrs validate | head`: the stage's output meets a closed pipe; that is no bug to report
    and no traceback, but the status a shell gives a command whose reader left."""
    stage = "from ilrs_pipeline.cli import run; raise SystemExit(run('validate', lambda: "
    stage += "print('problem\\n' * 200_000) or 1))"
    command = f'{sys.executable} -c "{stage}" | head -n 1; exit ${{PIPESTATUS[0]}}'
    result = subprocess.run(
        ["bash", "-c", command], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.stdout == "problem\n"
    assert result.stderr == ""
    assert result.returncode == 141
