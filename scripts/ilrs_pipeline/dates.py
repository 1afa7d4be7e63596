"""Partial ISO 8601 dates (YYYY, YYYY-MM, YYYY-MM-DD) as the first and last day they may mean."""

from __future__ import annotations

import pandas as pd

PARTIAL_DATE = r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$"


def date_bounds(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Earliest and latest day each value can mean, and whether it names a real calendar date.

    Missing or malformed values give NaT bounds and a missing flag (the schema reports malformed
    ones); a well-formed value that is no real date (2021-02-30) gives NaT bounds and False.
    """
    parts = values.astype("string").str.extract(PARTIAL_DATE)
    well_formed = parts["year"].notna()
    start_text = parts["year"] + "-" + parts["month"].fillna("01") + "-" + parts["day"].fillna("01")
    start = pd.to_datetime(start_text, format="%Y-%m-%d", errors="coerce")
    end = start.copy()
    month_only = parts["month"].notna() & parts["day"].isna()
    year_only = parts["month"].isna()
    end[month_only] = start[month_only] + pd.offsets.MonthEnd(0)
    end[year_only] = start[year_only] + pd.offsets.YearEnd(0)
    real = pd.Series(pd.NA, index=values.index, dtype="boolean")
    real[well_formed] = start[well_formed].notna()
    return start, end, real
