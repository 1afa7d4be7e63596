"""Map Table Schema fields to pandas dtypes, so the schemas alone decide every column's type."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

Field = dict[str, Any]
Schema = dict[str, Any]

# Table Schema v1 defaults for boolean fields.
DEFAULT_TRUE_VALUES = ("true", "True", "TRUE", "1")
DEFAULT_FALSE_VALUES = ("false", "False", "FALSE", "0")

_PARSED_AS_TEXT = {"date", "datetime", "boolean"}


def field_dtype(field: Field) -> Any:
    """The pandas dtype a field ends up with once loaded."""
    enum = field.get("constraints", {}).get("enum")
    if enum is not None:
        return pd.CategoricalDtype(categories=enum)
    kind = field.get("type", "string")
    if kind in ("date", "datetime"):
        return "datetime64[ns]"
    return {
        "integer": "Int64",
        "year": "Int64",
        "number": "Float64",
        "boolean": "boolean",
    }.get(kind, pd.StringDtype())


def _read_dtype(field: Field) -> Any:
    """The dtype read_csv should use: text for types that need a second parsing step."""
    if field.get("type") in _PARSED_AS_TEXT and "enum" not in field.get("constraints", {}):
        return pd.StringDtype()
    return field_dtype(field)


def _parse_boolean(column: pd.Series, field: Field) -> pd.Series:
    truthy = {value: True for value in field.get("trueValues", DEFAULT_TRUE_VALUES)}
    falsy = {value: False for value in field.get("falseValues", DEFAULT_FALSE_VALUES)}
    return column.map({**truthy, **falsy}).astype("boolean")


def _parse_temporal(column: pd.Series, field: Field) -> pd.Series:
    fmt = field.get("format", "default")
    if fmt in ("default", "any"):
        fmt = "%Y-%m-%d" if field.get("type") == "date" else "ISO8601"
    return pd.to_datetime(column, format=fmt).astype("datetime64[ns]")


def read_table(path: Path, schema: Schema) -> pd.DataFrame:
    """Read one CSV with every column typed from its schema field."""
    fields = schema["fields"]
    frame = pd.read_csv(
        path,
        dtype={field["name"]: _read_dtype(field) for field in fields},
        keep_default_na=False,
        na_values=schema.get("missingValues", [""]),
        encoding="utf-8",
    )
    for field in fields:
        name = field["name"]
        if "enum" in field.get("constraints", {}):
            continue
        if field.get("type") == "boolean":
            frame[name] = _parse_boolean(frame[name], field)
        elif field.get("type") in ("date", "datetime"):
            frame[name] = _parse_temporal(frame[name], field)
    return frame
