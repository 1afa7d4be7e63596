"""One problem found in the data, and the reports that list them for people and for CI."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from ilrs_pipeline.validate.rules import RULES

if TYPE_CHECKING:
    from pathlib import Path

MAX_VALUE_CHARS = 80
# Past this many findings of one rule the text report says how many more there are; the JSON
# report always lists them all.
MAX_SHOWN_PER_RULE = 50
# Past this many findings of one rule in one file no more are collected (frictionless stops at
# as many per file): a broken bulk edit has one cause, and listing 400,000 copies of it costs
# minutes and a gigabyte. A `report/capped` problem says where the count was cut.
MAX_LISTED = 1000
CAPPED = "report/capped"


@dataclass(frozen=True, order=True)
class Problem:
    """A broken rule at one place: file, line (1 = header) and column, with the offending value."""

    file: str
    line: int | None
    column: str | None
    rule: str
    value: str | None
    message: str

    @property
    def hint(self) -> str:
        return RULES[self.rule].hint

    @property
    def where(self) -> str:
        return self.file if self.line is None else f"{self.file}:{self.line}"

    def to_dict(self) -> dict[str, object]:
        return {**asdict(self), "title": RULES[self.rule].title, "hint": self.hint}


def shorten(value: object) -> str | None:
    """A cell as it should be shown in a report: quoted-safe and never longer than a line."""
    if value is None:
        return None
    text = str(value)
    if len(text) > MAX_VALUE_CHARS:
        text = f"{text[:MAX_VALUE_CHARS]}… ({len(text)} characters)"
    return text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text


def one_cause_per_cell(problems: list[Problem]) -> list[Problem]:
    """On each cell keep only the findings of the lowest rule tier (see rules.py), so a cell is
    reported for its root cause, not again for each consequence."""
    lowest: dict[tuple[str, int, str], int] = {}
    for problem in problems:
        if problem.line is not None and problem.column is not None:
            cell = (problem.file, problem.line, problem.column)
            lowest[cell] = min(lowest.get(cell, RULES[problem.rule].tier), RULES[problem.rule].tier)
    return [
        problem
        for problem in problems
        if problem.line is None
        or problem.column is None
        or RULES[problem.rule].tier == lowest[(problem.file, problem.line, problem.column)]
    ]


def capped(problems: list[Problem]) -> list[Problem]:
    """At most MAX_LISTED problems of each rule in each file, the first by line, and for each
    group cut short a `report/capped` problem that says how many there were."""
    groups: dict[tuple[str, str], list[Problem]] = defaultdict(list)
    for problem in sorted(problems, key=_order):
        groups[(problem.file, problem.rule)].append(problem)
    kept: list[Problem] = []
    for (file, rule), group in groups.items():
        kept.extend(group[:MAX_LISTED])
        if rule != CAPPED and len(group) > MAX_LISTED:
            message = (
                f"{len(group):,} {rule} problems in this file; only the first {MAX_LISTED:,} "
                "are listed"
            )
            kept.append(Problem(file, None, None, CAPPED, None, message))
    return kept


def _order(problem: Problem) -> tuple[str, int, str, str]:
    return (problem.file, problem.line or 0, problem.column or "", problem.rule)


def render_text(problems: list[Problem]) -> str:
    """The human report: one block per problem (file:line, column, value, rule, hint), then a
    summary by rule."""
    if not problems:
        return "Data package is valid: no problems found."
    shown: Counter[str] = Counter()
    blocks = []
    for problem in sorted(problems, key=_order):
        shown[problem.rule] += 1
        if shown[problem.rule] <= MAX_SHOWN_PER_RULE:
            blocks.append(_block(problem))
    return "\n\n".join([*blocks, _summary(problems)])


def _block(problem: Problem) -> str:
    where = problem.where
    if problem.column:
        where += f" column {problem.column!r}"
    # shorten() already escaped what a terminal cannot show; quote without escaping twice.
    value = "" if problem.value is None else f" value '{problem.value}'"
    return f"{where}{value}\n  [{problem.rule}] {problem.message}\n  how to fix: {problem.hint}"


def _summary(problems: list[Problem]) -> str:
    by_rule = Counter(problem.rule for problem in problems)
    files: dict[str, int] = defaultdict(int)
    for problem in problems:
        files[problem.file] += 1
    noun = "problem" if len(problems) == 1 else "problems"
    lines = [f"Found {len(problems)} {noun} in {len(files)} file(s):"]
    if by_rule[CAPPED]:
        found = len(problems) - by_rule[CAPPED]
        lines = [
            f"Found at least {found:,} problems in {len(files)} file(s): the count was capped "
            f"(see the [{CAPPED}] lines for where); showing the first {MAX_SHOWN_PER_RULE} of "
            "each rule — fix these and run again:"
        ]
    width = max(len(rule) for rule in by_rule)
    for rule, count in sorted(by_rule.items()):
        hidden = count - MAX_SHOWN_PER_RULE
        more = f" ({hidden} not shown above)" if hidden > 0 else ""
        lines.append(f"  {count:>5}  {rule:<{width}}  {RULES[rule].title}{more}")
    lines.append(
        "by file: " + ", ".join(f"{file} {count}" for file, count in sorted(files.items()))
    )
    return "\n".join(lines)


def write_json(problems: list[Problem], path: Path) -> None:
    """The machine report, for CI annotations: a summary and every problem with its hint."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "valid": not problems,
        "count": len(problems),
        "by_rule": dict(sorted(Counter(problem.rule for problem in problems).items())),
        "problems": [problem.to_dict() for problem in sorted(problems, key=_order)],
    }
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
