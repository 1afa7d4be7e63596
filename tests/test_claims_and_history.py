"""Claim-level citations and status histories, checked by the validator on real broken files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from ilrs_pipeline.validate import validate

TODAY = dt.date(2026, 11, 21)


def write(root: Path, table: str, text: str) -> None:
    (root / "data" / f"{table}.csv").write_text(text, encoding="utf-8")


def append(root: Path, table: str, lines: str) -> None:
    with (root / "data" / f"{table}.csv").open("a", encoding="utf-8") as handle:
        handle.write(lines)


def found(root: Path) -> set[tuple]:
    return {(p.rule, p.file, p.line, p.column) for p in validate(root, TODAY)}


def china_claims(fields: list[str], source: str = "tass-2021-ilrs-mou") -> str:
    return "".join(f"partners,china,{name},{source},opening paragraph\n" for name in fields)


CHINA_FACTS = ["name", "kind", "country_code", "status", "joined_date", "joined_agreement_id"]
CHINA_FACTS += ["status_as_of", "notes"]


HEADER = "table_name,record_id,field_name,source_id,locator\n"


def test_an_opted_in_table_needs_a_claim_for_every_fact(small_package):
    """partners opts in (claimsIn): with claims for china only, each non-empty fact field of
    each other row is reported on its own cell; the key and the source list need none."""
    schema = json.loads((small_package / "schemas" / "partners.json").read_text(encoding="utf-8"))
    assert schema["x-ilrs"]["claimsIn"] == "claims"
    write(small_package, "claims", HEADER + china_claims(CHINA_FACTS))
    problems = found(small_package)
    uncovered = {
        (line, column)
        for rule, file, line, column in problems
        if "uncovered" in rule and file == "data/partners.csv"
    }
    assert (2, "name") not in uncovered, "china's name has a claim"
    assert (3, "name") in uncovered, "russia's name has none"
    assert not {column for _, column in uncovered} & {"partner_id", "source_ids"}
    idle = {(line, column) for rule, _, line, column in problems if rule == "claim/idle-source"}
    assert (2, "source_ids") in idle, "china's second source supports no field"


def test_a_table_that_does_not_opt_in_needs_no_claims(small_package):
    """Without claimsIn, an empty claims table is fine."""
    opted_in = 0
    for path in sorted((small_package / "schemas").glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        if schema.get("x-ilrs", {}).pop("claimsIn", None):
            opted_in += 1
            path.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    assert opted_in, "some table opts in, or this test shows nothing"
    write(small_package, "claims", HEADER)
    assert validate(small_package, TODAY) == []


def test_a_claim_on_an_empty_field_or_an_unlisted_source_is_refused(small_package):
    """china has no parent_id; russia does not list the sputnik source."""
    write(small_package, "claims", HEADER)
    append(small_package, "claims", china_claims(["parent_id"]))
    append(small_package, "claims", china_claims(["name"], "eurasiantimes-2021-france-may-join"))
    append(
        small_package, "claims", "partners,russia,name,sputnik-2025-thirteen-countries-joined,x\n"
    )
    problems = found(small_package)
    assert ("claim/empty-field", "data/claims.csv", 2, "field_name") in problems
    assert ("claim/source-not-listed", "data/claims.csv", 4, "source_id") in problems
    claim_lines = {line for _, file, line, _ in problems if file == "data/claims.csv"}
    assert 3 not in claim_lines, "a claim naming a listed source is fine"


def test_a_status_that_contradicts_its_history_is_reported(small_package):
    """russia is a founder in partners.csv; an event making it 'withdrawn' later disagrees."""
    append(
        small_package,
        "partner_events",
        "russia,2021-03-09,founder,2021-ilrs-mou,,tass-2021-ilrs-mou\n"
        "russia,2022,withdrawn,,,tass-2021-ilrs-mou\n",
    )
    assert ("history/status-mismatch", "data/partners.csv", 3, "status") in found(small_package)


def test_a_status_dated_before_its_latest_event_is_stale(small_package):
    append(small_package, "partner_events", "china,2021-04,founder,,,tass-2021-ilrs-mou\n")
    assert ("history/stale-as-of", "data/partners.csv", 2, "status_as_of") in found(small_package)


def test_a_history_that_agrees_passes(small_package):
    """An event row is a fact row too (partner_events opts in): its date and status need claims."""
    append(small_package, "partner_events", "china,2021-03-09,founder,,,tass-2021-ilrs-mou\n")
    append(
        small_package,
        "claims",
        "partner_events,china/2021-03-09/founder,date,tass-2021-ilrs-mou,dateline\n"
        "partner_events,china/2021-03-09/founder,status,tass-2021-ilrs-mou,the signing\n",
    )
    assert validate(small_package, TODAY) == []


def test_a_claim_may_point_to_an_undated_page_when_its_row_lists_a_dated_source(small_package):
    """The dated-source rule guards the row; a claim names one source for one field, so an
    undated wiki page may back china's name as long as china also lists a dated source."""
    append(
        small_package,
        "sources",
        "wiki-china,https://en.wikipedia.org/wiki/China,Wikipedia,China,,2026-11-21,en,\n",
    )
    path = small_package / "data" / "partners.csv"
    text = path.read_text(encoding="utf-8")
    listed = "tass-2021-ilrs-mou;eurasiantimes-2021-france-may-join"
    china = next(line for line in text.splitlines() if line.startswith("china,"))
    path.write_text(text.replace(china, china.replace(listed, f"{listed};wiki-china")), "utf-8")
    append(small_package, "claims", "partners,china,name,wiki-china,article title\n")
    assert validate(small_package, TODAY) == []


def opt_in(root: Path, table: str) -> None:
    """Switch claim coverage on for `table` (and let the claims table name it)."""
    path = root / "schemas" / f"{table}.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["x-ilrs"]["claimsIn"] = "claims"
    path.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    claims_path = root / "schemas" / "claims.json"
    claims = json.loads(claims_path.read_text(encoding="utf-8"))
    enum = claims["fields"][0]["constraints"]["enum"]
    if table not in enum:
        enum.append(table)
    claims_path.write_text(json.dumps(claims, indent=2), encoding="utf-8")


def test_a_history_rows_date_and_status_need_claims_though_they_are_in_its_key(small_package):
    """A status event is identified by its partner; its date and status are what sources state."""
    opt_in(small_package, "partner_events")
    append(
        small_package,
        "partner_events",
        "russia,2021-03-09,founder,2021-ilrs-mou,,tass-2021-ilrs-mou\n",
    )
    events = {
        (line, column)
        for rule, file, line, column in found(small_package)
        if rule == "claim/uncovered-field" and file == "data/partner_events.csv"
    }
    assert events == {(2, "date"), (2, "status"), (2, "agreement_id")}
    append(
        small_package,
        "claims",
        "".join(
            f"partner_events,russia/2021-03-09/founder,{name},tass-2021-ilrs-mou,first paragraph\n"
            for name in ("date", "status", "agreement_id")
        ),
    )
    assert not {p for p in found(small_package) if p[1] == "data/partner_events.csv"}
