"""`ilrs validate`: check the data package and report every problem in it.

Exit status 0 when the package is valid, 1 when it has problems, 2 when the validator itself failed.
The data is only read, never written; the JSON report goes to build/ unless told otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from ilrs_pipeline.validate import claims, facts, history, numbers
from ilrs_pipeline.validate.descriptor import read_package
from ilrs_pipeline.validate.files import read_tables
from ilrs_pipeline.validate.problems import (
    Problem,
    capped,
    one_cause_per_cell,
    render_text,
    write_json,
)
from ilrs_pipeline.validate.references import check_references
from ilrs_pipeline.validate.rules import register
from ilrs_pipeline.validate.schema import check_structure
from ilrs_pipeline.validate.semantic import check_semantics
from ilrs_pipeline.validate.text import check_text
from ilrs_pipeline.validate.tree import linked_files

DEFAULT_REPORT = Path("build/validation-report.json")
# Suites great-expectations passed, so that an unchanged table is not checked again (see
# verdicts.py); a warm run of unchanged data then never imports great-expectations.
DEFAULT_VERDICTS = Path("build/validation-verdicts.json")
register(*claims.RULES, *facts.RULES, *history.RULES, *numbers.RULES)


def validate(root: Path, today: dt.date, verdicts: Path | None = None) -> list[Problem]:
    """Every problem in the package at `root`: symbolic links first (a linked file is never
    read), then the descriptor (its version first) and files, then cells, schemas, references
    and semantic rules on every table whose file could be read, and last the rules between rows
    and tables (facts, claims, histories), which only mean something once every table is sound:
    run on a broken table they would report its consequences. `verdicts`: where passing
    great-expectations suites are recorded and looked up (None: check every table)."""
    links = linked_files(root)
    if links:
        return links
    descriptor, problems = read_package(root)
    if descriptor is None:
        return problems
    tables, unreadable = read_tables(root, descriptor)
    # A table whose file is unreadable or undeclared may cite sources no other table does.
    missing_tables = [*unreadable, *(p for p in problems if p.rule == "file/undeclared")]
    found = capped(
        one_cause_per_cell(
            [
                *problems,
                *unreadable,
                *check_text(tables),
                *numbers.check_numbers(tables),
                *check_structure(root, tables),
                *check_references(tables, complete=not missing_tables),
                *check_semantics(tables, today, verdicts),
            ]
        )
    )
    if found:
        return found
    return [
        *facts.check_facts(tables),
        *claims.check_claims(tables),
        *history.check_history(tables),
    ]


def stopped_by_problems(root: Path, outcome: str) -> bool:
    """Validate `root` before making something from it; on problems, print them and say that
    `outcome` did not happen. True when the caller must stop."""
    problems = validate(root, dt.date.today())
    if problems:
        print(render_text(problems))
        print(f"\n{outcome}: fix the problems above.")
    return bool(problems)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(), help="folder holding datapackage.json")
    parser.add_argument(
        "--json",
        type=Path,
        default=None,
        help=f"where to write the JSON report (default: ROOT/{DEFAULT_REPORT})",
    )
    parser.add_argument(
        "--today",
        type=dt.date.fromisoformat,
        default=dt.date.today(),
        help="the date events must not be after (YYYY-MM-DD; default: today)",
    )
    parser.add_argument(
        "--recheck",
        action="store_true",
        help="check every table with great-expectations, ignoring the passes recorded in "
        f"{DEFAULT_VERDICTS.name} next to the JSON report",
    )
    args = parser.parse_args(argv)
    root = args.root.resolve()
    report = args.json or root / DEFAULT_REPORT
    verdicts = report.parent / DEFAULT_VERDICTS.name  # build output goes where the report goes
    try:
        problems = validate(root, args.today, None if args.recheck else verdicts)
    except Exception as error:  # the CLI boundary: report, never a traceback
        print(
            f"The validator failed ({type(error).__name__}: {error}). This is a bug in the "
            "ilrs-data pipeline, not in your data: please report it.",
            file=sys.stderr,
        )
        return 2
    write_json(problems, report)  # first: a reader that stops early (`| head`) still gets it
    print(render_text(problems))
    print(f"JSON report: {report}")
    return 1 if problems else 0
