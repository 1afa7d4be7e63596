"""Find and read a data package descriptor, with its table schemas resolved inline, and check it
has what the loader needs, so a malformed one fails with a message rather than a KeyError."""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from ilrs_data._errors import DescriptorError
from ilrs_data._files import DESCRIPTOR_NAME, PackageFiles
from ilrs_data._settings import MAX_METADATA_BYTES

Descriptor = dict[str, Any]


def bundled_root() -> Path:
    """The package copy shipped inside the wheel (built from data/ and datapackage.json).

    In a source checkout or editable install there is no copy: the repository itself is used.
    """
    shipped = Path(str(files("ilrs_data") / "_package"))
    if (shipped / DESCRIPTOR_NAME).is_file():
        return shipped
    return Path(__file__).resolve().parents[2]


@lru_cache(maxsize=32)
def read_descriptor(package_files: PackageFiles) -> Descriptor:
    """Read datapackage.json and inline every schema given as a path inside the package.

    Memoised per source; callers must not mutate the result (package() hands out copies).
    """
    descriptor = _json(package_files, DESCRIPTOR_NAME)
    where = f"the {DESCRIPTOR_NAME} of {package_files.location}"
    if not isinstance(descriptor, dict):
        raise DescriptorError(f"{where} is not a JSON object")
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not all(isinstance(r, dict) for r in resources):
        raise DescriptorError(f"{where} has no list of resources (tables); fix or replace it")
    for number, resource in enumerate(resources, start=1):
        _check_resource(resource, f"resource {number} in {where}")
        schema = resource["schema"]
        if isinstance(schema, str):
            resource["schema"] = schema = _json(package_files, schema)
        _check_schema(schema, f"the schema of table {resource['name']!r} in {where}")
    names = [resource["name"] for resource in resources]
    if len(set(names)) != len(names):
        raise DescriptorError(f"{where} names a table twice; every resource name must be unique")
    return descriptor


def _json(package_files: PackageFiles, relative: str) -> Any:
    data = package_files.read(relative, MAX_METADATA_BYTES).data
    try:
        return json.loads(data)
    # JSONDecodeError, UnicodeDecodeError for non-UTF-8 bytes, RecursionError for arrays or
    # objects nested thousands deep (a few kilobytes are enough)
    except (ValueError, RecursionError) as error:
        msg = (
            f"{relative} in {package_files.location} is not valid JSON ({error}); fix or replace it"
        )
        raise DescriptorError(msg) from error


def _check_resource(resource: dict[str, Any], what: str) -> None:
    if isinstance(resource.get("path"), list):  # valid Frictionless, but not a release's
        msg = (
            f"{what} ({resource.get('name')}) has a list of paths, a table split into parts, "
            "which the loader does not read; join the parts into one CSV file"
        )
        raise DescriptorError(msg)
    for key in ("name", "path"):
        if not isinstance(resource.get(key), str) or not resource[key]:
            raise DescriptorError(f"{what} has no {key!r} (a non-empty string); add it")
    if not isinstance(resource.get("schema"), str | dict):
        raise DescriptorError(f"{what} ({resource['name']}) has no schema (a path or an object)")
    size = resource.get("bytes")
    if size is not None and (not isinstance(size, int) or isinstance(size, bool) or size < 0):
        raise DescriptorError(f"{what} ({resource['name']}) has 'bytes' {size!r}, not a size")


def _check_schema(schema: object, what: str) -> None:
    fields = schema.get("fields") if isinstance(schema, dict) else None
    if not isinstance(fields, list) or not fields:
        raise DescriptorError(f"{what} has no list of fields; fix or replace it")
    names: set[str] = set()
    for number, field in enumerate(fields, start=1):
        if not isinstance(field, dict) or not isinstance(field.get("name"), str):
            raise DescriptorError(f"field {number} of {what} has no name")
        if field["name"] in names:
            raise DescriptorError(f"{what} names the field {field['name']!r} twice")
        names.add(field["name"])
        _check_field(field, f"field {field['name']!r} of {what}")
    if not isinstance(schema, dict) or not _is_text_list(schema.get("missingValues", [])):
        raise DescriptorError(f"{what} has 'missingValues' that is no list of strings")


def _check_field(field: dict[str, Any], what: str) -> None:
    """What the loader reads from a field, of the kind it reads: a malformed one would fail in
    pandas with a bare error, or worse ("yes" as trueValues would mean "y", "e" and "s")."""
    constraints = field.get("constraints")
    enum = constraints.get("enum") if isinstance(constraints, dict) else None
    if enum is not None and not _is_enum(enum):
        raise DescriptorError(
            f"{what} has an enum that is no list of distinct strings or numbers; fix it"
        )
    for key in ("trueValues", "falseValues"):
        if key in field and not _is_text_list(field[key]):
            raise DescriptorError(f"{what} has {key!r} that is no list of strings; fix it")
    if not isinstance(field.get("format", "default"), str):
        raise DescriptorError(f"{what} has 'format' {field['format']!r}, which is no string")


def _is_text_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _is_nan(item: object) -> bool:
    return isinstance(item, float) and math.isnan(item)


def _is_enum(value: object) -> bool:
    """A list of distinct strings or numbers (no null, no NaN: pandas refuses either)."""
    return (
        isinstance(value, list)
        and all(isinstance(item, str | int | float) and not _is_nan(item) for item in value)
        and len(set(value)) == len(value)
    )
