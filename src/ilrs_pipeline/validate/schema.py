"""Types, constraints, primary and foreign keys: the Table Schemas, checked by frictionless.

frictionless is handed only the files tables.py could read, with the dialect spelt out, so it
parses exactly the rows we report lines for, and it checks the sound tables even when another
table's file is broken.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from frictionless import Dialect, FrictionlessException, Package, Resource, Schema, errors, formats

from ilrs_data.types import TYPES
from ilrs_pipeline.model.dates import DAY_CHARS, calendar_fault, format_fault
from ilrs_pipeline.validate.faults import as_list, as_slug, list_fault, slug_fault
from ilrs_pipeline.validate.problems import CAPPED, MAX_LISTED, Problem, shorten
from ilrs_pipeline.validate.text import identifier_fields

if TYPE_CHECKING:
    from pathlib import Path

    from ilrs_pipeline.validate.files import Table

_CONSTRAINT_RULES = {
    "required": "schema/required",
    "pattern": "schema/pattern",
    "enum": "schema/enum",
}


def check_structure(root: Path, tables: list[Table]) -> list[Problem]:
    """Validate the sound tables with frictionless and translate each error into a Problem."""
    sound = {table.name for table in tables}
    try:
        package = Package(resources=[_resource(root, table, sound) for table in tables])
        report = package.validate(limit_errors=MAX_LISTED)
    except FrictionlessException as error:
        return [Problem("datapackage.json", None, None, "package/invalid", None, error.error.note)]
    by_name = {table.name: table for table in tables}
    problems: list[Problem] = []
    for task in report.tasks:
        table = by_name[task.name]
        problems.extend(_to_problem(table, error) for error in task.errors)
        if len(task.errors) >= MAX_LISTED:
            message = (
                f"frictionless stops at {MAX_LISTED:,} problems per file, so the schema checks "
                f"(types, constraints, keys) found at least {MAX_LISTED:,}; the rows after the "
                "last one listed were not checked"
            )
            problems.append(Problem(table.file, None, None, CAPPED, None, message))
    return problems


def _resource(root: Path, table: Table, sound: set[str]) -> Resource:
    """The table's file as a resource, keeping the foreign keys into tables that could be read
    (a key into an unreadable table would flag every row). In-memory rows would save parsing,
    but frictionless deep-copies them for every lookup."""
    keys = [
        key
        for key in table.schema.get("foreignKeys", [])
        if (key.get("reference", {}).get("resource") or table.name) in sound
    ]
    schema = {name: value for name, value in table.schema.items() if name != "foreignKeys"}
    if keys:
        schema["foreignKeys"] = keys
    return Resource(
        name=table.name,
        path=table.file,
        basepath=str(root),
        format="csv",
        encoding="utf-8",
        dialect=Dialect(controls=[formats.CsvControl(delimiter=",")]),
        schema=Schema.from_descriptor(schema),
    )


def _to_problem(table: Table, error: errors.Error) -> Problem:
    row = getattr(error, "row_number", None)
    line = None if row is None else table.line_of(row)
    column = getattr(error, "field_name", None)
    value = getattr(error, "cell", None)
    rule = _rule_for(error)
    if isinstance(error, errors.ForeignKeyError):
        column = ",".join(error.field_names)
        value = ",".join(str(cell) for cell in error.field_cells)
        message = f"no row of the referenced table has this {column}"
    elif isinstance(error, errors.PrimaryKeyError):
        column = ",".join(table.primary_key)
        value = ",".join(str(cell) for cell in table.rows.loc[line, table.primary_key])
        message = f"{_earlier_row(table, error)} already uses this key"
    elif isinstance(error, errors.UniqueError):
        message = f"{_earlier_row(table, error)} already has this {column}"
    else:
        fields = {field["name"]: field for field in table.schema["fields"]}
        field = fields.get(column, {})
        rule, message = _cell_fault(rule, field, table.schema, "" if value is None else str(value))
        if not message:
            message = _cell_message(rule, field, error.note)
    return Problem(table.file, line, column, rule, shorten(value), message)


def _cell_fault(
    rule: str, field: dict[str, Any], schema: dict[str, Any], value: str
) -> tuple[str, str]:
    """The rule and message that fit the kind of field: a pattern broken by a partial date, a
    source list or an id, or a full date that is not on the calendar, is said as such, with
    the offending part. An empty message: nothing more precise to say than the schema's words."""
    markers = field.get("x-ilrs", {})
    if rule == "schema/type" and field.get("type") == "date" and len(value) == DAY_CHARS:
        fault = calendar_fault(value)
        if fault:
            return "date/not-a-date", f"not a real calendar date: {fault}"
    if rule != "schema/pattern":
        return rule, ""
    if markers.get("partialDate"):
        return "date/format", format_fault(value)
    if "sourceList" in markers:
        fault, fixed = list_fault(value), as_list(value)
        kind = "source/list-format"
    elif field.get("name") in identifier_fields(schema):
        fault, fixed = slug_fault(value), as_slug(value)
        kind = "id/format"
    else:
        return rule, ""
    if fault is None:
        return rule, ""
    return kind, f"{fault}; perhaps {fixed!r}" if fixed and fixed != value else fault


def _cell_message(rule: str, field: dict[str, Any], note: str) -> str:
    """What the schema asked of the cell, in words (frictionless's note names the constraint)."""
    constraints = field.get("constraints", {})
    if rule == "schema/required":
        return "the cell is empty, but every row needs a value"
    if rule == "schema/enum":
        return "not one of: " + ", ".join(str(value) for value in constraints["enum"])
    if rule == "schema/pattern":
        # The field's own description says in words what the regex asks for.
        said = f"; the field holds: {field['description']}" if field.get("description") else ""
        return f"does not match the pattern {constraints['pattern']}{said}"
    if rule == "schema/type":
        kind = field.get("type", "string")
        return f"not {TYPES[kind].words if kind in TYPES else f'a valid {kind}'}"
    return note


def _earlier_row(table: Table, error: errors.Error) -> str:
    """Where the row a duplicate repeats is, read from frictionless's note."""
    found = re.search(r"position (\d+)", error.note)
    return f"line {table.line_of(int(found.group(1)))}" if found else "another row"


def _rule_for(error: errors.Error) -> str:
    if isinstance(error, errors.ConstraintError):
        return next(
            (rule for name, rule in _CONSTRAINT_RULES.items() if f'"{name}"' in error.note),
            "schema/constraint",
        )
    if isinstance(error, errors.TypeError):
        return "schema/type"
    if isinstance(error, errors.ForeignKeyError):
        return "schema/foreign-key"
    if isinstance(error, errors.PrimaryKeyError):
        return "schema/primary-key"
    if isinstance(error, errors.UniqueError):
        return "schema/unique"
    return "schema/structure"
