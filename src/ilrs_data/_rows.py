"""Whether every row of a CSV has the header's number of cells, which pandas does not tell: it
fills a short row with missing values. Asked only when a short row is possible, and answered
quickly first, by pyarrow's CSV reader when it is installed, else by counting separators; only
a file that may hold one is read row by row by the csv module, to name the row's line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from ilrs_data._settings import CHUNK_BYTES

# What pandas takes for a blank line, which it skips: nothing but these.
BLANK = " \t"


def rows_are_whole(
    frame: pd.DataFrame, source: bytes | Path, missing_values: Iterable[str]
) -> bool:
    """True when no row of `source` can have fewer cells than the header; False when one may
    (then first_ragged_row says which). `frame` is what pandas read from it, untyped."""
    if _pyarrow() is not None:
        return _arrow_sees_every_row_whole(source, frame.shape[1])
    return _separators_add_up(frame, source, missing_values)


def first_ragged_row(source: bytes | Path, width: int) -> tuple[int, int] | None:
    """The line and cell count of the first row with more or fewer cells than the header, read
    as a stream by the csv module. Lines of nothing but spaces and tabs are skipped, as pandas
    skips them."""
    handle = (
        io.TextIOWrapper(io.BytesIO(source), encoding="utf-8", newline="")
        if isinstance(source, bytes)
        else source.open(encoding="utf-8", newline="")
    )
    # The csv module refuses a cell over 128 KiB by default; no cell is longer than the file.
    size = len(source) if isinstance(source, bytes) else source.stat().st_size
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, size))
    try:
        with handle:
            rows = csv.reader(handle)
            next(rows, None)
            for row in rows:
                if len(row) != width and not _blank(row):
                    return rows.line_num, len(row)
    except (csv.Error, UnicodeDecodeError, OSError):
        return None
    finally:
        csv.field_size_limit(limit)
    return None


def _blank(row: list[str]) -> bool:
    return not row or (len(row) == 1 and not row[0].strip(BLANK))


@cache
def _pyarrow() -> tuple[Any, Any] | None:
    """pyarrow and its CSV reader, or None in the light install (looked for once: a failed
    import searches the path again each time)."""
    try:
        import pyarrow as pa  # noqa: PLC0415 - optional: the light install has no pyarrow
        import pyarrow.csv as pa_csv  # noqa: PLC0415
    except ImportError:
        return None
    return pa, pa_csv


def _arrow_sees_every_row_whole(source: bytes | Path, width: int) -> bool:
    """Whether pyarrow's CSV reader finds every row of `width` cells (False when it cannot read
    the file). Only the first column is converted, in one thread: faster here than its pool."""
    arrow = _pyarrow()
    if arrow is None:
        return False
    pa, pa_csv = arrow
    ragged = []

    def note(row: Any) -> str:
        if row.text.strip(BLANK):
            ragged.append(row)
        return "skip"

    names = [f"c{index}" for index in range(width)]
    try:
        pa_csv.read_csv(
            pa.BufferReader(source) if isinstance(source, bytes) else str(source),
            read_options=pa_csv.ReadOptions(use_threads=False, skip_rows=1, column_names=names),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True, invalid_row_handler=note),
            convert_options=pa_csv.ConvertOptions(
                include_columns=names[:1], column_types={names[0]: pa.large_string()}
            ),
        )
    except (pa.ArrowException, OSError, ValueError):
        return False
    return not ragged


def _separators_add_up(frame: pd.DataFrame, source: bytes | Path, missing: Iterable[str]) -> bool:
    """Whether the file holds exactly the commas of whole rows: width - 1 between the cells of
    each row and of the header, plus those inside cells. A short row lacks one per lost cell
    (a long one was refused by then). Only a quoted cell can hold a comma, so the cells are
    looked at only when the file has a quote; numbers pandas inferred have none."""
    if any("," in value for value in missing):
        return False  # a cell read as missing may have held commas: count rows instead
    separators, quoted = _count(source)
    width = frame.shape[1]
    expected: int = (len(frame) + 1) * (width - 1)
    expected += sum(str(name).count(",") for name in frame)
    if quoted:
        expected += sum(
            _commas_in(frame[name])
            for name, dtype in frame.dtypes.items()
            if dtype.kind not in "biufcmM"
        )
    return separators == expected


def _commas_in(column: pd.Series) -> int:
    """The commas in a text column's cells, missing ones as "": one join, with no Series built
    as dropna would. str() because a column pandas read in chunks may mix numbers in."""
    return "".join(map(str, column.to_numpy(dtype=object, na_value=""))).count(",")


def _count(source: bytes | Path) -> tuple[int, bool]:
    """The commas in the file, and whether it has a quote, read in chunks from a path."""
    if isinstance(source, bytes):
        return source.count(b","), b'"' in source
    separators, quoted = 0, False
    with source.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK_BYTES), b""):
            separators += chunk.count(b",")
            quoted = quoted or b'"' in chunk
    return separators, quoted
