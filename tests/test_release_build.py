"""`nox -s build`: every artifact, its checksums, and byte-identical output from two checkouts."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ilrs_pipeline.release.build import LINKED_DOCUMENTS, DistributionError, build, install
from ilrs_pipeline.release.check import wheel_version
from ilrs_pipeline.release.scratch import scratch_folder

DERIVED = ("source_links", "countries")  # the tables the build derives from the data
# Never copied into a test checkout: build outputs, caches and environments.
NOT_SOURCES = shutil.ignore_patterns(
    ".nox", ".venv", "dist", "build", "*.egg-info", "__pycache__", ".pytest_cache",
    ".ruff_cache", ".hypothesis",
)  # fmt: skip


def ended_process_id() -> int:
    """The id of a process that has run and been reaped."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.fixture(scope="module")
def builds(repo_root, tmp_path_factory) -> list[Path]:
    """The repository copied to two unrelated folders (with its git history), each built; the
    first dist/ already holds the half-made scratch folder of a build that was killed."""
    dists = []
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        for place in ("first/checkout", "second/somewhere/else/ilrs-data"):
            checkout = tmp_path_factory.mktemp("repo") / place
            shutil.copytree(repo_root, checkout, ignore=NOT_SOURCES)
            dists.append(tmp_path_factory.mktemp("dist") / "out")
            if len(dists) == 1:
                killed = dists[0] / f".ilrs-build-{ended_process_id()}-x1y2/dist"
                killed.mkdir(parents=True)
                (killed / "ilrs-data-0.0.1.zip").write_bytes(b"PK half written")
            build(checkout, dists[-1])
    return dists


def test_a_killed_builds_scratch_folder_is_removed_by_the_next_build(builds):
    assert [path.name for path in builds[0].iterdir() if path.name.startswith(".")] == []


def test_only_scratch_folders_of_ended_processes_are_removed(tmp_path):
    """Another build still running (this process, here) keeps its folder; so does anything not
    named like one; the new folder is named after this process and gone once closed."""
    gone = tmp_path / f".ilrs-build-{ended_process_id()}-abc"
    running = tmp_path / f".ilrs-build-{os.getpid()}-def"
    unnamed = tmp_path / ".ilrs-build-notes"
    other_stage = tmp_path / f".ilrs-site-{ended_process_id()}-ghi"
    for folder in (gone, running, unnamed, other_stage):
        folder.mkdir()
    with scratch_folder(tmp_path, "build") as scratch:
        assert Path(scratch).name.startswith(f".ilrs-build-{os.getpid()}-")
        assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
            [running.name, unnamed.name, other_stage.name, Path(scratch).name]
        )
    assert not Path(scratch).exists()


@pytest.fixture(scope="module")
def version(repo_root) -> str:
    return json.loads((repo_root / "datapackage.json").read_text(encoding="utf-8"))["version"]


def test_two_builds_of_one_commit_are_byte_identical(builds):
    first, second = builds
    names = sorted(path.name for path in first.iterdir())
    assert names == sorted(path.name for path in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_build_writes_every_artifact(builds, version):
    assert sorted(path.name for path in builds[0].iterdir()) == sorted(
        [
            "SHA256SUMS",
            f"ilrs-data-{version}.zip",
            f"ilrs-data-{version}-parquet.zip",
            f"ilrs-data-{version}.sqlite",
            f"ilrs-data-{version}.xlsx",
            f"ilrs-data-{version}-datasette.json",
            f"ilrs-data-{version}-release-notes.md",
            f"ilrs_data-{version}-py3-none-any.whl",
            f"ilrs_data-{version}.tar.gz",
        ]
    )


def test_sha256sums_covers_every_other_artifact(builds):
    dist = builds[0]
    listed = {}
    for line in (dist / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ")
        listed[name] = digest
    others = {path.name for path in dist.iterdir()} - {"SHA256SUMS"}
    assert set(listed) == others
    for name, digest in listed.items():
        assert hashlib.sha256((dist / name).read_bytes()).hexdigest() == digest, name


def test_release_zip_holds_the_package_documents_and_notes(builds, repo_root, version):
    with zipfile.ZipFile(builds[0] / f"ilrs-data-{version}.zip") as archive:
        names = archive.namelist()
    expected = {
        "datapackage.json", "README.md", "CHANGELOG.md", "LICENSE", "LICENSE-DATA",
        "CITATION.cff", "RELEASE_NOTES.md", *LINKED_DOCUMENTS,
    }  # fmt: skip
    expected |= {str(p.relative_to(repo_root)) for p in (repo_root / "data").glob("*.csv")}
    expected |= {str(p.relative_to(repo_root)) for p in (repo_root / "schemas").glob("*.json")}
    expected |= {f"{folder}/{name}.{ext}" for name in DERIVED for folder, ext in
                 (("data", "csv"), ("schemas", "json"))}  # fmt: skip
    assert set(names) == expected  # at the zip's root, where frictionless looks
    assert names == sorted(names)


def test_release_descriptor_has_the_size_and_sha256_of_every_table(builds, repo_root, version):
    with zipfile.ZipFile(builds[0] / f"ilrs-data-{version}.zip") as archive:
        descriptor = json.loads(archive.read("datapackage.json"))
        for resource in descriptor["resources"]:
            content = archive.read(resource["path"])
            if resource["name"] not in DERIVED:
                assert content == (repo_root / resource["path"]).read_bytes(), resource["name"]
            assert resource["bytes"] == len(content), resource["name"]
            assert resource["hash"] == "sha256:" + hashlib.sha256(content).hexdigest()


def test_zip_entries_carry_the_last_commit_time(builds, repo_root, version):
    commit = subprocess.run(
        ["git", "-C", str(repo_root), "log", "-1", "--format=%ct"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    when = dt.datetime.fromtimestamp(int(commit.stdout), tz=dt.UTC)
    expected = (*when.timetuple()[:5], when.second // 2 * 2)  # zip times have two-second steps
    for name in (
        f"ilrs-data-{version}.zip",
        f"ilrs-data-{version}-parquet.zip",
        f"ilrs-data-{version}.xlsx",
    ):
        with zipfile.ZipFile(builds[0] / name) as archive:
            assert {info.date_time for info in archive.infolist()} == {expected}, name


def test_wheel_version_is_the_descriptors(builds, repo_root, version):
    wheel = builds[0] / f"ilrs_data-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(f"ilrs_data-{version}.dist-info/METADATA").decode()
    assert f"\nVersion: {version}\n" in metadata
    assert wheel_version(repo_root) == version  # what release-check reads agrees with hatchling


def test_failed_wheel_build_leaves_dist_untouched(repo_root, tmp_path):
    """The wheel is built after the zips and the database: none of them reaches dist/."""
    checkout = tmp_path / "checkout"
    shutil.copytree(repo_root, checkout, ignore=NOT_SOURCES)
    pyproject = checkout / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    broken = text.replace('build-backend = "hatchling.build"', 'build-backend = "no_such.backend"')
    assert broken != text
    pyproject.write_text(broken, encoding="utf-8")
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "keep.txt").write_text("earlier artifact", encoding="utf-8")

    with pytest.raises(DistributionError, match="building the wheel and sdist failed"):
        build(checkout, dist)

    assert [path.name for path in dist.iterdir()] == ["keep.txt"]


@pytest.mark.parametrize("stop", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_an_install_stopped_half_way_leaves_the_earlier_release(tmp_path, monkeypatch, stop):
    """A full disk or Ctrl-C while artifacts move into dist/: the ones moved are taken back and
    the earlier release's files put back, so dist/ never mixes two releases' SHA256SUMS."""
    staging, dist = tmp_path / "staging", tmp_path / "dist"
    staging.mkdir()
    dist.mkdir()
    for name in ("SHA256SUMS", "ilrs-data-1.1.0.sqlite", "ilrs-data-1.1.0.zip"):
        (staging / name).write_text(f"new {name}", encoding="utf-8")
    for name in ("SHA256SUMS", "ilrs-data-1.0.0.zip", "ilrs-data-1.1.0.zip"):
        (dist / name).write_text(f"old {name}", encoding="utf-8")
    before = {path.name: path.read_text(encoding="utf-8") for path in dist.iterdir()}
    rename = Path.replace

    def replace(self: Path, target: Path) -> Path:
        if Path(target) == dist / "ilrs-data-1.1.0.zip" and self.parent == staging:
            raise stop  # the third artifact, after two have landed
        return rename(self, target)

    monkeypatch.setattr(Path, "replace", replace)
    with pytest.raises(type(stop)):
        install(staging, dist, tmp_path / "aside")

    assert {path.name: path.read_text(encoding="utf-8") for path in dist.iterdir()} == before


def test_an_install_replaces_an_earlier_build_of_the_same_names(tmp_path):
    staging, dist = tmp_path / "staging", tmp_path / "dist"
    staging.mkdir()
    dist.mkdir()
    (staging / "SHA256SUMS").write_text("new", encoding="utf-8")
    (dist / "SHA256SUMS").write_text("old", encoding="utf-8")
    (dist / "ilrs-data-1.0.0.zip").write_text("older release", encoding="utf-8")

    assert install(staging, dist, tmp_path / "aside") == [dist / "SHA256SUMS"]
    assert (dist / "SHA256SUMS").read_text(encoding="utf-8") == "new"
    assert (dist / "ilrs-data-1.0.0.zip").exists()  # other releases are left alone
