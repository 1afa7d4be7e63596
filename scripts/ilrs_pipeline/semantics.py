"""Rules a Table Schema cannot say, run as great-expectations suites built from the schemas.

Each field or table opts in through its schema's "x-ilrs" property (partialDate, past, pastWhen,
dateOrder, uniqueName, httpsUrl, countryCode, sourceList), so no rule restates a schema by hand.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd
import pycountry
from great_expectations.data_context.types.base import ProgressBarsConfig

from ilrs_pipeline.dates import date_bounds
from ilrs_pipeline.problems import Problem, shorten
from ilrs_pipeline.tables import Table

HTTPS_URL = r"^https://[^\s/?#@]+\.[^\s/?#@]+(?:[/?#]\S*)?$"


@dataclass(frozen=True)
class Check:
    """One expectation on one table, with the rule it enforces and the field to report."""

    table: Table
    frame: pd.DataFrame
    expectation: gxe.Expectation
    rule: str
    field: str
    message: str


def check_semantics(tables: list[Table], today: dt.date) -> list[Problem]:
    """Run every schema-declared rule on every table and return what fails."""
    checks = list(_plan(tables, pd.Timestamp(today)))
    if not checks:
        return []
    return _run(checks)


def _plan(tables: list[Table], today: pd.Timestamp) -> Iterator[Check]:
    by_name = {table.name: table for table in tables}
    cited: dict[str, set[str]] = {}
    for table in tables:
        frame = _derived_frame(table)
        for field in table.schema["fields"]:
            yield from _field_checks(table, frame, field, today, tables)
            target = field.get("x-ilrs", {}).get("sourceList")
            if target:
                citations = _explode(frame[field["name"]])
                cited.setdefault(target["resource"], set()).update(citations.dropna())
                referenced = by_name.get(target["resource"])
                if referenced is not None:
                    yield from _citation_checks(table, field["name"], citations, referenced, target)
        for first, second in table.schema.get("x-ilrs", {}).get("dateOrder", []):
            yield Check(table, frame, gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A=f"{second}__end", column_B=f"{first}__start", or_equal=True,
                ignore_row_if="either_value_is_missing"),
                "date/order", second, f"{second} is before {first}")
    for name, ids in cited.items():
        table = by_name.get(name)
        if table is not None:
            key = table.schema["primaryKey"][0]
            yield Check(table, _derived_frame(table),
                        gxe.ExpectColumnValuesToBeInSet(column=key, value_set=ids),
                        "source/uncited", key, "no row of any table cites this source")


def _citation_checks(
    table: Table, name: str, citations: pd.Series, sources: Table, target: dict[str, str]
) -> Iterator[Check]:
    """Every cited id exists, and every row cites at least one dated source."""
    known = set(sources.rows[target["field"]])
    yield Check(table, citations.to_frame("source_id"),
                gxe.ExpectColumnValuesToBeInSet(column="source_id", value_set=known),
                "source/unknown-id", name, f"cites a source_id that {sources.file} does not have")
    dated_by = target.get("datedBy")
    if dated_by:
        dated = set(sources.rows.loc[sources.rows[dated_by] != "", target["field"]])
        has_dated = citations.isin(dated).groupby(level=0).any()
        yield Check(table, has_dated.to_frame("has_dated_source"),
                    gxe.ExpectColumnValuesToBeInSet(column="has_dated_source", value_set=[True]),
                    "source/undated-only", name,
                    f"every cited source lacks a {dated_by}; cite at least one dated source")


def _field_checks(
    table: Table, frame: pd.DataFrame, field: dict[str, Any], today: pd.Timestamp,
    tables: list[Table],
) -> Iterator[Check]:
    name = field["name"]
    rules = field.get("x-ilrs", {})
    if rules.get("partialDate"):
        yield Check(table, frame, gxe.ExpectColumnValuesToBeInSet(
            column=f"{name}__real", value_set=[True]),
            "date/not-a-date", name, "not a real calendar date")
    if rules.get("past"):
        yield Check(table, frame, gxe.ExpectColumnValuesToBeBetween(
            column=f"{name}__start", max_value=today),
            "date/in-future", name, f"dated after today ({today.date()})")
    if rules.get("pastWhen"):
        yield Check(table, _conditioned(frame, name, rules["pastWhen"]),
                    gxe.ExpectColumnValuesToBeBetween(column=f"{name}__start", max_value=today),
                    "date/in-future", name,
                    f"dated after today ({today.date()}) although the status says it happened")
    if rules.get("uniqueName"):
        yield Check(table, frame, gxe.ExpectColumnValuesToBeUnique(column=name),
                    "name/duplicate", name, "another row has the same name")
    if rules.get("httpsUrl"):
        yield Check(table, frame, gxe.ExpectColumnValuesToMatchRegex(column=name, regex=HTTPS_URL),
                    "source/https-url", name, "not a well-formed https:// URL")
    if rules.get("countryCode"):
        codes = {country.alpha_3 for country in pycountry.countries}
        yield Check(table, frame, gxe.ExpectColumnValuesToBeInSet(column=name, value_set=codes),
                    "country/unknown-code", name, "not an ISO 3166-1 alpha-3 code")
    if rules.get("sourceList"):
        yield Check(table, frame, gxe.ExpectColumnValuesToNotBeNull(column=name),
                    "source/missing", name, "the row cites no source")
    if rules.get("recordIn") and tables:
        keys = {t.name: set(_primary_keys(t)) for t in tables}
        found = _lookup(frame, rules["recordIn"], name, keys)
        yield Check(table, found.to_frame("record_exists"),
                    gxe.ExpectColumnValuesToBeInSet(column="record_exists", value_set=[True]),
                    "reference/unknown-record", name,
                    f"no row of the table named in {rules['recordIn']} has this key")
    if rules.get("fieldIn") and tables:
        fields = {t.name: set(t.field_names) for t in tables}
        found = _lookup(frame, rules["fieldIn"], name, fields)
        yield Check(table, found.to_frame("field_exists"),
                    gxe.ExpectColumnValuesToBeInSet(column="field_exists", value_set=[True]),
                    "reference/unknown-field", name,
                    f"the table named in {rules['fieldIn']} has no such field")


def _primary_keys(table: Table) -> pd.Series:
    """Each row's primary key as text; a key of several fields is joined with '/'."""
    key = table.schema["primaryKey"]
    return table.rows[key].astype(str).agg("/".join, axis=1) if len(key) > 1 else table.rows[key[0]]


def _lookup(
    frame: pd.DataFrame, table_column: str, value_column: str, allowed: dict[str, set[str]]
) -> pd.Series:
    """Whether each row's value is among those allowed for the table its other column names."""
    pairs = zip(frame[table_column], frame[value_column], strict=True)
    return pd.Series(
        [None if value is None else value in allowed.get(table, set()) for table, value in pairs],
        index=frame.index, dtype="boolean",
    )


def _derived_frame(table: Table) -> pd.DataFrame:
    """Raw cells with '' as missing, plus start/end/real columns for every date field."""
    # An unnamed index makes great-expectations report bare line numbers.
    frame = table.rows.replace("", None).rename_axis(None)
    for field in table.schema["fields"]:
        rules = field.get("x-ilrs", {})
        if rules.get("partialDate") or field.get("type") == "date":
            start, end, real = date_bounds(frame[field["name"]])
            frame[f"{field['name']}__start"] = start
            frame[f"{field['name']}__end"] = end
            frame[f"{field['name']}__real"] = real
    return frame


def _conditioned(frame: pd.DataFrame, name: str, condition: dict[str, list[str]]) -> pd.DataFrame:
    """The frame with the date blanked on rows where the condition does not hold."""
    applies = pd.Series(True, index=frame.index)
    for column, allowed in condition.items():
        applies &= frame[column].isin(allowed)
    subset = frame[[name, f"{name}__start"]].copy()
    subset.loc[~applies, f"{name}__start"] = pd.NaT
    return subset


def _explode(cells: pd.Series) -> pd.Series:
    """A ';'-separated list column as one id per row, keeping each row's line as its index."""
    return cells.dropna().str.split(";").explode().rename_axis(None)


def _run(checks: list[Check]) -> list[Problem]:
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("ilrs")
    problems: list[Problem] = []
    for number, check in enumerate(checks):
        asset = source.add_dataframe_asset(f"check-{number}")
        batch = asset.add_batch_definition_whole_dataframe("all").get_batch(
            batch_parameters={"dataframe": check.frame}
        )
        result = batch.validate(check.expectation, result_format="COMPLETE")
        if result.success:
            continue
        lines = result.result.get("unexpected_index_list") or []
        values = result.result.get("unexpected_list") or []
        if not lines and not result.success:
            problems.append(Problem(check.table.file, None, check.field, check.rule, None,
                                    _failure_text(result)))
        for line, value in zip(lines, values, strict=False):
            shown = check.table.rows.at[line, check.field] if check.field in check.table.rows else value
            problems.append(Problem(check.table.file, int(line), check.field, check.rule,
                                    shorten(shown), check.message))
    return problems


def _failure_text(result: Any) -> str:
    info = result.exception_info or {}
    message = info.get("exception_message") if isinstance(info, dict) else None
    return f"the check could not run: {message}" if message else "the check failed"
