"""Read datapackage.json and the Table Schemas it names, turning every defect into a Problem.

The validator reads the descriptor itself, uncached and defensively: a broken descriptor or schema
must end up in the report, never in a traceback, and later stages may then trust its shape.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from frictionless import FrictionlessException, Package, Schema

from ilrs_pipeline.model.markers import marker_notes, resolve_sets
from ilrs_pipeline.release.descriptor_version import version_note
from ilrs_pipeline.validate.editors import merge_conflicts, utf16
from ilrs_pipeline.validate.problems import Problem, shorten
from ilrs_pipeline.validate.tree import absence, is_linked, undeclared_files

if TYPE_CHECKING:
    from pathlib import Path

DESCRIPTOR_NAME = "datapackage.json"

Descriptor = dict[str, Any]
SchemaDict = dict[str, Any]


def read_package(root: Path) -> tuple[Descriptor | None, list[Problem]]:
    """The descriptor with each schema inlined, or None and the problems that prevent reading it;
    with a descriptor, the problems that do not (a bad version, files it does not declare)."""
    descriptor, unreadable = _read_json(root, DESCRIPTOR_NAME)
    if unreadable:
        return None, unreadable
    found = _version_problems(descriptor)
    problems = _descriptor_problems(descriptor)
    if problems:
        return None, [*found, *problems]
    # Before the schemas are inlined, while each resource still names its schema's file.
    found.extend(undeclared_files(root, descriptor))
    problems = _spec_problems(Package, descriptor, DESCRIPTOR_NAME)
    if problems:
        return None, [*found, *problems]
    files: dict[str, str] = {}
    for resource in descriptor["resources"]:
        file = resource["schema"] if isinstance(resource["schema"], str) else DESCRIPTOR_NAME
        resource["schema"], unreadable = _read_schema(root, resource["schema"], file)
        files[resource["name"]] = file
        problems.extend(unreadable)
    if problems:
        return None, [*found, *problems]
    schemas = {resource["name"]: resource["schema"] for resource in descriptor["resources"]}
    problems = [
        _invalid(files[name], note)
        for name, schema in schemas.items()
        for note in [*_reference_notes(name, schema, schemas), *marker_notes(schema, schemas)]
    ]
    if problems:
        return None, [*found, *problems]
    for resource in descriptor["resources"]:
        resource["schema"] = resolve_sets(resource["schema"])  # the rules read values, not names
    return descriptor, found


def _version_problems(descriptor: Any) -> list[Problem]:
    """The version is checked first: the wheel build reads it, and fails on a bad one."""
    note = version_note(descriptor)
    if note is None:
        return []
    value = descriptor.get("version") if isinstance(descriptor, dict) else None
    return [Problem(DESCRIPTOR_NAME, None, None, "package/version", shorten(value), note)]


def _read_schema(root: Path, schema: Any, file: str) -> tuple[Any, list[Problem]]:
    if isinstance(schema, str):
        schema, unreadable = _read_json(root, schema)
        if unreadable:
            return None, unreadable
    notes = _schema_notes(schema)
    if notes:
        return schema, [_invalid(file, note) for note in notes]
    return schema, _spec_problems(Schema, schema, file)


def _read_json(root: Path, relative: str) -> tuple[Any, list[Problem]]:
    """A JSON file's content, or None and why it cannot be read (every merge conflict in it)."""
    problem = _path_problem(root, relative)
    raw = b"" if problem else (root / relative).read_bytes()
    problem = problem or utf16(relative, raw)
    if problem is not None:
        return None, [problem]
    try:
        return json.loads(raw.decode("utf-8")), []
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [Problem(relative, line, None, "package/unreadable", None, "not UTF-8")]
    except json.JSONDecodeError as error:
        return None, _json_errors(relative, error)
    except RecursionError:
        message = "nested too deeply"
        return None, [Problem(relative, None, None, "package/unreadable", None, message)]
    except ValueError as error:  # e.g. an integer literal too long to read
        return None, [Problem(relative, None, None, "package/unreadable", None, str(error))]


def _path_problem(root: Path, relative: str) -> Problem | None:
    """A link (never followed) or a missing file where a JSON file should be."""
    if is_linked(root, relative):
        message = "a symbolic link, so it was not read"
        return Problem(relative, None, None, "file/symlink", None, message)
    if not (root / relative).is_file():
        return Problem(relative, None, None, "package/unreadable", None, absence(root / relative))
    return None


def _json_errors(relative: str, error: json.JSONDecodeError) -> list[Problem]:
    """Where the JSON breaks, or every merge conflict (one of which breaks it)."""
    conflicts = merge_conflicts(relative, error.doc)
    if conflicts:
        return conflicts
    message = f"{error.msg} (column {error.colno})"
    return [Problem(relative, error.lineno, None, "package/unreadable", None, message)]


def _spec_problems(kind: type[Package | Schema], descriptor: Any, file: str) -> list[Problem]:
    """What frictionless finds wrong with a descriptor against the Data Package specs."""
    try:
        report = kind.validate_descriptor(descriptor)
    except FrictionlessException as error:
        return [_invalid(file, error.error.note)]
    return [_invalid(file, error.note) for error in report.errors]


def _descriptor_problems(descriptor: Any) -> list[Problem]:
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list) or not resources:
        return [_invalid(DESCRIPTOR_NAME, "'resources' must be a non-empty list of tables")]
    notes = []
    names = []
    for number, resource in enumerate(resources):
        if not isinstance(resource, dict):
            notes.append(f"resources[{number}] must be an object")
            continue
        if isinstance(resource.get("name"), str):
            names.append(resource["name"])
        else:
            notes.append(f"resources[{number}] needs a 'name'")
        if not _is_inside(resource.get("path")):
            notes.append(f"resources[{number}] 'path' must be a relative path inside the package")
        schema = resource.get("schema")
        if not (isinstance(schema, dict) or _is_inside(schema)):
            notes.append(f"resources[{number}] 'schema' must be a relative path or an object")
    notes.extend(f"two resources are named {name!r}" for name in _repeated(names))
    return [_invalid(DESCRIPTOR_NAME, note) for note in notes]


def _schema_notes(schema: Any) -> list[str]:
    """What would stop the validator from reading the schema; frictionless checks the rest."""
    fields = schema.get("fields") if isinstance(schema, dict) else None
    if not isinstance(fields, list) or not fields:
        return ["'fields' must be a non-empty list"]
    if not all(isinstance(field, dict) and isinstance(field.get("name"), str) for field in fields):
        return ["every field must be an object with a 'name'"]
    names = [field["name"] for field in fields]
    notes = [f"two fields are named {name!r}" for name in _repeated(names)]
    for field in fields:
        notes.extend(_field_notes(field))
    if not _names_fields(schema.get("primaryKey"), names):
        notes.append("'primaryKey' must name fields of the schema")
    foreign_keys = schema.get("foreignKeys", [])
    if not (
        isinstance(foreign_keys, list) and all(_is_foreign_key(key, names) for key in foreign_keys)
    ):
        notes.append("'foreignKeys' must be a list of {fields, reference: {resource, fields}}")
    if not isinstance(schema.get("x-ilrs", {}), dict):
        notes.append("'x-ilrs' must be an object")
    return notes


def _names_fields(value: Any, names: list[str]) -> bool:
    """Whether `value` is a field name or a non-empty list of them, all among `names`."""
    listed = [value] if isinstance(value, str) else value
    return isinstance(listed, list) and bool(listed) and all(name in names for name in listed)


def _is_foreign_key(key: Any, names: list[str]) -> bool:
    """Whether a foreign key names this schema's fields and as many referenced ones (whether
    those exist is for _reference_notes, once every schema is read)."""
    reference = key.get("reference") if isinstance(key, dict) else None
    if not (isinstance(reference, dict) and isinstance(reference.get("resource", ""), str)):
        return False
    local, remote = key.get("fields"), reference.get("fields")
    remote_names = [remote] if isinstance(remote, str) else remote
    return (
        _names_fields(local, names)
        and isinstance(remote_names, list)
        and all(isinstance(name, str) for name in remote_names)
        and len(remote_names) == len([local] if isinstance(local, str) else local)
    )


def _reference_notes(name: str, schema: SchemaDict, schemas: dict[str, SchemaDict]) -> list[str]:
    """Each foreign key references a table of the package and fields it has."""
    notes = []
    for key in schema.get("foreignKeys", []):
        target = key["reference"].get("resource") or name
        fields = key["reference"]["fields"]
        known = [field["name"] for field in schemas.get(target, {"fields": []})["fields"]]
        if not _names_fields(fields, known):
            notes.append(
                f"foreign key {key['fields']!r} references {target}.{fields!r}, "
                "which does not exist"
            )
    return notes


def _field_notes(field: dict[str, Any]) -> list[str]:
    constraints = field.get("constraints", {})
    if not isinstance(constraints, dict):
        return [f"field {field['name']!r}: 'constraints' must be an object"]
    notes = []
    pattern = constraints.get("pattern")
    if pattern is not None:
        try:
            re.compile(pattern)
        except (re.error, TypeError):
            notes.append(f"field {field['name']!r}: the pattern {pattern!r} is not a valid regex")
    if not isinstance(field.get("x-ilrs", {}), dict):
        notes.append(f"field {field['name']!r}: 'x-ilrs' must be an object")
    return notes


def _is_inside(path: Any) -> bool:
    if not isinstance(path, str) or not path or "://" in path:
        return False
    pure = PurePosixPath(path)
    return not pure.is_absolute() and ".." not in pure.parts and "\\" not in path


def _repeated(names: list[str]) -> list[str]:
    counts = Counter(names)
    return [name for name in dict.fromkeys(names) if counts[name] > 1]


def _invalid(file: str, note: str) -> Problem:
    return Problem(file, None, None, "package/invalid", None, note)
