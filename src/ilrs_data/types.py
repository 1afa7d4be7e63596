"""The one map from Table Schema types to every backend: pandas, Arrow, SQLite and words.

The loader's dtypes, the Parquet and SQLite exports, the data dictionary and the validator's
messages all read this module, so a type is mapped once (PUDL keeps its backends' types in one
place for the same reason). Only names are held here (no pyarrow import): Arrow names are
pyarrow's type aliases, e.g. `pyarrow.type_for_alias("date32")`.

Text is named `"string"` here; the loader gives it the dtype plain `pd.read_csv` gives text under
the installed pandas when that is a string dtype (pandas 3: `str`), so merges with ordinary
frames keep their keys `str`, and pandas' typed `"string"` under pandas 2 (ilrs_data._dtypes).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Table Schema v1's lexical forms of whole numbers and numbers, ASCII digits only (a regex's \d
# takes other scripts' too); spaces or tabs around them are allowed, as frictionless and pandas'
# own inference strip them. The loader takes exactly these, and the validator checks them,
# since frictionless also takes 1_000, full-width digits, inf and 1e400.
INTEGER_FORM = r"[ \t]*[-+]?[0-9]+[ \t]*"
NUMBER_FORM = r"[ \t]*([-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?|NaN|INF|-INF)[ \t]*"
INFINITIES = ("INF", "-INF")
# pandas' Int64 holds the whole numbers from -INT64_LIMIT up to INT64_LIMIT - 1.
INT64_LIMIT = 2**63


@dataclass(frozen=True)
class FieldType:
    """One Table Schema type in every backend."""

    pandas: str  # the dtype the loader gives a column (enums become categoricals instead)
    arrow: str  # pyarrow type alias
    sqlite: str  # column affinity
    words: str  # what a valid value looks like, for messages and docs


TYPES: Mapping[str, FieldType] = {
    "string": FieldType("string", "string", "TEXT", "text"),
    "integer": FieldType("Int64", "int64", "INTEGER", "a whole number"),
    "number": FieldType("Float64", "float64", "REAL", "a number"),
    "boolean": FieldType("boolean", "bool", "INTEGER", "true or false"),
    "year": FieldType("Int64", "int64", "INTEGER", "a four-digit year"),
    "date": FieldType("datetime64[us]", "date32", "TEXT", "a date written YYYY-MM-DD"),
    "datetime": FieldType(
        "datetime64[ns, UTC]",
        "timestamp[us, tz=UTC]",
        "TEXT",
        "a date and time written YYYY-MM-DDThh:mm:ssZ",
    ),
}


def field_type(field: Mapping[str, Any]) -> FieldType:
    """The backend types of a Table Schema field (unknown types are read as text)."""
    return TYPES.get(str(field.get("type", "string")), TYPES["string"])


def number_form(field: Mapping[str, Any]) -> str | None:
    """The lexical form a field's cells must have when it holds numbers (None for the rest)."""
    return {"Int64": INTEGER_FORM, "Float64": NUMBER_FORM}.get(field_type(field).pandas)


def number_problem(text: str, *, whole: bool) -> str | None:
    """What is wrong with a cell of a whole-number (Int64) or number (Float64) field as
    written, in the words of a message ("is not a number"); None when the loader takes it."""
    if re.fullmatch(INTEGER_FORM if whole else NUMBER_FORM, text) is None:
        return "is not a whole number" if whole else "is not a number"
    if whole:
        fits = -INT64_LIMIT <= int(text) < INT64_LIMIT
        return None if fits else "is too large for a 64-bit whole number"
    if text.strip(" \t") not in (*INFINITIES, "NaN") and math.isinf(float(text)):
        return "is too large for a float64 number"
    return None
