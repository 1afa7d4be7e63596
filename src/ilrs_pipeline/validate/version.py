"""The package version in datapackage.json, checked before anything is built or installed.

hatchling reads the wheel's version from datapackage.json, so a missing or malformed version
used to end `nox` in a build traceback. This module uses the standard library only, so that
noxfile.py can load it by path and check the version before it installs anything.
"""

from __future__ import annotations

import re
from typing import Any

# MAJOR.MINOR.PATCH without leading zeros: what the release tooling and the loader understand.
SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")
HINT = (
    'Set "version" in datapackage.json to MAJOR.MINOR.PATCH, e.g. "0.3.0" (semantic '
    "versioning: docs/versioning.md says which part to raise)"
)


def version_note(descriptor: Any) -> str | None:
    """What is wrong with the descriptor's top-level version, or None when it is usable."""
    if not isinstance(descriptor, dict) or "version" not in descriptor:
        return "datapackage.json has no 'version'"
    version = descriptor["version"]
    if not isinstance(version, str):
        return f"'version' must be a string like \"0.3.0\", not {type(version).__name__}"
    if not SEMVER.fullmatch(version):
        return "'version' is not MAJOR.MINOR.PATCH (three numbers, no leading zeros)"
    return None
