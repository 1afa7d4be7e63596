"""Read each table's file as raw text, catching every file-level defect before deeper checks.

Later stages get each table as a DataFrame of strings indexed by the file's line number, so every
problem they find can name its line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ilrs_pipeline.problems import Problem, shorten

MAX_CELL_CHARS = 100_000
UTF8_BOM = "\ufeff"


@dataclass(frozen=True)
class Table:
    """One resource: its name, repo-relative file, schema and raw cells ('' for missing)."""

    name: str
    file: str
    schema: dict[str, Any]
    rows: pd.DataFrame

    @property
    def field_names(self) -> list[str]:
        return [field["name"] for field in self.schema["fields"]]


def read_tables(root: Path, descriptor: dict[str, Any]) -> tuple[list[Table], list[Problem]]:
    """Every resource whose file is sound, plus the problems of those that are not."""
    tables: list[Table] = []
    problems: list[Problem] = []
    for resource in descriptor["resources"]:
        table, found = read_table(root, resource)
        problems.extend(found)
        if table is not None:
            tables.append(table)
    return tables, problems


def read_table(root: Path, resource: dict[str, Any]) -> tuple[Table | None, list[Problem]]:
    file = str(resource["path"])
    path = root / file
    if not path.is_file():
        return None, [Problem(file, None, None, "file/missing", None, "the file does not exist")]
    raw = path.read_bytes()
    if not raw:
        return None, [Problem(file, None, None, "file/empty", None, "the file has no bytes")]
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return None, [Problem(file, line, None, "file/binary", None, "the file holds a NUL byte")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        bad = raw[error.start : error.start + 4]
        return None, [Problem(file, line, None, "file/encoding", repr(bad), str(error.reason))]
    if text.startswith(UTF8_BOM):
        return None, [
            Problem(file, 1, None, "file/byte-order-mark", None, "the first bytes are EF BB BF")
        ]
    return _parse(file, text, resource["schema"])


def _parse(file: str, text: str, schema: dict[str, Any]) -> tuple[Table | None, list[Problem]]:
    expected = [field["name"] for field in schema["fields"]]
    csv.field_size_limit(MAX_CELL_CHARS)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    problems: list[Problem] = []
    try:
        header = next(reader, None)
        if header is None:
            return None, [Problem(file, None, None, "file/empty", None, "the file has no header")]
        header_problem = _check_header(file, header, expected)
        if header_problem:
            return None, [header_problem]
        line = reader.line_num + 1
        for cells in reader:
            if len(cells) != len(expected):
                problems.append(_ragged(file, line, cells, len(expected)))
            else:
                rows.append(cells)
                lines.append(line)
            line = reader.line_num + 1
    except csv.Error as error:
        return None, [Problem(file, reader.line_num, None, "file/unparsable", None, str(error))]
    if problems:
        return None, problems
    frame = pd.DataFrame(rows, columns=expected, index=pd.Index(lines, name="line"), dtype=object)
    name = file.rsplit("/", 1)[-1].removesuffix(".csv")
    return Table(name=name, file=file, schema=schema, rows=frame), []


def _check_header(file: str, header: list[str], expected: list[str]) -> Problem | None:
    if header == expected:
        return None
    missing = [name for name in expected if name not in header]
    extra = [name for name in header if name not in expected]
    parts = []
    if missing:
        parts.append(f"missing {', '.join(missing)}")
    if extra:
        parts.append(f"unexpected {', '.join(shorten(name) or '' for name in extra)}")
    if not parts:
        parts.append("columns are out of order")
    message = f"{'; '.join(parts)}; expected: {','.join(expected)}"
    return Problem(file, 1, None, "file/header", shorten(",".join(header)), message)


def _ragged(file: str, line: int, cells: list[str], width: int) -> Problem:
    message = f"the row has {len(cells)} cells, the header has {width}"
    return Problem(file, line, None, "file/ragged-row", shorten(",".join(cells)), message)
