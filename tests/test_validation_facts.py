"""Facts that cannot be (validate/facts.py): conditions a corpus case cannot show on its own.

Each fact rule has its broken package in tests/fixtures/broken (fact-*, claim-*, history-*),
checked by test_validation_corpus.py; these were once assertions about the repository's data in
tests/test_data_integrity.py, and as checks they now stop `nox -s validate` too.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from ilrs_pipeline.validate import validate

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
