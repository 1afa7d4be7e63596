"""Find the previous release (a git tag vX.Y.Z, or a release zip) and unpack its data package.

Release notes and `release-check` compare the working data with what was last released; both
need that release as a plain folder: datapackage.json, schemas/ and data/.
"""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

import ilrs_data
from ilrs_pipeline.errors import PipelineError

DESCRIPTOR_NAME = "datapackage.json"
Version = tuple[int, int, int]
VERSION_PATTERN = re.compile(r"v?(\d+)\.(\d+)\.(\d+)")


class PreviousReleaseError(PipelineError):
    """The previous release named (or found) cannot be read."""


def parse_version(text: str) -> Version:
    """(major, minor, patch) of "1.2.3" or "v1.2.3"; ValueError for anything else."""
    match = VERSION_PATTERN.fullmatch(text)
    if match is None:
        msg = f"{text!r} is not a version of the form MAJOR.MINOR.PATCH"
        raise ValueError(msg)
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def release_tags(root: Path) -> dict[Version, str]:
    """Every tag of the repository at `root` that names a version; none outside a git checkout."""
    result = subprocess.run(
        ["git", "-C", str(root), "tag", "--list"], capture_output=True, text=True, check=False
    )
    tags = result.stdout.split() if result.returncode == 0 else []
    return {parse_version(tag): tag for tag in tags if VERSION_PATTERN.fullmatch(tag)}


def latest_tag(root: Path, version: str, *, inclusive: bool) -> str | None:
    """The newest release tag below `version` (or equal to it, when `inclusive`), if any."""
    current = parse_version(version)
    tags = release_tags(root)
    older = [v for v in tags if v < current or (inclusive and v == current)]
    return tags[max(older)] if older else None


def unpack(reference: str, root: Path, into: Path) -> Path:
    """Write the package of a release zip (a path) or a git tag/commit into `into`; return it."""
    if Path(reference).is_file():
        return unpack_zip(Path(reference), into)
    return unpack_git(root, reference, into)


def unpack_zip(path: Path, into: Path) -> Path:
    """The package of a release zip (the descriptor at its root, or in one top folder as
    releases up to 0.2.0 have it), after the loader has checked its paths and checksums."""
    try:
        ilrs_data.verify(source=path)
        with zipfile.ZipFile(path) as archive:
            prefix = _package_prefix(archive.namelist())
            raw = archive.read(prefix + DESCRIPTOR_NAME)
            names = package_paths(json.loads(raw))
            files = {DESCRIPTOR_NAME: raw}
            files.update((name, archive.read(prefix + name)) for name in names)
    except (ilrs_data.ReleaseError, zipfile.BadZipFile, json.JSONDecodeError, KeyError) as error:
        msg = f"cannot read the release zip {path}: {error}"
        raise PreviousReleaseError(msg) from error
    return _write(files, into)


def _package_prefix(names: list[str]) -> str:
    """The folder holding datapackage.json inside the zip ('' at its root)."""
    found = sorted((name for name in names if PurePosixPath(name).name == DESCRIPTOR_NAME), key=len)
    if not found:
        msg = f"no {DESCRIPTOR_NAME} in the zip"
        raise KeyError(msg)
    return found[0].removesuffix(DESCRIPTOR_NAME)


def unpack_git(root: Path, reference: str, into: Path) -> Path:
    """The package as committed at `reference` (a tag, branch or commit) in the repo at `root`."""
    if reference.startswith("-"):
        msg = f"{reference!r} is neither a release zip nor a git tag"
        raise PreviousReleaseError(msg)
    raw = _git_show(root, reference, DESCRIPTOR_NAME)
    try:
        names = package_paths(json.loads(raw))
    except (PreviousReleaseError, json.JSONDecodeError, KeyError, TypeError) as error:
        msg = f"the {DESCRIPTOR_NAME} of {reference} cannot be read: {error}"
        raise PreviousReleaseError(msg) from error
    files = {DESCRIPTOR_NAME: raw}
    files.update((name, _git_show(root, reference, name)) for name in names)
    return _write(files, into)


def package_paths(descriptor: dict[str, Any]) -> list[str]:
    """Every data and schema file a descriptor names, checked to stay inside the package."""
    names = []
    for resource in descriptor["resources"]:
        names.append(_inside(resource["path"]))
        if isinstance(resource.get("schema"), str):
            names.append(_inside(resource["schema"]))
    return names


def _inside(relative: object) -> str:
    """A path named by a descriptor, refused unless it stays inside the package."""
    path = PurePosixPath(str(relative))
    if path.is_absolute() or ".." in path.parts or "\\" in str(relative) or ":" in str(relative):
        msg = f"path {relative!r} points outside the package; refusing to read it"
        raise PreviousReleaseError(msg)
    return str(path)


def _git_show(root: Path, reference: str, name: str) -> bytes:
    result = subprocess.run(
        ["git", "-C", str(root), "show", f"{reference}:{name}"], capture_output=True, check=False
    )
    if result.returncode != 0:
        detail = result.stderr.decode(errors="replace").strip()
        msg = f"cannot read {name} at {reference!r} in {root}: {detail}"
        raise PreviousReleaseError(msg)
    return result.stdout


def _write(files: dict[str, bytes], into: Path) -> Path:
    for name, content in files.items():
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return into
