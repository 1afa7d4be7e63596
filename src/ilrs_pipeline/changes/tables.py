"""What changed between two data packages: tables, schemas and rows (matched by primary key).

The one comparison behind `ilrs diff` (a pull request against its base), the release notes and
`ilrs release-check` (a release against the previous one). It compares the text of the CSVs, so a
change is exactly what a reader of the files would see, and every schema property, so a widened
enum, a loosened pattern or a dropped foreign key shows up as plainly as an edited row.

Either side may be damaged (a pull request under review often is): a package or table that
cannot be read becomes a note on the diff, never an exception; `ilrs validate` says why.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ilrs_pipeline.model.records import key_fields, record_key

DESCRIPTOR_NAME = "datapackage.json"
Row = dict[str, str]
Resource = dict[str, Any]
# Properties of a field or table that are compared one by one; the rest count as metadata.
FIELD_PROPERTIES = (
    "type",
    "format",
    "constraints",
    "x-ilrs",
    "trueValues",
    "falseValues",
    "deprecated",
)
TABLE_PROPERTIES = ("primaryKey", "foreignKeys", "missingValues", "x-ilrs")
TEXT_PROPERTIES = ("title", "description")
# A resource's properties that are not its schema, nor data that a build writes (checksums).
RESOURCE_SKIPPED = ("name", "schema", "bytes", "hash")
PACKAGE_SKIPPED = ("version", "resources")


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class RowChange:
    """A row kept under the same key, and each field whose text changed."""

    key: str
    changes: tuple[FieldChange, ...]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(change.field for change in self.changes)


@dataclass(frozen=True)
class SchemaChange:
    """One schema property that differs: `field` is None for a table-level property."""

    field: str | None
    attribute: str
    old: str | None
    new: str | None

    @property
    def where(self) -> str:
        return self.attribute if self.field is None else f"{self.field}.{self.attribute}"


@dataclass(frozen=True)
class TableDiff:
    """One table's change. `status` is "added" or "removed" for a whole table, else "kept"."""

    name: str
    status: Literal["added", "removed", "kept"]
    key: tuple[str, ...]
    fields: tuple[str, ...]
    rows: int
    added: dict[str, Row] = field(default_factory=dict)
    removed: dict[str, Row] = field(default_factory=dict)
    changed: tuple[RowChange, ...] = ()
    schema_changes: tuple[SchemaChange, ...] = ()
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
    resource_changes: tuple[SchemaChange, ...] = ()
    note: str | None = None

    @property
    def empty(self) -> bool:
        return self.status == "kept" and not (
            self.added
            or self.removed
            or self.changed
            or self.schema_changes
            or self.path_changed
            or self.metadata_changed
            or self.note
        )


@dataclass(frozen=True)
class PackageDiff:
    old_version: str | None
    new_version: str
    tables: tuple[TableDiff, ...]
    metadata_changed: bool
    descriptor_changes: tuple[SchemaChange, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class Side:
    """One package as read for comparison: its descriptor, schemas inlined, and its folder."""

    root: Path
    descriptor: dict[str, Any]
    note: str | None = None

    @property
    def resources(self) -> dict[str, Resource]:
        return {r["name"]: r for r in self.descriptor.get("resources", [])}

    @property
    def version(self) -> str:
        return str(self.descriptor.get("version", "?"))


def compare_packages(old_root: Path | None, new_root: Path) -> PackageDiff:
    """The change from the package at `old_root` (None: no earlier release) to `new_root`."""
    new = read_side(new_root)
    old = read_side(old_root) if old_root is not None else None
    old_resources = old.resources if old is not None else {}
    tables = []
    for name, resource in new.resources.items():
        if name in old_resources and old is not None:
            tables.append(compare_tables(old, old_resources[name], new, resource))
        else:
            tables.append(_whole_table(new, resource, "added"))
    tables += [
        _whole_table(old, resource, "removed")
        for name, resource in old_resources.items()
        if old is not None and name not in new.resources
    ]
    notes = [side.note for side in (old, new) if side is not None and side.note]
    return PackageDiff(
        old_version=old.version if old is not None else None,
        new_version=new.version,
        tables=tuple(tables),
        metadata_changed=old is not None
        and _package_metadata(old.descriptor) != _package_metadata(new.descriptor),
        descriptor_changes=tuple(
            object_changes(_package_metadata(old.descriptor), _package_metadata(new.descriptor))
        )
        if old is not None
        else (),
        note="; ".join(notes) or None,
    )


def read_side(root: Path) -> Side:
    """The package at `root` with its schemas inlined; an unreadable one is empty, with a note."""
    try:
        descriptor = json.loads(_read_text(root, DESCRIPTOR_NAME) or "{}")
        for resource in descriptor.get("resources", []):
            if isinstance(resource.get("schema"), str):
                resource["schema"] = json.loads(_read_text(root, resource["schema"]) or "{}")
            if not isinstance(resource.get("name"), str) or not isinstance(
                resource.get("schema"), dict
            ):
                raise TypeError(resource)
    except (ValueError, TypeError, AttributeError, OSError):
        note = f"the {DESCRIPTOR_NAME} or a schema of {root.name} cannot be read"
        return Side(root, {}, note)
    return Side(root, descriptor)


def compare_tables(
    old: Side, old_resource: Resource, new: Side, new_resource: Resource
) -> TableDiff:
    old_schema, new_schema = old_resource["schema"], new_resource["schema"]
    old_fields = {f["name"]: f for f in old_schema.get("fields", [])}
    new_fields = {f["name"]: f for f in new_schema.get("fields", [])}
    key = key_fields(new_schema) or list(new_fields)
    old_rows, old_note = read_rows(old.root, old_resource)
    new_rows, new_note = read_rows(new.root, new_resource)
    common = [name for name in new_fields if name in old_fields]
    enums_added, enums_removed = _enum_changes(old_fields, new_fields, common)
    return TableDiff(
        name=new_resource["name"],
        status="kept",
        key=tuple(key),
        fields=tuple(new_fields),
        rows=len(new_rows),
        added={k: row for k, row in new_rows.items() if k not in old_rows},
        removed={k: row for k, row in old_rows.items() if k not in new_rows},
        changed=_row_changes(old_rows, new_rows, common),
        schema_changes=tuple(schema_changes(old_schema, new_schema)),
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
        key_changed=key_fields(old_schema) != key_fields(new_schema),
        path_changed=old_resource.get("path") != new_resource.get("path"),
        metadata_changed=_resource_metadata(old_resource) != _resource_metadata(new_resource),
        resource_changes=tuple(
            object_changes(
                {k: v for k, v in old_resource.items() if k not in RESOURCE_SKIPPED},
                {k: v for k, v in new_resource.items() if k not in RESOURCE_SKIPPED},
            )
        ),
        note=new_note or old_note,
    )


def schema_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[SchemaChange]:
    """Every compared property that differs, table-level first, then field by field."""
    for name in TABLE_PROPERTIES:
        yield from _property_changes(None, name, old.get(name), new.get(name))
    old_fields = {f["name"]: f for f in old.get("fields", [])}
    new_fields = {f["name"]: f for f in new.get("fields", [])}
    for name in dict.fromkeys([*old_fields, *new_fields]):
        if name not in old_fields or name not in new_fields:
            state = "added" if name in new_fields else "removed"
            yield SchemaChange(name, "field", None if state == "added" else "present", state)
            continue
        for prop in (*FIELD_PROPERTIES, *TEXT_PROPERTIES):
            yield from _property_changes(
                name, prop, old_fields[name].get(prop), new_fields[name].get(prop)
            )


def object_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[SchemaChange]:
    """Each top-level property of a descriptor or resource that differs, objects key by key."""
    for name in dict.fromkeys([*old, *new]):
        yield from _property_changes(None, name, old.get(name), new.get(name))


def _property_changes(
    field_name: str | None, prop: str, old: Any, new: Any
) -> Iterator[SchemaChange]:
    """A changed property; objects (constraints, x-ilrs) are compared key by key."""
    if old == new:
        return
    if isinstance(old, dict | None) and isinstance(new, dict | None) and (old or new):
        old_items, new_items = old or {}, new or {}
        for key in dict.fromkeys([*old_items, *new_items]):
            if old_items.get(key) != new_items.get(key):
                yield SchemaChange(
                    field_name,
                    f"{prop}.{key}",
                    _show(old_items.get(key)),
                    _show(new_items.get(key)),
                )
        return
    yield SchemaChange(field_name, prop, _show(old), _show(new))


def _show(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def is_deprecated(field: Mapping[str, Any]) -> bool:
    """A field marked `"deprecated": "<why, and what to use instead>"` in its schema.

    A plain field property, not an "x-ilrs" marker: those switch validation rules on.
    """
    return bool(field.get("deprecated"))


def read_rows(root: Path, resource: Resource) -> tuple[dict[str, Row], str | None]:
    """Rows as written, by record key, and a note when the file cannot be read as CSV."""
    path = str(resource.get("path", ""))
    try:
        text = _read_text(root, path)
    except OSError as error:
        return {}, f"{path} cannot be read ({error.strerror or error})"
    if text is None:
        return {}, None
    key = key_fields(resource["schema"]) or [f["name"] for f in resource["schema"]["fields"]]
    try:
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
    except csv.Error:
        return {}, f"{path} cannot be read as CSV; run `ilrs validate`"
    return {record_key(_clean(row), key): _clean(row) for row in rows}, None


def _read_text(root: Path, relative: str) -> str | None:
    """A file of the package as text (None if absent). A symbolic link is refused, never read:
    in a pull request it could point at a secret such as .git/config."""
    path = root / relative
    if path.is_symlink():
        msg = f"{relative} is a symbolic link; replace it with the file itself"
        raise OSError(0, msg)
    if not path.is_file():
        return None
    return path.read_text(encoding="utf-8", errors="replace")


def _clean(row: dict[Any, Any]) -> Row:
    """A DictReader row with ragged cells folded into text, so rows compare as plain dicts."""
    return {
        str(name): value if isinstance(value, str) else repr(value) for name, value in row.items()
    }


def _row_changes(
    old_rows: dict[str, Row], new_rows: dict[str, Row], common: list[str]
) -> tuple[RowChange, ...]:
    changes = []
    for key in sorted(new_rows.keys() & old_rows.keys()):
        old, new = old_rows[key], new_rows[key]
        fields = [
            FieldChange(name, old.get(name, ""), new.get(name, ""))
            for name in common
            if old.get(name, "") != new.get(name, "")
        ]
        if fields:
            changes.append(RowChange(key, tuple(fields)))
    return tuple(changes)


def _whole_table(side: Side, resource: Resource, status: Literal["added", "removed"]) -> TableDiff:
    rows, note = read_rows(side.root, resource)
    schema = resource["schema"]
    fields = tuple(f["name"] for f in schema.get("fields", []))
    return TableDiff(
        name=resource["name"],
        status=status,
        key=tuple(key_fields(schema)),
        fields=fields,
        rows=len(rows),
        added=rows if status == "added" else {},
        removed=rows if status == "removed" else {},
        note=note or f"table {status} since the base",
    )


def _kind(field: Mapping[str, Any]) -> tuple[str, str]:
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


def _package_metadata(descriptor: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in descriptor.items() if k not in PACKAGE_SKIPPED}


def _resource_metadata(resource: Resource) -> dict[str, Any]:
    """Everything but the data and its checksums: titles, descriptions, schema details."""
    return {k: v for k, v in resource.items() if k not in ("bytes", "hash")}
