"""`nox -s release-check`: versions agree everywhere, and the bump covers the change since the
previous release (a git tag or a release zip)."""

from __future__ import annotations

import csv
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from ilrs_pipeline.release.build import release_descriptor, release_members, write_zip
from ilrs_pipeline.release.check import check, main, version_problems

PYPROJECT = r"""
[project]
name = "ilrs-data"
dynamic = ["version"]

[tool.hatch.version]
path = "datapackage.json"
pattern = '"version":\s*"(?P<version>[^"]+)"'
"""


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
    )


def set_version(root: Path, version: str) -> None:
    """The version in datapackage.json and CITATION.cff, and a CHANGELOG section for it."""
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["version"] = version
    (root / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    (root / "CITATION.cff").write_text(f'cff-version: 1.2.0\nversion: "{version}"\n')
    changelog = root / "CHANGELOG.md"
    earlier = changelog.read_text(encoding="utf-8") if changelog.exists() else "# Changelog\n"
    changelog.write_text(f"{earlier}\n## [{version}] - 2026-01-01\n\n- Changes.\n")


def release(root: Path, version: str) -> None:
    set_version(root, version)
    git(root, "add", "-A")
    git(root, "commit", "-m", f"Release {version}")
    git(root, "tag", f"v{version}")


@pytest.fixture
def repo(small_package) -> Path:
    """A git repository whose package was released as v1.0.0."""
    (small_package / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    git(small_package, "init", "-q")
    release(small_package, "1.0.0")
    return small_package


def edit_rows(root: Path, table: str, edit: Callable[[list[dict[str, str]]], None]) -> None:
    path = root / "data" / f"{table}.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    edit(rows)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def edit_schema(root: Path, table: str, edit: Callable[[dict], None]) -> None:
    path = root / "schemas" / f"{table}.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    edit(schema)
    path.write_text(json.dumps(schema, indent=2), encoding="utf-8")


def add_partner(root: Path) -> None:
    edit_rows(root, "partners", lambda rows: rows.append({**rows[0], "partner_id": "new-one"}))


def correct_a_name(root: Path) -> None:
    edit_rows(root, "partners", lambda rows: rows[0].update(name="Corrected"))


def add_field(root: Path) -> None:
    edit_schema(root, "sources", lambda s: s["fields"].append({"name": "extra", "type": "string"}))
    edit_rows(root, "sources", lambda rows: [row.update(extra="") for row in rows])


def remove_field(root: Path, table: str = "partners", field: str = "notes") -> None:
    edit_schema(
        root, table, lambda s: s.update(fields=[f for f in s["fields"] if f["name"] != field])
    )
    edit_rows(root, table, lambda rows: [row.pop(field) for row in rows])


def deprecate_field(root: Path, table: str = "partners", field: str = "notes") -> None:
    def mark(schema: dict) -> None:
        next(f for f in schema["fields"] if f["name"] == field)["deprecated"] = "no longer kept"

    edit_schema(root, table, mark)


def retype_field(root: Path) -> None:
    def to_date(schema: dict) -> None:
        next(f for f in schema["fields"] if f["name"] == "joined_date")["type"] = "date"

    edit_schema(root, "partners", to_date)


def remove_table(root: Path) -> None:
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "discrepancies"]
    (root / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")


def remove_enum_value(root: Path) -> None:
    def drop(schema: dict) -> None:
        kind = next(f for f in schema["fields"] if f["name"] == "kind")
        kind["constraints"]["enum"].remove("association")

    edit_schema(root, "partners", drop)


CASES = [
    # (change, new version, what a failure must name)
    (add_partner, "1.0.1", "1 rows added to partners"),
    (correct_a_name, "1.0.0", "1 rows of partners corrected or removed"),
    (add_field, "1.0.1", "field sources.extra added"),
    (remove_table, "1.1.0", "table discrepancies removed"),
    (retype_field, "1.9.0", "field partners.joined_date changed type"),
    (remove_enum_value, "1.1.0", "value kind: association no longer allowed"),
]


@pytest.mark.parametrize(
    ("change", "too_small", "reason"), CASES, ids=[c[0].__name__ for c in CASES]
)
def test_bump_smaller_than_the_change_fails_and_says_why(repo, change, too_small, reason):
    change(repo)
    set_version(repo, too_small)

    problems, _ = check(repo, None)

    assert len(problems) == 1
    assert reason in problems[0]
    assert "too small a bump" in problems[0]


ENOUGH = [
    (add_partner, "1.1.0"),
    (correct_a_name, "1.0.1"),
    (add_field, "1.1.0"),
    (remove_table, "2.0.0"),
    (retype_field, "2.0.0"),
    (remove_enum_value, "2.0.0"),
]


@pytest.mark.parametrize(("change", "enough"), ENOUGH, ids=[c[0].__name__ for c in ENOUGH])
def test_bump_that_covers_the_change_passes(repo, change, enough):
    change(repo)
    set_version(repo, enough)

    problems, compared = check(repo, None)

    assert problems == []
    assert "compared with the previous release v1.0.0" in compared


def test_unchanged_data_at_a_released_version_passes(repo):
    problems, compared = check(repo, None)
    assert problems == []
    assert "needs no bump" in compared


def test_version_below_the_previous_release_fails(repo):
    release(repo, "1.1.0")
    set_version(repo, "1.0.5")

    problems, _ = check(repo, "v1.1.0")

    assert "version 1.0.5 is below the previous release 1.1.0" in problems


def test_previous_release_is_the_newest_tag_not_above_the_version(repo):
    """A fix on an older line (1.0.1 after 1.1.0) is compared with that line's release."""
    release(repo, "1.1.0")
    git(repo, "tag", "v1.0.9", "v1.0.0")  # not a newer release: a newer tag name on 1.0.0's data
    set_version(repo, "1.0.10")

    _, compared = check(repo, None)

    assert "compared with the previous release v1.0.9" in compared


def test_removing_a_field_needs_a_deprecation_first(repo):
    remove_field(repo)
    set_version(repo, "2.0.0")

    problems, _ = check(repo, None)

    assert len(problems) == 1
    assert "partners.notes was removed without being deprecated" in problems[0]


def test_field_deprecated_in_the_previous_release_may_go_in_the_next_major(repo):
    deprecate_field(repo)
    release(repo, "1.1.0")
    remove_field(repo)

    set_version(repo, "1.2.0")
    problems, _ = check(repo, None)
    assert len(problems) == 1
    assert "field partners.notes removed" in problems[0]

    set_version(repo, "2.0.0")
    assert check(repo, None)[0] == []


def test_previous_release_can_be_a_release_zip(repo, tmp_path):
    for name in ("README.md", "LICENSE", "LICENSE-DATA"):
        (repo / name).write_text(name, encoding="utf-8")
    zipped = tmp_path / "ilrs-data-1.0.0.zip"
    write_zip(zipped, "ilrs-data-1.0.0", release_members(repo, release_descriptor(repo)), 0)
    git(repo, "tag", "-d", "v1.0.0")
    add_partner(repo)
    set_version(repo, "1.0.1")

    problems, compared = check(repo, str(zipped))

    assert f"compared with the previous release {zipped}" in compared
    assert len(problems) == 1
    assert "1 rows added to partners" in problems[0]


def test_without_a_previous_release_only_versions_are_checked(small_package):
    (small_package / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    set_version(small_package, "0.3.0")

    problems, compared = check(small_package, None)

    assert problems == []
    assert "no previous release found" in compared


def test_versions_that_disagree_are_each_reported(repo):
    (repo / "CITATION.cff").write_text('version: "1.0.1"\n', encoding="utf-8")
    (repo / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n", encoding="utf-8")
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "0.9.0"\n')

    problems = version_problems(repo, "1.0.0")

    assert problems == [
        "CITATION.cff says version '1.0.1', datapackage.json '1.0.0'",
        "pyproject.toml gives the wheel version '0.9.0', not '1.0.0'",
        "CHANGELOG.md has no section '## [1.0.0]'",
    ]


def test_the_repositorys_versions_agree(repo_root):
    """datapackage.json is the source of truth; CITATION.cff, pyproject and CHANGELOG follow."""
    version = json.loads((repo_root / "datapackage.json").read_text(encoding="utf-8"))["version"]
    assert version_problems(repo_root, version) == []


def test_cli_exit_status_and_messages(repo, capsys):
    assert main(["--root", str(repo)]) == 0
    assert "release-check passed." in capsys.readouterr().out

    add_partner(repo)
    assert main(["--root", str(repo)]) == 1
    output = capsys.readouterr().out
    assert "FAIL" in output
    assert "release-check failed." in output

    assert main(["--root", str(repo), "--previous", "v7.7.7"]) == 2
    captured = capsys.readouterr()
    assert "release-check could not run" in captured.err
    assert "v7.7.7" in captured.err
    assert "Traceback" not in captured.out + captured.err
