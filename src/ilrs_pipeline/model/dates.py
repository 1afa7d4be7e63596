"""Partial ISO 8601 dates (YYYY, YYYY-MM, YYYY-MM-DD): the one place that reads them.

A value's length is its precision: a year-only date covers the whole year, and nothing here ever
picks a day inside that span. `moment()` reads one value (for rendering and cross-row rules);
`day_bounds()` reads whole columns at once with pyarrow and numpy (for the validator).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

PARTIAL_DATE = r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$"
YEAR_CHARS = len("2021")
MONTH_CHARS = len("2021-03")
DAY_CHARS = len("2021-03-09")
DAY_TEMPLATE = "9999-99-99"  # 9: a digit
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


Precision = Literal["year", "month", "day"]
PRECISION_BY_LENGTH: dict[int, Precision] = {4: "year", 7: "month", 10: "day"}


@dataclass(frozen=True)
class Moment:
    """A date as written in the data, with the first and last day it may mean."""

    text: str
    first: dt.date
    last: dt.date

    @property
    def precision(self) -> Precision:
        return PRECISION_BY_LENGTH[len(self.text)]

    def human(self) -> str:
        """The date as a reader would write it, at its own precision: 5 Sep 2024, Sep 2024, 2024."""
        if self.precision == "year":
            return self.text
        if self.precision == "month":
            return f"{calendar.month_abbr[self.first.month]} {self.first.year}"
        return f"{self.first.day} {calendar.month_abbr[self.first.month]} {self.first.year}"


def moment(text: str) -> Moment:
    """Parse a partial ISO date; a malformed one raises ValueError (validation catches it first)."""
    match = re.match(PARTIAL_DATE, text)
    if match is None:
        msg = f"not a partial ISO date: {text!r}"
        raise ValueError(msg)
    year = int(match["year"])
    if match["month"] is None:
        return Moment(text, dt.date(year, 1, 1), dt.date(year, 12, 31))
    month = int(match["month"])
    if match["day"] is None:
        last_day = calendar.monthrange(year, month)[1]
        return Moment(text, dt.date(year, month, 1), dt.date(year, month, last_day))
    day = dt.date(year, month, int(match["day"]))
    return Moment(text, day, day)


def ends_before(text: str, other: str) -> bool:
    """Whether every day `text` may mean lies before every day `other` may mean: 2021-06 ends
    before 2021-07-01, 2021 does not end before 2021-03-09. False when either is not a partial
    date (the date rules report those)."""
    try:
        return moment(text).last < moment(other).first
    except ValueError:
        return False


def calendar_fault(text: str) -> str | None:
    """Why a date written YYYY-MM or YYYY-MM-DD is not on the calendar (None if it is, or if it
    is not written that way), so a report can say "June 2023 has 30 days" instead of "invalid"."""
    match = re.match(PARTIAL_DATE, text)
    if match is None or match["month"] is None:
        return None
    year, month = int(match["year"]), int(match["month"])
    if not 1 <= month <= MONTHS:
        return f"there is no month {match['month']}: months run from 01 to 12"
    if match["day"] is None:
        return None
    days = calendar.monthrange(year, month)[1]
    day = int(match["day"])
    if 1 <= day <= days:
        return None
    if day == 0:
        return "there is no day 00: days start at 01"
    leap = f" ({year} is not a leap year)" if month == 2 and day == 29 else ""
    return f"{calendar.month_name[month]} {year} has {days} days{leap}"


def _padded(text: str) -> str:
    year, *rest = text.split("-")
    return "-".join([year, *(part.zfill(2) for part in rest)])


# Ways of writing a date that people use instead of YYYY-MM-DD, each with what to say about it.
_MISWRITTEN: tuple[tuple[str, Callable[[str], str]], ...] = (
    (
        r"\d{1,2}[./-]\d{1,2}[./-]\d{4}",
        lambda _: "the year comes last: write it first, YYYY-MM-DD (check which is the day)",
    ),
    (
        r"\d{4}([./])\d{1,2}(?:\1\d{1,2})?",
        lambda text: f"the parts are separated by {text[4]!r}: use '-', as in YYYY-MM-DD",
    ),
    (
        r"\d{4}-\d{1,2}(?:-\d{1,2})?",
        lambda text: f"months and days take two digits: write {_padded(text)}",
    ),
    (
        r"\d{4}-\d{2}-\d{2}.+",
        lambda text: f"{text[DAY_CHARS:]!r} follows the date: give the date alone, YYYY-MM-DD",
    ),
)


def format_fault(text: str) -> str:
    """What keeps a value from being a partial date, pointing at the offending part."""
    for pattern, say in _MISWRITTEN:
        if re.fullmatch(pattern, text):
            return say(text)
    if any(name and name.lower() in text.lower() for name in calendar.month_abbr):
        return "the month is a word: write it as two digits, e.g. 2023-06 for June 2023"
    for position, char in enumerate(text):
        expected = DAY_TEMPLATE[position] if position < len(DAY_TEMPLATE) else ""
        if not (char.isdigit() if expected == "9" else char == expected):
            return f"{char!r} at character {position + 1} does not fit YYYY, YYYY-MM or YYYY-MM-DD"
    return "it stops short: write YYYY, YYYY-MM or YYYY-MM-DD"
