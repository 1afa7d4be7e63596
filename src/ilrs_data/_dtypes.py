"""Map Table Schema fields to pandas dtypes, so the schemas alone decide every column's type, and
refuse a value that does not fit its field instead of turning it into a missing value.

Text columns get the dtype plain `pandas.read_csv` gives text under the installed pandas when
that is a string dtype (pandas 3: `str`, missing values NaN), so keys merge with frames read the
ordinary way and stay `str`; under pandas 2, whose plain text is untyped `object`, they get
`string` (missing values pd.NA).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ilrs_data._errors import TableValueError
from ilrs_data.types import field_type

Field = dict[str, Any]
Schema = dict[str, Any]

# Table Schema v1 defaults for boolean fields.
DEFAULT_TRUE_VALUES = ("true", "True", "TRUE", "1")
DEFAULT_FALSE_VALUES = ("false", "False", "FALSE", "0")
PARSED_TYPES = ("date", "datetime", "boolean")
SHOWN_VALUES = 3


def _plain_text_dtype() -> Any:
    inferred = pd.Series(["text"]).dtype
    return inferred if isinstance(inferred, pd.StringDtype) else pd.StringDtype()


TEXT_DTYPE = _plain_text_dtype()


def _enum(field: Field) -> list[Any] | None:
    constraints = field.get("constraints")
    return constraints.get("enum") if isinstance(constraints, dict) else None


def field_dtype(field: Field) -> Any:
    """The pandas dtype a column ends with: a categorical of the enum's values, or its type's."""
    enum = _enum(field)
    if enum is not None:
        return pd.CategoricalDtype(categories=enum)
    dtype = field_type(field).pandas
    return TEXT_DTYPE if dtype == "string" else dtype


def _read_dtype(field: Field) -> Any:
    """What read_csv reads a column as: enums as inferred categories (checked, then given the
    enum's), dates and booleans as text (parsed after), the rest as their final dtype."""
    if _enum(field) is not None:
        return "category"
    if field.get("type") in PARSED_TYPES:
        return TEXT_DTYPE
    return field_dtype(field)


@dataclass(frozen=True)
class ReadPlan:
    """What reading one table takes, worked out once per schema: dtypes are costly to build."""

    table: str
    names: tuple[str, ...]
    missing_values: tuple[str, ...]
    read_dtypes: dict[str, Any]
    enums: dict[str, pd.CategoricalDtype]
    parsed_fields: tuple[Field, ...]

    @classmethod
    def from_schema(cls, table: str, schema: Schema) -> ReadPlan:
        fields = schema["fields"]
        return cls(
            table=table,
            names=tuple(f["name"] for f in fields),
            missing_values=tuple(str(v) for v in schema.get("missingValues", [""])),
            read_dtypes={f["name"]: _read_dtype(f) for f in fields},
            enums={f["name"]: field_dtype(f) for f in fields if _enum(f) is not None},
            parsed_fields=tuple(
                f for f in fields if _enum(f) is None and f.get("type") in PARSED_TYPES
            ),
        )


def read_table(data: bytes, plan: ReadPlan) -> pd.DataFrame:
    """Parse one CSV's bytes (already checked against its hash) with every column typed from its
    schema field; TableValueError names the table, column, row and value that do not fit."""
    options: dict[str, Any] = {
        "keep_default_na": False,
        "na_values": list(plan.missing_values),
        "encoding": "utf-8",
    }
    try:
        frame = pd.read_csv(io.BytesIO(data), dtype=plan.read_dtypes, **options)
    except (ValueError, pd.errors.ParserError) as error:  # UnicodeDecodeError is a ValueError
        raise _explain(data, plan, options, error) from error
    if tuple(frame.columns) != plan.names:
        msg = (
            f"table {plan.table}: the CSV's header is {', '.join(map(str, frame.columns))}; "
            f"its schema says {', '.join(plan.names)}. Make them agree."
        )
        raise TableValueError(msg)
    for name, dtype in plan.enums.items():
        frame[name] = _as_enum(plan.table, frame[name], dtype)
    for field in plan.parsed_fields:
        column = frame[field["name"]]
        if field.get("type") == "boolean":
            frame[field["name"]] = _parse_boolean(plan.table, column, field)
        else:
            frame[field["name"]] = _parse_temporal(plan.table, column, field)
    return frame


def _as_enum(table: str, column: pd.Series, dtype: pd.CategoricalDtype) -> pd.Series:
    """The column with the enum's categories, or TableValueError for a value outside it (pandas
    would silently make it missing)."""
    allowed = {str(value): value for value in dtype.categories}
    outside = [value for value in column.cat.categories if value not in allowed]
    if outside:
        rows = column.index[column.isin(outside)]
        words = ", ".join(allowed)
        raise _bad_value(table, column.name, rows, column, f"is not one of: {words}")
    renamed = {value: allowed[value] for value in column.cat.categories if allowed[value] != value}
    if renamed:  # an enum of numbers: CSV text "1" is the category 1
        column = column.cat.rename_categories(renamed)
    return column.cat.set_categories(dtype.categories)


def _parse_boolean(table: str, column: pd.Series, field: Field) -> pd.Series:
    truthy = dict.fromkeys(field.get("trueValues", DEFAULT_TRUE_VALUES), True)
    falsy = dict.fromkeys(field.get("falseValues", DEFAULT_FALSE_VALUES), False)
    parsed = column.map({**truthy, **falsy})
    bad = parsed.isna() & column.notna()
    if bad.any():
        words = ", ".join(map(str, [*truthy, *falsy]))
        raise _bad_value(table, column.name, column.index[bad], column, f"is not one of: {words}")
    return parsed.astype("boolean")


def _parse_temporal(table: str, column: pd.Series, field: Field) -> pd.Series:
    fmt = field.get("format", "default")
    if fmt in ("default", "any"):
        fmt = "%Y-%m-%d" if field.get("type") == "date" else "ISO8601"
    utc = field.get("type") == "datetime"
    try:
        parsed = pd.to_datetime(column, format=fmt, utc=utc)
    except (ValueError, OverflowError, pd.errors.OutOfBoundsDatetime):
        coerced = pd.to_datetime(column, format=fmt, utc=utc, errors="coerce")
        bad = coerced.isna() & column.notna()
        raise _bad_value(
            table, column.name, column.index[bad], column, f"is not {field_type(field).words}"
        ) from None
    return parsed.astype(field_type(field).pandas)


def _bad_value(
    table: str, name: object, rows: pd.Index, column: pd.Series, problem: str
) -> TableValueError:
    shown = ", ".join(
        f"row {int(row) + 1}: {column[row]!r}" for row in rows[:SHOWN_VALUES]
    )  # fmt: skip
    more = f" and {len(rows) - SHOWN_VALUES} more" if len(rows) > SHOWN_VALUES else ""
    msg = (
        f"table {table}, column {name}: {len(rows)} value(s) {problem} ({shown}{more}). The file "
        "does not fit its schema: fix the value or the schema, or get the release again."
    )
    return TableValueError(msg)


def _explain(
    data: bytes, plan: ReadPlan, options: dict[str, Any], error: Exception
) -> TableValueError:
    """Why read_csv failed, in the terms of the table: which column and value, when a typed
    column is the cause, else what pandas said (bad encoding, a row with too many cells)."""
    if isinstance(error, UnicodeDecodeError):
        msg = f"table {plan.table}: the file is not UTF-8 text ({error}); save it as UTF-8"
        return TableValueError(msg)
    try:
        text = pd.read_csv(io.BytesIO(data), dtype=TEXT_DTYPE, **options)
    except (ValueError, pd.errors.ParserError) as again:
        msg = f"table {plan.table}: the CSV cannot be parsed ({again}); fix the file"
        return TableValueError(msg)
    for name, dtype in plan.read_dtypes.items():
        if name in text.columns and dtype not in (TEXT_DTYPE, "category"):
            column = text[name]
            numbers = pd.to_numeric(column, errors="coerce")
            bad = numbers.isna() & column.notna()
            if str(dtype) == "Int64":
                bad |= numbers.notna() & (numbers % 1 != 0)
            if bad.any():
                return _bad_value(plan.table, name, column.index[bad], column, "is not a number")
    msg = f"table {plan.table}: the CSV cannot be read with its schema's types ({error})"
    return TableValueError(msg)
