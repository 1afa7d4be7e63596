"""Each table as typed Parquet: Arrow types from the Table Schemas, the values the loader reads.

The pandas metadata pyarrow stores with each file lets `pandas.read_parquet` give back exactly
the DataFrame `ilrs_data.load` gives (same dtypes, categories and missing values).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

ARROW_TYPES = {
    "integer": pa.int64(),
    "year": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    # The loader reads dates and datetimes as datetime64; keep them timestamps so they round-trip.
    "date": pa.timestamp("us"),
    "datetime": pa.timestamp("us", tz="UTC"),
}


def arrow_field(field: dict[str, Any]) -> pa.Field:
    """The Arrow field of a Table Schema field: enums become dictionaries, like categoricals."""
    value_type = ARROW_TYPES.get(field.get("type", "string"), pa.string())
    if "enum" in field.get("constraints", {}):
        value_type = pa.dictionary(pa.int32(), value_type)
    metadata = {"description": field["description"]} if "description" in field else None
    return pa.field(field["name"], value_type, metadata=metadata)


def parquet_bytes(frame: pd.DataFrame, schema: dict[str, Any]) -> bytes:
    """One table as a Parquet file whose bytes depend only on the data and the library versions."""
    arrow_schema = pa.schema([arrow_field(field) for field in schema["fields"]])
    table = pa.Table.from_pandas(frame, schema=arrow_schema, preserve_index=False)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def parquet_members(
    descriptor: dict[str, Any], frames: dict[str, pd.DataFrame]
) -> dict[str, bytes]:
    """parquet/<table>.parquet for every resource, by its path inside the release."""
    return {
        f"parquet/{resource['name']}.parquet": parquet_bytes(
            frames[resource["name"]], resource["schema"]
        )
        for resource in descriptor["resources"]
    }
