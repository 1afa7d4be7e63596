"""Read a package's files from a folder or a zip, refusing any path that leaves the package."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Protocol

from ilrs_data._errors import ReleaseError

DESCRIPTOR_NAME = "datapackage.json"


class PackageFiles(Protocol):
    """Where a package's files come from; hashable, so what is read from it can be memoised."""

    def __hash__(self) -> int: ...

    @property
    def location(self) -> str:
        """The folder, file or URL, for messages."""
        ...

    @property
    def is_release(self) -> bool:
        """Whether every data file must carry a checksum (zips are releases; folders may be)."""
        ...

    def read(self, relative: str) -> bytes:
        """The bytes of one file, given by its path inside the package."""
        ...


def checked_path(relative: object) -> PurePosixPath:
    """A package path that cannot escape the package: relative, no '..', no drive, no backslash."""
    if not isinstance(relative, str) or not relative:
        msg = f"package path {relative!r} must be one relative path"
        raise ReleaseError(msg)
    path = PurePosixPath(relative)
    if path.is_absolute() or "\\" in relative or ":" in relative or ".." in path.parts:
        msg = f"path {relative!r} points outside the package; refusing to read it"
        raise ReleaseError(msg)
    return path


@dataclass(frozen=True)
class FolderFiles:
    """An unpacked package. `stamp` (mtime and size of the descriptor and of every schema file it
    names) makes an edit of any of them a new cache key, so an edited schema is read again."""

    root: Path
    stamp: tuple[tuple[int, int], ...]

    @classmethod
    def at(cls, root: Path) -> FolderFiles:
        return cls(root, tuple(_stamp(root / name) for name in _descriptor_files(root)))

    @property
    def location(self) -> str:
        return str(self.root)

    @property
    def is_release(self) -> bool:
        return False

    def read(self, relative: str) -> bytes:
        return (self.root / checked_path(relative)).read_bytes()


def _stamp(path: Path) -> tuple[int, int]:
    try:
        status = path.stat()
    except OSError:
        return (0, 0)
    return (status.st_mtime_ns, status.st_size)


def _descriptor_files(root: Path) -> list[str]:
    """datapackage.json and the schema files it names (none if it cannot be read: reading it
    again later reports why)."""
    names = [DESCRIPTOR_NAME]
    try:
        descriptor = json.loads((root / DESCRIPTOR_NAME).read_bytes())
        resources = descriptor.get("resources", []) if isinstance(descriptor, dict) else []
    except (OSError, ValueError):
        return names
    names += [
        resource["schema"]
        for resource in resources
        if isinstance(resource, dict) and isinstance(resource.get("schema"), str)
    ]
    return names


@dataclass(frozen=True)
class ZipFiles:
    """A release zip on disk or in memory, read in place: nothing is ever extracted."""

    location: str
    archive: Path | bytes = field(repr=False)
    prefix: str
    stamp: tuple[int, int] = (0, 0)

    @classmethod
    def at(cls, path: Path) -> ZipFiles:
        status = path.stat()
        return cls.of(str(path), path, (status.st_mtime_ns, status.st_size))

    @classmethod
    def of(cls, location: str, archive: Path | bytes, stamp: tuple[int, int] = (0, 0)) -> ZipFiles:
        """Check every entry name once, and find the folder holding datapackage.json."""
        try:
            with _open(archive) as opened:
                names = opened.namelist()
        except zipfile.BadZipFile as error:
            msg = f"{location} is not a readable zip ({error})"
            raise ReleaseError(msg) from error
        return cls(location, archive, _package_prefix(location, names), stamp)

    @property
    def is_release(self) -> bool:
        return True

    def read(self, relative: str) -> bytes:
        name = self.prefix + str(checked_path(relative))
        with _open(self.archive) as opened:
            try:
                return opened.read(name)
            except KeyError:
                msg = f"{relative} is named in datapackage.json but missing from {self.location}"
                raise ReleaseError(msg) from None


def _open(archive: Path | bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(archive) if isinstance(archive, bytes) else archive)


def _package_prefix(location: str, names: list[str]) -> str:
    """'' when datapackage.json is at the top, else the one top folder that holds it."""
    if len(set(names)) != len(names):
        msg = f"{location} holds two entries with the same name; refusing it"
        raise ReleaseError(msg)
    for name in names:
        try:
            checked_path(name)
        except ReleaseError:
            msg = f"{location} holds the entry {name!r}, which points outside the release"
            raise ReleaseError(msg) from None
    if DESCRIPTOR_NAME in names:
        return ""
    tops = {name.split("/", 1)[0] for name in names}
    if len(tops) == 1 and f"{next(iter(tops))}/{DESCRIPTOR_NAME}" in names:
        return f"{next(iter(tops))}/"
    msg = f"{location} has no {DESCRIPTOR_NAME} at its top or in one top folder"
    raise ReleaseError(msg)
