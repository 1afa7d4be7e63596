"""`ilrs build`: validate, then write a versioned release into dist/.

Artifacts are made in a temporary folder inside dist/ and moved into place only when all of
them exist, by renames that are undone if one fails or the build is interrupted, so a failed
build leaves dist/ as it was, never a mix of two releases or a half-copied file; data/ is only
read. Every artifact is byte-reproducible:
timestamps come from the last commit (or SOURCE_DATE_EPOCH), entries are sorted and the writers
are deterministic, so two builds of one commit in different folders are identical.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ilrs_data
from ilrs_pipeline.errors import PipelineError
from ilrs_pipeline.release.datasette import datasette_bytes
from ilrs_pipeline.release.derived import DerivedTable, derived_tables
from ilrs_pipeline.release.links import LINKED_SUFFIXES, broken_links, rewrite_links
from ilrs_pipeline.release.metadata import release_metadata
from ilrs_pipeline.release.notes import release_notes
from ilrs_pipeline.release.parquet import parquet_members
from ilrs_pipeline.release.previous import PreviousReleaseError
from ilrs_pipeline.release.scratch import scratch_folder
from ilrs_pipeline.release.sqlite import write_sqlite
from ilrs_pipeline.release.urls import file_url
from ilrs_pipeline.release.workbook import workbook_bytes
from ilrs_pipeline.validate import stopped_by_problems

# Files of the repository that travel with the data in the release zip.
RELEASE_DOCUMENTS = ("README.md", "CHANGELOG.md", "LICENSE", "LICENSE-DATA", "CITATION.cff")
# Documents the README links to that a reader of the data needs offline; other links it makes
# into files of the repository are rewritten to their address at the release's tag.
LINKED_DOCUMENTS = ("docs/data-dictionary.md", "docs/timeline.svg", "docs/versioning.md")
# What the Parquet zip carries beside the files: enough to say what they are and their terms.
PARQUET_DOCUMENTS = ("README.md", "LICENSE-DATA", "CITATION.cff")
RELEASE_NOTES = "RELEASE_NOTES.md"
ZIP_EPOCH_FLOOR = 315_532_800  # 1980-01-01, the earliest time a zip entry can hold.


class BrokenLinkError(PipelineError):
    """A released document links to a file that is neither in the release nor on the web."""


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def source_date_epoch(root: Path) -> int:
    """Timestamp for every archive entry: SOURCE_DATE_EPOCH, else the last commit's time."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return int(os.environ["SOURCE_DATE_EPOCH"])
    result = subprocess.run(
        ["git", "-C", str(root), "log", "-1", "--format=%ct"],
        capture_output=True,
        text=True,
        check=False,
    )
    return (
        int(result.stdout.strip())
        if result.returncode == 0 and result.stdout.strip()
        else ZIP_EPOCH_FLOOR
    )


def with_checksum(resource: dict[str, Any], content: bytes) -> dict[str, Any]:
    """A resource entry carrying its file's size and sha256, as frictionless checks them."""
    return {
        **resource,
        "bytes": len(content),
        "hash": f"sha256:{hashlib.sha256(content).hexdigest()}",
    }


def json_bytes(document: object) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def release_descriptor(root: Path, derived: Sequence[DerivedTable] = ()) -> dict[str, Any]:
    """datapackage.json as released: the derived tables added, each resource carrying its size
    and sha256."""
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    resources = [
        with_checksum(resource, (root / resource["path"]).read_bytes())
        for resource in descriptor["resources"]
    ]
    resources += [with_checksum(table.resource, table.csv) for table in derived]
    released: dict[str, Any] = {**descriptor, "resources": resources}
    return released


def release_members(
    root: Path, descriptor: dict[str, Any], derived: Sequence[DerivedTable] = ()
) -> dict[str, bytes]:
    """Every file of the release zip by its path inside the release (the zip's root), but the
    release notes and the documents the README links to."""
    members = {"datapackage.json": json_bytes(descriptor)}
    for table in derived:
        members[table.resource["path"]] = table.csv
        members[table.resource["schema"]] = json_bytes(table.schema)
    for resource in descriptor["resources"]:
        if resource["path"] not in members:
            members[resource["path"]] = (root / resource["path"]).read_bytes()
            if isinstance(resource.get("schema"), str):
                members[resource["schema"]] = (root / resource["schema"]).read_bytes()
    for name in RELEASE_DOCUMENTS:
        members[name] = (root / name).read_bytes()
    return members


def self_contained(root: Path, version: str, members: dict[str, bytes]) -> dict[str, bytes]:
    """The members with every relative link to a file outside them pointed at the repository at
    the release's tag; a link that still leads nowhere stops the build."""
    present = set(members)
    fixed = dict(members)
    for name, content in members.items():
        if not name.endswith(LINKED_SUFFIXES):
            continue
        text = rewrite_links(
            name, content.decode("utf-8"), present, lambda path: file_url(root, version, path)
        )
        broken = broken_links(name, text, present)
        if broken:
            msg = f"{name} links to {', '.join(broken)}, which the release does not hold"
            raise BrokenLinkError(msg)
        fixed[name] = text.encode("utf-8")
    return fixed


def zip_stamp(epoch: int) -> dt.datetime:
    """The epoch as a naive UTC time, never before the earliest a zip entry can hold."""
    return dt.datetime.fromtimestamp(max(epoch, ZIP_EPOCH_FLOOR), tz=dt.UTC).replace(tzinfo=None)


def write_zip(path: Path, folder: str, members: dict[str, bytes], epoch: int) -> None:
    """A zip whose bytes depend only on its members and the epoch: fixed times and modes, entries
    sorted by name, inside `folder`, or at the zip's root when it is "" (as releases are, since
    frictionless looks for datapackage.json there)."""
    stamp = zip_stamp(epoch).timetuple()[:6]
    prefix = f"{folder}/" if folder else ""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in sorted(members.items()):
            info = zipfile.ZipInfo(prefix + name, date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content, compresslevel=9)


def parquet_zip_members(
    release: dict[str, bytes], descriptor: dict[str, Any], parquet: dict[str, bytes]
) -> dict[str, bytes]:
    """The Parquet files with a descriptor like the package's (each file's size and sha256, its
    table's schema), the README, the data licence and the citation."""
    top = json.loads(release["datapackage.json"])
    resources = [
        with_checksum(
            {key: resource[key] for key in ("name", "title", "description") if key in resource}
            | {"path": path, "format": "parquet", "mediatype": "application/vnd.apache.parquet",
               "schema": f"schemas/{resource['name']}.json"},
            parquet[path],
        )
        for resource, path in zip(descriptor["resources"], parquet, strict=True)
    ]  # fmt: skip
    members = {**parquet, "datapackage.json": json_bytes({**top, "resources": resources})}
    members |= {
        f"schemas/{r['name']}.json": release[f"schemas/{r['name']}.json"] for r in resources
    }
    members |= {name: release[name] for name in PARQUET_DOCUMENTS}
    return members


class DistributionError(PipelineError):
    """`python -m build` failed; the message carries the end of its output."""


def build_python_distributions(root: Path, outdir: Path, epoch: int) -> None:
    """Wheel and sdist, built by hatchling without network (it must be installed)."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(max(epoch, ZIP_EPOCH_FLOOR))}
    result = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(outdir), str(root)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip().splitlines()
        msg = "building the wheel and sdist failed:\n" + "\n".join(output[-20:])
        raise DistributionError(msg)


def write_checksums(folder: Path) -> None:
    """SHA256SUMS in the format `sha256sum --check` reads."""
    lines = [
        f"{sha256_of(path)}  {path.name}\n" for path in sorted(folder.iterdir()) if path.is_file()
    ]
    (folder / "SHA256SUMS").write_text("".join(lines), encoding="utf-8")


def build(root: Path, dist: Path, previous: str | None = None) -> list[Path]:
    """Make every artifact in a scratch folder, then move them all into dist/.

    The release zip is made first; the workbook, Parquet, SQLite and Datasette files are all
    read back from it, so they hold exactly the tables it holds. The release notes compare with
    `previous` (a git tag or a release zip), by default the newest tag below this version.
    """
    version = ilrs_data.package(root)["version"]
    stem = f"ilrs-data-{version}"
    epoch = source_date_epoch(root)
    # Inside dist/, so that every artifact lands by a rename on one filesystem: a copy from
    # another one (a tmpfs /tmp), stopped half-way, would leave a truncated file under its name.
    with scratch_folder(dist, "build") as scratch:
        staging = Path(scratch) / "dist"
        staging.mkdir()
        notes = release_notes(root, previous, Path(scratch) / "previous")
        derived = derived_tables(ilrs_data.package(root), ilrs_data.load_all(root))
        members = release_members(root, release_descriptor(root, derived), derived)
        members |= {name: (root / name).read_bytes() for name in LINKED_DOCUMENTS}
        members[RELEASE_NOTES] = notes.encode("utf-8")
        members = self_contained(root, version, members)
        release_zip = staging / f"{stem}.zip"
        write_zip(release_zip, "", members, epoch)
        (staging / f"{stem}-release-notes.md").write_text(notes, encoding="utf-8")
        descriptor = ilrs_data.package(release_zip)
        frames = ilrs_data.load_all(release_zip)
        facts = release_metadata(descriptor, root)
        parquet = parquet_members(descriptor, frames, facts)
        write_zip(
            staging / f"{stem}-parquet.zip",
            "",
            self_contained(root, version, parquet_zip_members(members, descriptor, parquet)),
            epoch,
        )
        write_sqlite(staging / f"{stem}.sqlite", descriptor, frames, facts)
        (staging / f"{stem}-datasette.json").write_bytes(datasette_bytes(descriptor, facts, stem))
        (staging / f"{stem}.xlsx").write_bytes(
            workbook_bytes(descriptor, frames, facts, zip_stamp(epoch))
        )
        build_python_distributions(root, staging, epoch)
        write_checksums(staging)
        return install(staging, dist, Path(scratch) / "replaced")


def install(staging: Path, dist: Path, aside: Path) -> list[Path]:
    """Move every file of `staging` into `dist`, all or none: a file of an earlier build under
    the same name is first set aside in `aside`; if a move fails, or Ctrl-C stops the build,
    the files moved are taken back out and those set aside put back, so that dist/ holds the
    earlier release or the new one, never a mix. All three folders are on one filesystem."""
    aside.mkdir()
    moved: list[Path] = []
    replaced: list[Path] = []
    try:
        for artifact in sorted(staging.iterdir()):
            target = dist / artifact.name
            if target.exists():
                target.replace(aside / artifact.name)
                replaced.append(target)
            artifact.replace(target)
            moved.append(target)
    except BaseException:
        for target in moved:
            target.unlink()
        for target in replaced:
            (aside / target.name).replace(target)
        raise
    return moved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path())
    parser.add_argument("--dist", type=Path, default=Path("dist"))
    parser.add_argument(
        "--previous",
        help="tag or release zip the release notes compare with (default: the newest older tag)",
    )
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if stopped_by_problems(root, "Build stopped, nothing was written to dist/"):
        return 1
    try:
        built = build(root, args.dist.resolve(), args.previous)
    except (OSError, ValueError, PipelineError, sqlite3.Error, PreviousReleaseError) as error:
        print(f"Build failed ({error}); nothing was written to dist/.", file=sys.stderr)
        return 1
    for path in built:
        print(f"wrote {path}")
    return 0
