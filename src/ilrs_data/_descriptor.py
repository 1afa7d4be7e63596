"""Find and read a data package descriptor, with its table schemas resolved inline."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from ilrs_data._errors import ReleaseError
from ilrs_data._files import DESCRIPTOR_NAME, PackageFiles

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
    try:
        descriptor = json.loads(package_files.read(DESCRIPTOR_NAME))
        for resource in descriptor.get("resources", []):
            schema = resource.get("schema")
            if isinstance(schema, str):
                resource["schema"] = json.loads(package_files.read(schema))
    except json.JSONDecodeError as error:
        msg = f"{package_files.location} holds a file that is not valid JSON: {error}"
        raise ReleaseError(msg) from error
    if not isinstance(descriptor, dict):
        msg = f"the {DESCRIPTOR_NAME} of {package_files.location} is not a JSON object"
        raise ReleaseError(msg)
    return descriptor
