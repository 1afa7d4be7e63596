"""What changed between two data packages: tables, fields and rows (matched by primary key).

The comparison is on the text of the CSVs, so a change is exactly what a reader of the files
would see; release notes render it and release-check decides the version bump it needs.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import ilrs_data

Resource = dict[str, Any]
Rows = dict[str, dict[str, str]]


@dataclass(frozen=True)
class RowChange:
    """A row kept under the same key, and the fields whose text changed."""

    key: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class TableDiff:
    """One table's change. `status` is "added" or "removed" for a whole table, else "kept"."""

    name: str
    status: Literal["added", "removed", "kept"]
    rows: int
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[RowChange, ...] = ()
    fields_added: tuple[str, ...] = ()
    fields_removed: tuple[str, ...] = ()
    fields_removed_undeprecated: tuple[str, ...] = ()
    fields_retyped: tuple[str, ...] = ()
    fields_deprecated: tuple[str, ...] = ()
    enum_values_added: tuple[str, ...] = ()
    enum_values_removed: tuple[str, ...] = ()
    key_changed: bool = False
    path_changed: bool = False
    metadata_changed: bool = False


@dataclass(frozen=True)
class PackageDiff:
    old_version: str | None
    new_version: str
    tables: tuple[TableDiff, ...]
    metadata_changed: bool


def compare_packages(old_root: Path | None, new_root: Path) -> PackageDiff:
    """The change from the package at `old_root` (None: no earlier release) to `new_root`."""
    new = ilrs_data.package(new_root)
    new_tables = _tables(new_root, new)
    if old_root is None:
        old, old_tables = None, {}
    else:
        old = ilrs_data.package(old_root)
        old_tables = _tables(old_root, old)
    tables = []
    for name, (resource, rows) in new_tables.items():
        if name in old_tables:
            tables.append(compare_tables(*old_tables[name], resource, rows))
        else:
            tables.append(TableDiff(name, "added", len(rows), added=tuple(rows)))
    tables += [
        TableDiff(name, "removed", len(rows), removed=tuple(rows))
        for name, (_, rows) in old_tables.items()
        if name not in new_tables
    ]
    return PackageDiff(
        old_version=old["version"] if old is not None else None,
        new_version=new["version"],
        tables=tuple(tables),
        metadata_changed=old is not None and _package_metadata(old) != _package_metadata(new),
    )


def _tables(root: Path, descriptor: dict[str, Any]) -> dict[str, tuple[Resource, Rows]]:
    return {r["name"]: (r, read_rows(root, r)) for r in descriptor["resources"]}


def compare_tables(old: Resource, old_rows: Rows, new: Resource, new_rows: Rows) -> TableDiff:
    old_fields = {f["name"]: f for f in old["schema"]["fields"]}
    new_fields = {f["name"]: f for f in new["schema"]["fields"]}
    common = [name for name in new_fields if name in old_fields]
    changed = []
    for key in new_rows.keys() & old_rows.keys():
        fields = tuple(f for f in common if old_rows[key].get(f) != new_rows[key].get(f))
        if fields:
            changed.append(RowChange(key, fields))
    enums_added, enums_removed = _enum_changes(old_fields, new_fields, common)
    return TableDiff(
        name=new["name"],
        status="kept",
        rows=len(new_rows),
        added=tuple(k for k in new_rows if k not in old_rows),
        removed=tuple(k for k in old_rows if k not in new_rows),
        changed=tuple(sorted(changed, key=lambda change: change.key)),
        fields_added=tuple(f for f in new_fields if f not in old_fields),
        fields_removed=tuple(f for f in old_fields if f not in new_fields),
        fields_removed_undeprecated=tuple(
            f for f in old_fields if f not in new_fields and not is_deprecated(old_fields[f])
        ),
        fields_retyped=tuple(f for f in common if _kind(old_fields[f]) != _kind(new_fields[f])),
        fields_deprecated=tuple(
            f for f in common if is_deprecated(new_fields[f]) and not is_deprecated(old_fields[f])
        ),
        enum_values_added=enums_added,
        enum_values_removed=enums_removed,
        key_changed=_key(old["schema"]) != _key(new["schema"]),
        path_changed=old["path"] != new["path"],
        metadata_changed=_resource_metadata(old) != _resource_metadata(new),
    )


def is_deprecated(field: dict[str, Any]) -> bool:
    """A field marked `"deprecated": "<why, and what to use instead>"` in its schema.

    A plain field property, not an "x-ilrs" marker: those switch validation rules on.
    """
    return bool(field.get("deprecated"))


def read_rows(root: Path, resource: Resource) -> Rows:
    """Rows as written, keyed by their primary key ("a / b" when it has several fields)."""
    text = (root / resource["path"]).read_text(encoding="utf-8")
    key = _key(resource["schema"]) or [f["name"] for f in resource["schema"]["fields"]]
    rows = csv.DictReader(io.StringIO(text, newline=""))
    return {" / ".join(row[f] for f in key): row for row in rows}


def _key(schema: dict[str, Any]) -> list[str]:
    key = schema.get("primaryKey", [])
    return [key] if isinstance(key, str) else list(key)


def _kind(field: dict[str, Any]) -> tuple[str, str]:
    """What a field's values mean to a program: its type and format."""
    return field.get("type", "string"), field.get("format", "default")


def _enum_changes(
    old_fields: dict[str, Any], new_fields: dict[str, Any], common: list[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    added, removed = [], []
    for name in common:
        old_enum = old_fields[name].get("constraints", {}).get("enum")
        new_enum = new_fields[name].get("constraints", {}).get("enum")
        if old_enum is None or new_enum is None:
            continue
        added += [f"{name}: {value}" for value in new_enum if value not in old_enum]
        removed += [f"{name}: {value}" for value in old_enum if value not in new_enum]
    return tuple(added), tuple(removed)


def _package_metadata(descriptor: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in descriptor.items() if k not in ("version", "resources")}


def _resource_metadata(resource: Resource) -> dict[str, Any]:
    """Everything but the data and its checksums: titles, descriptions, schema details."""
    return {k: v for k, v in resource.items() if k not in ("bytes", "hash")}
