"""Types, constraints, primary and foreign keys: what the Table Schemas say, checked by frictionless."""

from __future__ import annotations

from pathlib import Path
from frictionless import FrictionlessException, Package, errors

from ilrs_pipeline.problems import Problem, shorten

_CONSTRAINT_RULES = {"required": "schema/required", "pattern": "schema/pattern", "enum": "schema/enum"}


def check_structure(descriptor_path: Path) -> list[Problem]:
    """Validate the whole package with frictionless and translate each error into a Problem."""
    try:
        report = Package(str(descriptor_path)).validate()
    except FrictionlessException as error:
        return [Problem(descriptor_path.name, None, None, "package/invalid", None, error.error.note)]
    problems: list[Problem] = []
    for task in report.tasks:
        file = str(task.place)
        problems.extend(_to_problem(file, error) for error in task.errors)
    problems.extend(
        Problem(descriptor_path.name, None, None, "package/invalid", None, error.note)
        for error in report.errors
    )
    return problems


def _to_problem(file: str, error: errors.Error) -> Problem:
    row = getattr(error, "row_number", None)
    column = getattr(error, "field_name", None)
    value = getattr(error, "cell", None)
    if isinstance(error, errors.ForeignKeyError):
        column = ",".join(error.field_names)
        value = ",".join(str(cell) for cell in error.field_cells)
        message = f"no row of the referenced table has {column} = {value}"
    elif isinstance(error, errors.PrimaryKeyError):
        value = ",".join(str(cell) for cell in error.cells) or None
        message = f"the same key already appears ({error.note})"
    else:
        message = error.note
    return Problem(file, row, column, _rule_for(error), shorten(value), message)


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
    return "schema/structure"

