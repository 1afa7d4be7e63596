"""The data package as typed objects: tables, fields, keys and x-ilrs markers, parsed once.

The validator reads datapackage.json defensively and reports every defect (validate/descriptor.py);
once it has passed, every later stage works on this model instead of walking raw dicts, so a
marker's spelling and shape live here alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ilrs_pipeline.model.markers import resolve_sets
from ilrs_pipeline.model.records import key_fields

Descriptor = Mapping[str, Any]


@dataclass(frozen=True)
class SourceList:
    """A `;`-separated list of ids of another table (the `sourceList` marker)."""

    resource: str
    field: str
    dated_by: str | None


@dataclass(frozen=True)
class Markers:
    """A field's x-ilrs markers: the semantic rules it opts into (see CONTRIBUTING.md)."""

    partial_date: bool = False
    past: bool = False
    past_when: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    earliest: str | None = None
    latest: str | None = None
    unique_name: bool = False
    https_url: bool = False
    country_code: bool = False
    source_list: SourceList | None = None
    record_in: str | None = None
    field_in: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    names: tuple[str, ...] = ()  # the markers switched on, as spelt in the schema

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> Markers:
        known = {
            "partialDate", "past", "pastWhen", "earliest", "latest", "uniqueName",
            "httpsUrl", "countryCode", "sourceList", "recordIn", "fieldIn",
        }  # fmt: skip
        source = raw.get("sourceList")
        return cls(
            partial_date=bool(raw.get("partialDate", False)),
            past=bool(raw.get("past", False)),
            past_when={k: tuple(v) for k, v in raw.get("pastWhen", {}).items()},
            earliest=_text(raw.get("earliest")),
            latest=_text(raw.get("latest")),
            unique_name=bool(raw.get("uniqueName", False)),
            https_url=bool(raw.get("httpsUrl", False)),
            country_code=bool(raw.get("countryCode", False)),
            source_list=SourceList(source["resource"], source["field"], source.get("datedBy"))
            if isinstance(source, Mapping)
            else None,
            record_in=_text(raw.get("recordIn")),
            field_in=_text(raw.get("fieldIn")),
            extra={k: v for k, v in raw.items() if k not in known},
            names=tuple(raw),
        )


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    format: str
    title: str | None
    description: str | None
    required: bool
    unique: bool
    enum: tuple[str, ...] | None
    pattern: str | None
    markers: Markers

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> Field:
        constraints = raw.get("constraints", {})
        enum = constraints.get("enum")
        return cls(
            name=raw["name"],
            type=raw.get("type", "string"),
            format=raw.get("format", "default"),
            title=raw.get("title"),
            description=raw.get("description"),
            required=bool(constraints.get("required", False)),
            unique=bool(constraints.get("unique", False)),
            enum=tuple(enum) if enum is not None else None,
            pattern=constraints.get("pattern"),
            markers=Markers.parse(raw.get("x-ilrs", {})),
        )

    @property
    def is_date(self) -> bool:
        """A full date or a partial one (YYYY, YYYY-MM or YYYY-MM-DD)."""
        return self.type == "date" or self.markers.partial_date


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str  # "" means the table itself, as Table Schema has it
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """One resource: its file, titles and Table Schema."""

    name: str
    path: str
    title: str | None
    description: str | None
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]
    missing_values: tuple[str, ...]
    date_order: tuple[tuple[str, str], ...]
    table_markers: Mapping[str, Any]

    @classmethod
    def parse(cls, resource: Mapping[str, Any]) -> Table:
        schema = resolve_sets(resource["schema"])  # conditions as values, not set names
        markers = schema.get("x-ilrs", {})
        return cls(
            name=resource["name"],
            path=resource["path"],
            title=resource.get("title"),
            description=resource.get("description"),
            fields=tuple(Field.parse(raw) for raw in schema["fields"]),
            primary_key=tuple(key_fields(schema)),
            foreign_keys=tuple(_foreign_key(key) for key in schema.get("foreignKeys", [])),
            missing_values=tuple(schema.get("missingValues", [""])),
            date_order=tuple((first, second) for first, second in markers.get("dateOrder", [])),
            table_markers=markers,
        )

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def source_lists(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.markers.source_list is not None)

    def fact_fields(self) -> tuple[Field, ...]:
        """Fields that state a fact a source must support: all but the key and source lists."""
        return tuple(
            f
            for f in self.fields
            if f.name not in self.primary_key and f.markers.source_list is None
        )


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    title: str | None
    tables: tuple[Table, ...]
    licences: tuple[str, ...] = ()  # the data licences' names (or titles)

    @classmethod
    def parse(cls, descriptor: Descriptor) -> Package:
        """The model of a descriptor whose schemas are inlined (as `ilrs_data.package()` gives)."""
        return cls(
            name=descriptor.get("name", ""),
            version=descriptor.get("version", ""),
            title=descriptor.get("title"),
            tables=tuple(Table.parse(resource) for resource in descriptor["resources"]),
            licences=tuple(
                str(item.get("name", item.get("title", "")))
                for item in descriptor.get("licenses", [])
            ),
        )

    def table(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)

    @property
    def table_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.tables)


def _foreign_key(raw: Mapping[str, Any]) -> ForeignKey:
    reference = raw["reference"]
    return ForeignKey(
        fields=_names(raw["fields"]),
        resource=reference.get("resource", ""),
        reference_fields=_names(reference["fields"]),
    )


def _names(value: str | Sequence[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
