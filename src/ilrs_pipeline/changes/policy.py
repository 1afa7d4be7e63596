"""The versioning policy (docs/versioning.md) as code: which bump each kind of change needs.

`ilrs release-check` holds a release to it; `ilrs diff` tells a pull request's author and
reviewers what bump their change will need, so a schema edit cannot pass unnoticed.
"""

from __future__ import annotations

import json
from enum import IntEnum

from ilrs_pipeline.changes.tables import PackageDiff, SchemaChange

# Schema properties whose change alters what a value is or how it is read or joined.
BREAKING_PROPERTIES = (
    "type",
    "format",
    "missingValues",
    "foreignKeys",
    "primaryKey",
    "trueValues",
    "falseValues",
)
# Resource properties whose change alters where or how the file is read.
BREAKING_RESOURCE_PROPERTIES = ("path", "dialect", "encoding", "format", "mediatype")


class Bump(IntEnum):
    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3


def describe(bump: Bump) -> str:
    return "no bump" if bump is Bump.NONE else f"a {bump.name.lower()} bump"


def schema_change_bump(change: SchemaChange) -> Bump:
    """The bump one changed schema property needs on its own, as docs/versioning.md says."""
    attribute = change.attribute
    if attribute == "field":
        return Bump.MINOR if change.new == "added" else Bump.MAJOR
    if attribute.startswith(BREAKING_PROPERTIES):
        return Bump.MAJOR
    if attribute == "constraints.enum" and change.old is not None and change.new is not None:
        old, new = json.loads(change.old), json.loads(change.new)
        return Bump.MAJOR if any(value not in new for value in old) else Bump.MINOR
    if attribute in ("title", "description"):
        return Bump.PATCH
    return Bump.MINOR  # a rule moved: a pattern, a date bound, a marker, a deprecation


def resource_change_bump(change: SchemaChange) -> Bump:
    """The bump one changed resource property (in datapackage.json) needs on its own."""
    return Bump.MAJOR if change.attribute.startswith(BREAKING_RESOURCE_PROPERTIES) else Bump.PATCH


def package_change_bump(change: SchemaChange) -> Bump:
    """The bump a changed package property (title, licences, sources...) needs: a patch, as
    any metadata does (`required_bump` counts it the same way)."""
    return Bump.PATCH


def required_bump(diff: PackageDiff) -> dict[Bump, list[str]]:
    """Each change that demands a bump, under the smallest bump that covers it."""
    reasons: dict[Bump, list[str]] = {Bump.MAJOR: [], Bump.MINOR: [], Bump.PATCH: []}
    if diff.metadata_changed:
        reasons[Bump.PATCH].append("the package metadata changed")
    for table in diff.tables:
        name = table.name
        if table.status == "removed":
            reasons[Bump.MAJOR].append(f"table {name} removed (or renamed)")
            continue
        if table.status == "added":
            reasons[Bump.MINOR].append(f"table {name} added")
            continue
        reasons[Bump.MAJOR] += [
            f"field {name}.{f} removed (or renamed)" for f in table.fields_removed
        ]
        reasons[Bump.MAJOR] += [f"field {name}.{f} changed type" for f in table.fields_retyped]
        reasons[Bump.MAJOR] += [
            f"{name}: value {v} no longer allowed" for v in table.enum_values_removed
        ]
        if table.key_changed:
            reasons[Bump.MAJOR].append(f"table {name}: primary key changed")
        if table.path_changed:
            reasons[Bump.MAJOR].append(f"table {name}: file moved")
        reasons[Bump.MINOR] += [f"field {name}.{f} added" for f in table.fields_added]
        reasons[Bump.MINOR] += [f"field {name}.{f} deprecated" for f in table.fields_deprecated]
        reasons[Bump.MINOR] += [f"{name}: value {v} now allowed" for v in table.enum_values_added]
        for change in _other_rule_changes(table.schema_changes):
            reasons[schema_change_bump(change)].append(f"{name}: schema {change.where} changed")
        reasons[Bump.MAJOR] += [
            f"table {name}: {change.attribute} changed (how its file is read)"
            for change in table.resource_changes
            if resource_change_bump(change) is Bump.MAJOR and change.attribute != "path"
        ]
        if table.added:
            reasons[Bump.MINOR].append(f"{len(table.added)} rows added to {name}")
        if table.removed or table.changed:
            count = len(table.removed) + len(table.changed)
            reasons[Bump.PATCH].append(f"{count} rows of {name} corrected or removed")
        if table.metadata_changed:
            reasons[Bump.PATCH].append(f"table {name}: description or schema details changed")
    return reasons


def needed_bump(diff: PackageDiff) -> Bump:
    return max((level for level, found in required_bump(diff).items() if found), default=Bump.NONE)


def _other_rule_changes(changes: tuple[SchemaChange, ...]) -> list[SchemaChange]:
    """Schema changes to rules the typed lists above do not already count: a loosened pattern,
    a moved earliest date, a dropped foreign key, new missing values, an enum added or dropped
    as a whole (the lists count only values added to or removed from an enum)."""
    counted = ("type", "field", "title", "description", "deprecated")
    return [
        change
        for change in changes
        if change.attribute not in counted
        and not (
            change.attribute == "constraints.enum"
            and change.old is not None
            and change.new is not None
        )
    ]
