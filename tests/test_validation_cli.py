"""The validator as contributors and CI meet it: exit codes, the text report, the JSON report."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import NOT_FILES, make_not_a_file
from ilrs_pipeline import validate as validate_module
from ilrs_pipeline.bench.scaling import append_broken_rows
from ilrs_pipeline.validate.problems import Problem, render_text
from test_validation_corpus import TODAY, broken_package

REPO_ROOT = Path(__file__).resolve().parents[1]


def run_cli(root: Path, report: Path) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "ilrs_pipeline",
        "validate",
        "--root",
        str(root),
        "--json",
        str(report),
        "--today",
        TODAY.isoformat(),
    ]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)


def files_under(root: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in root.rglob("*") if path.is_file()}


def test_cli_reports_a_broken_package_and_exits_1(small_package, tmp_path):
    """Exit 1; each problem shows file:line, column, value, rule id and a hint; no traceback;
    the package is left as it was and nothing is written into it."""
    root = broken_package(small_package, "text-line-break-shifts-lines")
    before = files_under(root)
    result = run_cli(root, tmp_path / "report.json")
    assert result.returncode == 1, result.stderr
    assert "data/missions.csv:8 column 'status' value 'planed'" in result.stdout
    assert "[schema/enum]" in result.stdout
    assert "how to fix: Use one of the values listed" in result.stdout
    assert "Found 2 problems in 1 file(s)" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert files_under(root) == before
    assert not (root / "dist").exists()


def test_cli_on_binary_junk_reports_without_a_traceback(small_package, tmp_path):
    """Random bytes in place of the descriptor are a report, not a crash."""
    (small_package / "datapackage.json").write_bytes(bytes(range(256)) * 4)
    result = run_cli(small_package, tmp_path / "report.json")
    assert result.returncode == 1
    assert "[package/unreadable]" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_json_report_carries_what_ci_annotations_need(small_package, tmp_path, capsys):
    """valid, count, by_rule, and per problem file, line, column, rule, title, message, hint."""
    root = broken_package(small_package, "schema-enum")
    report = tmp_path / "report.json"
    code = validate_module.main(
        ["--root", str(root), "--json", str(report), "--today", TODAY.isoformat()]
    )
    assert code == 1
    payload = json.loads(report.read_text(encoding="utf-8"))
    assert payload["valid"] is False
    assert payload["count"] == 1
    assert payload["by_rule"] == {"schema/enum": 1}
    (problem,) = payload["problems"]
    assert problem["file"] == "data/missions.csv"
    assert problem["line"] == 6
    assert problem["column"] == "status"
    assert problem["value"] == "Planned"
    assert problem["rule"] == "schema/enum"
    assert problem["hint"].startswith("Use one of the values")
    assert f"JSON report: {report}" in capsys.readouterr().out


class ClosedPipe:
    """Standard output whose reader has gone, as under `ilrs validate | head`."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


def test_the_json_report_is_written_even_when_the_text_reader_has_gone(
    small_package, tmp_path, monkeypatch
):
    """The JSON report, which CI annotations read, is written before the text is printed."""
    root = broken_package(small_package, "schema-enum")
    report = tmp_path / "report.json"
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    with pytest.raises(BrokenPipeError):  # the CLI's run() turns it into a quiet exit 141
        validate_module.main(["--root", str(root), "--json", str(report), "--today", str(TODAY)])
    assert json.loads(report.read_text(encoding="utf-8"))["by_rule"] == {"schema/enum": 1}


def test_valid_package_exits_0(small_package, tmp_path, capsys):
    code = validate_module.main(
        [
            "--root",
            str(small_package),
            "--json",
            str(tmp_path / "r.json"),
            "--today",
            TODAY.isoformat(),
        ]
    )
    assert code == 0
    assert "Data package is valid" in capsys.readouterr().out


def test_a_bug_in_the_validator_exits_2_without_a_traceback(
    small_package, tmp_path, monkeypatch, capsys
):
    """Exit 2 tells CI the tool failed, not the data; the message asks for a bug report."""

    def broken(root: Path, today: dt.date, verdicts: Path | None) -> list[Problem]:
        raise RuntimeError("simulated")

    monkeypatch.setattr(validate_module, "validate", broken)
    code = validate_module.main(["--root", str(small_package), "--json", str(tmp_path / "r.json")])
    captured = capsys.readouterr()
    assert code == 2
    assert "RuntimeError: simulated" in captured.err
    assert "Traceback" not in captured.err
    assert not (tmp_path / "r.json").exists()


def test_text_report_caps_each_rule_and_counts_the_rest():
    """A thousand findings of one rule stay readable: 50 shown, the rest counted."""
    problems = [
        Problem("data/partners.csv", line, "name", "text/whitespace", "x ", "stray space")
        for line in range(2, 1002)
    ]
    text = render_text(problems)
    assert text.count("[text/whitespace]") == 50
    assert "1000  text/whitespace" in text
    assert "(950 not shown above)" in text


def test_the_repository_data_is_valid():
    """The real package passes every rule, so CI fails only on new problems."""
    assert validate_module.validate(REPO_ROOT, dt.date.today()) == []


FAKE_SECRET = "ghs_FAKEtokenNOTREAL0123456789"


@pytest.mark.parametrize(
    ("link", "reported"),
    [
        ("data/sources.csv", "data/sources.csv"),
        ("schemas/partners.json", "schemas/partners.json"),
        ("datapackage.json", "datapackage.json"),
        ("data", "data"),
    ],
)
def test_a_symbolic_link_is_refused_and_its_target_never_read(
    small_package, tmp_path, link, reported
):
    """A file (or folder) replaced by a link to a secret, as a PR can do with `../.git/config`:
    the link is reported by rule, and the secret appears nowhere, neither in the text report
    nor in the JSON report CI turns into annotations."""
    secret = tmp_path / "config"
    secret.write_text(f'[http]\n\textraheader = "AUTHORIZATION: basic {FAKE_SECRET}"\n')
    target = small_package / link
    if target.is_dir():
        shutil.rmtree(target)
        secret = tmp_path / "secret-folder"
        secret.mkdir()
        for name in ("sources.csv", "partners.csv"):
            (secret / name).write_text(f"id,token\nx,{FAKE_SECRET}\n")
    else:
        target.unlink()
    target.symlink_to(secret)
    report = tmp_path / "report.json"
    result = run_cli(small_package, report)
    assert result.returncode == 1, result.stderr
    payload = json.loads(report.read_text(encoding="utf-8"))
    assert [(p["rule"], p["file"]) for p in payload["problems"]] == [("file/symlink", reported)]
    assert "Traceback" not in result.stdout + result.stderr
    for text in (result.stdout, result.stderr, report.read_text(encoding="utf-8")):
        assert FAKE_SECRET not in text
        assert str(secret) not in text


@pytest.mark.parametrize(
    ("path", "rule"),
    [
        ("data/sources.csv", "file/missing"),
        ("schemas/partners.json", "package/unreadable"),
        ("datapackage.json", "package/unreadable"),
    ],
)
@pytest.mark.parametrize("kind", NOT_FILES)
def test_a_file_that_is_no_regular_file_is_named_and_never_opened(
    small_package, tmp_path, path, rule, kind
):
    """A folder or a named pipe where a file should be: reported at once (a pipe opened for
    reading would wait for a writer forever), and not called missing."""
    make_not_a_file(small_package / path, kind)
    report = tmp_path / "report.json"
    result = run_cli(small_package, report)
    assert result.returncode == 1, result.stderr
    problems = json.loads(report.read_text(encoding="utf-8"))["problems"]
    assert [(p["rule"], p["file"]) for p in problems] == [(rule, path)]
    assert "is not a regular file" in problems[0]["message"]


def test_a_200k_row_broken_table_is_reported_capped(small_package, tmp_path):
    """A bulk edit that breaks two cells on each of 200,000 rows: the report says the count
    was capped, where, and how many rows the semantic rule found, and lists a bounded number
    of problems (frictionless alone stops at 1,000 per file)."""
    broken = {"status": "planed", "launch_date": "2019-13-45"}
    append_broken_rows(small_package / "data" / "missions.csv", 200_000, broken)
    report = tmp_path / "report.json"
    result = run_cli(small_package, report)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "Found at least 2,000 problems in 1 file(s): the count was capped" in result.stdout
    assert "fix these and run again" in result.stdout
    assert "200,000 rows break date/not-a-date in launch_date" in result.stdout
    assert "frictionless stops at 1,000 problems per file" in result.stdout
    payload = json.loads(report.read_text(encoding="utf-8"))
    assert payload["by_rule"] == {"date/not-a-date": 1000, "report/capped": 2, "schema/enum": 1000}
    capped = [p for p in payload["problems"] if p["rule"] == "report/capped"]
    assert {p["file"] for p in capped} == {"data/missions.csv"}


def test_many_problems_of_one_rule_are_capped_with_their_count(small_package):
    """1,500 lines of commas below a table (a spreadsheet's cleared rows): 1,000 are listed,
    and a report/capped problem gives the real count."""
    path = small_package / "data" / "agreements.csv"
    width = len(path.read_text(encoding="utf-8").splitlines()[0].split(","))
    with path.open("a", encoding="utf-8") as handle:
        handle.write(("," * (width - 1) + "\n") * 1500)
    problems = validate_module.validate(small_package, TODAY)
    rules = [problem.rule for problem in problems]
    assert rules.count("file/empty-row") == 1000
    [capped] = [problem for problem in problems if problem.rule == "report/capped"]
    assert capped.file == "data/agreements.csv"
    assert capped.message.startswith("1,500 file/empty-row problems in this file")
    assert "Found at least 1,000 problems" in render_text(problems)


def test_a_cell_built_to_make_the_url_pattern_backtrack_is_named(small_package):
    """A URL cell as long as the reader allows, all `a.a.a...` and then a space: a pattern that
    tried every split of the host took minutes on it (160 s against 8 s with the lookahead;
    not asserted here, since shared machines make timings noise). The report names the cell."""
    path = small_package / "data" / "sources.csv"
    url = "https://" + "a." * 49_990 + "a b"
    path.write_text(
        path.read_text(encoding="utf-8").replace("https://tass.com/science/1078599", url),
        encoding="utf-8",
    )
    problems = validate_module.validate(small_package, TODAY)
    assert [(p.rule, p.file, p.line, p.column) for p in problems] == [
        ("source/https-url", "data/sources.csv", 5, "url")
    ]
