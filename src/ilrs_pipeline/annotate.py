"""`ilrs annotate [REPORT]`: the validation report as GitHub workflow commands, one a problem.

CI prints these after a failed `ilrs validate`, so each problem is marked on its file, line and
column in the pull request's "Files changed" view, with the rule, the offending value and the
hint. The report names a column by its field; GitHub wants a character position, found here in
the CSV line itself. Every part is escaped as GitHub's workflow-command rules say (`%`, CR and
LF in the message; also `:` and `,` in a property), so no value can end the command early or
issue another one. A symbolic link is never opened: it could point at a secret.
"""

from __future__ import annotations

import argparse
import csv
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ilrs_pipeline.errors import PipelineError

DEFAULT_REPORT = Path("build/validation-report.json")


def escape_data(text: str) -> str:
    """A command's message, escaped as the actions toolkit's `escapeData` does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A command's property value (file, title), escaped as the toolkit's `escapeProperty`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def commands(report: Mapping[str, Any], root: Path) -> Iterator[str]:
    """One `::error` command for each problem of a JSON report from `ilrs validate`."""
    for problem in report.get("problems", []):
        yield command(problem, root)


def command(problem: Mapping[str, Any], root: Path) -> str:
    file, line, column = str(problem["file"]), problem.get("line"), problem.get("column")
    properties = [f"file={escape_property(file)}"]
    if isinstance(line, int):
        properties.append(f"line={line}")
        position = column_position(root, file, line, column) if column else None
        if position is not None:
            properties.append(f"col={position}")
    properties.append(f"title={escape_property(str(problem['rule']))}")
    where = f"column '{column}'" if column else ""
    value = problem.get("value")
    if value is not None:
        where += f"{', ' if where else ''}value '{value}'"
    message = f"{where}: {problem['message']}" if where else str(problem["message"])
    message += f" (how to fix: {problem['hint']})"
    return f"::error {','.join(properties)}::{escape_data(message)}"


def column_position(root: Path, file: str, line: int, column: str) -> int | None:
    """The 1-based character position where field `column` starts on `line` of a CSV file, or
    None when it cannot be told (not a CSV, unreadable, a link, or the line is too short)."""
    path = root / file
    if path.suffix != ".csv" or path.is_symlink() or not path.is_file():
        return None
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    if not lines or not 1 <= line <= len(lines):
        return None
    names = next(csv.reader([lines[0]]), [])
    if column not in names:
        return None
    starts = list(_starts(lines[line - 1]))
    index = names.index(column)
    return starts[index] + 1 if index < len(starts) else None


def _starts(text: str) -> Iterator[int]:
    """The 0-based position where each cell of one CSV line starts (commas inside quotes are
    part of a cell)."""
    yield 0
    quoted = False
    for position, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            yield position + 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ilrs annotate", description=__doc__.splitlines()[0])
    parser.add_argument(
        "report",
        nargs="?",
        type=Path,
        default=DEFAULT_REPORT,
        help=f"the JSON report `ilrs validate` wrote (default: {DEFAULT_REPORT})",
    )
    parser.add_argument("--root", type=Path, default=Path(), help="the repository folder")
    args = parser.parse_args(argv)
    try:
        report = json.loads(args.report.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        msg = f"cannot read the validation report {args.report} ({error}); run `ilrs validate`"
        raise PipelineError(msg) from error
    for line in commands(report, args.root):
        print(line)
    return 0
