"""Cells of whole-number and number fields in the forms the loader takes (ilrs_data.types).

frictionless takes more than Table Schema writes: `1_000`, full-width or Arabic-Indic digits,
`inf`, `nan`, and `1e400`, which it makes infinite. The loader refuses those, so they are
reported here too: a table that passes validation always loads.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ilrs_data.types import INFINITIES, INTEGER_FORM, number_form
from ilrs_pipeline.validate.problems import Problem, shorten
from ilrs_pipeline.validate.rules import FORM, Rule

if TYPE_CHECKING:
    from ilrs_pipeline.validate.files import Table

RULES = [
    Rule(
        "schema/number-form",
        "a number is not written in Table Schema's form",
        "Write a whole number as digits with an optional sign (12, -3), a number as digits "
        "with an optional point and exponent (1.5, 2e3), or NaN, INF or -INF; ASCII digits "
        "only, no '_' or thousands separator, and no more than float64 holds (about 1.8e308).",
        tier=FORM,
    ),
]


def check_numbers(tables: list[Table]) -> list[Problem]:
    """Every cell of every integer, number or year field that the loader would refuse."""
    return [problem for table in tables for problem in _check_table(table)]


def _check_table(table: Table) -> Iterator[Problem]:
    missing = set(table.schema.get("missingValues", [""]))
    for field in table.schema["fields"]:
        form = number_form(field)
        if form is None or field["name"] not in table.rows:
            continue
        pattern = re.compile(form)
        for line, value in table.rows[field["name"]].items():
            if value in missing:
                continue
            problem = _problem_with(value, pattern, whole=form == INTEGER_FORM)
            if problem is not None:
                yield Problem(
                    table.file, int(line), field["name"], "schema/number-form", shorten(value),
                    f"{value!r} {problem}",
                )  # fmt: skip


def _problem_with(value: str, pattern: re.Pattern[str], *, whole: bool) -> str | None:
    if pattern.fullmatch(value) is None:
        return "is not a whole number" if whole else "is not a number"
    if not whole and value.strip(" \t") not in (*INFINITIES, "NaN") and math.isinf(float(value)):
        return "is too large for a float64 number (it would load as infinity)"
    return None
