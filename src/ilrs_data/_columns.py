"""Turn one text column into its schema type, refusing what does not fit (pandas would make it
missing), at the cost of a few numpy or pyarrow calls per column: at the shipped size the fixed
cost of each pandas call is most of what typing a table costs.

Arrow-backed text (pandas with pyarrow) is converted by pyarrow itself; the light install's
Python strings by numpy. Both accept exactly the same values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from ilrs_data._errors import TableValueError
from ilrs_data.types import FieldType

SHOWN_VALUES = 3
# Table Schema's default date format, and the only one the fast paths read.
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_DATE_LENGTH = 10


def arrow_text(column: pd.Series) -> Any:
    """The column's own pyarrow string array, or None when it is not arrow-backed text (the
    light install, or a string layout these paths were not written for)."""
    if getattr(column.dtype, "storage", None) != "pyarrow":
        return None
    import pyarrow as pa  # noqa: PLC0415 - the column is arrow-backed, so pyarrow is there

    array = pa.array(column.array)
    return array if pa.types.is_string(array.type) or pa.types.is_large_string(array.type) else None


@dataclass(frozen=True)
class AllowedValues:
    """A field's allowed values, with the lookups built once per schema."""

    dtype: pd.CategoricalDtype
    values: tuple[Any, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", tuple(self.dtype.categories))

    @cached_property
    def as_written(self) -> pd.Index:
        """The values as the CSV writes them: an enum of numbers is matched against "1", "2"."""
        return pd.Index([str(value) for value in self.values], dtype=object)

    @cached_property
    def arrow_values(self) -> Any:
        import pyarrow as pa  # noqa: PLC0415 - only arrow-backed columns come here

        return pa.array(list(self.as_written), type=pa.large_string())


def as_enum(table: str, column: pd.Series, enum: AllowedValues) -> pd.Categorical:
    """The column as a categorical of the enum, or TableValueError for a value outside it."""
    text = arrow_text(column)
    if text is not None:
        import pyarrow.compute as pc  # noqa: PLC0415

        found = pc.index_in(text, value_set=enum.arrow_values)
        codes = found.fill_null(-1).to_numpy(zero_copy_only=False)
    else:
        codes = enum.as_written.get_indexer(column.array)  # -1: missing or outside
    outside = codes == -1
    if outside.any():
        bad = outside & ~column.array.isna()
        if bad.any():
            words = ", ".join(map(str, enum.values))
            raise bad_value(table, column, bad, f"is not one of: {words}")
    return pd.Categorical.from_codes(codes, dtype=enum.dtype, validate=False)


def as_iso_date(table: str, column: pd.Series, kind: FieldType) -> np.ndarray:
    """A column of YYYY-MM-DD dates (Table Schema's default format) as datetime64 values."""
    missing = column.array.isna()
    try:
        text = arrow_text(column)
        if text is not None:
            import pyarrow as pa  # noqa: PLC0415
            import pyarrow.compute as pc  # noqa: PLC0415

            days = pc.cast(text, pa.date32()).to_numpy(zero_copy_only=False)
        else:
            days = _numpy_days(column, missing)
    except (ValueError, TypeError, ArithmeticError):  # pyarrow's ArrowInvalid is a ValueError
        days = None
    if days is None:
        bad = ~missing & ~np.fromiter(
            (is_iso_date(value) for value in column.to_numpy(dtype=object, na_value="")),
            dtype=bool,
            count=len(column),
        )
        raise bad_value(table, column, bad, f"is not {kind.words}")
    typed: np.ndarray = days.astype(kind.pandas)
    return typed


def _numpy_days(column: pd.Series, missing: np.ndarray) -> np.ndarray | None:
    """numpy parses ISO 8601 at C speed but also takes "2024" or "2024-06" or " 2024-06-01"; a
    value is kept only if numpy writes its date back exactly as the file does."""
    written = column.to_numpy(dtype=object, na_value=None)
    days = written.astype("datetime64[D]")
    again = np.datetime_as_string(days)
    exact = (again == written) & (np.char.str_len(again) == ISO_DATE_LENGTH)
    return days if bool((exact | missing).all()) else None


def is_iso_date(value: object) -> bool:
    """The one definition both fast paths agree with: YYYY-MM-DD, a real day of the calendar."""
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def bad_value(table: str, column: pd.Series, bad: Any, problem: str) -> TableValueError:
    """TableValueError naming the table, the column, the first rows and how many there are."""
    rows = np.flatnonzero(np.asarray(bad, dtype=bool))  # positions: row 1 is the first
    shown = ", ".join(f"row {row + 1}: {column.iloc[row]!r}" for row in rows[:SHOWN_VALUES])
    more = f" and {len(rows) - SHOWN_VALUES} more" if len(rows) > SHOWN_VALUES else ""
    msg = (
        f"table {table}, column {column.name}: {len(rows)} value(s) {problem} ({shown}{more}). "
        "The file does not fit its schema: fix the value or the schema, or get the release again."
    )
    return TableValueError(msg)
