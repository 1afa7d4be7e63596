"""All tables as one SQLite database: column types, NOT NULL, enums, primary and foreign keys
declared from the Table Schemas.

SQLite enforces foreign keys only on connections that run `PRAGMA foreign_keys = ON`. The file
is byte-reproducible: the same statements in the same order, rows in file order, then VACUUM.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pandas as pd

SQL_TYPES = {"integer": "INTEGER", "year": "INTEGER", "number": "REAL", "boolean": "INTEGER"}
PAGE_SIZE = 4096


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(value: object) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def column_definition(field: dict[str, Any]) -> str:
    """`"name" TYPE [NOT NULL] [UNIQUE] [CHECK (...)]`; dates are ISO 8601 text."""
    name, constraints = quote(field["name"]), field.get("constraints", {})
    parts = [name, SQL_TYPES.get(field.get("type", "string"), "TEXT")]
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


def write_sqlite(path: Path, descriptor: dict[str, Any], frames: dict[str, pd.DataFrame]) -> None:
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
        connection.execute("COMMIT")
        connection.execute("VACUUM")
    finally:
        connection.close()


def _columns(names: str | list[str]) -> str:
    return ", ".join(quote(name) for name in ([names] if isinstance(names, str) else names))
