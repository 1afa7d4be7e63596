"""Rules a Table Schema cannot say, run as one great-expectations suite per table.

Each field or table opts in through its schema's "x-ilrs" property (partialDate, earliest,
latest, past, pastWhen, dateOrder, uniqueName, httpsUrl, countryCode, sourceList), so no rule
restates a schema by hand. Dates are compared as day numbers (see dates.py).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import great_expectations as gx
import great_expectations.expectations as gxe
import numpy as np
import pandas as pd
import pyarrow.compute as pc
import pycountry
from great_expectations.data_context.types.base import ProgressBarsConfig

from ilrs_pipeline.model.dates import day_bounds, day_number, today_number
from ilrs_pipeline.validate.files import arrow
from ilrs_pipeline.validate.problems import CAPPED, MAX_LISTED, Problem, shorten

if TYPE_CHECKING:
    from ilrs_pipeline.validate.files import Table

HTTPS_URL = r"^https://[^\s/?#@]+\.[^\s/?#@]+(?:[/?#]\S*)?$"


@dataclass(frozen=True)
class Check:
    """One expectation, the rule it enforces, the field reported, and optionally another field
    whose value completes the message (the start of a date range, say)."""

    expectation: gxe.Expectation
    rule: str
    field: str
    message: str
    other: str | None = None


def check_semantics(tables: list[Table], today: dt.date) -> list[Problem]:
    """Run every schema-declared rule on every table and return what fails."""
    plans = [(table, *_plan(table, today_number(today), today)) for table in tables]
    return _run([(table, frame, checks) for table, frame, checks in plans if checks])


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
            Check(
                gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                    column_A=f"{second}__end",
                    column_B=f"{first}__start",
                    or_equal=True,
                    ignore_row_if="either_value_is_missing",
                ),
                "date/order",
                second,
                f"{second} is before {first} ({{other}})",
                other=first,
            )
        )
    return frame[_columns_read(checks)], checks


def _columns_read(checks: list[Check]) -> list[str]:
    """The frame's columns some expectation reads (every column costs a hash per batch)."""
    names = [
        getattr(check.expectation, attribute, None)
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
            gxe.ExpectColumnValuesToBeInSet(column=f"{name}__real", value_set=[True]),
            "date/not-a-date",
            name,
            "not a real calendar date",
        )
    if "earliest" in markers or "latest" in markers:
        yield _range_check(name, markers.get("earliest"), markers.get("latest"))
    if markers.get("past"):
        yield Check(
            gxe.ExpectColumnValuesToBeBetween(column=f"{name}__start", max_value=today),
            "date/in-future",
            name,
            f"dated after today ({today_date})",
        )
    if markers.get("pastWhen"):
        frame[f"{name}__happened"] = frame[f"{name}__start"].where(
            _condition(table, markers["pastWhen"])
        )
        yield Check(
            gxe.ExpectColumnValuesToBeBetween(column=f"{name}__happened", max_value=today),
            "date/in-future",
            name,
            f"dated after today ({today_date}) although the status says it happened",
        )
    if markers.get("uniqueName"):
        frame[f"{name}__key"] = _name_keys(table.rows[name])
        yield Check(
            gxe.ExpectColumnValuesToBeUnique(column=f"{name}__key"),
            "name/duplicate",
            name,
            "another row has the same name",
        )
    if markers.get("httpsUrl"):
        frame[name] = _text(table.rows[name])
        yield Check(
            gxe.ExpectColumnValuesToMatchRegex(column=name, regex=HTTPS_URL),
            "source/https-url",
            name,
            "not a well-formed https:// URL",
        )
    if markers.get("countryCode"):
        codes = sorted(country.alpha_3 for country in pycountry.countries)
        frame[name] = _text(table.rows[name])
        yield Check(
            gxe.ExpectColumnValuesToBeInSet(column=name, value_set=codes),
            "country/unknown-code",
            name,
            "not an ISO 3166-1 alpha-3 code",
        )
    if "sourceList" in markers:
        frame[f"{name}__count"] = _list_lengths(table.rows[name])
        yield Check(
            gxe.ExpectColumnValuesToBeBetween(column=f"{name}__count", min_value=1),
            "source/missing",
            name,
            "the row cites no source",
        )


def _text(cells: pd.Series) -> pd.Series:
    """Cells as plain Python strings, missing ('') as None."""
    return cells.astype(object).mask(cells == "", None)


def _name_keys(names: pd.Series) -> pd.Series:
    """A number per name, equal for names that differ only in case and spacing (NaN: none)."""
    text = pc.utf8_lower(pc.utf8_trim_whitespace(arrow(names)))
    codes = pc.dictionary_encode(pc.replace_substring_regex(text, r"\s+", " ")).indices
    keys = codes.to_numpy(zero_copy_only=False).astype("float64")
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
        gxe.ExpectColumnValuesToBeBetween(column=f"{name}__start", min_value=low, max_value=high),
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


def _run(plans: list[tuple[Table, pd.DataFrame, list[Check]]]) -> list[Problem]:
    """Validate each table's suite: first pass/fail only (cheap), then in full the failures."""
    batches = _batch_definition()
    problems: list[Problem] = []
    for table, frame, checks in plans:
        batch = batches.get_batch(batch_parameters={"dataframe": frame})
        for number, check in enumerate(checks):
            # Results come back in no set order: the tag leads each one back to its check.
            check.expectation.meta = {"check": number}
        quick = batch.validate(_suite(f"{table.name}-quick", checks), result_format="BOOLEAN_ONLY")
        failed = [_check_of(result, checks) for result in quick.results if not result.success]
        if not failed:
            continue
        full = batch.validate(_suite(f"{table.name}-full", failed), result_format="COMPLETE")
        for result in full.results:
            problems.extend(_problems(table, _check_of(result, checks), result))
    return problems


@cache
def _batch_definition() -> Any:
    """One in-memory context and one batch definition for every frame of the process: each new
    asset makes great-expectations write its whole configuration out again."""
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("ilrs")
    return source.add_dataframe_asset("table").add_batch_definition_whole_dataframe("all")


def _suite(name: str, checks: list[Check]) -> gx.ExpectationSuite:
    return gx.ExpectationSuite(name=name, expectations=[check.expectation for check in checks])


def _check_of(result: Any, checks: list[Check]) -> Check:
    number: int = result.expectation_config.meta["check"]
    return checks[number]


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
