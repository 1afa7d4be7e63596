"""`ilrs build`: validate, then write a versioned release into dist/.

Artifacts are made in a temporary folder and moved into dist/ only when all of them exist, so a
failed build leaves dist/ as it was; data/ is only read. Every artifact is byte-reproducible:
timestamps come from the last commit (or SOURCE_DATE_EPOCH), entries are sorted and the writers
are deterministic, so two builds of one commit in different folders are identical.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import ilrs_data
from ilrs_pipeline.errors import PipelineError
from ilrs_pipeline.release.notes import release_notes
from ilrs_pipeline.release.parquet import parquet_members
from ilrs_pipeline.release.previous import PreviousReleaseError
from ilrs_pipeline.release.sqlite import write_sqlite
from ilrs_pipeline.validate import stopped_by_problems

# Files of the repository that travel with the data in the release zip.
RELEASE_DOCUMENTS = ("README.md", "CHANGELOG.md", "LICENSE", "LICENSE-DATA", "CITATION.cff")
RELEASE_NOTES = "RELEASE_NOTES.md"
ZIP_EPOCH_FLOOR = 315_532_800  # 1980-01-01, the earliest time a zip entry can hold.


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


def release_descriptor(root: Path) -> dict[str, Any]:
    """datapackage.json as released: each resource carries its size and sha256."""
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        path = root / resource["path"]
        resource["bytes"] = path.stat().st_size
        resource["hash"] = f"sha256:{sha256_of(path)}"
    return descriptor


def release_members(root: Path, descriptor: dict[str, Any]) -> dict[str, bytes]:
    """Every file of the release zip by its path inside the release."""
    members = {
        "datapackage.json": (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode()
    }
    for resource in descriptor["resources"]:
        members[resource["path"]] = (root / resource["path"]).read_bytes()
        if isinstance(resource.get("schema"), str):
            members[resource["schema"]] = (root / resource["schema"]).read_bytes()
    for name in RELEASE_DOCUMENTS:
        members[name] = (root / name).read_bytes()
    return members


def write_zip(path: Path, folder: str, members: dict[str, bytes], epoch: int) -> None:
    """A zip whose bytes depend only on its members and the epoch: fixed times and modes, entries
    sorted by name, all inside one top folder."""
    stamp = dt.datetime.fromtimestamp(max(epoch, ZIP_EPOCH_FLOOR), tz=dt.UTC).timetuple()[:6]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in sorted(members.items()):
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content, compresslevel=9)


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

    The release notes compare with `previous` (a git tag or a release zip), by default the newest
    tag below this version.
    """
    descriptor = ilrs_data.package(root)
    folder = f"ilrs-data-{descriptor['version']}"
    epoch = source_date_epoch(root)
    with tempfile.TemporaryDirectory(prefix="ilrs-build-") as scratch:
        staging = Path(scratch) / "dist"
        staging.mkdir()
        notes = release_notes(root, previous, Path(scratch) / "previous")
        members = release_members(root, release_descriptor(root))
        members[RELEASE_NOTES] = notes.encode()
        write_zip(staging / f"{folder}.zip", folder, members, epoch)
        (staging / f"{folder}-release-notes.md").write_text(notes, encoding="utf-8")
        frames = ilrs_data.load_all(root)
        parquet = parquet_members(descriptor, frames)
        write_zip(staging / f"{folder}-parquet.zip", folder, parquet, epoch)
        write_sqlite(staging / f"{folder}.sqlite", descriptor, frames)
        build_python_distributions(root, staging, epoch)
        write_checksums(staging)
        dist.mkdir(parents=True, exist_ok=True)
        built = []
        for artifact in sorted(staging.iterdir()):
            target = dist / artifact.name
            shutil.move(artifact, target)
            built.append(target)
    return built


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
    except (OSError, ValueError, DistributionError, sqlite3.Error, PreviousReleaseError) as error:
        print(f"Build failed ({error}); nothing was written to dist/.", file=sys.stderr)
        return 1
    for path in built:
        print(f"wrote {path}")
    return 0
