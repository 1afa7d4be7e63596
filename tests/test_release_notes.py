"""Release notes: the data diff against the previous release, per table, in Markdown."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from ilrs_pipeline.release.notes import diff_packages, release_notes


@pytest.fixture
def old_and_new(small_package, tmp_path) -> tuple[Path, Path]:
    """The small package as released (1.0.0), and a copy to change (1.1.0)."""
    new = tmp_path / "new"
    shutil.copytree(small_package, new)
    descriptor = json.loads((new / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["version"] = "1.1.0"
    (new / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    old_descriptor = json.loads((small_package / "datapackage.json").read_text(encoding="utf-8"))
    old_descriptor["version"] = "1.0.0"
    (small_package / "datapackage.json").write_text(json.dumps(old_descriptor), encoding="utf-8")
    return small_package, new


def rows_in(root: Path, table: str) -> int:
    return len((root / "data" / f"{table}.csv").read_text(encoding="utf-8").splitlines()) - 1


def rewrite_lines(path: Path, edit) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(edit(lines)), encoding="utf-8")


def test_notes_count_and_name_rows_added_removed_and_changed(old_and_new):
    old, new = old_and_new
    partners = new / "data" / "partners.csv"
    removed_key = partners.read_text(encoding="utf-8").splitlines()[2].split(",")[0]
    rewrite_lines(
        partners,
        lambda lines: [
            lines[0],
            lines[1].replace("China,", "People's Republic of China,", 1),
            *lines[3:],
            "zz-new,New partner,company,,,considering,,,2024-01-01,,src-a\n",
        ],
    )

    notes = diff_packages(old, new)

    assert notes.startswith("# ilrs-data 1.1.0\n")
    assert "since 1.0.0" in notes
    assert f"| `partners` | {rows_in(new, 'partners')} | 1 | 1 | 1 |" in notes
    assert "- Rows added (1): `zz-new`" in notes
    assert f"- Rows removed (1): `{removed_key}`" in notes
    assert "- Rows changed (1): `china` (name)" in notes
    assert f"| `sources` | {rows_in(new, 'sources')} | 0 | 0 | 0 |" in notes
    assert "## `sources`" not in notes  # an unchanged table gets no section


def test_notes_report_schema_changes_and_whole_tables(old_and_new):
    old, new = old_and_new
    descriptor = json.loads((new / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "discrepancies"]
    (new / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    schema_path = new / "schemas" / "sources.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["fields"].append({"name": "archive_url", "type": "string"})
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    rewrite_lines(
        new / "data" / "sources.csv",
        lambda lines: (
            [lines[0].rstrip("\n") + ",archive_url\n"]
            + [line.rstrip("\n") + ",\n" for line in lines[1:]]
        ),
    )

    notes = diff_packages(old, new)

    assert f"| `discrepancies` | {rows_in(old, 'discrepancies')} | removed table | | |" in notes
    assert "- Fields added (1): `archive_url`" in notes
    assert "Rows changed" not in notes  # a new empty column changes no existing value


def test_first_release_notes_list_each_table(small_package):
    notes = diff_packages(None, small_package)

    assert "First release" in notes
    assert f"| `partners` | {rows_in(small_package, 'partners')} | added table | | |" in notes
    assert "## " not in notes


def test_build_notes_compare_with_the_newest_older_tag(old_and_new, tmp_path):
    old, _ = old_and_new

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-C", str(old), "-c", "user.name=t", "-c", "user.email=t@e.org", *args],
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    git("add", "-A")
    git("commit", "-m", "1.0.0")
    git("tag", "v1.0.0")
    rewrite_lines(old / "data" / "sources.csv", lambda lines: lines[:-1])
    descriptor = json.loads((old / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["version"] = "1.0.1"
    (old / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    git("commit", "-am", "1.0.1")
    git("tag", "v1.0.1")  # the release being built is already tagged: compare with the one before

    notes = release_notes(old, None, tmp_path / "previous")

    assert "since 1.0.0" in notes
    assert f"| `sources` | {rows_in(old, 'sources')} | 0 | 1 | 0 |" in notes
