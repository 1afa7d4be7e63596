"""Map Table Schema fields to pandas dtypes, so the schemas alone decide every column's type, and
refuse a value that does not fit its field instead of turning it into a missing value.

Text columns get the dtype plain `pandas.read_csv` gives text under the installed pandas when
that is a string dtype (pandas 3: `str`, missing values NaN), so keys merge with frames read the
ordinary way and stay `str`; under pandas 2, whose plain text is untyped `object`, they get
`string` (missing values pd.NA).

Number fields take exactly Table Schema v1's lexical forms, in both installs: an integer is an
optional sign and ASCII digits (no fraction, no exponent: "1.0" and "1e3" are refused); a number
is a decimal with an optional exponent, or "NaN", "INF" or "-INF". A number whose magnitude
overflows float64 ("1e400") is refused rather than read as infinity. "NaN" loads as a missing
value (pd.NA): number columns are pandas' nullable Float64, which holds no NaN apart from NA.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ilrs_data._columns import AllowedValues, as_enum, as_iso_date, bad_value
from ilrs_data._errors import TableValueError
from ilrs_data._rows import first_ragged_row, rows_are_whole
from ilrs_data.types import FieldType, field_type, number_problem

Field = dict[str, Any]
Schema = dict[str, Any]

# Table Schema v1 defaults for boolean fields.
DEFAULT_TRUE_VALUES = ("true", "True", "TRUE", "1")
DEFAULT_FALSE_VALUES = ("false", "False", "FALSE", "0")
PARSED_TYPES = ("date", "datetime", "boolean")
# Below this, pandas parses a file in one piece rather than in chunks.
ONE_PIECE_BYTES = 4 * 1024 * 1024


@cache
def text_dtype() -> Any:
    """Worked out on first use: building a Series loads pyarrow, which importing should not."""
    inferred = pd.Series(["text"]).dtype
    return inferred if isinstance(inferred, pd.StringDtype) else pd.StringDtype()


def _enum(field: Field) -> list[Any] | None:
    constraints = field.get("constraints")
    return constraints.get("enum") if isinstance(constraints, dict) else None


def field_dtype(field: Field) -> Any:
    """The pandas dtype a column ends with: a categorical of the enum's values, or its type's."""
    enum = _enum(field)
    if enum is not None:
        return pd.CategoricalDtype(categories=enum)
    dtype = field_type(field).pandas
    return text_dtype() if dtype == "string" else dtype


def _is_text(field: Field) -> bool:
    """Whether the column must be read as text: text, enums, and what is parsed from text."""
    return (
        _enum(field) is not None
        or field_type(field).pandas == "string"
        or (field.get("type") in PARSED_TYPES)
    )


@dataclass(frozen=True)
class ReadPlan:
    """What reading one table takes, worked out once per schema: dtypes are costly to build."""

    table: str
    names: tuple[str, ...]
    missing_values: tuple[str, ...]
    text_columns: tuple[str, ...]
    casts: dict[str, Any]
    enums: dict[str, AllowedValues]
    iso_dates: dict[str, FieldType]
    parsed_fields: tuple[Field, ...]

    @classmethod
    def from_schema(cls, table: str, schema: Schema) -> ReadPlan:
        fields = schema["fields"]
        plain = [f for f in fields if _enum(f) is None]
        enums = [f for f in fields if _enum(f) is not None]
        return cls(
            table=table,
            names=tuple(f["name"] for f in fields),
            missing_values=tuple(str(v) for v in schema.get("missingValues", [""])),
            text_columns=tuple(f["name"] for f in fields if _is_text(f)),
            casts={f["name"]: field_dtype(f) for f in fields if not _is_text(f)},
            enums={f["name"]: AllowedValues(field_dtype(f)) for f in enums},
            iso_dates={f["name"]: field_type(f) for f in plain if _is_iso_date(f)},
            parsed_fields=tuple(
                f for f in plain if f.get("type") in PARSED_TYPES and not _is_iso_date(f)
            ),
        )


def _is_iso_date(field: Field) -> bool:
    return field.get("type") == "date" and field.get("format", "default") in ("default", "any")


def read_table(source: bytes | Path, plan: ReadPlan) -> pd.DataFrame:
    """Parse one CSV, its bytes or its file, with every column typed from its schema field;
    TableValueError names the table, column, row and value that do not fit."""
    options: dict[str, Any] = {
        # Never take the first column as the index: a row with one cell too many would
        # otherwise shift every column by one without a word.
        "index_col": False,
        "keep_default_na": False,
        "na_values": list(plan.missing_values),
        "encoding": "utf-8",
        # A small file is parsed in one piece, which is faster; a big one in pandas' chunks
        # (in parallel, when read by path), which bounds the parser's memory.
        "low_memory": not (isinstance(source, bytes) and len(source) < ONE_PIECE_BYTES),
    }
    try:
        # Inferring types is pandas' fastest path (plain read_csv's); text columns it read as
        # numbers, an id like 007 say, are read again as text below, so no value is altered.
        with warnings.catch_warnings():
            # With index_col=False pandas drops the extra cells of a long row, with a warning.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(_opened(source), **options)
    except (ValueError, pd.errors.ParserError, pd.errors.ParserWarning) as error:
        raise _explain(source, plan, options, error) from error  # UnicodeDecodeError too
    if tuple(frame.columns) != plan.names:
        msg = (
            f"table {plan.table}: the CSV's header is {', '.join(map(str, frame.columns))}; "
            f"its schema says {', '.join(plan.names)}. Make them agree."
        )
        raise TableValueError(msg)
    _refuse_short_rows(frame, source, plan)
    _as_text(frame, source, plan, options)
    _refuse_non_numbers(frame, source, plan, options)
    try:
        frame = frame.astype(plan.casts) if plan.casts else frame
    except (ValueError, TypeError, OverflowError) as error:
        raise _explain(source, plan, options, error) from error
    for name, enum in plan.enums.items():
        frame[name] = as_enum(plan.table, frame[name], enum)
    for name, kind in plan.iso_dates.items():
        frame[name] = as_iso_date(plan.table, frame[name], kind)
    for field in plan.parsed_fields:
        column = frame[field["name"]]
        if field.get("type") == "boolean":
            frame[field["name"]] = _parse_boolean(plan.table, column, field)
        else:
            frame[field["name"]] = _parse_temporal(plan.table, column, field)
    return frame


def _refuse_short_rows(frame: pd.DataFrame, source: bytes | Path, plan: ReadPlan) -> None:
    """pandas fills a row with too few cells with missing values, sliding the cells after a
    lost one into the wrong columns. Such a row always lacks its last cell, so rows are looked
    at only when the last column has a missing value, or an empty one where the schema's
    missingValues leave "" a value: first quickly (ilrs_data._rows), then, if one may be short,
    by the csv module, to name its line."""
    if len(plan.names) < 2:  # one column: a row short of its cell is a blank line, skipped
        return
    last = frame[plan.names[-1]].array  # the array's own isna: no Series built per check
    if last.isna().any() or ("" not in plan.missing_values and (last == "").any()):
        if rows_are_whole(frame, source, plan.missing_values):
            return
        ragged = first_ragged_row(source, len(plan.names))
        if ragged is not None:
            raise _ragged(plan, *ragged)


def _refuse_non_numbers(
    frame: pd.DataFrame, source: bytes | Path, plan: ReadPlan, options: dict[str, Any]
) -> None:
    """Number columns whose inferred dtype may hide a value Table Schema refuses are read again
    as text and checked cell by cell: ones not read as numbers (astype would take True/False as
    1 and 0, and what each install's cast takes differs: "0x10" is 16 to pyarrow, "1_000" and
    Arabic-Indic digits numbers to Python), whole-number fields read as floats ("1.0", "1e3"),
    and float columns holding an infinity ("1e400" overflows to one). A column inferred as
    int64, or as float64 without an infinity, is taken as it is: a dtype test and one any()."""
    if not plan.casts:
        return
    dtypes = frame.dtypes.to_dict()
    misread = [
        name for name, dtype in plan.casts.items() if _may_hide(frame, dtypes[name], name, dtype)
    ]
    if misread:
        text = pd.read_csv(_opened(source), usecols=misread, dtype=text_dtype(), **options)
        for name in misread:
            _check_numbers(plan, text[name], plan.casts[name])
            frame[name] = _from_checked_text(text[name], plan.casts[name])


def _from_checked_text(column: pd.Series, dtype: Any) -> Any:
    """A number column from its text, every cell already in Table Schema's form. Whole numbers
    are parsed exactly: through the float64 pandas inferred, 9007199254740993 would load as
    ...992. Other numbers stay text, NaN as missing, for the cast: both installs' casts then
    agree (pyarrow's made "NaN" missing, Python's float() a NaN the nullable Float64 would
    still hold)."""
    if str(dtype) != "Int64":
        return column.mask(column == "NaN")
    missing = column.isna().to_numpy(dtype=bool)
    digits = column.to_numpy(dtype=object, na_value="0")
    return pd.arrays.IntegerArray(digits.astype(np.int64), missing)


def _may_hide(frame: pd.DataFrame, inferred: Any, name: str, dtype: Any) -> bool:
    """Whether a number column's inferred dtype may hide a value its field refuses."""
    if pd.api.types.is_bool_dtype(inferred) or not pd.api.types.is_numeric_dtype(inferred):
        return True
    return pd.api.types.is_float_dtype(inferred) and (
        str(dtype) == "Int64" or bool(np.isinf(frame[name].to_numpy()).any())
    )


def _check_numbers(plan: ReadPlan, column: pd.Series, dtype: Any) -> None:
    """TableValueError for the cells of a number column, as written, that are not in Table
    Schema's lexical form (for a whole number, also one past Int64; for a number, one whose
    magnitude overflows float64): cells not in the form are named first."""
    whole = str(dtype) == "Int64"
    present = column.notna().to_numpy(dtype=bool)
    written = column.to_numpy(dtype=object, na_value="")
    problems = np.array(
        [number_problem(value, whole=whole) if here else None
         for value, here in zip(written, present, strict=True)],
        dtype=object,
    )  # fmt: skip
    not_in_form = "is not a whole number" if whole else "is not a number"
    for words in (not_in_form, *(set(problems) - {None, not_in_form})):
        bad = problems == words
        if bad.any():
            raise bad_value(plan.table, column, bad, words)


def _opened(source: bytes | Path) -> io.BytesIO | str:
    return io.BytesIO(source) if isinstance(source, bytes) else str(source)


def _as_text(
    frame: pd.DataFrame, source: bytes | Path, plan: ReadPlan, options: dict[str, Any]
) -> None:
    """Make every text column text: all-missing ones are cast, ones inference read as numbers
    or booleans are read again from the file as written."""
    dtypes = frame.dtypes.to_dict()  # one lookup per column, not a Series built per column
    misread = []
    for name in plan.text_columns:
        if isinstance(dtypes[name], pd.StringDtype):
            continue
        if frame[name].isna().all():
            frame[name] = frame[name].astype(text_dtype())
        else:
            misread.append(name)
    if misread:
        again = pd.read_csv(_opened(source), usecols=misread, dtype=text_dtype(), **options)
        for name in misread:
            frame[name] = again[name]


def _parse_boolean(table: str, column: pd.Series, field: Field) -> pd.Series:
    truthy = dict.fromkeys(field.get("trueValues", DEFAULT_TRUE_VALUES), True)
    falsy = dict.fromkeys(field.get("falseValues", DEFAULT_FALSE_VALUES), False)
    parsed = column.map({**truthy, **falsy})
    bad = parsed.isna() & column.notna()
    if bad.any():
        words = ", ".join(map(str, [*truthy, *falsy]))
        raise bad_value(table, column, bad, f"is not one of: {words}")
    return parsed.astype("boolean")


def _parse_temporal(table: str, column: pd.Series, field: Field) -> pd.Series:
    """Dates in a format of their own, and datetimes: pandas parses them."""
    fmt = field.get("format", "default")
    if fmt in ("default", "any"):
        fmt = "%Y-%m-%d" if field.get("type") == "date" else "ISO8601"
    utc = field.get("type") == "datetime"
    try:
        parsed = pd.to_datetime(column, format=fmt, utc=utc)
    except (ValueError, OverflowError, pd.errors.OutOfBoundsDatetime):
        coerced = pd.to_datetime(column, format=fmt, utc=utc, errors="coerce")
        bad = coerced.isna() & column.notna()
        raise bad_value(table, column, bad, f"is not {_temporal_words(field)}") from None
    return parsed.astype(field_type(field).pandas)


def _temporal_words(field: Field) -> str:
    """What a valid value looks like: in the field's own format when it has one (else the
    message would ask for YYYY-MM-DD of a field that takes 31/12/2024)."""
    fmt = field.get("format", "default")
    if fmt in ("default", "any"):
        return field_type(field).words
    return f"{'a date' if field.get('type') == 'date' else 'a date and time'} written {fmt}"


def _explain(
    source: bytes | Path, plan: ReadPlan, options: dict[str, Any], error: Exception
) -> TableValueError:
    """Why read_csv failed, in the terms of the table: which column and value, when a typed
    column is the cause, else what pandas said (bad encoding, a row with too many cells)."""
    if isinstance(error, UnicodeDecodeError):
        msg = f"table {plan.table}: the file is not UTF-8 text ({error}); save it as UTF-8"
        return TableValueError(msg)
    ragged = first_ragged_row(source, len(plan.names))
    if ragged is not None:
        return _ragged(plan, *ragged)
    try:
        text = pd.read_csv(_opened(source), dtype=text_dtype(), **options)
    except (ValueError, pd.errors.ParserError) as again:
        msg = f"table {plan.table}: the CSV cannot be parsed ({again}); fix the file"
        return TableValueError(msg)
    for name, dtype in plan.casts.items():
        if name in text.columns:
            try:
                _check_numbers(plan, text[name], dtype)
            except TableValueError as bad:
                return bad
    msg = f"table {plan.table}: the CSV cannot be read with its schema's types ({error})"
    return TableValueError(msg)


def _ragged(plan: ReadPlan, line: int, cells: int) -> TableValueError:
    fix = (
        "quote cells that contain commas"
        if cells > len(plan.names)
        else "write every cell, an empty one as nothing between two commas"
    )
    msg = (
        f"table {plan.table}: the row on line {line} has {cells} cells, the header has "
        f"{len(plan.names)}; {fix}, or get the release again"
    )
    return TableValueError(msg)
