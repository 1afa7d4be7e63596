"""All tables as one SQLite database: column types, NOT NULL, enums, primary and foreign keys
declared from the Table Schemas, and what a reader needs beside the rows: a `metadata` table
(version, licence, citation), a `fields` table (every column's type and description) and a
`partial_dates` view giving each partial date's precision and first and last possible day.

SQLite enforces foreign keys only on connections that run `PRAGMA foreign_keys = ON`. The file
is byte-reproducible: the same statements in the same order, rows in file order, then VACUUM.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pandas as pd

from ilrs_data.types import field_type

PAGE_SIZE = 4096


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(value: object) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def column_definition(field: dict[str, Any]) -> str:
    """`"name" TYPE [NOT NULL] [UNIQUE] [CHECK (...)]`; dates are ISO 8601 text."""
    name, constraints = quote(field["name"]), field.get("constraints", {})
    parts = [name, field_type(field).sqlite]
    if constraints.get("required"):
        parts.append("NOT NULL")
    if constraints.get("unique"):
        parts.append("UNIQUE")
    if "enum" in constraints:
        parts.append(f"CHECK ({name} IN ({', '.join(map(literal, constraints['enum']))}))")
    elif field.get("type") == "boolean":
        parts.append(f"CHECK ({name} IN (0, 1))")
    return " ".join(parts)


def create_table(name: str, schema: dict[str, Any]) -> str:
    lines = [column_definition(field) for field in schema["fields"]]
    if schema.get("primaryKey"):
        lines.append(f"PRIMARY KEY ({_columns(schema['primaryKey'])})")
    for key in schema.get("foreignKeys", []):
        target = key["reference"]["resource"] or name  # "" means the table itself.
        lines.append(
            f"FOREIGN KEY ({_columns(key['fields'])}) "
            f"REFERENCES {quote(target)} ({_columns(key['reference']['fields'])})"
        )
    body = ",\n  ".join(lines)
    return f"CREATE TABLE {quote(name)} (\n  {body}\n)"


def sql_rows(frame: pd.DataFrame, schema: dict[str, Any]) -> list[tuple[object, ...]]:
    """The loader's typed values as SQLite values: ISO text for dates, 0/1, None for missing."""
    columns = []
    for field in schema["fields"]:
        column = frame[field["name"]]
        if field.get("type") == "date":
            column = column.dt.strftime("%Y-%m-%d")
        elif field.get("type") == "datetime":
            column = column.map(pd.Timestamp.isoformat, na_action="ignore")
        values = column.astype(object)
        columns.append(values.where(column.notna(), None).tolist())
    return list(zip(*columns, strict=True))


METADATA_TABLE = (
    'CREATE TABLE "metadata" (\n  "key" TEXT NOT NULL PRIMARY KEY,\n  "value" TEXT NOT NULL\n)'
)
FIELDS_TABLE = """CREATE TABLE "fields" (
  "table_name" TEXT NOT NULL,
  "field_name" TEXT NOT NULL,
  "position" INTEGER NOT NULL,
  "type" TEXT NOT NULL,
  "required" INTEGER NOT NULL CHECK ("required" IN (0, 1)),
  "partial_date" INTEGER NOT NULL CHECK ("partial_date" IN (0, 1)),
  "description" TEXT,
  PRIMARY KEY ("table_name", "field_name")
)"""
# Each partial date by its length: YYYY, YYYY-MM or YYYY-MM-DD.
PRECISION = "CASE length({v}) WHEN 4 THEN 'year' WHEN 7 THEN 'month' WHEN 10 THEN 'day' END"
FIRST_DAY = "CASE length({v}) WHEN 4 THEN {v} || '-01-01' WHEN 7 THEN {v} || '-01' ELSE {v} END"
LAST_DAY = (
    "CASE length({v}) WHEN 4 THEN {v} || '-12-31' "
    "WHEN 7 THEN date({v} || '-01', '+1 month', '-1 day') ELSE {v} END"
)


def is_partial_date(field: dict[str, Any]) -> bool:
    return bool(field.get("x-ilrs", {}).get("partialDate"))


def field_rows(descriptor: dict[str, Any]) -> list[tuple[object, ...]]:
    """One row of the `fields` table per column of every table."""
    return [
        (
            resource["name"],
            field["name"],
            position,
            field.get("type", "string"),
            int(bool(field.get("constraints", {}).get("required"))),
            int(is_partial_date(field)),
            field.get("description"),
        )
        for resource in descriptor["resources"]
        for position, field in enumerate(resource["schema"]["fields"], start=1)
    ]


def partial_dates_view(descriptor: dict[str, Any]) -> str:
    """A long view over every partial-date cell that is filled: its row, precision and range."""
    selects = []
    for resource in descriptor["resources"]:
        key = resource["schema"]["primaryKey"]
        record = " || '/' || ".join(
            quote(name) for name in ([key] if isinstance(key, str) else key)
        )
        for field in filter(is_partial_date, resource["schema"]["fields"]):
            value = quote(field["name"])
            selects.append(
                f"SELECT {literal(resource['name'])} AS table_name, {record} AS record_id, "
                f"{literal(field['name'])} AS field_name, {value} AS value, "
                f"{PRECISION.format(v=value)} AS precision, "
                f"{FIRST_DAY.format(v=value)} AS first_day, {LAST_DAY.format(v=value)} AS last_day "
                f"FROM {quote(resource['name'])} WHERE {value} IS NOT NULL"
            )
    return 'CREATE VIEW "partial_dates" AS\n' + "\nUNION ALL\n".join(selects)


def write_sqlite(
    path: Path,
    descriptor: dict[str, Any],
    frames: dict[str, pd.DataFrame],
    facts: dict[str, str],
) -> None:
    """Create the database at `path`; a foreign key broken by the data fails the commit.

    Every table exists before any row goes in, since SQLite checks a key's target table on insert.
    """
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("BEGIN")
        connection.execute("PRAGMA defer_foreign_keys = ON")
        for resource in descriptor["resources"]:
            connection.execute(create_table(resource["name"], resource["schema"]))
        for resource in descriptor["resources"]:
            name, fields = resource["name"], resource["schema"]["fields"]
            marks = ", ".join("?" for _ in fields)
            connection.executemany(
                f"INSERT INTO {quote(name)} VALUES ({marks})",
                sql_rows(frames[name], resource["schema"]),
            )
        connection.execute(METADATA_TABLE)
        connection.executemany('INSERT INTO "metadata" VALUES (?, ?)', facts.items())
        connection.execute(FIELDS_TABLE)
        connection.executemany(
            'INSERT INTO "fields" VALUES (?, ?, ?, ?, ?, ?, ?)', field_rows(descriptor)
        )
        connection.execute(partial_dates_view(descriptor))
        connection.execute("COMMIT")
        connection.execute("VACUUM")
    finally:
        connection.close()


def _columns(names: str | list[str]) -> str:
    return ", ".join(quote(name) for name in ([names] if isinstance(names, str) else names))
