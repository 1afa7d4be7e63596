"""The generated docs: up to date with the schemas and data, complete, and explained in words."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import ilrs_data
from ilrs_pipeline.docs import dictionary as docs
from ilrs_pipeline.model import markers
from ilrs_pipeline.render.schema_words import (
    FIELD_MARKER_WORDING,
    TABLE_MARKER_WORDING,
    field_rules,
    marker_rules,
    table_rules,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
RESOURCES = ilrs_data.package(REPO_ROOT)["resources"]


def dictionary_sections(text: str) -> dict[str, list[str]]:
    """Field names listed in each table's section of the data dictionary."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            sections[current] = []
        elif current and (match := re.match(r"^\| `([^`]+)` \|", line)):
            sections[current].append(match.group(1))
    return sections


def test_committed_docs_match_what_the_schemas_and_data_generate():
    """docs/data-dictionary.md and docs/timeline.svg are as `nox -s docs` would write them."""
    assert docs.stale(REPO_ROOT) == [], "run `nox -s docs` and commit docs/"


@pytest.mark.parametrize("resource", RESOURCES, ids=[r["name"] for r in RESOURCES])
def test_every_field_of_every_schema_is_in_the_dictionary(resource):
    """Each table has a section listing all of its schema's fields, in schema order."""
    text = (REPO_ROOT / docs.DICTIONARY).read_text(encoding="utf-8")
    fields = [field["name"] for field in resource["schema"]["fields"]]
    assert dictionary_sections(text).get(resource["name"]) == fields


def test_check_fails_once_a_schema_or_the_data_changes(small_package, tmp_path, capsys):
    """--check passes on fresh docs, then names each file a schema or data edit makes stale."""
    docs.write(small_package)
    assert docs.main(["--root", str(small_package), "--check"]) == 0

    # Fresh folders for each edit: the loader caches what it read per folder.
    edited_schema = shutil.copytree(small_package, tmp_path / "edited-schema")
    schema_path = edited_schema / "schemas" / "partners.json"
    schema = schema_path.read_text(encoding="utf-8")
    schema_path.write_text(schema.replace("Name of the partner", "Name of the body"), "utf-8")
    assert docs.stale(edited_schema) == [docs.DICTIONARY]

    edited_data = shutil.copytree(small_package, tmp_path / "edited-data")
    partners = edited_data / "data" / "partners.csv"
    lines = partners.read_text(encoding="utf-8").splitlines(keepends=True)
    partners.write_text("".join(lines[:-1]), encoding="utf-8")
    assert set(docs.stale(edited_data)) == {docs.DICTIONARY, docs.TIMELINE}
    assert docs.main(["--root", str(edited_data), "--check"]) == 1
    assert "nox -s docs" in capsys.readouterr().out


@pytest.mark.slow
def test_the_dictionary_is_the_same_when_generated_in_two_processes(tmp_path):
    """Byte-identical output from two interpreters with different hash seeds (set and dict
    orders differ between them), so the staleness check never flickers."""
    outputs = []
    for seed in ("1", "2"):
        code = (
            "import hashlib, sys; from pathlib import Path; "
            "from ilrs_pipeline.docs.dictionary import documents; "
            "print(sorted((name, hashlib.sha256(text.encode()).hexdigest()) "
            "for name, text in documents(Path(sys.argv[1])).items()))"
        )
        run = subprocess.run(
            [sys.executable, "-c", code, str(REPO_ROOT)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1]
    assert docs.DICTIONARY in outputs[0]


def test_every_marker_the_validator_knows_has_wording():
    """A marker the validator accepts must also be explained in the docs."""
    assert set(markers.FIELD_MARKERS) <= set(FIELD_MARKER_WORDING)
    assert set(markers.TABLE_MARKERS) <= set(TABLE_MARKER_WORDING)


def test_an_unexplained_marker_stops_the_docs():
    """A new marker without wording raises instead of silently vanishing from the docs."""
    with pytest.raises(KeyError, match="notYetExplained"):
        marker_rules({"name": "x", "x-ilrs": {"notYetExplained": True}})


def test_rules_are_said_in_words():
    """Enums, foreign keys, source lists and date order read as sentences with the real names."""
    by_name = {r["name"]: r["schema"] for r in RESOURCES}
    partners = by_name["partners"]
    fields = {f["name"]: f for f in partners["fields"]}
    assert "One of `state`, `space_agency`" in field_rules(fields["kind"], partners, "partners")[0]
    assert "Refers to `agreements.agreement_id`." in field_rules(
        fields["joined_agreement_id"], partners, "partners"
    )
    source_rule = field_rules(fields["source_ids"], partners, "partners")[-1]
    assert "`source_id` values of the `sources` table" in source_rule
    assert "`joined_date` is not after `status_as_of`." in table_rules(partners)


def test_readme_shows_the_timeline():
    """The README embeds the generated timeline picture."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert f"]({docs.TIMELINE})" in readme


def test_examples_are_values_from_the_data():
    """Examples come from the column itself, shortest first, long ones cut with an ellipsis."""
    partners = ilrs_data.load("partners", REPO_ROOT)
    shown = docs.examples(partners["partner_id"])
    assert len(shown) == docs.EXAMPLES
    assert set(shown) <= set(partners["partner_id"])
    assert [len(value) for value in shown] == sorted(len(value) for value in shown)
    notes = docs.examples(partners["notes"])
    assert all(len(value) <= docs.EXAMPLE_CHARS for value in notes)


def test_the_timeline_names_the_licence_datapackage_json_declares(small_package):
    """The licence line of the timeline is read from the descriptor, not written in the code."""
    path = small_package / "datapackage.json"
    path.write_text(
        path.read_text(encoding="utf-8").replace('"name": "CC-BY-4.0"', '"name": "ODbL-1.0"'),
        encoding="utf-8",
    )
    svg = docs.documents(small_package)[docs.TIMELINE]
    assert "(ODbL-1.0)." in svg
    assert "CC-BY-4.0" not in svg
