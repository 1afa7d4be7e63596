"""`ilrs release-check [--previous TAG_OR_ZIP]`: is this version releasable?

Fails when versions disagree (datapackage.json, CITATION.cff, the version pyproject gives the
wheel), when the addresses a citation needs (datapackage.json's homepage and id, CITATION.cff's
repository-code and url, .zenodo.json's related repository) are not pyproject's [project.urls],
when CHANGELOG.md has no section for the version, or when the version bump since the
previous release is smaller than the data change demands (docs/versioning.md). The previous
release is --previous, else the newest tag vX.Y.Z not above the working version.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import tomllib
from pathlib import Path

import ilrs_data
from ilrs_pipeline.changes.policy import Bump, describe, required_bump
from ilrs_pipeline.changes.tables import compare_packages
from ilrs_pipeline.release.metadata import citation as read_citation
from ilrs_pipeline.release.previous import (
    PreviousReleaseError,
    Version,
    latest_tag,
    parse_version,
    unpack,
)
from ilrs_pipeline.release.urls import project_urls

CITATION_VERSION = re.compile(r"""^version:\s*["']?([^"'\s#]+)""", re.MULTILINE)


def version_problems(root: Path, version: str) -> list[str]:
    """Everywhere the version is written must say `version`, and CHANGELOG must describe it."""
    problems = []
    try:
        parse_version(version)
    except ValueError as error:
        problems.append(f"datapackage.json: {error}")
    citation = _citation_version(root)
    if citation != version:
        problems.append(f"CITATION.cff says version {citation!r}, datapackage.json {version!r}")
    wheel = wheel_version(root)
    if wheel != version:
        problems.append(f"pyproject.toml gives the wheel version {wheel!r}, not {version!r}")
    problems += url_problems(root)
    if not _has_changelog_section(root, version):
        problems.append(f"CHANGELOG.md has no section '## [{version}]'")
    return problems


def url_problems(root: Path) -> list[str]:
    """Each citation address that is not the one pyproject.toml's [project.urls] declares; none
    for a project that declares no addresses at all."""
    urls = project_urls(root)
    if not urls:
        return []
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    cff = read_citation(root)
    stated = [
        ("datapackage.json", "homepage", descriptor.get("homepage"), "Homepage"),
        ("datapackage.json", "id", descriptor.get("id"), "Repository"),
        ("CITATION.cff", "repository-code", cff.get("repository-code"), "Repository"),
        ("CITATION.cff", "url", cff.get("url"), "Homepage"),
    ]
    zenodo = root / ".zenodo.json"
    if zenodo.is_file():
        related = json.loads(zenodo.read_text(encoding="utf-8")).get("related_identifiers", [])
        stated += [
            (".zenodo.json", "related_identifiers", item.get("identifier"), "Repository")
            for item in related
            if item.get("scheme") == "url"
        ]
    return [
        f"{file} {key} is {value!r}, but pyproject.toml's [project.urls] {label} is "
        f"{urls.get(label)!r}; make them agree"
        for file, key, value, label in stated
        if value != urls.get(label)
    ]


def wheel_version(root: Path) -> str | None:
    """The version hatchling writes into the wheel: static, or matched in its version file."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    if "version" in project["project"]:
        return str(project["project"]["version"])
    source = project.get("tool", {}).get("hatch", {}).get("version", {})
    if "path" not in source:
        return None
    # hatchling's default pattern, used when pyproject gives none.
    default = r"""(?i)^(__version__|VERSION) *= *(['"])v?(?P<version>.+?)\2"""
    match = re.search(
        source.get("pattern", default),
        (root / source["path"]).read_text(encoding="utf-8"),
        re.MULTILINE,
    )
    return match.group("version") if match else None


def bump_between(old: Version, new: Version) -> Bump | None:
    """The bump from `old` to `new`; None when the version went backwards."""
    if new < old:
        return None
    for level, index in ((Bump.MAJOR, 0), (Bump.MINOR, 1), (Bump.PATCH, 2)):
        if new[index] > old[index]:
            return level
    return Bump.NONE


def bump_problems(old_root: Path, new_root: Path) -> tuple[list[str], str]:
    """Problems when the bump from the release at `old_root` does not cover every change since,
    and a line saying what the change needs."""
    diff = compare_packages(old_root, new_root)
    old_version, new_version = diff.old_version or "", diff.new_version
    bump = bump_between(parse_version(old_version), parse_version(new_version))
    if bump is None:
        problem = f"version {new_version} is below the previous release {old_version}"
        return [problem], problem
    reasons = required_bump(diff)
    needed = max((level for level, found in reasons.items() if found), default=Bump.NONE)
    problems = [
        f"field {table.name}.{name} was removed without being deprecated in the previous "
        'release; mark it "deprecated": "<why, what instead>" for one major version first'
        for table in diff.tables
        for name in table.fields_removed_undeprecated
    ]
    summary = (
        f"the change since {old_version} needs {describe(needed)}; "
        f"{old_version} -> {new_version} is {describe(bump)}"
    )
    if bump < needed:
        lines = [
            f"  - {reason}" for level in Bump if level > bump for reason in reasons.get(level, [])
        ]
        problems.append(f"{summary}, too small a bump for:\n" + "\n".join(lines))
    return problems, summary


def check(root: Path, previous: str | None) -> tuple[list[str], str]:
    """Problems found, and a line saying what the working data was compared with."""
    version = ilrs_data.package(root)["version"]
    problems = version_problems(root, version)
    try:
        reference = previous or latest_tag(root, version, inclusive=True)
    except ValueError:
        return problems, "no previous release looked for: the version is not MAJOR.MINOR.PATCH"
    if reference is None:
        return problems, "no previous release found (no tag vX.Y.Z and no --previous given)"
    with tempfile.TemporaryDirectory(prefix="ilrs-previous-") as scratch:
        bump, summary = bump_problems(unpack(reference, root, Path(scratch)), root)
    return problems + bump, f"compared with the previous release {reference}: {summary}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(), help="folder holding datapackage.json")
    parser.add_argument("--previous", help="git tag or release zip to compare with")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    try:
        problems, compared = check(root, args.previous)
    except (OSError, KeyError, ValueError, PreviousReleaseError) as error:
        print(f"release-check could not run: {error}", file=sys.stderr)
        return 2
    print(f"release-check: {compared}.")
    for problem in problems:
        print(f"FAIL {problem}")
    print("release-check failed." if problems else "release-check passed.")
    return 1 if problems else 0


def _citation_version(root: Path) -> str | None:
    match = CITATION_VERSION.search((root / "CITATION.cff").read_text(encoding="utf-8"))
    return match.group(1) if match else None


def _has_changelog_section(root: Path, version: str) -> bool:
    path = root / "CHANGELOG.md"
    heading = re.compile(rf"^##\s+\[?v?{re.escape(version)}\]?(\s|$)", re.MULTILINE)
    return path.is_file() and heading.search(path.read_text(encoding="utf-8")) is not None
