"""Partial ISO dates (YYYY, YYYY-MM, YYYY-MM-DD) as the span of days they may mean.

A value's length is its precision: a year-only date covers the whole year, and nothing here ever
picks a day inside that span.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from ilrs_pipeline.model.dates import PARTIAL_DATE

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
