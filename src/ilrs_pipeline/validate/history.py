"""Status history: a table of dated status events agrees with the status its subject holds now.

An events table declares what it is the history of with a table marker such as
`"historyOf": {"resource": "partners", "key": "partner_id", "field": "status",
"asOf": "status_as_of"}`.
Then each row of that resource with events must hold the status of its latest event, and its
`asOf` date must not be older than that event: the current status is derived from the history,
never contradicted by it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ilrs_pipeline.model.dates import ends_before, moment
from ilrs_pipeline.validate.problems import Problem, shorten
from ilrs_pipeline.validate.rules import SEMANTIC, Rule

if TYPE_CHECKING:
    from ilrs_pipeline.validate.files import Table

RULES = [
    Rule(
        "history/status-mismatch",
        "a status differs from the status of its latest dated event",
        tier=SEMANTIC,
        hint="Make the status that of the newest event in the history table, or add the event "
        "(with its date and source) that changed it.",
    ),
    Rule(
        "history/stale-as-of",
        "a status is dated before the latest event that set it",
        tier=SEMANTIC,
        hint="Set the as-of date to the newest event's date or later (the newest source).",
    ),
]


def check_history(tables: list[Table]) -> list[Problem]:
    by_name = {table.name: table for table in tables}
    problems: list[Problem] = []
    for events in tables:
        target = events.schema.get("x-ilrs", {}).get("historyOf")
        if isinstance(target, dict) and target.get("resource") in by_name:
            problems.extend(_agrees(by_name[target["resource"]], events, target))
    return problems


def latest_events(events: Table, key: str) -> dict[str, tuple[str, str]]:
    """Each subject's latest event as (date, status); events are ordered by the last day their
    date may mean, so '2024' counts as later than '2024-05-01'. Malformed dates are skipped
    (the date rules report them)."""
    latest: dict[str, tuple[Any, str, str]] = {}
    for row in events.rows[[key, "date", "status"]].itertuples(index=False):
        try:
            last = moment(row.date).last
        except ValueError:
            continue
        subject = getattr(row, key)
        if subject not in latest or last >= latest[subject][0]:
            latest[subject] = (last, row.date, row.status)
    return {subject: (date, status) for subject, (_, date, status) in latest.items()}


def _agrees(table: Table, events: Table, target: dict[str, str]) -> Iterator[Problem]:
    key, field, as_of = target["key"], target["field"], target.get("asOf")
    latest = latest_events(events, key)
    columns = [key, field, *([as_of] if as_of else [])]
    for line, row in zip(table.rows.index, table.rows[columns].to_dict("records"), strict=True):
        if row[key] not in latest:
            continue
        date, status = latest[row[key]]
        if row[field] != status:
            yield Problem(
                table.file,
                int(line),
                field,
                "history/status-mismatch",
                shorten(row[field]),
                f"the latest event in {events.file} ({date}) says {status}",
            )
        elif as_of and row[as_of] and ends_before(row[as_of], date):
            yield Problem(
                table.file,
                int(line),
                as_of,
                "history/stale-as-of",
                shorten(row[as_of]),
                f"the latest event in {events.file} is dated {date}",
            )
