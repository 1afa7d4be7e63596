"""Tables the release derives from the data: row→source links and the countries the data names.

Both ship in the release package as CSV resources with their own Table Schemas (and from there
in the workbook, Parquet and SQLite), so citing a row's sources is a join rather than a split of
`source_ids`, and a `country_code` reads as a name. Neither is kept by hand: the links come from
every field the schemas mark `sourceList`, the countries from every field marked `countryCode`,
named by pycountry (ISO 3166-1) and placed in a region by render.regions.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pycountry

from ilrs_pipeline.errors import PipelineError
from ilrs_pipeline.render.regions import region_of

Resource = dict[str, Any]
Schema = dict[str, Any]
SLUG = "^[a-z0-9]+(-[a-z0-9]+)*$"


class UnknownCountryError(PipelineError):
    """A country code pycountry does not know; validation should have stopped it."""


@dataclass(frozen=True)
class DerivedTable:
    """One derived table: its resource entry (schema by path), schema and CSV bytes."""

    resource: Resource
    schema: Schema
    csv: bytes


def record_ids(frame: pd.DataFrame, schema: Schema) -> pd.Series:
    """Each row's primary key as one text, the parts joined by '/' (as discrepancies name rows)."""
    key = schema["primaryKey"]
    parts = [frame[name].astype("string") for name in ([key] if isinstance(key, str) else key)]
    joined = parts[0]
    for part in parts[1:]:
        joined = joined + "/" + part
    return joined


def derived_tables(
    descriptor: dict[str, Any], frames: dict[str, pd.DataFrame]
) -> list[DerivedTable]:
    """The derived tables of a package whose schemas are inlined, in release order."""
    return [source_links(descriptor, frames), countries(descriptor, frames)]


def source_links(descriptor: dict[str, Any], frames: dict[str, pd.DataFrame]) -> DerivedTable:
    """One row per (table, row, source-list field, cited source), in file order."""
    rows: list[tuple[str, str, str, str]] = []
    tables: list[str] = []
    target: dict[str, str] = {}
    for resource in descriptor["resources"]:
        schema, frame = resource["schema"], frames[resource["name"]]
        for field in schema["fields"]:
            listed = field.get("x-ilrs", {}).get("sourceList")
            if not listed:
                continue
            target = {"resource": listed["resource"], "field": listed["field"]}
            tables += [] if resource["name"] in tables else [resource["name"]]
            for record, cell in zip(record_ids(frame, schema), frame[field["name"]], strict=True):
                if pd.isna(cell):
                    continue
                rows += [(resource["name"], record, field["name"], s) for s in cell.split(";")]
    schema = {
        "fields": [
            _field("table_name", "Table of the citing row.", enum=tables),
            _field("record_id", "Primary key of the citing row; parts joined by '/'."),
            _field("field_name", "Column of the citing row that lists the source."),
            _field("source_id", "A cited source: a source_id of the sources table.", SLUG),
        ],
        "missingValues": [""],
        "primaryKey": ["table_name", "record_id", "field_name", "source_id"],
        "foreignKeys": [
            {"fields": "source_id", "reference": {"resource": target["resource"],
                                                  "fields": target["field"]}}
        ],
    }  # fmt: skip
    return _table(
        "source_links",
        "Source links",
        "Every cited source of every row, one per line, generated from the source_ids columns: "
        "join on record_id (a row's primary key, parts joined by '/') and source_id.",
        schema,
        rows,
    )


def countries(descriptor: dict[str, Any], frames: dict[str, pd.DataFrame]) -> DerivedTable:
    """Every ISO 3166-1 alpha-3 code the data uses, with its names and region, sorted by code."""
    codes: set[str] = set()
    for resource in descriptor["resources"]:
        for field in resource["schema"]["fields"]:
            if field.get("x-ilrs", {}).get("countryCode"):
                codes |= set(frames[resource["name"]][field["name"]].dropna())
    rows = []
    for code in sorted(codes):
        country = pycountry.countries.get(alpha_3=code)
        if country is None:
            msg = f"pycountry does not know the country code {code!r}; run `ilrs validate`"
            raise UnknownCountryError(msg)
        official = getattr(country, "official_name", "")
        rows.append((code, country.alpha_2, country.name, official, region_of(code)))
    schema = {
        "fields": [
            _field("country_code", "ISO 3166-1 alpha-3 code, as in partners.country_code.",
                   "^[A-Z]{3}$"),
            _field("alpha_2", "ISO 3166-1 alpha-2 code.", "^[A-Z]{2}$"),
            _field("name", "Short name in English, per ISO 3166-1 (from pycountry)."),
            {**_field("official_name", "Official name per ISO 3166-1; empty where ISO gives "
                      "none."), "constraints": {"required": False}},
            _field("region", "UN M49 region (Africa, Americas, Asia, Europe, Oceania)."),
        ],
        "missingValues": [""],
        "primaryKey": ["country_code"],
    }  # fmt: skip
    return _table(
        "countries",
        "Countries",
        "Every country the data names by its ISO 3166-1 alpha-3 code, with its English names "
        "and UN M49 region; generated with pycountry, not kept by hand.",
        schema,
        rows,
    )


def _field(name: str, description: str, pattern: str | None = None, **more: Any) -> dict[str, Any]:
    constraints: dict[str, Any] = {"required": True}
    if pattern:
        constraints["pattern"] = pattern
    if "enum" in more:
        constraints["enum"] = more["enum"]
    return {"name": name, "type": "string", "description": description, "constraints": constraints}


def _table(
    name: str, title: str, description: str, schema: Schema, rows: Sequence[Sequence[str]]
) -> DerivedTable:
    """The resource entry as the other tables have it, and the CSV as they are written."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([field["name"] for field in schema["fields"]])
    writer.writerows(rows)
    resource = {
        "name": name,
        "title": title,
        "description": description,
        "path": f"data/{name}.csv",
        "schema": f"schemas/{name}.json",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
    }
    return DerivedTable(resource, schema, out.getvalue().encode("utf-8"))
