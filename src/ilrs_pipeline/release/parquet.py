"""Each table as typed Parquet: Arrow types from the Table Schemas, the values the loader reads.

Full dates are `date32` (DuckDB, R and Spark read them as DATE), required fields are
non-nullable, enumerations are dictionaries, and every file's key-value metadata carries the
release's version, licence and the table's description, so a lone file still says what it is.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ilrs_data.types import field_type


def arrow_type(alias: str) -> pa.DataType:
    """The Arrow type a name of ilrs_data.types stands for (pyarrow's aliases, plus timestamps
    with a time zone, which have no alias)."""
    if alias.startswith("timestamp[") and ", tz=" in alias:
        unit, zone = alias.removeprefix("timestamp[").removesuffix("]").split(", tz=")
        timestamp: pa.DataType = pa.timestamp(unit, tz=zone)
        return timestamp
    aliased: pa.DataType = pa.type_for_alias(alias)
    return aliased


def arrow_field(field: dict[str, Any]) -> pa.Field[Any]:
    """The Arrow field of a Table Schema field: enums become dictionaries, like categoricals."""
    value_type = arrow_type(field_type(field).arrow)
    if "enum" in field.get("constraints", {}):
        value_type = pa.dictionary(pa.int32(), value_type)
    metadata = {"description": field["description"]} if "description" in field else None
    required = bool(field.get("constraints", {}).get("required"))
    return pa.field(field["name"], value_type, nullable=not required, metadata=metadata)


def file_metadata(resource: dict[str, Any], facts: dict[str, str]) -> dict[str, str]:
    """The key-value metadata of one table's file."""
    return {
        "table": resource["name"],
        "description": resource.get("description", ""),
        "version": facts["version"],
        "license": facts["licence"],
        "license_url": facts["licence_url"],
        "homepage": facts["homepage"],
        "citation": facts["citation"],
    }


def parquet_bytes(frame: pd.DataFrame, resource: dict[str, Any], facts: dict[str, str]) -> bytes:
    """One table as a Parquet file whose bytes depend only on the data and the library versions."""
    arrow_schema = pa.schema([arrow_field(field) for field in resource["schema"]["fields"]])
    bare = frame.copy(deep=False)
    bare.attrs = {}  # pyarrow would store the loader's attrs, whose source is a build folder
    loose = pa.Table.from_pandas(bare, preserve_index=False)
    metadata = {**(loose.schema.metadata or {}), **_encoded(file_metadata(resource, facts))}
    table = loose.cast(arrow_schema.with_metadata(metadata))
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return bytes(sink.getvalue().to_pybytes())


def parquet_members(
    descriptor: dict[str, Any], frames: dict[str, pd.DataFrame], facts: dict[str, str]
) -> dict[str, bytes]:
    """parquet/<table>.parquet for every resource, by its path inside the Parquet zip."""
    return {
        f"parquet/{resource['name']}.parquet": parquet_bytes(
            frames[resource["name"]], resource, facts
        )
        for resource in descriptor["resources"]
    }


def _encoded(values: dict[str, str]) -> dict[bytes, bytes]:
    return {key.encode(): value.encode() for key, value in values.items()}
