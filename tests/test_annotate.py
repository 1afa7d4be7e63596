"""`ilrs annotate`: every problem of the validation report as a GitHub `::error` command that
names file, line, column and value, and that no crafted value can break out of."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ilrs_pipeline.annotate import column_position, command, escape_data, escape_property, main
from ilrs_pipeline.errors import PipelineError
from ilrs_pipeline.validate import main as validate_main

# A kind that is not allowed, holding what a workflow command would treat as syntax: a comma
# (quoted in the CSV), an encoded line break and the start of another command.
CRAFTED = "planet, 100%0A::warning::injected"


def test_escaping_follows_the_workflow_command_rules():
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("data/a,b:c.csv") == "data/a%2Cb%3Ac.csv"
    # % first, so an already encoded sequence stays literal instead of being decoded by GitHub.
    assert escape_data("%0A") == "%250A"


def test_a_problem_without_a_line_names_only_the_file(tmp_path):
    problem = {
        "file": "datapackage.json",
        "line": None,
        "column": None,
        "rule": "package/unreadable",
        "value": None,
        "message": "not JSON",
        "hint": "fix it",
    }
    assert command(problem, tmp_path) == (
        "::error file=datapackage.json,title=package/unreadable::not JSON (how to fix: fix it)"
    )


def test_the_column_is_found_past_quoted_commas(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "t.csv").write_text('id,"a,b",kind\nx,"1,2",y\n', encoding="utf-8")
    assert column_position(tmp_path, "data/t.csv", 2, "kind") == len('x,"1,2",') + 1
    assert column_position(tmp_path, "data/t.csv", 2, "id") == 1
    assert column_position(tmp_path, "data/t.csv", 3, "kind") is None  # past the last line
    assert column_position(tmp_path, "data/t.csv", 2, "nope") is None


def test_a_symlinked_file_is_not_read_for_its_columns(tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("token,kind\nghp_SECRET,x\n", encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "t.csv").symlink_to(secret)
    assert column_position(tmp_path, "data/t.csv", 2, "kind") is None


@pytest.mark.slow
def test_a_real_report_becomes_commands_with_column_and_value(small_package, capsys):
    """Validate a package with a crafted bad cell, then annotate its JSON report."""
    partners = small_package / "data" / "partners.csv"
    lines = partners.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace(",state,", f',"{CRAFTED}",', 1)
    partners.write_text("".join(lines), encoding="utf-8")
    report = small_package / "build" / "report.json"
    assert validate_main(["--root", str(small_package), "--json", str(report)]) == 1
    capsys.readouterr()

    assert main([str(report), "--root", str(small_package)]) == 0
    out = capsys.readouterr().out.splitlines()
    problems = json.loads(report.read_text(encoding="utf-8"))["problems"]
    assert len(out) == len(problems)
    (enum,) = [line for line in out if "title=schema/enum" in line]
    col = lines[1].index(f'"{CRAFTED}"') + 1
    assert enum.startswith(f"::error file=data/partners.csv,line=2,col={col},title=schema/enum::")
    assert "column 'kind', value 'planet, 100%250A::warning::injected': " in enum
    assert "(how to fix: " in enum
    # One command per line, and nothing GitHub would decode into a second one.
    assert all(line.startswith("::error ") and line.count("::error") == 1 for line in out)
    assert "%0A::warning" not in enum


def test_an_unreadable_report_says_to_validate_first(tmp_path):
    with pytest.raises(PipelineError, match="run `ilrs validate`"):
        main([str(Path(tmp_path / "missing.json"))])
