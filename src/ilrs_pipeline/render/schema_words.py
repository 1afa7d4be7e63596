"""Say in words what a Table Schema field or table requires, for the data dictionary and the site.

Every sentence is derived from the schema (constraints, keys and "x-ilrs" markers), so the docs
cannot drift from what validation enforces. A marker with no wording here raises, so a new rule
cannot reach the docs unexplained. Code is marked with backticks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Field = dict[str, Any]
Schema = dict[str, Any]


def code(value: object) -> str:
    return f"`{value}`"


def values_of(values: list[str] | str) -> str:
    """`a`, `b` or `c`; a set's name (a condition naming a field's `sets`) as that set."""
    if isinstance(values, str):
        return f"in the set {code(values)}"
    return listing([code(v) for v in values])


def holding(condition: dict[str, Any]) -> list[str]:
    """`a` is `x` or `y`, one clause per field of a condition (onlyWhen, when, gone...)."""
    return [f"{code(name)} is {values_of(values)}" for name, values in condition.items()]


def listing(values: list[str], last: str = "or") -> str:
    """a, b or c."""
    if len(values) <= 1:
        return "".join(values)
    return f"{', '.join(values[:-1])} {last} {values[-1]}"


def type_words(field: Field) -> str:
    """The field's type, naming partial dates and date formats."""
    kind = str(field.get("type", "string"))
    if field.get("x-ilrs", {}).get("partialDate"):
        return f"{kind} (partial date)"
    if kind == "date" and field.get("format", "default") == "default":
        return "date (YYYY-MM-DD)"
    return kind


def is_required(field: Field) -> bool:
    return bool(field.get("constraints", {}).get("required", False))


def constraint_rules(field: Field) -> list[str]:
    """Table Schema constraints other than `required`, which has its own column."""
    constraints = field.get("constraints", {})
    wording = {
        "unique": lambda _: "No two rows share a value.",
        "enum": lambda values: "One of " + listing([code(v) for v in values]) + ".",
        "pattern": lambda pattern: f"Matches the pattern {code(pattern)}.",
        "minLength": lambda n: f"At least {n} characters.",
        "maxLength": lambda n: f"At most {n} characters.",
        "minimum": lambda n: f"At least {n}.",
        "maximum": lambda n: f"At most {n}.",
    }
    stated = {name: value for name, value in constraints.items() if name != "required"}
    return _sentences(stated, wording, "the constraint", field)


def marker_rules(field: Field) -> list[str]:
    """The field's "x-ilrs" markers as sentences, in the schema's order."""
    return _sentences(field.get("x-ilrs", {}), FIELD_MARKER_WORDING, "the x-ilrs marker", field)


def _sentences(
    items: dict[str, Any], wording: dict[str, Any], what: str, field: Field
) -> list[str]:
    """Each switched-on item in words; an item without wording stops the docs, so none is
    silently left out of the dictionary."""
    rules = []
    for name, value in items.items():
        if name not in wording:
            msg = f"no wording for {what} {name!r} of field {field['name']!r}"
            raise KeyError(msg)
        if value is not False:
            rules.append(wording[name](value))
    return rules


def _past_when(condition: dict[str, list[str]]) -> str:
    parts = holding(condition)
    return "Not after the day of validation when " + listing(parts, "and") + "."


def _source_list(target: dict[str, str]) -> str:
    words = (
        f"One or more {code(target['field'])} values of the {code(target['resource'])} "
        "table, separated by `;`."
    )
    if "datedBy" in target:
        words += f" At least one of them must have a {code(target['datedBy'])}."
    return words


def _rows_when(rule: dict[str, Any]) -> str:
    """(for rows whose `a` is `x` or `y`), when the rule has a condition."""
    condition = rule.get("when", {})
    parts = holding(condition)
    return f" (for rows whose {listing(parts, 'and')})" if parts else ""


FIELD_MARKER_WORDING = {
    "partialDate": lambda _: "A date at the precision known: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.",
    "past": lambda _: "Not after the day of validation.",
    "pastWhen": _past_when,
    "afterHappened": lambda names: (
        f"Not before {listing([code(name) for name in names], 'or')} on rows where that date "
        "has happened (for a date that must be in the past only under a condition, where the "
        "condition holds)."
    ),
    "earliest": lambda day: f"Not before {day}.",
    "latest": lambda day: f"Not after {day}.",
    "uniqueName": lambda _: "No two rows share a value.",
    "httpsUrl": lambda _: (
        "A well-formed `https://` address of the page itself, not a redirect "
        "link or a page of search results."
    ),
    "countryCode": lambda _: "An existing ISO 3166-1 alpha-3 country code.",
    "languageCode": lambda _: "An existing ISO 639-1 two-letter language code.",
    "sourceList": _source_list,
    "recordIn": lambda column: f"The primary key of a row of the table named in {code(column)}.",
    "fieldIn": lambda column: f"A field of the table named in {code(column)}.",
    "onlyWhen": lambda condition: "Empty unless " + listing(holding(condition), "and") + ".",
    "notWhen": lambda condition: "Empty when " + listing(holding(condition), "or") + ".",
    "requiredWhen": lambda condition: "Required when " + listing(holding(condition), "and") + ".",
    "goneVia": lambda rule: (
        "On rows whose "
        + listing(
            holding(rule.get("when", {}))
            + [
                f"{code(via)} names a row whose " + listing(holding(c), "and")
                for via, c in rule.get("alsoVia", {}).items()
            ],
            "and",
        )
        + ", a row this field names whose "
        + listing(
            holding(rule["gone"]),
            "and",
        )
        + " needs a cited source published since that status began."
    ),
    "sets": lambda sets: " ".join(
        f"The set {code(name)}, which other rules name, is {listing([code(v) for v in values])}."
        for name, values in sets.items()
    ),
    "matches": lambda rule: f"Equals {code(rule['field'])} of the row {code(rule['via'])} names.",
    "partyVia": lambda rule: (
        f"The row, or a body whose {code(rule.get('orChildrenBy', '-'))} "
        + (f"in {code(rule['childrenIn'])} " if "childrenIn" in rule else "")
        + f"names it, is a party to this agreement in {code(rule['resource'])}."
    ),
    "dayWhenPast": lambda _: "Known to the day whenever the date must be in the past.",
    "requires": lambda rule: (
        f"{listing([code(v) for v in rule['when']])} only when the row "
        f"{code(rule['via'])} names has happened (its {code(rule['happened'])} condition holds)."
    ),
    "ownWords": lambda rule: (
        f"In the package's own words: never holding, word for word, the {code(rule['field'])} "
        f"of a source the row cites, if it has {rule['minWords']} words or more."
    ),
    "notSelf": lambda _: "Never the row's own id, nor an id whose chain leads back to the row.",
    "phases": lambda values: (
        f"{listing([code(v) for v in values])} names a phase of the programme, not a mission "
        "that flies: the site's timeline shows it as a phase and mission counts leave it out."
    ),
    "sameVia": lambda rule: (
        f"The same as in the row {code(rule['via'])} names, for rows whose "
        + listing(
            holding(rule.get("when", {})),
            "and",
        )
        + "."
    ),
    "valueOf": lambda rule: (
        f"For codes and dates: exactly the value the table in "
        f"{code(rule['table'])} holds for {code(rule['record'])} and {code(rule['field'])}."
    ),
    "differsFrom": lambda other: f"Differs from {code(other)}.",
    "notBefore": lambda rule: f"Not before {rule['date']}, {rule['because']}{_rows_when(rule)}.",
    "uniqueUrl": lambda _: (
        "No two rows are one page: URLs are compared without tracking parameters (`utm_*`, "
        "`fbclid`...), `www.`, a trailing `/`, a text fragment (`#:~:text=`) and the choice of "
        "http or https."
    ),
    "sameEntity": lambda rule: (
        f"No two rows with the same {code(rule['alongside'])} name one entity: names are "
        "compared without case, accents, punctuation, a leading 'the' and a bracketed acronym "
        "or translation, "
        "and an acronym matches the name it abbreviates."
    ),
}


TABLE_MARKER_WORDING: dict[str, Callable[[Any], list[str]]] = {
    "dateOrder": lambda pairs: [
        f"{code(first)} is not after {code(second)}." for first, second in pairs
    ],
    "claims": lambda _: [
        "Each row says which source supports one field of one row of a fact table; the field "
        "must hold a value and the source must be one that row lists."
    ],
    "claimsIn": lambda table: [
        f"Every non-empty field other than the key and source lists has a claim in "
        f"{code(table)}, and every listed source supports at least one field."
    ],
    "referencedBy": lambda target: [
        f"Every row is referenced by at least one row of {code(target['resource'])} "
        f"(its {code(target['field'])})."
    ],
    "uniqueTogether": lambda keys: [
        f"No two rows share {listing([code(name) for name in key], 'and')} (text compared "
        "without case and spacing)."
        for key in keys
    ],
    "historyOf": lambda target: [
        f"The dated history of {code(target['resource'] + '.' + target['field'])}: each "
        f"{code(target['key'])} holds the status of its latest event, and its "
        f"{code(target.get('asOf', 'as-of date'))} is not older than that event."
    ],
}


def reference_rules(field: Field, schema: Schema, table: str) -> list[str]:
    """The foreign keys that start from this field."""
    rules = []
    for key in schema.get("foreignKeys", []):
        fields = key["fields"] if isinstance(key["fields"], list) else [key["fields"]]
        if fields == [field["name"]]:
            target = key["reference"].get("resource") or table
            rules.append(f"Refers to {code(target + '.' + str(key['reference']['fields']))}.")
    return rules


def field_rules(field: Field, schema: Schema, table: str) -> list[str]:
    """Everything the schema says a field's values must be, `required` aside, each said once."""
    rules = [*reference_rules(field, schema, table), *constraint_rules(field), *marker_rules(field)]
    return list(dict.fromkeys(rules))


def table_rules(schema: Schema) -> list[str]:
    """Rules across the fields of a table: primary key and "x-ilrs" table markers."""
    key = schema.get("primaryKey", [])
    keys = key if isinstance(key, list) else [key]
    rules = []
    if keys:
        rules.append(f"Each row is identified by {listing([code(k) for k in keys], 'and')}.")
    for name, value in schema.get("x-ilrs", {}).items():
        if name not in TABLE_MARKER_WORDING:
            msg = f"no wording for the table x-ilrs marker {name!r}"
            raise KeyError(msg)
        rules += TABLE_MARKER_WORDING[name](value)
    missing = [repr(v) if v else "an empty cell" for v in schema.get("missingValues", [""])]
    rules.append(f"A missing value is written as {listing(missing)}.")
    return rules
