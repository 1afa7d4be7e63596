"""Claim-level citations: which source supports which field of which row (the claims table).

The claims table says what it is with the table marker `"claims": true`. A fact table opts in
with the table marker `"claimsIn": "<claims table>"`; then every non-empty
fact field of every row (all but the row's identity and source lists) needs a claim, and every
source a row lists must support at least one of its fields. Whatever a claim names is checked
for every table: the field must hold a value, the source must be one the row lists, and a source
cannot state a date of something that has happened (a `past` date, or a `pastWhen` one whose
condition the row meets) that begins after the source was published.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ilrs_pipeline.model.dates import ends_before
from ilrs_pipeline.model.records import record_key
from ilrs_pipeline.validate.facts import Rows, holds, source_dates
from ilrs_pipeline.validate.problems import Problem, shorten
from ilrs_pipeline.validate.rules import SEMANTIC, Rule

if TYPE_CHECKING:
    from ilrs_pipeline.validate.files import Table

RULES = [
    Rule(
        "claim/uncovered-field",
        "a fact has no claim saying which source states it",
        tier=SEMANTIC,
        hint="Add a row to data/claims.csv (table_name, record_id, field_name, source_id, "
        "locator) naming a source of the row that states this value, and where it says so.",
    ),
    Rule(
        "claim/empty-field",
        "a claim supports a field that is empty",
        tier=SEMANTIC,
        hint="Remove the claim, or fill in the field with the value its source states.",
    ),
    Rule(
        "claim/source-not-listed",
        "a claim cites a source the row does not list",
        tier=SEMANTIC,
        hint="Add the source to the row's source_ids, or correct the claim's source_id.",
    ),
    Rule(
        "claim/idle-source",
        "a row lists a source that supports none of its fields",
        tier=SEMANTIC,
        hint="Add a claim saying which field the source supports, or drop it from source_ids.",
    ),
    Rule(
        "claim/source-predates-fact",
        "a claim cites a source published before the date it supports",
        tier=SEMANTIC,
        hint="A source cannot report what happened after it was published: cite a source "
        "published on or after the date (listed in the row's source_ids too), or correct the "
        "date; a status_as_of is at most the date of the newest source that reports the status.",
    ),
]
CLAIM_COLUMNS = ("table_name", "record_id", "field_name", "source_id")


def check_claims(tables: list[Table]) -> list[Problem]:
    by_name = {table.name: table for table in tables}
    problems: list[Problem] = []
    for table in tables:
        claims = by_name.get(str(table.schema.get("x-ilrs", {}).get("claimsIn", "")))
        if claims is not None:
            problems.extend(_coverage(table, claims))
    for claims in [by_name[name] for name in sorted(_claims_tables(tables)) if name in by_name]:
        problems.extend(_claims_hold(claims, by_name))
    return problems


def _claims_tables(tables: list[Table]) -> set[str]:
    """Tables that declare themselves claims tables (table marker `"claims": true`)."""
    return {table.name for table in tables if table.schema.get("x-ilrs", {}).get("claims")}


def _source_lists(table: Table) -> list[str]:
    return [f["name"] for f in table.schema["fields"] if "sourceList" in f.get("x-ilrs", {})]


def _fact_fields(table: Table) -> list[str]:
    """All but the row's identity and its source lists. A history row (table marker `historyOf`)
    is identified by its subject alone: its date and status, though in the key, are what its
    sources state."""
    lists = _source_lists(table)
    history = table.schema.get("x-ilrs", {}).get("historyOf")
    identity = [str(history["key"])] if history else table.primary_key
    return [name for name in table.field_names if name not in identity + lists]


def _listed(row: dict[str, str], lists: list[str]) -> list[str]:
    return [item for name in lists for item in row[name].split(";") if item]


def _coverage(table: Table, claims: Table) -> Iterator[Problem]:
    """Every fact field covered; every listed source used by a claim of its row."""
    claimed: dict[tuple[str, str], set[str]] = {}
    for row in claims.rows[list(CLAIM_COLUMNS)].itertuples(index=False):
        if row.table_name == table.name:
            claimed.setdefault((row.record_id, row.field_name), set()).add(row.source_id)
    facts, lists = _fact_fields(table), _source_lists(table)
    for line, row in zip(table.rows.index, table.rows.to_dict("records"), strict=True):
        key = record_key(row, table.primary_key)
        supporting: set[str] = set()
        for name in facts:
            sources = claimed.get((key, name), set())
            supporting |= sources
            if row[name] and not sources:
                yield Problem(
                    table.file,
                    int(line),
                    name,
                    "claim/uncovered-field",
                    shorten(row[name]),
                    f"no claim for {table.name} {key} {name}",
                )
        for source_id in _listed(row, lists):
            if source_id not in supporting:
                yield Problem(
                    table.file,
                    int(line),
                    lists[0],
                    "claim/idle-source",
                    shorten(source_id),
                    f"no claim says which field of {key} {source_id} supports",
                )


def _claims_hold(claims: Table, by_name: dict[str, Table]) -> Iterator[Problem]:
    """Each claim names a non-empty field, a source its row lists, and no source published
    before the event date it supports."""
    context = Rows.of(list(by_name.values()))
    rows = {name: context.by_key(name) for name in by_name}
    published = {name: source_dates(table, context) for name, table in by_name.items()}
    for line, claim in zip(
        claims.rows.index, claims.rows[list(CLAIM_COLUMNS)].to_dict("records"), strict=True
    ):
        table = by_name.get(claim["table_name"])
        row = rows.get(claim["table_name"], {}).get(claim["record_id"])
        if table is None or row is None or claim["field_name"] not in row:
            continue  # an unknown table, row or field is reported by the reference rules
        if not row[claim["field_name"]]:
            yield Problem(
                claims.file,
                int(line),
                "field_name",
                "claim/empty-field",
                shorten(claim["field_name"]),
                f"{claim['table_name']} {claim['record_id']} has no {claim['field_name']}",
            )
        if claim["source_id"] not in _listed(row, _source_lists(table)):
            yield Problem(
                claims.file,
                int(line),
                "source_id",
                "claim/source-not-listed",
                shorten(claim["source_id"]),
                f"{claim['table_name']} {claim['record_id']} does not list it in source_ids",
            )
        date = published[table.name].get(claim["source_id"], "")
        value = row[claim["field_name"]]
        if _happened(_field(table, claim["field_name"]), row) and ends_before(date, value):
            yield Problem(
                claims.file,
                int(line),
                "source_id",
                "claim/source-predates-fact",
                shorten(claim["source_id"]),
                f"published {date}, before {claim['table_name']} {claim['record_id']} "
                f"{claim['field_name']} {value}: it cannot report it",
            )


def _field(table: Table, name: str) -> dict[str, Any]:
    return next(field for field in table.schema["fields"] if field["name"] == name)


def _happened(field: dict[str, Any], row: dict[str, str]) -> bool:
    """Whether the field dates something the row says has happened (a past date, or a
    pastWhen date whose condition the row meets), so no source before it can state it; a
    planned launch date may lie years after its source."""
    markers = field.get("x-ilrs", {})
    return bool(markers.get("past")) or ("pastWhen" in markers and holds(row, markers["pastWhen"]))
