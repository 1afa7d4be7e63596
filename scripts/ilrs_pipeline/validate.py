"""`python -m ilrs_pipeline.validate`: check the working tree's data package and report every problem.

Exit status 0 when the package is valid, 1 when it has problems, 2 when the validator itself failed.
The data is only read, never written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import ilrs_data
from ilrs_pipeline.problems import Problem, render_text, write_json
from ilrs_pipeline.tables import read_tables

DEFAULT_REPORT = Path("build/validation-report.json")


def validate(root: Path, today: dt.date) -> list[Problem]:
    """Every problem in the package at `root`: file checks, then schema and semantic checks."""
    descriptor_path = root / "datapackage.json"
    try:
        descriptor = ilrs_data.package(root)
    except (OSError, ValueError, KeyError, TypeError) as error:
        return [Problem("datapackage.json", None, None, "package/unreadable", None, str(error))]
    tables, problems = read_tables(root, descriptor)
    if not problems:
        # frictionless reads the files itself; only hand it files that parse.
        from ilrs_pipeline.structure import check_structure

        problems.extend(check_structure(descriptor_path))
    from ilrs_pipeline.semantics import check_semantics

    return problems + _new_places(check_semantics(tables, today), problems)


def _new_places(found: list[Problem], known: list[Problem]) -> list[Problem]:
    """Drop findings on a cell that an earlier stage already reported, so each cell shows once."""
    seen = {(problem.file, problem.line, problem.column) for problem in known}
    return [problem for problem in found if (problem.file, problem.line, problem.column) not in seen]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(), help="folder holding datapackage.json")
    parser.add_argument("--json", type=Path, default=DEFAULT_REPORT, help="where to write the JSON report")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today(),
                        help="the date events must not be after (YYYY-MM-DD; default: today)")
    args = parser.parse_args(argv)
    try:
        problems = validate(args.root.resolve(), args.today)
    except Exception as error:  # noqa: BLE001 - the CLI boundary: report, never a traceback.
        print(f"The validator failed ({type(error).__name__}: {error}). This is a bug in the "
              "ilrs-data pipeline, not in your data: please report it.", file=sys.stderr)
        return 2
    print(render_text(problems))
    write_json(problems, args.json)
    print(f"JSON report: {args.json}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
