"""Is datapackage.json's version one the build can use? Checked before anything is installed.

The wheel's version is matched in datapackage.json by the pattern in pyproject.toml's
[tool.hatch.version]; a descriptor without a version, or with one that is not MAJOR.MINOR.PATCH,
makes hatchling fail inside `pip install` with a traceback. Every nox session runs this check
first, so a contributor reads one line saying what to fix instead.

Standard library only, and no imports from this package: noxfile.py loads this file by its path
before the package (or anything else) is installed.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

DESCRIPTOR_NAME = "datapackage.json"
# semver.org's MAJOR.MINOR.PATCH, without leading zeros (PEP 440 would read "01.2.0" as "1.2.0",
# so the wheel and the descriptor would disagree); releases carry no pre-release part.
SEMANTIC_VERSION = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")
HINT = 'write it as "MAJOR.MINOR.PATCH", for example "0.2.0" (see docs/versioning.md)'


def version_problem(root: Path) -> str | None:
    """Why the package at `root` cannot be built with its version, or None when it can."""
    try:
        text = (root / DESCRIPTOR_NAME).read_text(encoding="utf-8")
        descriptor = json.loads(text)
    except FileNotFoundError:
        return f"{DESCRIPTOR_NAME}: not found in {root}; run nox from the repository's top folder"
    except (OSError, UnicodeDecodeError, ValueError) as error:
        return f"{DESCRIPTOR_NAME}: cannot be read as JSON ({error}); fix it, then run nox again"
    note = version_note(descriptor)
    if note is not None:
        return f"{DESCRIPTOR_NAME}: {note}; {HINT}"
    return _build_reads_another(root, text, descriptor["version"])


def version_note(descriptor: object) -> str | None:
    """What is wrong with a parsed descriptor's top-level version, or None when it is usable;
    the validator's `package/version` rule says the same."""
    if not isinstance(descriptor, dict) or "version" not in descriptor:
        return 'has no "version"; add one at the top level'
    version = descriptor["version"]
    if not isinstance(version, str) or SEMANTIC_VERSION.fullmatch(version) is None:
        shown = repr(version) if isinstance(version, str) else json.dumps(version)
        return f"version {shown} is not a semantic version (MAJOR.MINOR.PATCH)"
    return None


def _build_reads_another(root: Path, text: str, version: str) -> str | None:
    """The build takes the first match of pyproject's pattern in the file, which need not be the
    top-level "version" (a resource or source may carry one too)."""
    try:
        settings = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
        pattern = settings["tool"]["hatch"]["version"]["pattern"]
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError):
        return None  # no such pattern to check against: the build reports its own settings
    match = re.search(pattern, text, re.MULTILINE)
    found = match.group("version") if match is not None else None
    if found == version:
        return None
    return (
        f'{DESCRIPTOR_NAME}: the build reads the version {found!r}, not the top-level "version" '
        f'{version!r}: it takes the first "version" in the file, so keep the package\'s version '
        "above any other"
    )
