"""Turn data values into the words a reader expects: CSV text, enum slugs as phrases, counts."""

from __future__ import annotations

import pandas as pd


def humanize(value: str) -> str:
    """An enum value as a phrase: memorandum_of_understanding -> memorandum of understanding."""
    return value.replace("_", " ")


def capitalized(value: str) -> str:
    """A phrase with a capital first letter, for chart labels: space_agency -> Space agency."""
    phrase = humanize(value)
    return phrase[:1].upper() + phrase[1:]


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """'1 partner', '3 partners'."""
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


def as_text(column: pd.Series) -> pd.Series:
    """Typed values back to how the CSV writes them (dates as YYYY-MM-DD)."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return column.dt.strftime("%Y-%m-%d").astype("string")
    return column.astype("string")
