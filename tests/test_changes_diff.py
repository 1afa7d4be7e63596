"""`ilrs diff`: rows and schema properties changed since a git ref, by primary key, as Markdown."""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path

import pytest

from ilrs_pipeline.changes.markdown import diff_package, main, render_markdown
from ilrs_pipeline.changes.policy import Bump, describe, needed_bump, required_bump
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


def commit(root: Path, message: str) -> None:
    git(root, "commit", "-q", "-a", "-m", message)


def edit_json(root: Path, relative: str, edit) -> None:
    path = root / relative
    document = json.loads(path.read_text(encoding="utf-8"))
    edit(document)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def field(schema: dict, name: str) -> dict:
    return next(f for f in schema["fields"] if f["name"] == name)


# Each edit a contributor could make to the partners schema without a row failing validation,
# with what must show in the diff (field, property) and the bump docs/versioning.md gives it.
SCHEMA_EDITS = {
    "enum-widened": (
        lambda s: field(s, "kind")["constraints"]["enum"].append("planet"),
        ("kind", "constraints.enum"),
        "minor",
    ),
    "enum-narrowed": (
        lambda s: field(s, "kind")["constraints"]["enum"].remove("company"),
        ("kind", "constraints.enum"),
        "major",
    ),
    "pattern-loosened": (
        lambda s: field(s, "partner_id")["constraints"].update(pattern=".+"),
        ("partner_id", "constraints.pattern"),
        "minor",
    ),
    "earliest-moved": (
        lambda s: field(s, "joined_date")["x-ilrs"].update(earliest="1900"),
        ("joined_date", "x-ilrs.earliest"),
        "minor",
    ),
    "date-format-changed": (
        lambda s: field(s, "status_as_of").update(format="%d/%m/%Y"),
        ("status_as_of", "format"),
        "major",
    ),
    "type-changed": (
        lambda s: field(s, "status_as_of").update(type="string"),
        ("status_as_of", "type"),
        "major",
    ),
    "missing-value-added": (
        lambda s: s.update(missingValues=["", "N/A"]),
        ("(table)", "missingValues"),
        "major",
    ),
    "foreign-key-dropped": (
        lambda s: s["foreignKeys"].pop(0),
        ("(table)", "foreignKeys"),
        "major",
    ),
    "primary-key-changed": (
        lambda s: s.update(primaryKey=["partner_id", "name"]),
        ("(table)", "primaryKey"),
        "major",
    ),
}


@pytest.mark.parametrize("case", SCHEMA_EDITS)
def test_a_committed_schema_edit_shows_field_by_field_with_its_bump(repo, case):
    """Base and edit are both commits: `ilrs diff HEAD~1` on a clean tree, as CI runs it."""
    edit, (where, attribute), bump = SCHEMA_EDITS[case]
    edit_json(repo, "schemas/partners.json", edit)
    commit(repo, case)

    diff = diff_package(repo, "HEAD~1")
    partners = next(table for table in diff.tables if table.name == "partners")
    assert [(c.field or "(table)", c.attribute) for c in partners.schema_changes] == [
        (where, attribute)
    ]
    assert all(table.empty for table in diff.tables if table.name != "partners")
    assert describe(needed_bump(diff)) == f"a {bump} bump"
    text = render_markdown(diff, "HEAD~1", 100)
    row = next(line for line in text.splitlines() if f"| {_escaped(attribute)} |" in line)
    assert row.startswith(f"| {_escaped(where)} | ")
    assert row.endswith(f" | {bump} |")
    assert f"This change needs a {bump} bump" in text
    assert "**Needs a maintainer's review:** the schema or descriptor changed (partners)" in text


def _escaped(text: str) -> str:
    """As the Markdown writes a cell: underscores escaped."""
    return text.replace("_", "\\_")


def test_a_widened_enum_names_the_value_it_lets_in(repo):
    edit_json(repo, "schemas/partners.json", SCHEMA_EDITS["enum-widened"][0])
    commit(repo, "widen")
    text = render_markdown(diff_package(repo, "HEAD~1"), "HEAD~1", 100)
    assert '| kind | constraints.enum | none removed | added: "planet" | minor |' in text


def test_a_committed_descriptor_edit_shows_property_by_property(repo):
    """Package metadata is a patch; how a table's file is read (its dialect) is major."""

    def edit(descriptor):
        descriptor["title"] = "Another title"
        partners = next(r for r in descriptor["resources"] if r["name"] == "partners")
        partners["dialect"] = {"delimiter": ";"}

    edit_json(repo, "datapackage.json", edit)
    commit(repo, "descriptor")
    diff = diff_package(repo, "HEAD~1")
    assert [c.attribute for c in diff.descriptor_changes] == ["title"]
    partners = next(table for table in diff.tables if table.name == "partners")
    assert [c.attribute for c in partners.resource_changes] == ["dialect.delimiter"]
    text = render_markdown(diff, "HEAD~1", 100)
    assert "### datapackage.json (1 property changed)" in text
    assert "| title | " in text and '"Another title" | patch |' in text
    assert '| dialect.delimiter | ∅ | ";" | major |' in text
    assert "This change needs a major bump" in text
    assert "(partners, datapackage.json)" in text
    reasons = required_bump(diff)
    assert reasons[Bump.MAJOR] == [
        "table partners: dialect.delimiter changed (how its file is read)"
    ]
    assert "the package metadata changed" in reasons[Bump.PATCH]


def test_the_diff_and_release_check_use_one_comparison(repo):
    """release-check's reasons come from the same diff object the Markdown is made from."""
    edit_json(repo, "schemas/partners.json", SCHEMA_EDITS["foreign-key-dropped"][0])
    commit(repo, "drop a key")
    reasons = required_bump(diff_package(repo, "HEAD~1"))
    assert reasons[Bump.MAJOR] == ["partners: schema foreignKeys changed"]
