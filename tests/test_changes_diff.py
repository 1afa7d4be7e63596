"""`ilrs diff`: rows and schema properties changed since a git ref, by primary key, as Markdown."""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path

import pytest

from ilrs_pipeline.changes.markdown import diff_package, main, render_markdown
from ilrs_pipeline.changes.tables import FieldChange, RowChange
from ilrs_pipeline.errors import PipelineError


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
    )


def edit_rows(root: Path, table: str, edit) -> None:
    path = root / "data" / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    edit(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def repo(small_package) -> Path:
    """The small package committed to a fresh repository."""
    git(small_package, "init", "-q")
    git(small_package, "add", ".")
    git(small_package, "commit", "-q", "-m", "base")
    return small_package


def by_name(root: Path, ref: str = "HEAD") -> dict:
    return {diff.name: diff for diff in diff_package(root, ref).tables}


def test_an_unchanged_tree_has_no_changes(repo):
    text = render_markdown(diff_package(repo, "HEAD"), "HEAD", 100)
    assert "No rows were added, removed or changed, and no schema changed." in text


def test_rows_added_removed_and_changed_are_matched_by_key(repo):
    """A new partner, a deleted one and an edited name show up as such, not as re-ordering."""

    def edit(rows):
        rows[2]["name"] = "China National Space Administration (CNSA)"
        rows.append({**rows[0], "partner_id": "new-partner", "name": "New Partner"})
        del rows[7]  # pakistan
        rows.reverse()

    edit_rows(repo, "partners", edit)
    partners = by_name(repo)["partners"]
    assert [row["partner_id"] for row in partners.added.values()] == ["new-partner"]
    assert [row["partner_id"] for row in partners.removed.values()] == ["pakistan"]
    assert partners.changed == (
        RowChange(
            "cnsa",
            (
                FieldChange(
                    "name",
                    "China National Space Administration",
                    "China National Space Administration (CNSA)",
                ),
            ),
        ),
    )
    text = render_markdown(diff_package(repo, "HEAD"), "HEAD", 100)
    assert "| partners | 1 | 1 | 1 |" in text
    assert "| cnsa | name | China National Space Administration | " in text


def test_a_two_field_key_is_shown_joined(repo):
    edit_rows(repo, "agreement_parties", lambda rows: rows[0].update(role="witness"))
    (change,) = by_name(repo)["agreement_parties"].changed
    assert change == RowChange(
        "2019-change7-luna-resurs-coordination/cnsa",
        (FieldChange("role", "signatory", "witness"),),
    )


def test_a_table_new_since_the_base_is_all_added(repo):
    """A resource added to the descriptor after the base ref lists every row as added."""
    descriptor = json.loads((repo / "datapackage.json").read_text(encoding="utf-8"))
    extra = {**descriptor["resources"][-1], "name": "sources_copy", "path": "data/sources_copy.csv"}
    descriptor["resources"].append(extra)
    (repo / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    (repo / "data" / "sources_copy.csv").write_bytes((repo / "data" / "sources.csv").read_bytes())
    diff = by_name(repo)["sources_copy"]
    assert len(diff.added) == 10
    assert diff.status == "added"
    assert diff.note == "table added since the base"
    assert not diff.removed


def test_markdown_cells_cannot_break_the_table(repo):
    """Pipes, line breaks and long text stay inside their cell."""
    edit_rows(repo, "partners", lambda rows: rows[0].update(notes="a | b\nc " + "x" * 200))
    text = render_markdown(diff_package(repo, "HEAD"), "HEAD", 100)
    row = next(line for line in text.splitlines() if line.startswith("| china | notes"))
    assert "a \\| b c" in row
    assert row.count(" | ") == 3
    assert "…" in row


def test_unknown_ref_is_a_pipeline_error(repo):
    with pytest.raises(PipelineError, match="unknown git ref 'no-such-ref'"):
        main(["--root", str(repo), "no-such-ref"])


def test_main_prints_markdown_for_the_default_ref(repo, capsys):
    edit_rows(repo, "missions", lambda rows: rows[1].update(status="cancelled"))
    assert main(["--root", str(repo)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## Data changes since `HEAD`")
    assert "| change-7 | status | planned | cancelled |" in out


def test_a_value_crafted_as_markup_renders_as_text(repo):
    """Backticks, brackets and angle brackets in a cell cannot open a link or an HTML tag."""
    crafted = "x` [Approved by maintainers](https://example.org) <img src=x> `y"
    edit_rows(repo, "partners", lambda rows: rows[0].update(notes=crafted))
    text = render_markdown(diff_package(repo, "HEAD"), "HEAD", 100)
    row = next(line for line in text.splitlines() if line.startswith("| china | notes"))
    assert "](" not in row.replace("\\]", "")
    assert "\\[Approved by maintainers\\]" in row
    assert "\\<img" in row
    assert "\\`" in row


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        (lambda schema: schema["fields"][2]["constraints"]["enum"].append("planet"), "kind"),
        (lambda schema: schema["fields"][0]["constraints"].update(pattern=".*"), "partner_id"),
        (lambda schema: schema.update(missingValues=["", "N/A"]), "(table)"),
        (lambda schema: schema.pop("foreignKeys"), "(table)"),
        (lambda schema: schema["fields"][6]["x-ilrs"].update(earliest="1900"), "joined_date"),
    ],
    ids=["enum-widened", "pattern-loosened", "missing-values", "foreign-key-dropped", "earliest"],
)
def test_schema_edits_show_field_by_field_and_need_a_maintainer(repo, edit, where):
    path = repo / "schemas" / "partners.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    edit(schema)
    path.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    partners = by_name(repo)["partners"]
    assert partners.schema_changes, "the schema edit must be part of the diff"
    assert {change.field or "(table)" for change in partners.schema_changes} == {where}
    text = render_markdown(diff_package(repo, "HEAD"), "HEAD", 100)
    assert "**Needs a maintainer's review:**" in text
    assert "**Schema changed**" in text
    assert "needs a minor bump" in text or "needs a major bump" in text


def test_a_symlinked_table_is_refused_not_read(repo, tmp_path):
    """A CSV replaced by a link to a secret never has the secret's text in the diff."""
    secret = tmp_path / "secret"
    secret.write_text("token=ghp_SECRET\n", encoding="utf-8")
    (repo / "data" / "partners.csv").unlink()
    (repo / "data" / "partners.csv").symlink_to(secret)
    partners = by_name(repo)["partners"]
    text = render_markdown(diff_package(repo, "HEAD"), "HEAD", 100)
    assert "ghp_SECRET" not in text
    assert "symbolic link" in (partners.note or "")
