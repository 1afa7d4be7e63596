"""`ilrs publish`: lay out in dist/publish/ exactly the assets a GitHub release gets.

Every artifact of the last `ilrs build` of this version (as its SHA256SUMS lists them, each
checked), each table of the release zip as a loose CSV (`ilrs-data-X-<table>.csv`, for those who
want one file), and a new SHA256SUMS over all of them. The wheel and sdist are also copied to
dist/pypi/ for PyPI. The list of release assets is written to dist/publish-assets.txt, which the
release workflow uploads as it is, so what is tested here is what is published.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import ilrs_data
from ilrs_pipeline.errors import PipelineError
from ilrs_pipeline.release.scratch import scratch_folder

PUBLISH_FOLDER = "publish"
PYPI_FOLDER = "pypi"
ASSET_LIST = "publish-assets.txt"
CHECKSUMS = "SHA256SUMS"


class PublishError(PipelineError):
    """The build to publish is missing or does not match its checksums."""


def built_artifacts(dist: Path, version: str) -> list[Path]:
    """The artifacts the last build wrote, each checked against dist/SHA256SUMS."""
    sums = dist / CHECKSUMS
    if not sums.is_file():
        msg = f"{sums} is missing; run `ilrs build` (or `nox -s build`) first"
        raise PublishError(msg)
    artifacts = []
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        path = dist / name
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            msg = f"{path} is missing or differs from {sums}; run `ilrs build` again"
            raise PublishError(msg)
        artifacts.append(path)
    if not any(path.name == f"ilrs-data-{version}.zip" for path in artifacts):
        msg = f"{sums} lists no ilrs-data-{version}.zip; run `ilrs build` for version {version}"
        raise PublishError(msg)
    return artifacts


def loose_tables(release_zip: Path, stem: str) -> dict[str, bytes]:
    """Each table of the release zip as `<stem>-<table>.csv`, its bytes as in the zip."""
    with zipfile.ZipFile(release_zip) as archive:
        descriptor = json.loads(archive.read("datapackage.json"))
        return {
            f"{stem}-{resource['name']}.csv": archive.read(resource["path"])
            for resource in descriptor["resources"]
        }


def publish(root: Path, dist: Path) -> list[str]:
    """Write dist/publish/, dist/pypi/ and dist/publish-assets.txt; return the asset names.

    Both folders are made aside and swapped in whole, so a failure leaves the old ones.
    """
    version = ilrs_data.package(root)["version"]
    stem = f"ilrs-data-{version}"
    artifacts = [path for path in built_artifacts(dist, version) if path.name != CHECKSUMS]
    with scratch_folder(dist, "publish") as scratch:
        assets, pypi = Path(scratch) / PUBLISH_FOLDER, Path(scratch) / PYPI_FOLDER
        assets.mkdir()
        pypi.mkdir()
        for path in artifacts:
            shutil.copyfile(path, assets / path.name)
            if path.suffix == ".whl" or path.name.endswith(".tar.gz"):
                shutil.copyfile(path, pypi / path.name)
        for name, content in loose_tables(dist / f"{stem}.zip", stem).items():
            (assets / name).write_bytes(content)
        names = sorted(path.name for path in assets.iterdir())
        sums = "".join(
            f"{hashlib.sha256((assets / name).read_bytes()).hexdigest()}  {name}\n"
            for name in names
        )
        (assets / CHECKSUMS).write_text(sums, encoding="utf-8")
        names = sorted([*names, CHECKSUMS])
        for folder in (assets, pypi):
            shutil.rmtree(dist / folder.name, ignore_errors=True)
            folder.rename(dist / folder.name)
    (dist / ASSET_LIST).write_text(
        "".join(f"{PUBLISH_FOLDER}/{name}\n" for name in names), encoding="utf-8"
    )
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path())
    parser.add_argument("--dist", type=Path, default=Path("dist"))
    args = parser.parse_args(argv)
    names = publish(args.root.resolve(), args.dist.resolve())
    print(f"{len(names)} release assets in {args.dist / PUBLISH_FOLDER}, listed in "
          f"{args.dist / ASSET_LIST}")  # fmt: skip
    return 0
