"""Shared by the benchmarks: synthetic packages of any size and median timings."""

from __future__ import annotations

import csv
import shutil
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from ilrs_pipeline.validate.descriptor import read_package
from ilrs_pipeline.validate.text import identifier_fields

SEPARATORS = {"sourceList": ";", "recordIn": "/"}


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
    for resource in descriptor["resources"]:
        with (source / resource["path"]).open(encoding="utf-8", newline="") as handle:
            header, *rows = list(csv.reader(handle))
        edits = _edits(resource["schema"])
        path = target / resource["path"]
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            for copy in range(factor):
                writer.writerows(_copied(row, edits, copy) for row in rows)
        total += len(rows) * factor
    return total


def _edits(schema: dict[str, Any]) -> list[Callable[[str, int], str] | None]:
    """Per column, how to make a copied cell unique (None: keep it as it is)."""
    ids = identifier_fields(schema)
    edits: list[Callable[[str, int], str] | None] = []
    for field in schema["fields"]:
        markers = field.get("x-ilrs", {})
        separator = next((sep for marker, sep in SEPARATORS.items() if marker in markers), None)
        if "enum" in field.get("constraints", {}):
            edits.append(None)  # an enum value stays one (a key's other fields make rows unique)
        elif field["name"] in ids:
            edits.append(partial(_suffix_ids, separator=separator))
        elif markers.get("uniqueName"):
            edits.append(lambda value, copy: f"{value} (copy {copy})")
        elif field.get("constraints", {}).get("unique"):
            edits.append(lambda value, copy: f"{value}#copy-{copy}")
        else:
            edits.append(None)
    return edits


def _suffix_ids(value: str, copy: int, separator: str | None) -> str:
    if not value:
        return value
    parts = value.split(separator) if separator else [value]
    return (separator or "").join(f"{part}-x{copy}" for part in parts)


def _copied(row: list[str], edits: list[Callable[[str, int], str] | None], copy: int) -> list[str]:
    if copy == 0:
        return row
    return [
        edit(cell, copy) if edit and cell else cell for cell, edit in zip(row, edits, strict=True)
    ]


def median_seconds(action: Callable[[], object], repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)
