"""Find and read a data package descriptor, with its table schemas resolved inline."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

Descriptor = dict[str, Any]

DESCRIPTOR_NAME = "datapackage.json"


def bundled_root() -> Path:
    """The package copy shipped inside the wheel (built from data/ and datapackage.json).

    In a source checkout or editable install there is no copy: the repository itself is used.
    """
    shipped = Path(str(files("ilrs_data") / "_package"))
    if (shipped / DESCRIPTOR_NAME).is_file():
        return shipped
    return Path(__file__).resolve().parents[2]


def resolve_root(source: str | Path | None) -> Path:
    """Turn a user's `source` (None, a folder, or a datapackage.json path) into a folder."""
    if source is None:
        return bundled_root()
    path = Path(source)
    if path.is_dir():
        return path
    if path.name == DESCRIPTOR_NAME and path.is_file():
        return path.parent
    msg = f"source must be a folder holding {DESCRIPTOR_NAME} or the path of one; got {source!s}"
    raise ValueError(msg)


@cache
def read_descriptor(root: Path) -> Descriptor:
    """Read root/datapackage.json and inline every schema given as a relative path."""
    descriptor_path = root / DESCRIPTOR_NAME
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    for resource in descriptor.get("resources", []):
        schema = resource.get("schema")
        if isinstance(schema, str):
            resource["schema"] = json.loads(safe_join(root, schema).read_text(encoding="utf-8"))
    return descriptor


def safe_join(root: Path, relative: str) -> Path:
    """Join a descriptor path to its package root, refusing paths that leave the package."""
    candidate = Path(relative)
    if candidate.is_absolute() or ".." in candidate.parts:
        msg = f"path {relative!r} in {DESCRIPTOR_NAME} points outside the package"
        raise ValueError(msg)
    return root / candidate
