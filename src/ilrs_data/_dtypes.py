"""Map Table Schema fields to pandas dtypes, so the schemas alone decide every column's type."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ilrs_data.types import field_type

Field = dict[str, Any]
Schema = dict[str, Any]

# Table Schema v1 defaults for boolean fields.
DEFAULT_TRUE_VALUES = ("true", "True", "TRUE", "1")
DEFAULT_FALSE_VALUES = ("false", "False", "FALSE", "0")


def field_dtype(field: Field) -> Any:
    """The pandas dtype a field is cast to; dates and booleans are parsed instead (_is_parsed)."""
    enum = field.get("constraints", {}).get("enum")
    if enum is not None:
        return pd.CategoricalDtype(categories=enum)
    dtype = field_type(field).pandas
    return pd.StringDtype() if dtype == "string" else dtype


def _is_parsed(field: Field) -> bool:
    """Whether the field needs parsing from text beyond a dtype cast (dates, booleans)."""
    has_enum = "enum" in field.get("constraints", {})
    return not has_enum and field.get("type") in ("date", "datetime", "boolean")


@dataclass(frozen=True)
class ReadPlan:
    """What reading one table takes, worked out once per schema: dtypes are costly to build."""

    missing_values: tuple[str, ...]
    casts: dict[str, Any]
    text_columns: tuple[str, ...]
    parsed_fields: tuple[Field, ...]

    @classmethod
    def from_schema(cls, schema: Schema) -> ReadPlan:
        fields = schema["fields"]
        casts = {f["name"]: field_dtype(f) for f in fields if not _is_parsed(f)}
        text = tuple(
            name
            for name, dtype in casts.items()
            if isinstance(dtype, pd.StringDtype | pd.CategoricalDtype)
        )
        return cls(
            missing_values=tuple(schema.get("missingValues", [""])),
            casts=casts,
            text_columns=text,
            parsed_fields=tuple(f for f in fields if _is_parsed(f)),
        )


# Below this size pandas' fixed cost per column cast dominates, so typed parsing is faster;
# above it, inferring then casting is (see `nox -s bench`).
TYPED_PARSE_MAX_BYTES = 512 * 1024


def read_table(data: bytes, plan: ReadPlan) -> pd.DataFrame:
    """Parse one CSV's bytes (already checked against its hash) with every column typed from its
    schema field."""
    options: dict[str, Any] = {
        "keep_default_na": False,
        "na_values": list(plan.missing_values),
        "encoding": "utf-8",
    }
    if len(data) <= TYPED_PARSE_MAX_BYTES:
        text = dict.fromkeys((f["name"] for f in plan.parsed_fields), pd.StringDtype())
        frame = pd.read_csv(io.BytesIO(data), dtype={**plan.casts, **text}, **options)
    else:
        frame = _read_inferred(data, plan, options)
    for field in plan.parsed_fields:
        column = frame[field["name"]]
        if field.get("type") == "boolean":
            frame[field["name"]] = _parse_boolean(column, field)
        else:
            frame[field["name"]] = _parse_temporal(column, field)
    return frame


def _read_inferred(data: bytes, plan: ReadPlan, options: dict[str, Any]) -> pd.DataFrame:
    """Let pandas infer types, then cast; text columns it read as numbers or booleans (an id
    like 007, say) are read again as text, so no value is altered."""
    frame = pd.read_csv(io.BytesIO(data), **options)
    misread = [name for name in plan.text_columns if not _is_text(frame[name])]
    misread += [field["name"] for field in plan.parsed_fields if not _is_text(frame[field["name"]])]
    if misread:
        again = pd.read_csv(io.BytesIO(data), usecols=misread, dtype=str, **options)
        frame[misread] = again[misread]
    text = dict.fromkeys((f["name"] for f in plan.parsed_fields), pd.StringDtype())
    return frame.astype({**plan.casts, **text})


def _is_text(column: pd.Series) -> bool:
    """Whether inference kept the column as text (or found it all missing)."""
    return bool(pd.api.types.is_string_dtype(column) or column.isna().all())


def _parse_boolean(column: pd.Series, field: Field) -> pd.Series:
    truthy = dict.fromkeys(field.get("trueValues", DEFAULT_TRUE_VALUES), True)
    falsy = dict.fromkeys(field.get("falseValues", DEFAULT_FALSE_VALUES), False)
    return column.map({**truthy, **falsy}).astype("boolean")


def _parse_temporal(column: pd.Series, field: Field) -> pd.Series:
    fmt = field.get("format", "default")
    if fmt in ("default", "any"):
        fmt = "%Y-%m-%d" if field.get("type") == "date" else "ISO8601"
    utc = field.get("type") == "datetime"
    return pd.to_datetime(column, format=fmt, utc=utc).astype(field_type(field).pandas)
