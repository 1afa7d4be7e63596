"""Cells of whole-number and number fields in the forms the loader takes (ilrs_data.types).

frictionless takes more than Table Schema writes: `1_000`, full-width or Arabic-Indic digits,
`inf`, `nan`, and `1e400`, which it makes infinite. The loader refuses those, so they are
reported here too: a table that passes validation always loads.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ilrs_data.types import INTEGER_FORM, number_form, number_problem
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
        for line, value in table.rows[field["name"]].items():
            problem = (
                None if value in missing else number_problem(value, whole=form == INTEGER_FORM)
            )
            if problem is not None:
                yield Problem(
                    table.file, int(line), field["name"], "schema/number-form", shorten(value),
                    f"{value!r} {problem}",
                )  # fmt: skip
