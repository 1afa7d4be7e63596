"""Partial ISO 8601 dates (YYYY, YYYY-MM, YYYY-MM-DD) as the first and last day they may mean."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

PARTIAL_DATE = r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$"
YEAR_CHARS = len("2021")
MONTH_CHARS = len("2021-03")
EPOCH_YEAR = 1970
MONTHS = 12
EPOCH = np.datetime64("1970-01-01", "D")
ONE_DAY = np.timedelta64(1, "D")


def day_bounds(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Earliest and latest day each value can mean, and whether it names a real calendar date.

    Days are counted from 1970-01-01 as floats (great-expectations compares numbers far faster
    than timestamps). Missing or malformed values give NaN bounds and a missing flag (the schema
    reports malformed ones); a well-formed value that is no real date (2021-02-30) gives NaN
    bounds and False. Works on whole columns with pyarrow and numpy, never cell by cell.
    """
    text = pa.array(values.fillna(""), type=pa.large_string())
    well_formed = pc.match_substring_regex(text, PARTIAL_DATE).to_numpy(zero_copy_only=False)
    length = pc.utf8_length(text).to_numpy(zero_copy_only=False)
    padded = pc.if_else(pa.array(well_formed), text, "1970-01-01")
    year, month, day = (_integers(padded, start, stop) for start, stop in ((0, 4), (5, 7), (8, 10)))
    month = np.where(length == YEAR_CHARS, 1, month)
    day = np.where(length <= MONTH_CHARS, 1, day)
    first_month = ((year - EPOCH_YEAR) * MONTHS + month - 1).astype("datetime64[M]")
    month_start = first_month.astype("datetime64[D]")
    next_month = (first_month + 1).astype("datetime64[D]")
    real = (
        (month >= 1)
        & (month <= MONTHS)
        & (day >= 1)
        & (day <= (next_month - month_start) / ONE_DAY)
    )
    first = month_start + (day - 1) * ONE_DAY
    year_end = (first.astype("datetime64[Y]") + 1).astype("datetime64[D]") - ONE_DAY
    last = np.where(
        length == YEAR_CHARS, year_end, np.where(length == MONTH_CHARS, next_month - ONE_DAY, first)
    )
    usable = well_formed & real
    real_flag = pd.Series(real, index=values.index, dtype="boolean").where(well_formed)
    return _days(first, usable, values.index), _days(last, usable, values.index), real_flag


def day_number(text: str) -> tuple[float, float]:
    """The first and last day a single partial date may mean (NaN if it is not one)."""
    start, end, _ = day_bounds(pd.Series([text], dtype=object))
    return float(start.iloc[0]), float(end.iloc[0])


def today_number(today: dt.date) -> float:
    return float((np.datetime64(today, "D") - EPOCH) / ONE_DAY)


def _integers(text: pa.Array, start: int, stop: int) -> np.ndarray:
    """Characters start:stop of each value as integers ('' and non-digits as 0)."""
    part = pc.utf8_slice_codeunits(text, start, stop)
    digits = pc.if_else(pc.match_substring_regex(part, r"^\d+$"), part, "0")
    return np.asarray(pc.cast(digits, pa.int64()).to_numpy(zero_copy_only=False))


def _days(days: np.ndarray, usable: np.ndarray, index: pd.Index) -> pd.Series:
    numbers = ((days - EPOCH) / ONE_DAY).astype("float64")
    return pd.Series(np.where(usable, numbers, np.nan), index=index)
