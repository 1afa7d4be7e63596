"""One problem found in the data, and the report that lists them for people and for CI."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from ilrs_pipeline.rules import RULES

MAX_VALUE_CHARS = 80


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

    def to_dict(self) -> dict[str, object]:
        return {**asdict(self), "hint": self.hint}


def shorten(value: object) -> str | None:
    """A cell as it should be shown in a report: quoted-safe and never longer than a line."""
    if value is None:
        return None
    text = str(value)
    if len(text) > MAX_VALUE_CHARS:
        text = f"{text[:MAX_VALUE_CHARS]}… ({len(text)} characters)"
    return text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text


def render_text(problems: list[Problem]) -> str:
    """The human report: one block per problem, then a summary by rule."""
    if not problems:
        return "Data package is valid: no problems found."
    blocks = []
    for problem in sorted(problems, key=lambda p: (p.file, p.line or 0, p.column or "", p.rule)):
        where = problem.file if problem.line is None else f"{problem.file}:{problem.line}"
        if problem.column:
            where += f" column {problem.column!r}"
        value = "" if problem.value is None else f" value {problem.value!r}"
        blocks.append(
            f"{where}{value}\n  [{problem.rule}] {problem.message}\n  how to fix: {problem.hint}"
        )
    by_rule = Counter(problem.rule for problem in problems)
    files = len({problem.file for problem in problems})
    summary = ", ".join(f"{rule} ×{count}" for rule, count in sorted(by_rule.items()))
    noun = "problem" if len(problems) == 1 else "problems"
    blocks.append(f"Found {len(problems)} {noun} in {files} file(s): {summary}")
    return "\n\n".join(blocks)


def write_json(problems: list[Problem], path: Path) -> None:
    """The machine report, for CI annotations: a summary and every problem with its hint."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "valid": not problems,
        "count": len(problems),
        "by_rule": dict(sorted(Counter(problem.rule for problem in problems).items())),
        "problems": [problem.to_dict() for problem in sorted(problems)],
    }
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
