"""Facts that cannot be (validate/facts.py): conditions a corpus case cannot show on its own.

Each fact rule has its broken package in tests/fixtures/broken (fact-*, claim-*, history-*),
checked by test_validation_corpus.py; these were once assertions about the repository's data in
tests/test_data_integrity.py, and as checks they now stop `nox -s validate` too.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from ilrs_pipeline.model.markers import marker_notes, resolve_sets
from ilrs_pipeline.validate import validate
from ilrs_pipeline.validate.names import name_key
from ilrs_pipeline.validate.semantic import _name_keys

TODAY = dt.date(2026, 11, 21)
Rows = list[dict[str, str]]


def edit_rows(root: Path, table: str, edit: Callable[[Rows], None]) -> None:
    path = root / "data" / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = list(reader.fieldnames or []), list(reader)
    edit(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def row(rows: Rows, **match: str) -> dict[str, str]:
    return next(r for r in rows if all(r[k] == v for k, v in match.items()))


def test_a_hong_kong_university_may_differ_from_its_state(small_package):
    """sameVia applies to agencies and government bodies only, as the schema says."""

    def add_university(rows: Rows) -> None:
        rows.append({**row(rows, partner_id="cnes"), "partner_id": "hku", "name": "HKU"})
        rows[-1].update(kind="university", country_code="HKG", parent_id="china")

    edit_rows(small_package, "partners", add_university)
    rules = {p.rule for p in validate(small_package, TODAY)}
    assert "fact/differs-from-parent" not in rules


def test_a_payload_contributor_may_predate_the_ilrs_but_a_member_may_not(small_package):
    """notBefore applies to the founder and member events only, as the schema's `when` says."""

    def add_events(rows: Rows) -> None:
        base = {"agreement_id": "", "note": "", "source_ids": "tass-2019-two-lunar-agreements"}
        rows.append({**base, "partner_id": "cnsa", "date": "2019-09", "status": "consulted"})
        rows.append({**base, "partner_id": "cnsa", "date": "2019-09-17", "status": "member"})

    edit_rows(small_package, "partner_events", add_events)
    found = {
        (p.rule, p.line) for p in validate(small_package, TODAY) if p.file.endswith("events.csv")
    }
    assert ("fact/before-history", 3) in found
    assert ("fact/before-history", 2) not in found


def _schemas(root: Path) -> dict[str, dict]:
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in (root / "schemas").glob("*.json")
    }


def test_a_not_when_marker_must_name_values_of_the_fields_enum(small_package):
    """notWhen (like onlyWhen) names fields of the table and values of their enums: a
    misspelt kind would silently switch the rule off."""
    schemas = _schemas(small_package)
    parent = next(f for f in schemas["partners"]["fields"] if f["name"] == "parent_id")
    parent["x-ilrs"]["notWhen"] = {"kind": ["State"]}
    notes = marker_notes(schemas["partners"], schemas)
    assert any("parent_id" in note and "notWhen" in note for note in notes), notes
    parent["x-ilrs"]["notWhen"] = {"type": ["state"]}
    assert any("notWhen" in note for note in marker_notes(schemas["partners"], schemas))


def test_a_unique_together_marker_must_name_fields_of_the_table(small_package):
    schemas = _schemas(small_package)
    schemas["mission_payloads"]["x-ilrs"]["uniqueTogether"] = [["mission_id", "instrumnet"]]
    notes = marker_notes(schemas["mission_payloads"], schemas)
    assert any("uniqueTogether" in note and "instrumnet" in note for note in notes), notes


@pytest.mark.parametrize(
    "case",
    [
        # partyVia's orChildrenBy is read in the table childrenIn names: a field that table
        # lacks would silently stop a state counting its agency's signature.
        ("partner_events", "agreement_id", "partyVia", "childrenIn", "partner_events",
         "orChildrenBy"),
        # ownWords compares a note with a field of the sources the row cites: a misspelt
        # field (titel) would compare every note with nothing.
        ("partners", "notes", "ownWords", "field", "titel", "ownWords"),
    ],
    ids=["party-via-children-in", "own-words-field"],
)  # fmt: skip
def test_a_marker_option_naming_a_missing_field_is_reported(small_package, case):
    """(table, field, marker, option, bad value, word the note must say)."""
    table, field, marker, option, bad, named = case
    schemas = _schemas(small_package)
    assert marker_notes(schemas[table], schemas) == []
    marked = next(f for f in schemas[table]["fields"] if f["name"] == field)
    marked["x-ilrs"][marker][option] = bad
    notes = marker_notes(schemas[table], schemas)
    assert any(f"'{field}'" in note and named in note for note in notes), notes


def test_one_instrument_of_two_partners_is_not_a_duplicate(small_package):
    """Co-developed instruments have one row per partner: only mission, partner and
    instrument together make a payload."""

    def add_partner_row(rows: Rows) -> None:
        first = row(rows, payload_id="change-7-hyperspectral-egsa")
        rows.append({**first, "payload_id": "change-7-hyperspectral-cnsa", "partner_id": "cnsa"})

    edit_rows(small_package, "mission_payloads", add_partner_row)
    rules = {p.rule for p in validate(small_package, TODAY)}
    assert "fact/duplicate-row" not in rules


WITHDRAWN = Path(__file__).parent / "fixtures" / "broken" / "fact-withdrawn-partner-payload"


def _withdrawn_rules(root: Path, edit: Callable[[Rows], None]) -> set[str]:
    shutil.copytree(WITHDRAWN, root, dirs_exist_ok=True)
    edit_rows(root, "mission_payloads", edit)
    return {p.rule for p in validate(root, TODAY)}


def test_a_source_since_the_withdrawal_keeps_the_payload(small_package):
    """goneVia: a payload a source published after the withdrawal still lists is not reported."""

    def cite_newer(rows: Rows) -> None:
        rows[0]["source_ids"] += ";sputnik-2025-thirteen-countries-joined"

    assert "fact/withdrawn-partner" not in _withdrawn_rules(small_package, cite_newer)


def test_a_cancelled_payload_of_a_withdrawn_partner_is_not_reported(small_package):
    def cancel(rows: Rows) -> None:
        rows[0]["status"] = "cancelled"

    assert "fact/withdrawn-partner" not in _withdrawn_rules(small_package, cancel)


def test_without_the_change_the_case_is_reported(small_package):
    """The two tests above pass only because of their edit."""
    assert "fact/withdrawn-partner" in _withdrawn_rules(small_package, lambda rows: None)


def test_a_named_set_stands_for_its_values_where_the_rules_read_them(small_package):
    """missions.status declares the launched statuses once; pastWhen and onlyWhen name them."""
    schemas = _schemas(small_package)
    resolved = resolve_sets(schemas["missions"])
    fields = {f["name"]: f["x-ilrs"] for f in resolved["fields"] if "x-ilrs" in f}
    launched = fields["status"]["sets"]["launched"]
    assert fields["launch_date"]["pastWhen"] == {"status": launched}
    assert fields["cospar_id"]["onlyWhen"] == {"status": launched}
    assert marker_notes(schemas["missions"], schemas) == []
    assert schemas["missions"] != resolved  # the schema itself keeps the name


def test_a_plain_list_still_works_beside_sets(small_package):
    schemas = _schemas(small_package)
    landing = next(f for f in schemas["missions"]["fields"] if f["name"] == "landing_date")
    landing["x-ilrs"]["onlyWhen"] = {"status": ["launched", "operating", "completed", "failed"]}
    assert marker_notes(schemas["missions"], schemas) == []


def test_uniquename_and_uniquetogether_compare_names_by_one_definition():
    """semantic.py (uniqueName, whole columns) and facts.py (uniqueTogether, row by row) had a
    definition each: the column one missed a no-break space between words."""
    names = pd.Series(["Luna 25", " luna  25", "LUNA\u00a025", "Luna 26", ""])
    keys = _name_keys(names).tolist()
    assert keys[0] == keys[1] == keys[2] != keys[3]
    assert math.isnan(keys[4])
    assert {name_key(name) for name in names[:3]} == {"luna 25"}
