"""Read each table's file as raw text, catching every file-level defect before deeper checks.

Later stages get each table as a DataFrame of strings indexed by the file's line number, so every
problem they find can name its line.
"""

from __future__ import annotations

import _csv
import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from ilrs_pipeline.validate import editors, ragged
from ilrs_pipeline.validate.problems import MAX_LISTED, Problem, shorten
from ilrs_pipeline.validate.tree import absence, is_linked

if TYPE_CHECKING:
    from pathlib import Path

MAX_CELL_CHARS = 100_000
UTF8_BOM = "\ufeff"
CELL_LIMIT_ERROR = "field larger than field limit"


@dataclass(frozen=True)
class Table:
    """One resource whose file is sound: its raw cells ('' for missing), indexed by file line."""

    name: str
    file: str
    schema: dict[str, Any]
    rows: pd.DataFrame

    @property
    def field_names(self) -> list[str]:
        return [field["name"] for field in self.schema["fields"]]

    @property
    def primary_key(self) -> list[str]:
        key = self.schema["primaryKey"]
        return [key] if isinstance(key, str) else list(key)

    def line_of(self, position: int) -> int:
        """The file line of the row frictionless numbers `position` (the header is 1)."""
        inside = 2 <= position <= len(self.rows) + 1
        return int(self.rows.index[position - 2]) if inside else position


def arrow(cells: pd.Series) -> pa.Array:
    """A column of cells as one contiguous pyarrow array, for pyarrow's vectorised kernels."""
    array = pa.array(cells)
    if isinstance(array, pa.ChunkedArray):
        return array.chunk(0) if array.num_chunks == 1 else array.combine_chunks()
    return array


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
    """One resource's file as a Table, or None and the file-level problems that prevent it."""
    file = str(resource["path"])
    path = root / file
    if is_linked(root, file):
        return None, [Problem(file, None, None, "file/symlink", None, "a symbolic link, not read")]
    if not path.is_file():
        return None, [Problem(file, None, None, "file/missing", None, absence(path))]
    raw = path.read_bytes()
    text, problem = _text(file, raw)
    if problem is not None:
        return None, [problem]
    lines, problems = _check_rows(file, text, resource["schema"]["fields"])
    return (None, problems) if problems else _table(resource, raw, lines)


def _text(file: str, raw: bytes) -> tuple[str, Problem | None]:
    """The file as text, or the problem that it is not UTF-8 text without a BOM."""
    if not raw:
        return "", Problem(file, None, None, "file/empty", None, "the file has no bytes")
    wide = editors.utf16(file, raw)
    if wide is not None:
        return "", wide
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return "", Problem(file, line, None, "file/binary", None, "the file holds a NUL byte")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        bad = raw[error.start : error.start + 4]
        message = f"byte {bad[:1].hex().upper()} is not UTF-8 ({error.reason})"
        return "", Problem(file, line, None, "file/encoding", bad.hex(" ").upper(), message)
    if text.startswith(UTF8_BOM):
        return "", Problem(
            file, 1, None, "file/byte-order-mark", None, "the first bytes are EF BB BF"
        )
    return text, None


def _check_rows(
    file: str, text: str, fields: list[dict[str, Any]]
) -> tuple[Sequence[int], list[Problem]]:
    """The file line of every data row, read strictly by the csv module (the parser frictionless
    uses), or the problems that place each defect on its line."""
    expected = [field["name"] for field in fields]
    header_line = text.partition("\n")[0].removesuffix("\r")
    problems = editors.before_parsing(file, text, header_line, expected)
    if problems:
        return [], problems
    csv.field_size_limit(MAX_CELL_CHARS)
    reader = _reader(text)
    try:
        header = next(reader, None)
        widths = np.fromiter(map(len, reader), dtype=np.int64)
    except csv.Error:
        return [], [_parse_error(file, text)]
    problems = _header_problems(file, text, header, expected)
    if problems:
        return [], problems
    lines = _first_lines(text, len(widths) + 1)
    bad = set(np.flatnonzero(widths != len(expected)).tolist())
    return (lines, []) if not bad else ([], _row_problems(file, text, bad, lines, fields))


def _header_problems(
    file: str, text: str, header: list[str] | None, expected: list[str]
) -> list[Problem]:
    """A missing or wrong header, or lines that repeat it or hold only commas."""
    if header is None:
        return [Problem(file, None, None, "file/empty", None, "the file has no header")]
    problem = editors.trailing_empty_columns(file, header, expected) or _check_header(
        file, header, expected
    )
    if problem:
        return [problem]
    header_line = text.partition("\n")[0].removesuffix("\r")
    return [*editors.repeated_headers(file, text, header_line), *editors.empty_rows(file, text)]


def _table(
    resource: dict[str, Any], raw: bytes, lines: Sequence[int]
) -> tuple[Table | None, list[Problem]]:
    """The rows as columns of pyarrow strings, built by pyarrow's parser: several times faster
    than Python lists, and on a file the strict pass has shown to be plain RFC 4180 both
    parsers agree."""
    file, expected = str(resource["path"]), [f["name"] for f in resource["schema"]["fields"]]
    try:
        columns = _columns(raw, expected)
    except pa.ArrowInvalid as error:
        return None, [Problem(file, None, None, "file/unparsable", None, str(error))]
    if columns.num_rows != len(lines):
        message = f"pyarrow reads {columns.num_rows} rows where the csv module reads {len(lines)}"
        return None, [Problem(file, None, None, "file/unparsable", None, message)]
    frame = pd.DataFrame(
        {
            column: pd.arrays.ArrowStringArray(columns[column].combine_chunks())
            for column in expected
        },
        index=pd.Index(lines, name="line"),
    )
    return Table(name=resource["name"], file=file, schema=resource["schema"], rows=frame), []


def _reader(text: str) -> _csv.Reader:
    return csv.reader(io.StringIO(text, newline=""), strict=True)


def _columns(raw: bytes, expected: list[str]) -> pa.Table:
    """Every column as large strings, empty cells as '' (never null), header skipped."""
    return pa_csv.read_csv(
        io.BytesIO(raw),
        read_options=pa_csv.ReadOptions(column_names=expected, skip_rows=1),
        parse_options=pa_csv.ParseOptions(newlines_in_values=True),
        convert_options=pa_csv.ConvertOptions(
            column_types=dict.fromkeys(expected, pa.large_string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )


def _row_problems(
    file: str, text: str, bad: set[int], lines: Sequence[int], fields: list[dict[str, Any]]
) -> list[Problem]:
    """Blank and ragged rows, read again to quote their cells and say why. Only the rows the
    report lists (see problems.capped) are explained: the rest of a bulk breakage is counted."""
    rows = _reader(text)
    next(rows)
    cells_of = {row: cells for row, cells in enumerate(rows) if row in bad}
    ragged_rows = sorted((row, cells) for row, cells in cells_of.items() if cells)
    # One more than are listed, so a row cut in two at the edge still has its second half.
    messages = ragged.explain_rows(dict(ragged_rows[: MAX_LISTED + 1]), fields, lines)
    for row, cells in ragged_rows[MAX_LISTED + 1 :]:
        messages[row] = ragged.counted(cells, len(fields))
    return [
        Problem(file, lines[row], None, "file/ragged-row", shorten(",".join(cells)), messages[row])
        if cells
        else Problem(file, lines[row], None, "file/blank-line", None, "the line is empty")
        for row, cells in sorted(cells_of.items())
    ]


def _first_lines(text: str, records: int) -> Sequence[int]:
    """The file line each data row starts on. Rows follow line by line unless a quoted cell
    spans lines; only then is the file read again, counting lines as the csv module does."""
    breaks = text.count("\n")
    if "\r" in text:
        breaks += text.count("\r") - text.count("\r\n")
    lines = breaks + (not text.endswith(("\n", "\r")))
    if lines == records:
        return range(2, records + 1)
    reader = _reader(text)
    next(reader)
    starts = []
    line = reader.line_num + 1
    for _ in reader:
        starts.append(line)
        line = reader.line_num + 1
    return starts


def _parse_error(file: str, text: str) -> Problem:
    """The csv module's error, at the line where the row that fails to parse starts."""
    reader = _reader(text)
    line = 1
    try:
        for _ in reader:
            line = reader.line_num + 1
    except csv.Error as error:
        if str(error).startswith(CELL_LIMIT_ERROR):
            message = f"a cell runs past {MAX_CELL_CHARS:,} characters"
            return Problem(file, line, None, "file/cell-too-long", None, message)
        return Problem(file, line, None, "file/unparsable", None, str(error))
    return Problem(file, None, None, "file/unparsable", None, "the csv module failed on a re-read")


def _check_header(file: str, header: list[str], expected: list[str]) -> Problem | None:
    if header == expected:
        return None
    missing = [name for name in expected if name not in header]
    extra = [name for name in header if name not in expected]
    parts = []
    if len(missing) == len(extra) == 1:
        parts.append(f"column {shorten(extra[0])!r} should be named {missing[0]!r}")
    else:
        if missing:
            parts.append(f"missing {', '.join(missing)}")
        if extra:
            parts.append(f"unexpected {', '.join(repr(shorten(name)) for name in extra)}")
    if len(header) != len(set(header)):
        parts.append("a column name appears twice")
    if not parts:
        parts.append("columns are out of order")
    message = f"{'; '.join(parts)}; expected: {','.join(expected)}"
    return Problem(file, 1, None, "file/header", shorten(",".join(header)), message)
