"""The package's file tree, checked before any file is read: no symbolic links, no stray files.

A link is refused without being followed or resolved: a CSV linked to `/etc/passwd` or to
`.git/config` must not have its target read, and so never printed in a report, a CI annotation
or a diff. A CSV or JSON file the descriptor does not declare would ship in the wheel unchecked.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import Any

from ilrs_pipeline.validate.problems import Problem

DESCRIPTOR_NAME = "datapackage.json"
FOLDERS = ("data", "schemas")
# The kinds of file a resource or a schema can be: anything else in the folders is left alone.
DECLARABLE = {".csv", ".json"}


def linked_files(root: Path) -> list[Problem]:
    """Every symbolic link among datapackage.json, data/ and schemas/ (a linked folder is
    reported once, and nothing below it is looked at)."""
    problems = []
    for top in (DESCRIPTOR_NAME, *FOLDERS):
        if (root / top).is_symlink():
            problems.append(_link(top))
            continue
        if not (root / top).is_dir():
            continue
        for folder, folders, files in os.walk(root / top):  # never follows links
            here = Path(folder)
            for name in sorted([*folders, *files]):
                if (here / name).is_symlink():
                    problems.append(_link((here / name).relative_to(root).as_posix()))
    return problems


def undeclared_files(root: Path, descriptor: dict[str, Any]) -> list[Problem]:
    """CSV and JSON files in data/ and schemas/ that no resource names as its path or schema."""
    declared = {
        PurePosixPath(str(value)).as_posix()
        for resource in descriptor["resources"]
        for value in (resource.get("path"), resource.get("schema"))
        if isinstance(value, str)
    }
    problems = []
    for top in FOLDERS:
        for path in sorted((root / top).rglob("*")) if (root / top).is_dir() else []:
            relative = path.relative_to(root).as_posix()
            if path.suffix.lower() in DECLARABLE and path.is_file() and relative not in declared:
                problems.append(_undeclared(relative, descriptor))
    return problems


def _link(relative: str) -> Problem:
    message = "this is a symbolic link; the validator does not follow links, so it was not read"
    return Problem(relative, None, None, "file/symlink", None, message)


def _undeclared(relative: str, descriptor: dict[str, Any]) -> Problem:
    stem = PurePosixPath(relative).stem
    names = {resource.get("name") for resource in descriptor["resources"]}
    kind = "table" if relative.startswith("data/") else "schema"
    message = f"no resource in datapackage.json declares this {kind}"
    if stem not in names:
        message += f" (was the resource {stem!r} removed from datapackage.json?)"
    return Problem(relative, None, None, "file/undeclared", None, message)


def is_linked(root: Path, relative: str) -> bool:
    """Whether the file at `relative`, or a folder on the way to it, is a symbolic link."""
    path = root
    for part in PurePosixPath(relative).parts:
        path = path / part
        if path.is_symlink():
            return True
    return False


def absence(path: Path) -> str:
    """Why no file can be read at `path`: there is nothing, or something that is no file (which
    is never opened: a named pipe would wait for a writer)."""
    if path.exists():
        return "this is not a regular file (a folder, a named pipe or a device); put the CSV here"
    return "the file does not exist"
