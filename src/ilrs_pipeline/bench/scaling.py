"""Shared by the benchmarks: synthetic packages of any size and median timings."""

from __future__ import annotations

import csv
import json
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from ilrs_data._files import hash_file
from ilrs_pipeline.model.records import KEY_SEPARATOR, key_fields
from ilrs_pipeline.validate.descriptor import read_package
from ilrs_pipeline.validate.text import identifier_fields

SEPARATORS = {"sourceList": ";"}
Edit = Callable[[str, int], str]


def hashed_copy(source: Path, target: Path) -> Path:
    """The package at `source` in `target` (data files hard-linked where the file system
    allows) with each table's sha256 and size declared, as a release declares them: the loader
    then checks every file, as it does for a user of a release."""
    descriptor = json.loads((source / "datapackage.json").read_text(encoding="utf-8"))
    shutil.copytree(source / "schemas", target / "schemas", dirs_exist_ok=True)
    for resource in descriptor["resources"]:
        data, copied = source / resource["path"], target / resource["path"]
        copied.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(data, copied)
        except OSError:
            shutil.copyfile(data, copied)
        resource["hash"] = f"sha256:{hash_file(data, sys.maxsize, str(data))}"
        resource["bytes"] = data.stat().st_size
    (target / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    return target


def scaled_package(source: Path, target: Path, factor: int) -> int:
    """Copy the package at `source` into `target` with every table's rows repeated `factor` times;
    each copy's ids, names and unique values get a suffix, so the package stays valid. Returns the
    number of rows written."""
    descriptor, problems = read_package(source)
    if descriptor is None:
        raise ValueError(f"the package at {source} cannot be read: {problems[0].message}")
    shutil.copy(source / "datapackage.json", target / "datapackage.json")
    shutil.copytree(source / "schemas", target / "schemas", dirs_exist_ok=True)
    total = 0
    edits_by_table = {
        resource["name"]: _edits(resource["schema"]) for resource in descriptor["resources"]
    }
    key_edits = {
        resource["name"]: _key_edits(resource["schema"], edits_by_table[resource["name"]])
        for resource in descriptor["resources"]
    }
    field_edits = {
        resource["name"]: {
            field["name"]: edit
            for field, edit in zip(
                resource["schema"]["fields"], edits_by_table[resource["name"]], strict=True
            )
        }
        for resource in descriptor["resources"]
    }
    for resource in descriptor["resources"]:
        with (source / resource["path"]).open(encoding="utf-8", newline="") as handle:
            header, *rows = list(csv.reader(handle))
        edits = edits_by_table[resource["name"]]
        record_fields = _record_fields(resource["schema"])
        value_fields = _value_fields(resource["schema"])
        path = target / resource["path"]
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            for copy in range(factor):
                for row in rows:
                    copied = _copied(row, edits, copy)
                    for at, table_at in record_fields:
                        copied[at] = _record_key(copied[at], key_edits.get(row[table_at], []), copy)
                    for at, table_at, field_at in value_fields:
                        edit = field_edits.get(row[table_at], {}).get(row[field_at])
                        copied[at] = edit(row[at], copy) if edit and row[at] and copy else row[at]
                    writer.writerow(copied)
        total += len(rows) * factor
    return total


def _edits(schema: dict[str, Any]) -> list[Edit | None]:
    """Per column, how to make a copied cell unique (None: keep it as it is)."""
    ids = identifier_fields(schema)
    edits: list[Callable[[str, int], str] | None] = []
    for field in schema["fields"]:
        markers = field.get("x-ilrs", {})
        separator = next((sep for marker, sep in SEPARATORS.items() if marker in markers), None)
        if _names_a_schema_part(field) or _is_a_date(field) or "recordIn" in markers:
            edits.append(None)  # a record key is edited part by part, by _record_key
        elif field["name"] in ids:
            edits.append(partial(_suffix_ids, separator=separator))
        elif markers.get("sameEntity"):
            # In lower case a copy states no acronym, so it is not taken for the same entity.
            edits.append(lambda value, copy: f"{value.lower()} (copy {copy})")
        elif markers.get("uniqueName"):
            edits.append(lambda value, copy: f"{value} (copy {copy})")
        elif field.get("constraints", {}).get("unique"):
            edits.append(lambda value, copy: f"{value}#copy-{copy}")
        else:
            edits.append(None)
    return edits


def _names_a_schema_part(field: dict[str, Any]) -> bool:
    """A key column that names a table (an enum) or a field (fieldIn), as the claims table's do:
    the copies share those names, only the record ids they point to get a suffix."""
    return "enum" in field.get("constraints", {}) or "fieldIn" in field.get("x-ilrs", {})


def _is_a_date(field: dict[str, Any]) -> bool:
    """A date in a key (a status event's) is shared by the copies, as an enum value is."""
    return "partialDate" in field.get("x-ilrs", {}) or field.get("type") in {"date", "datetime"}


def _key_edits(schema: dict[str, Any], edits: list[Edit | None]) -> list[Edit | None]:
    """How the table's copies edit each part of their primary key."""
    names = [field["name"] for field in schema["fields"]]
    return [edits[names.index(name)] for name in key_fields(schema)]


def _record_fields(schema: dict[str, Any]) -> list[tuple[int, int]]:
    """(record key column, column naming its table) for each field marked recordIn."""
    names = [field["name"] for field in schema["fields"]]
    return [
        (index, names.index(field["x-ilrs"]["recordIn"]))
        for index, field in enumerate(schema["fields"])
        if "recordIn" in field.get("x-ilrs", {})
    ]


def _value_fields(schema: dict[str, Any]) -> list[tuple[int, int, int]]:
    """(value column, column naming its table, column naming its field) for each field marked
    valueOf: a discrepancy's kept value, edited as the field it copies is."""
    names = [field["name"] for field in schema["fields"]]
    found = []
    for index, field in enumerate(schema["fields"]):
        value_of = field.get("x-ilrs", {}).get("valueOf")
        if value_of:
            found.append((index, names.index(value_of["table"]), names.index(value_of["field"])))
    return found


def _record_key(value: str, edits: list[Edit | None], copy: int) -> str:
    """A record key ("a/b/c") edited part by part as its table edits its key, so a claim on a
    copied row names that copy."""
    if copy == 0 or not value:
        return value
    parts = value.split(KEY_SEPARATOR)
    return KEY_SEPARATOR.join(
        edit(part, copy) if edit and part else part
        for part, edit in zip(parts, edits or [None] * len(parts), strict=False)
    )


def _suffix_ids(value: str, copy: int, separator: str | None) -> str:
    if not value:
        return value
    parts = value.split(separator) if separator else [value]
    return (separator or "").join(f"{part}-x{copy}" for part in parts)


def _copied(row: list[str], edits: list[Edit | None], copy: int) -> list[str]:
    if copy == 0:
        return row
    return [
        edit(cell, copy) if edit and cell else cell for cell, edit in zip(row, edits, strict=True)
    ]


def append_broken_rows(table: Path, rows: int, broken: dict[str, str]) -> None:
    """Append `rows` copies of the table's first row, each with its own id and name (its first
    two columns) and the `broken` cells: a bulk edit gone wrong, as large as wanted."""
    with table.open(encoding="utf-8", newline="") as handle:
        header, first, *_ = csv.reader(handle)
    with table.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        for number in range(rows):
            row = dict(zip(header, first, strict=True)) | broken
            row[header[0]], row[header[1]] = f"bulk-{number}", f"Bulk {number}"
            writer.writerow(row.values())


def median_seconds(action: Callable[[], object], repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)
