"""Rules a Table Schema cannot say, run as one great-expectations suite per table.

Each field or table opts in through its schema's "x-ilrs" property (partialDate, earliest,
latest, past, pastWhen, dateOrder, afterHappened, uniqueName, httpsUrl, countryCode,
languageCode, sourceList), so no rule
restates a schema by hand. Dates are compared as day numbers (see dates.py).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow.compute as pc
import pycountry

from ilrs_pipeline.model.dates import calendar_fault, day_bounds, day_number, today_number
from ilrs_pipeline.validate.files import arrow
from ilrs_pipeline.validate.names import name_key
from ilrs_pipeline.validate.problems import CAPPED, MAX_LISTED, Problem, shorten
from ilrs_pipeline.validate.urls import indirection
from ilrs_pipeline.validate.verdicts import Verdicts

if TYPE_CHECKING:
    from pathlib import Path

    from ilrs_pipeline.validate.files import Table

# A host holding a '.' between two of its characters, then an optional path, query or fragment.
# The dot is found by a lookahead, not by two runs of host characters around it: Python's re
# tries every split of `a.a.a...` between such runs, and a 100,000-character cell took minutes.
HTTPS_URL = r"^https://(?=[^\s/?#@]*[^\s/?#@]\.[^\s/?#@])[^\s/?#@]+(?:[/?#]\S*)?$"


@dataclass(frozen=True)
class Expectation:
    """A great-expectations expectation as its class name and arguments, built only when a
    suite runs: importing great-expectations takes seconds, and a run whose every table has a
    recorded pass (see verdicts.py) never needs it."""

    kind: str
    arguments: dict[str, Any]

    def build(self, meta: dict[str, Any]) -> Any:
        import great_expectations.expectations as gxe  # noqa: PLC0415 (seconds to import)

        return getattr(gxe, self.kind)(**self.arguments, meta=meta)


class _Expectations:
    """`expect.ExpectColumnValuesToBeUnique(column=...)`: spelt as in great-expectations,
    recorded as an Expectation."""

    def __getattr__(self, kind: str) -> Callable[..., Expectation]:
        return lambda **arguments: Expectation(kind, arguments)


expect = _Expectations()


@dataclass(frozen=True)
class Check:
    """One expectation, the rule it enforces, the field reported, and optionally another field
    whose value completes the message (the start of a date range, say)."""

    expectation: Expectation
    rule: str
    field: str
    message: str
    other: str | None = None
    explain: Callable[[str], str | None] | None = None  # says more about the offending value


def check_semantics(
    tables: list[Table], today: dt.date, verdicts: Path | None = None
) -> list[Problem]:
    """Run every schema-declared rule on every table and return what fails; with `verdicts`,
    a file where passing suites are recorded, a table that passed before with the same
    columns and checks is not checked again."""
    plans = [(table, *_plan(table, today_number(today), today)) for table in tables]
    return _run(
        [(table, frame, checks) for table, frame, checks in plans if checks], Verdicts(verdicts)
    )


def _plan(table: Table, today: float, today_date: dt.date) -> tuple[pd.DataFrame, list[Check]]:
    """The columns the suite reads and the checks on them. Columns are numbers wherever the
    rule allows (day numbers, name codes, list lengths): great-expectations fingerprints every
    frame it is given, and hashing strings costs more than the checks themselves."""
    frame = pd.DataFrame(index=_frame_index(table.rows))
    checks: list[Check] = []
    for field in table.schema["fields"]:
        name, markers = field["name"], field.get("x-ilrs", {})
        if markers.get("partialDate") or field.get("type") == "date":
            start, end, real = day_bounds(table.rows[name])
            frame[f"{name}__start"], frame[f"{name}__end"] = start, end
            if markers.get("partialDate"):
                frame[f"{name}__real"] = real
        checks.extend(_field_checks(table, frame, field, today, today_date))
    for first, second in table.schema.get("x-ilrs", {}).get("dateOrder", []):
        checks.append(
            _not_before(second, f"{first}__start", f"{second} is before {first} ({{other}})", first)
        )
    checks.extend(_after_happened(table, frame, today))
    return frame[_columns_read(checks)], checks


def _after_happened(table: Table, frame: pd.DataFrame, today: float) -> Iterator[Check]:
    """afterHappened: a date (a status's as-of date) not before the listed dates on rows where
    they record what happened: a pastWhen date only where its condition holds (a planned launch
    lies after the day its plan was reported), and never a date after today, which date/in-future
    reports as the cause."""
    fields = {field["name"]: field for field in table.schema["fields"]}
    for name, field in fields.items():
        for other in field.get("x-ilrs", {}).get("afterHappened", []):
            start = frame[f"{other}__start"].where(frame[f"{other}__start"] <= today)
            happened = fields[other].get("x-ilrs", {}).get("pastWhen")
            if happened:
                start = start.where(_condition(table, happened))
            frame[f"{other}__happened_for_{name}"] = start
            yield _not_before(
                name,
                f"{other}__happened_for_{name}",
                f"{name} is before {other} ({{other}}), which the row says has happened: "
                f"{name} must be a day the status was reported true, on or after it",
                other,
            )


def _not_before(name: str, earliest: str, message: str, other: str) -> Check:
    """date/order: field `name` may not end before the day numbers in column `earliest`."""
    return Check(
        expect.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=f"{name}__end",
            column_B=earliest,
            or_equal=True,
            ignore_row_if="either_value_is_missing",
        ),
        "date/order",
        name,
        message,
        other=other,
    )


def _columns_read(checks: list[Check]) -> list[str]:
    """The frame's columns some expectation reads (every column costs a hash per batch)."""
    names = [
        check.expectation.arguments.get(attribute)
        for check in checks
        for attribute in ("column", "column_A", "column_B")
    ]
    return list(dict.fromkeys(name for name in names if name))


def _field_checks(
    table: Table, frame: pd.DataFrame, field: dict[str, Any], today: float, today_date: dt.date
) -> Iterator[Check]:
    name = field["name"]
    markers = field.get("x-ilrs", {})
    if markers.get("partialDate"):
        yield Check(
            expect.ExpectColumnValuesToBeInSet(column=f"{name}__real", value_set=[True]),
            "date/not-a-date",
            name,
            "not a real calendar date",
            explain=calendar_fault,
        )
    if "earliest" in markers or "latest" in markers:
        yield _range_check(name, markers.get("earliest"), markers.get("latest"))
    if markers.get("past"):
        yield Check(
            expect.ExpectColumnValuesToBeBetween(column=f"{name}__start", max_value=today),
            "date/in-future",
            name,
            f"dated after today ({today_date})",
        )
    if markers.get("pastWhen"):
        frame[f"{name}__happened"] = frame[f"{name}__start"].where(
            _condition(table, markers["pastWhen"])
        )
        yield Check(
            expect.ExpectColumnValuesToBeBetween(column=f"{name}__happened", max_value=today),
            "date/in-future",
            name,
            f"dated after today ({today_date}) although the status says it happened",
        )
    if markers.get("uniqueName"):
        frame[f"{name}__key"] = _name_keys(table.rows[name])
        yield Check(
            expect.ExpectColumnValuesToBeUnique(column=f"{name}__key"),
            "name/duplicate",
            name,
            "another row has the same name",
        )
    if markers.get("httpsUrl"):
        frame[name] = _text(table.rows[name])
        yield Check(
            expect.ExpectColumnValuesToMatchRegex(column=name, regex=HTTPS_URL),
            "source/https-url",
            name,
            "not a well-formed https:// URL",
        )
        frame[f"{name}__direct"] = table.rows[name].map(lambda url: indirection(url) is None)
        yield Check(
            expect.ExpectColumnValuesToBeInSet(column=f"{name}__direct", value_set=[True]),
            "source/indirect-url",
            name,
            "not the address of the page read",
            explain=indirection,
        )
    if markers.get("countryCode"):
        codes = sorted(country.alpha_3 for country in pycountry.countries)
        frame[name] = _text(table.rows[name])
        yield Check(
            expect.ExpectColumnValuesToBeInSet(column=name, value_set=codes),
            "country/unknown-code",
            name,
            "not an ISO 3166-1 alpha-3 code",
        )
    if markers.get("languageCode"):
        frame[name] = _text(table.rows[name])
        yield Check(
            expect.ExpectColumnValuesToBeInSet(column=name, value_set=_language_codes()),
            "language/unknown-code",
            name,
            "not an ISO 639-1 language code",
        )
    if "sourceList" in markers:
        frame[f"{name}__count"] = _list_lengths(table.rows[name])
        yield Check(
            expect.ExpectColumnValuesToBeBetween(column=f"{name}__count", min_value=1),
            "source/missing",
            name,
            "the row cites no source",
        )


def _language_codes() -> list[str]:
    """The two-letter ISO 639-1 codes (pycountry lists every ISO 639-3 language; those with
    a two-letter code are the 639-1 set)."""
    return sorted(
        language.alpha_2 for language in pycountry.languages if hasattr(language, "alpha_2")
    )


def _text(cells: pd.Series) -> pd.Series:
    """Cells as plain Python strings, missing ('') as None."""
    return cells.astype(object).mask(cells == "", None)


def _name_keys(names: pd.Series) -> pd.Series:
    """A number per name, equal for names names.name_key makes one (NaN: none)."""
    codes, _ = pd.factorize(names.map(name_key))
    keys = codes.astype("float64")
    return pd.Series(np.where(names == "", np.nan, keys), index=_frame_index(names))


def _list_lengths(cells: pd.Series) -> pd.Series:
    """How many ';'-separated entries each cell lists (0 for an empty cell)."""
    separators = pc.count_substring(arrow(cells), ";").to_numpy(zero_copy_only=False)
    return pd.Series(np.where(cells == "", 0, separators + 1), index=_frame_index(cells))


def _frame_index(cells: pd.Series | pd.DataFrame) -> pd.Index:
    """The suite frames' index: file lines, unnamed so great-expectations reports bare numbers."""
    return cells.index.rename(None)


def _range_check(name: str, earliest: str | None, latest: str | None) -> Check:
    """The first day a date may mean must fall within the schema's plausible range."""
    low = day_number(earliest)[0] if earliest else None
    high = day_number(latest)[1] if latest else None
    if earliest and latest:
        message = f"outside {earliest} to {latest}, the plausible range for {name}"
    elif earliest:
        message = f"before {earliest}, the earliest plausible value of {name}"
    else:
        message = f"after {latest}, the latest plausible value of {name}"
    return Check(
        expect.ExpectColumnValuesToBeBetween(
            column=f"{name}__start", min_value=low, max_value=high
        ),
        "date/implausible",
        name,
        message,
    )


def _condition(table: Table, condition: dict[str, list[str]]) -> pd.Series:
    """Rows where every named field holds one of the listed values."""
    applies = pd.Series(True, index=_frame_index(table.rows))
    for column, allowed in condition.items():
        applies &= table.rows[column].isin(allowed).to_numpy()
    return applies


def _run(plans: list[tuple[Table, pd.DataFrame, list[Check]]], verdicts: Verdicts) -> list[Problem]:
    """Validate each table's suite: first pass/fail only (cheap), then in full the failures.
    A suite great-expectations passed before on the same columns is not asked again."""
    problems: list[Problem] = []
    for table, frame, checks in plans:
        key = verdicts.key(frame, [_described(check) for check in checks])
        if verdicts.passed(key):
            continue
        batch = _batch_definition().get_batch(batch_parameters={"dataframe": frame})
        numbered = list(enumerate(checks))
        quick = batch.validate(
            _suite(f"{table.name}-quick", numbered), result_format="BOOLEAN_ONLY"
        )
        failed = [
            (number, checks[number])
            for number in (_number_of(result) for result in quick.results if not result.success)
        ]
        if not failed:
            verdicts.record(key)
            continue
        full = batch.validate(_suite(f"{table.name}-full", failed), result_format="COMPLETE")
        for result in full.results:
            problems.extend(_problems(table, checks[_number_of(result)], result))
    verdicts.save()
    return problems


def _described(check: Check) -> object:
    """Everything that decides a check's verdict, for the verdict's key."""
    return [check.expectation.kind, check.expectation.arguments, check.rule, check.field]


@cache
def _batch_definition() -> Any:
    """One in-memory context and one batch definition for every frame of the process: each new
    asset makes great-expectations write its whole configuration out again."""
    import great_expectations as gx  # noqa: PLC0415 (seconds to import: only when needed)
    from great_expectations.data_context.types.base import (  # noqa: PLC0415
        ProgressBarsConfig,
    )

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("ilrs")
    return source.add_dataframe_asset("table").add_batch_definition_whole_dataframe("all")


def _suite(name: str, checks: list[tuple[int, Check]]) -> Any:
    """The checks as one suite; results come back in no set order, so each expectation is
    tagged with its check's number."""
    import great_expectations as gx  # noqa: PLC0415

    expectations = [check.expectation.build({"check": number}) for number, check in checks]
    return gx.ExpectationSuite(name=name, expectations=expectations)


def _number_of(result: Any) -> int:
    number: int = result.expectation_config.meta["check"]
    return number


def _problems(table: Table, check: Check, result: Any) -> Iterator[Problem]:
    """The failing rows, at most MAX_LISTED of them, looked up in one go."""
    lines = [int(line) for line in result.result.get("unexpected_index_list") or []]
    if not lines and not result.success:
        yield Problem(table.file, None, check.field, check.rule, None, _failure_text(result))
    listed = lines[:MAX_LISTED]
    values = table.rows.loc[listed, check.field].tolist()
    others = table.rows.loc[listed, check.other].tolist() if check.other else [None] * len(listed)
    for number, value, other in zip(listed, values, others, strict=True):
        message = check.message.format(other=other) if check.other else check.message
        said = check.explain(str(value)) if check.explain else None
        if said:
            message = f"{message}: {said}"
        yield Problem(table.file, number, check.field, check.rule, shorten(value), message)
    if len(lines) > MAX_LISTED:
        message = (
            f"{len(lines):,} rows break {check.rule} in {check.field}; only the first "
            f"{MAX_LISTED:,} are listed"
        )
        yield Problem(table.file, None, check.field, CAPPED, None, message)


def _failure_text(result: Any) -> str:
    info = result.exception_info or {}
    message = info.get("exception_message") if isinstance(info, dict) else None
    return f"the check could not run: {message}" if message else "the check failed"
