"""Character-level rules on every cell: stray whitespace, control characters, spreadsheet formulas,
look-alike letters from another alphabet, non-ASCII characters in identifiers, and text that is
not what it seems (disguise.py: invisible characters, mojibake, placeholders, markup).

Each rule is an RE2 regex that pyarrow runs over whole columns (Python's re would loop per cell):
one pass with all of a field's rules finds the suspect cells, each rule then reads only those,
and Python looks at the few that match to name the offending character.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow.compute as pc

from ilrs_pipeline.validate import disguise
from ilrs_pipeline.validate.disguise import character
from ilrs_pipeline.validate.files import arrow
from ilrs_pipeline.validate.problems import Problem, shorten

if TYPE_CHECKING:
    import pandas as pd

    from ilrs_pipeline.validate.files import Table

# RE2 syntax, for pyarrow; the _PY_ patterns point at the offending character in a matching cell.
WHITESPACE = r"^[\s\pZ]|[\s\pZ]$"
CONTROL = r"\p{Cc}"
# A lone '-' (or '--') is a placeholder, not a formula: text/placeholder reports it.
FORMULA = r"^(?:[=+@]|-+[^-])"
MIXED_SCRIPT = r"\p{Latin}[\p{Cyrillic}\p{Greek}]|[\p{Cyrillic}\p{Greek}]\p{Latin}"
NOT_ASCII = r"[^\x{00}-\x{7f}]"

_PY_NOT_ASCII = re.compile(r"[^\x00-\x7f]")
_PY_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class TextRule:
    """One regex rule, the fields it applies to and how to say what a matching cell holds.

    Scopes: "any" field, "text" (string fields), "prose" (string fields that hold no ids),
    "plain" (prose that is not a URL), "id", "not-id" (any field but ids) and "free" (fields
    without an enum, whose own message lists the values allowed).
    """

    rule: str
    regex: str
    scope: str
    describe: Callable[[str], str]
    keep: Callable[[str], bool] | None = None  # a closer look at the few cells that match

    def applies(self, field: dict[str, Any], identifiers: set[str]) -> bool:
        is_id = bool(field["name"] in identifiers)
        is_text = bool(field.get("type", "string") == "string")
        is_url = bool(field.get("x-ilrs", {}).get("httpsUrl"))
        scopes = {
            "any": True,
            "text": is_text,
            "prose": is_text and not is_id,
            "plain": is_text and not is_id and not is_url,
            "id": is_id,
            "not-id": not is_id,
            "free": "enum" not in field.get("constraints", {}),
        }
        return scopes[self.scope]


def _whitespace(value: str) -> str:
    return f"starts or ends with whitespace; without it the value is {value.strip()!r}"


def _control(value: str) -> str:
    found = _PY_CONTROL.search(value)
    return f"holds the control character {character(found.group() if found else '')}"


def _formula(value: str) -> str:
    return f"starts with {value[0]!r}, so a spreadsheet would run the cell as a formula"


def _mixed_script(value: str) -> str:
    foreign = next(
        (char for char in value if unicodedata.name(char, "").startswith(("CYRILLIC", "GREEK"))),
        "",
    )
    return f"mixes Latin letters with {character(foreign)}"


def _not_ascii(value: str) -> str:
    found = _PY_NOT_ASCII.search(value)
    return f"holds {character(found.group() if found else '')}, which is not plain ASCII"


TEXT_RULES = (
    TextRule("text/whitespace", WHITESPACE, "any", _whitespace),
    TextRule("text/control-character", CONTROL, "any", _control),
    TextRule("text/formula", FORMULA, "text", _formula),
    TextRule("text/mixed-script", MIXED_SCRIPT, "prose", _mixed_script),
    TextRule("id/look-alike", NOT_ASCII, "id", _not_ascii),
    TextRule(
        "text/zero-width",
        disguise.ZERO_WIDTH,
        "not-id",
        disguise.describe_zero_width,
        keep=disguise.is_zero_width,
    ),
    TextRule("text/non-breaking-space", disguise.NO_BREAK, "not-id", disguise.describe_no_break),
    TextRule("text/bidi-control", disguise.BIDI, "not-id", disguise.describe_bidi),
    TextRule("text/mojibake", disguise.MOJIBAKE, "prose", disguise.describe_mojibake),
    TextRule("text/placeholder", disguise.PLACEHOLDER, "free", disguise.describe_placeholder),
    TextRule("text/markup", disguise.MARKUP, "plain", disguise.describe_markup),
)


def check_text(tables: list[Table]) -> list[Problem]:
    """Every cell of every table against every character-level rule that applies to its field."""
    return [problem for table in tables for problem in _check_table(table)]


def identifier_fields(schema: dict[str, Any]) -> set[str]:
    """Fields that hold ids: keys, references and source lists, as the schema declares them."""
    key = schema["primaryKey"]
    names = {key} if isinstance(key, str) else set(key)
    for foreign in schema.get("foreignKeys", []):
        fields = foreign.get("fields", [])
        names.update([fields] if isinstance(fields, str) else fields)
    for field in schema["fields"]:
        markers = field.get("x-ilrs", {})
        if "sourceList" in markers or "recordIn" in markers:
            names.add(field["name"])
    return names


def _check_table(table: Table) -> Iterator[Problem]:
    identifiers = identifier_fields(table.schema)
    for field in table.schema["fields"]:
        rules = [text_rule for text_rule in TEXT_RULES if text_rule.applies(field, identifiers)]
        column = table.rows[field["name"]]
        # One pass over the column for all rules; each rule then reads only the few suspects.
        suspects = column[_matching(column, "|".join(f"(?:{rule.regex})" for rule in rules))]
        for text_rule in rules if len(suspects) else []:
            for line, value in suspects[_matching(suspects, text_rule.regex)].items():
                if text_rule.keep is not None and not text_rule.keep(value):
                    continue
                yield Problem(
                    table.file,
                    int(line),
                    field["name"],
                    text_rule.rule,
                    shorten(value),
                    text_rule.describe(value),
                )


def _matching(column: pd.Series, regex: str) -> np.ndarray:
    return np.asarray(pc.match_substring_regex(arrow(column), regex).to_numpy(zero_copy_only=False))
