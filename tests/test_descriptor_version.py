"""A datapackage.json version the build cannot read stops nox with one line, no traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hatchling.metadata.core import ProjectMetadata
from hatchling.plugin.manager import PluginManager

from ilrs_pipeline.release.descriptor_version import version_problem


@pytest.fixture
def project(tmp_path: Path, repo_root: Path) -> Path:
    """What the build reads for its version: the real pyproject.toml and datapackage.json."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("pyproject.toml", "datapackage.json"):
        shutil.copy(repo_root / name, root / name)
    return root


def set_version(root: Path, version: object) -> None:
    """Rewrite the descriptor with `version` (removed when it is ...) at its usual place."""
    path = root / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    if version is ...:
        del descriptor["version"]
    else:
        descriptor["version"] = version
    path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False), encoding="utf-8")


def hatchling_version(root: Path) -> str:
    return str(ProjectMetadata(str(root), PluginManager()).version)


def test_the_repository_descriptor_passes(repo_root):
    assert version_problem(repo_root) is None


@pytest.mark.parametrize("version", ["1.0.0", "0.10.3", "12.0.7"])
def test_a_semantic_version_passes_and_is_what_the_wheel_gets(project, version):
    set_version(project, version)
    assert version_problem(project) is None
    assert hatchling_version(project) == version


def expected(shown: str) -> str:
    return (
        f"datapackage.json: version {shown} is not a semantic version (MAJOR.MINOR.PATCH); "
        'write it as "MAJOR.MINOR.PATCH", for example "0.2.0" (see docs/versioning.md)'
    )


@pytest.mark.parametrize(
    ("version", "error"),
    [("x", "Invalid version `x`"), (1, "unable to parse the version")],
)
def test_a_version_that_breaks_the_build_is_named_with_the_fix(project, version, error):
    """Each of these makes hatchling fail inside `pip install`; the check says what to write."""
    set_version(project, version)
    with pytest.raises(ValueError, match=error):
        hatchling_version(project)
    assert version_problem(project) == expected(repr(version) if version == "x" else "1")


@pytest.mark.parametrize(
    ("version", "wheel"),
    [("01.2.0", "1.2.0"), ("v1.0.0", "1.0.0"), ("1.0.0-rc.1", "1.0.0rc1"), ("0.2", "0.2")],
)
def test_a_version_the_build_accepts_but_is_not_semantic_is_refused(project, version, wheel):
    """PEP 440 takes these (rewriting most), so a release would carry a version that neither
    the tags (vX.Y.Z) nor release-check accept: refuse them before anything is built."""
    set_version(project, version)
    assert hatchling_version(project) == wheel
    assert version_problem(project) == expected(repr(version))


def test_a_missing_version_says_where_to_add_it(project):
    set_version(project, ...)
    with pytest.raises(ValueError, match="unable to parse the version"):
        hatchling_version(project)
    assert version_problem(project) == (
        'datapackage.json: has no "version"; add one at the top level; '
        'write it as "MAJOR.MINOR.PATCH", for example "0.2.0" (see docs/versioning.md)'
    )


def test_a_descriptor_that_is_not_json_is_named(project):
    path = project / "datapackage.json"
    path.write_text(path.read_text(encoding="utf-8").replace('",', '"', 1), encoding="utf-8")
    problem = version_problem(project) or ""
    assert problem.startswith("datapackage.json: cannot be read as JSON (")
    assert "line " in problem


def test_a_nested_version_before_the_top_level_one_is_caught(project):
    """The build takes the first "version" in the file: a resource's must not come first."""
    set_version(project, "0.2.0")
    path = project / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    reordered = {"profile": descriptor.pop("profile", "data-package")}
    reordered["sources"] = [{"title": "An upstream package", "version": "9.9.9"}]
    reordered.update(descriptor)
    path.write_text(json.dumps(reordered, indent=2), encoding="utf-8")
    assert hatchling_version(project) == "9.9.9"
    assert version_problem(project) == (
        "datapackage.json: the build reads the version '9.9.9', not the top-level \"version\" "
        "'0.2.0': it takes the first \"version\" in the file, so keep the package's version "
        "above any other"
    )


NOX = shutil.which("nox")


@pytest.mark.slow
@pytest.mark.skipif(NOX is None, reason="nox is not installed (CI's .ci/run installs it)")
def test_nox_stops_before_installing(tmp_path, repo_root):
    """`nox -s validate` on a broken descriptor: the message, no traceback, nothing installed."""
    root = tmp_path / "project"
    check = Path("src/ilrs_pipeline/release/descriptor_version.py")
    (root / check.parent).mkdir(parents=True)
    shutil.copy(repo_root / check, root / check)
    for name in ("noxfile.py", "pyproject.toml", "datapackage.json"):
        shutil.copy(repo_root / name, root / name)
    set_version(root, "0.3")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOX")}
    result = subprocess.run(
        [str(NOX), "-s", "validate", "--envdir", str(tmp_path / "envs")],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "datapackage.json: version '0.3' is not a semantic version (MAJOR.MINOR.PATCH)" in output
    assert "Traceback" not in output
    assert "hatchling" not in output
    assert not list((tmp_path / "envs").glob("*/bin/ilrs"))
