"""Facts that cannot be: rules between rows and tables that no Table Schema can say.

Each rule is switched on by an x-ilrs marker in the schemas, so which statuses mean "member" or
"launched", and which table lists an agreement's parties, are said once, in schemas/:

- `referencedBy` (table): every row is referenced by at least one row of another table
  (an agreement nobody signed is not a record of anything);
- `onlyWhen` (field): the field holds a value only when other fields hold the listed values
  (only founders and members have joined); `notWhen` (field), its complement: the field is
  empty when other fields hold the listed values (a state belongs to no body); `requiredWhen`
  (field): the field holds a value when other fields hold the listed values (a state has a
  country code);
- `matches` (field): equals a field of the row its `via` foreign key points at (a joining date is
  the date of the joining instrument);
- `partyVia` (field): the row, or a body whose `orChildrenBy` field (in this table, or in the
  table `childrenIn` names) points at it, is a party to the agreement the field names;
- `dayWhenPast` (field): known to the day whenever its `pastWhen` condition holds;
- `requires` (field): the value(s) `when` need the row `via` points at to satisfy the `pastWhen`
  condition of its field `happened` (a flown payload rides a mission that flew);
- `notSelf` (field): does not point at its own row, nor through other rows back to it;
  `sameVia` (field): equals the same field of the row its `via` foreign key points at, when
  both hold one and the row meets `when` (an agency is in its state's country; a university in
  Hong Kong is not in China's code);
- `valueOf` (field): equals the value held at the table/record/field its row names, for
  structured fields (enum, pattern or date); `differsFrom` (field): differs from another field;
- `notBefore` (field): a date that cannot lie before `date`, the start of the programme's
  history, for the reason `because` (on rows that meet `when`, if given): no one joined the
  ILRS before its founding memorandum;
- `uniqueUrl` (field): no two rows are one page, their URLs differing only by tracking
  parameters or trivially (see urls.py);
- `uniqueTogether` (table): no two rows hold the same values in each listed set of fields,
  text compared like `uniqueName` does, without case and spacing (one payload entered twice
  under two ids);
- `goneVia` (field): on rows that meet `when`, whose foreign key in this field points at a row
  that meets `gone` and whose other foreign keys (`alsoVia`) point at rows that meet theirs, the
  row cites a source published on or after the day the pointed row became `gone` (its latest
  such event in the table that is its `historyOf`): a planned payload of
  a partner that has withdrawn needs a source saying it stays;
- `sameEntity` (field): no two rows with the same value in the field `alongside` have names of
  one entity (see names.py): `uae` and `united-arab-emirates` are one partner;
- `ownWords` (field): written in the package's own words, so it never holds, word for word, the
  value of the source field `field` (a title) of a source the row cites, when that value has
  `minWords` words or more (a shorter title may be a name a note rightly gives: Chang'e-7).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ilrs_pipeline.model.dates import DAY_CHARS, moment
from ilrs_pipeline.model.records import record_key
from ilrs_pipeline.validate.names import name_key, one_entity
from ilrs_pipeline.validate.problems import Problem, shorten
from ilrs_pipeline.validate.rules import SEMANTIC, Rule
from ilrs_pipeline.validate.urls import differences, page_key

if TYPE_CHECKING:
    from ilrs_pipeline.validate.files import Table

Row = dict[str, str]
Field = dict[str, Any]
Markers = dict[str, Any]

RULES = [
    Rule(
        "fact/unreferenced",
        "a row that must be referenced by another table is not",
        tier=SEMANTIC,
        hint="Add the rows that reference it (e.g. the parties of an agreement), or remove it.",
    ),
    Rule(
        "fact/only-when",
        "a field holds a value its row's status does not allow",
        tier=SEMANTIC,
        hint="Empty the field, or correct the status (or kind) the message names.",
    ),
    Rule(
        "fact/not-when",
        "a field holds a value its row's kind or status rules out",
        tier=SEMANTIC,
        hint="Empty the field, or correct the kind (or status) the message names.",
    ),
    Rule(
        "fact/required-when",
        "a field its row's kind or status needs is empty",
        tier=SEMANTIC,
        hint="Fill in the field from a source, or correct the kind (or status) the message names.",
    ),
    Rule(
        "fact/duplicate-row",
        "two rows with different ids record the same thing",
        tier=SEMANTIC,
        hint="Merge this row into the one the message names (its sources and description) and "
        "delete it; if they are two things, make the names say how they differ.",
    ),
    Rule(
        "fact/withdrawn-partner",
        "a planned payload of a partner that has withdrawn, with no source since the withdrawal",
        tier=SEMANTIC,
        hint="Check whether the payload still flies: if not, set its status to cancelled (and "
        "status_as_of); if a source published since the withdrawal says it stays, add that "
        "source to its source_ids; or correct the partner's status.",
    ),
    Rule(
        "fact/mismatch",
        "a value differs from the value it must repeat in another table",
        tier=SEMANTIC,
        hint="Make both values the same (the message names the other cell), or fix the reference.",
    ),
    Rule(
        "fact/not-a-party",
        "a partner joined by an instrument it is not a party to",
        tier=SEMANTIC,
        hint="Add the partner (or its agency) to agreement_parties for that agreement, or correct "
        "the joining instrument.",
    ),
    Rule(
        "fact/day-unknown",
        "a date that must be known to the day is not",
        tier=SEMANTIC,
        hint="Give the full date YYYY-MM-DD from a source, or correct the status.",
    ),
    Rule(
        "fact/impossible-status",
        "a status that the row it refers to rules out",
        tier=SEMANTIC,
        hint="A payload cannot have flown on a mission that has not: correct one of the statuses.",
    ),
    Rule(
        "fact/self-reference",
        "a row refers to itself, directly or through a loop of other rows",
        tier=SEMANTIC,
        hint="Point at the body this one belongs to, or leave the cell empty; in a loop, the "
        "body at the top (a state) has no parent.",
    ),
    Rule(
        "fact/differs-from-parent",
        "a value differs from the same field of the row it belongs to",
        tier=SEMANTIC,
        hint="Give the body its parent's value (an agency is in its state's country), or fix "
        "the parent.",
    ),
    Rule(
        "fact/stale-kept-value",
        "a discrepancy's kept value is no longer what the table holds",
        tier=SEMANTIC,
        hint="Update kept_value to the table's value, or the table to the kept value.",
    ),
    Rule(
        "fact/no-disagreement",
        "a discrepancy whose two values are the same",
        tier=SEMANTIC,
        hint="Sources that agree are not a discrepancy: remove the row, or correct a value.",
    ),
    Rule(
        "fact/before-history",
        "a date before the programme's history begins",
        tier=SEMANTIC,
        hint="Check the year and the source (2012 for 2021?); if the row truly belongs, a "
        "maintainer moves the field's notBefore date in schemas/.",
    ),
    Rule(
        "source/duplicate-url",
        "two sources are one page: their URLs differ only by tracking parameters or trivially",
        tier=SEMANTIC,
        hint="Cite the existing source (the message names it) instead, and remove this row; "
        "copy URLs without utm_* and similar tracking parameters.",
    ),
    Rule(
        "fact/pasted-title",
        "a note holds, word for word, the title of a source its row cites",
        tier=SEMANTIC,
        hint="Write the note in your own words: say what the row records and why it matters, "
        "not the headline of the source (CONTRIBUTING.md, sourcing rule 8).",
    ),
    Rule(
        "fact/same-entity",
        "two rows describe one entity",
        tier=SEMANTIC,
        hint="Keep one row: merge the other's sources and notes into it, point references at "
        "its id, and delete the other row.",
    ),
]


@dataclass(frozen=True)
class Rows:
    """Every table's rows, read once for all the fact rules, with their file lines."""

    tables: Mapping[str, Table]
    lines: Mapping[str, list[tuple[int, Row]]]

    @classmethod
    def of(cls, tables: list[Table]) -> Rows:
        return cls(
            {table.name: table for table in tables},
            {
                table.name: list(
                    zip(map(int, table.rows.index), table.rows.to_dict("records"), strict=True)
                )
                for table in tables
            },
        )

    def by_key(self, name: str) -> dict[str, Row]:
        table = self.tables[name]
        return {record_key(row, table.primary_key): row for _, row in self.lines[name]}

    def pointed(self, table: Table, via: str) -> tuple[str, list[tuple[int, Row, Row | None]]]:
        """The table the single-field foreign key on `via` points at, and each row with the row
        it points at (None when it points nowhere: the foreign-key rule reports that). No such
        key gives no rows."""
        for key in table.schema.get("foreignKeys", []):
            fields = key["fields"] if isinstance(key["fields"], list) else [key["fields"]]
            target = key["reference"].get("resource") or table.name
            if fields == [via] and target in self.tables:
                targets = self.by_key(target)
                rows = [(line, row, targets.get(row[via])) for line, row in self.lines[table.name]]
                return target, rows
        return "", []


def check_facts(tables: list[Table]) -> list[Problem]:
    context = Rows.of(tables)
    problems: list[Problem] = []
    for table in tables:
        target = table.schema.get("x-ilrs", {}).get("referencedBy")
        if isinstance(target, dict) and target.get("resource") in context.tables:
            problems.extend(_unreferenced(table, context, target))
        for key in table.schema.get("x-ilrs", {}).get("uniqueTogether", []):
            problems.extend(_unique_together(table, key, context))
        for field in table.schema["fields"]:
            markers = field.get("x-ilrs", {})
            for name, check in FIELD_CHECKS.items():
                if name in markers:
                    problems.extend(check(table, field, markers, context))
    return problems


def holds(row: Row, condition: Mapping[str, list[str]]) -> bool:
    """Whether the row holds one of the listed values in every field the condition names."""
    return all(row.get(name) in values for name, values in condition.items())


def _problem(  # noqa: PLR0917 - the six parts of a Problem, in its order
    table: Table, line: int, column: str, rule: str, value: str, note: str
) -> Problem:
    return Problem(table.file, line, column, rule, shorten(value), note)


def _unreferenced(table: Table, context: Rows, target: Mapping[str, str]) -> Iterator[Problem]:
    referenced = {row[target["field"]] for _, row in context.lines[target["resource"]]}
    key = table.primary_key[0]
    for line, row in context.lines[table.name]:
        if row[key] not in referenced:
            yield _problem(
                table, line, key, "fact/unreferenced", row[key],
                f"no row of {target['resource']} has {target['field']} {row[key]}",
            )  # fmt: skip


def _only_when(table: Table, field: Field, markers: Markers, context: Rows) -> Iterator[Problem]:
    condition = markers["onlyWhen"]
    for line, row in context.lines[table.name]:
        if row[field["name"]] and not holds(row, condition):
            shown = ", ".join(f"{name} is {row.get(name)!r}" for name in condition)
            yield _problem(
                table, line, field["name"], "fact/only-when", row[field["name"]],
                f"only rows whose {_condition(condition)} may have one; here {shown}",
            )  # fmt: skip


def _not_when(table: Table, field: Field, markers: Markers, context: Rows) -> Iterator[Problem]:
    condition = markers["notWhen"]
    for line, row in context.lines[table.name]:
        ruled_out = any(row.get(name) in values for name, values in condition.items())
        if row[field["name"]] and ruled_out:
            shown = ", ".join(f"{name} is {row.get(name)!r}" for name in condition)
            yield _problem(
                table, line, field["name"], "fact/not-when", row[field["name"]],
                f"rows whose {_condition(condition, ' or ')} must leave it empty; here {shown}",
            )  # fmt: skip


def _required_when(
    table: Table, field: Field, markers: Markers, context: Rows
) -> Iterator[Problem]:
    condition = markers["requiredWhen"]
    for line, row in context.lines[table.name]:
        if not row[field["name"]] and holds(row, condition):
            shown = ", ".join(f"{name} is {row.get(name)!r}" for name in condition)
            yield _problem(
                table, line, field["name"], "fact/required-when", row[field["name"]],
                f"rows whose {_condition(condition)} need a {field['name']}; here {shown}",
            )  # fmt: skip


def _unique_together(table: Table, key: list[str], context: Rows) -> Iterator[Problem]:
    """The second and later rows holding the values of an earlier row in every field of `key`;
    rows with an empty field in `key` are not compared."""
    ids = table.primary_key
    first: dict[tuple[str, ...], tuple[int, Row]] = {}
    for line, row in context.lines[table.name]:
        values = tuple(name_key(row[name]) for name in key)
        if not all(values):
            continue
        if values not in first:
            first[values] = (line, row)
            continue
        earlier_line, earlier = first[values]
        yield _problem(
            table, line, key[-1], "fact/duplicate-row", row[key[-1]],
            f"{'/'.join(ids)} {record_key(row, ids)} repeats {record_key(earlier, ids)} "
            f"(line {earlier_line}): "
            f"both have {', '.join(f'{name} {row[name]!r}' for name in key)}, ignoring case "
            "and spacing",
        )  # fmt: skip


def _gone_via(table: Table, field: Field, markers: Markers, context: Rows) -> Iterator[Problem]:
    rule, name = markers["goneVia"], field["name"]
    other, pairs = context.pointed(table, name)
    pointed_also = {
        via: {line: target or {} for line, _, target in context.pointed(table, via)[1]}
        for via in rule.get("alsoVia", {})
    }
    since = _gone_since(context, other, rule["gone"])
    dated = source_dates(table, context)
    for line, row, target in pairs:
        if target is None or not holds(row, rule.get("when", {})):
            continue
        if not holds(target, rule["gone"]) or not all(
            holds(pointed_also[via].get(line, {}), condition) and bool(pointed_also[via].get(line))
            for via, condition in rule.get("alsoVia", {}).items()
        ):
            continue
        day = since.get(row[name], "")
        cited = [dated.get(source, "") for source in _cited(table, row)]
        if day and any(_on_or_after(date, day) for date in cited):
            continue
        shown = ", ".join(f"{key} {target.get(key)!r}" for key in rule["gone"])
        here = [f"{key} {row[key]!r}" for key in rule.get("when", {})]
        here += [
            f"{via} {row[via]} has {key} {pointed_also[via][line].get(key)!r}"
            for via, condition in rule.get("alsoVia", {}).items()
            for key in condition
        ]
        yield _problem(
            table, line, name, "fact/withdrawn-partner", row[name],
            f"{other} {row[name]} has {shown} "
            + (f"since {day}" if day else "(its history has no dated event for it)")
            + f", but this row has {' and '.join(here)} and cites no source published "
            + ("since" if day else "after it"),
        )  # fmt: skip


def _gone_since(context: Rows, target: str, gone: Mapping[str, list[str]]) -> dict[str, str]:
    """When each row of `target` became `gone`: the date of its latest event meeting `gone` in
    the table whose historyOf is `target` (none: not known, so no source can be "since")."""
    since: dict[str, str] = {}
    for events in context.tables.values():
        history = events.schema.get("x-ilrs", {}).get("historyOf")
        if not isinstance(history, dict) or history.get("resource") != target:
            continue
        events_of: dict[str, list[str]] = {}
        for _, event in context.lines[events.name]:
            status = {history["field"]: event.get("status", "")}
            if holds(status, gone) and _is_partial_date(event.get("date", "")):
                events_of.setdefault(event[history["key"]], []).append(event["date"])
        for key, dates in events_of.items():
            since[key] = max(dates, key=lambda day: moment(day).last)
    return since


def _is_partial_date(text: str) -> bool:
    """A malformed event date is left to the date rules, which report it."""
    try:
        moment(text)
    except ValueError:
        return False
    return True


def _on_or_after(date: str, day: str) -> bool:
    """Whether `date` may fall on or after `day` (2025 may fall after 2025-04-29); an empty or
    malformed date never does (the date rules report those)."""
    try:
        return bool(date and day) and moment(date).last >= moment(day).first
    except ValueError:
        return False


def source_dates(table: Table, context: Rows) -> dict[str, str]:
    """The publication date of each source the table's sourceList fields may cite."""
    return _of_sources(table, context, lambda target: target.get("datedBy"))


def _of_sources(
    table: Table, context: Rows, field_of: Callable[[Markers], str | None]
) -> dict[str, str]:
    """One field of each source the table's sourceList fields may cite, by source id; which
    field, `field_of` reads from the sourceList marker (None: that list has none)."""
    values: dict[str, str] = {}
    for field in table.schema["fields"]:
        target = field.get("x-ilrs", {}).get("sourceList")
        name = field_of(target) if isinstance(target, dict) else None
        if name and target["resource"] in context.tables:
            for _, source in context.lines[target["resource"]]:
                values[source[target["field"]]] = source.get(name, "")
    return values


def _cited(table: Table, row: Row) -> list[str]:
    return [
        source
        for field in table.schema["fields"]
        if "sourceList" in field.get("x-ilrs", {})
        for source in row[field["name"]].split(";")
        if source
    ]


def _matches(table: Table, field: Field, markers: Markers, context: Rows) -> Iterator[Problem]:
    rule = markers["matches"]
    other, pairs = context.pointed(table, rule["via"])
    for line, row, target in pairs:
        value = row[field["name"]]
        if value and target is not None and target[rule["field"]] != value:
            yield _problem(
                table, line, field["name"], "fact/mismatch", value,
                f"{other} {row[rule['via']]} has {rule['field']} "
                f"{target[rule['field']] or '(empty)'}",
            )  # fmt: skip


def _party_via(table: Table, field: Field, markers: Markers, context: Rows) -> Iterator[Problem]:
    rule = markers["partyVia"]
    lines = context.lines.get(rule["resource"], [])
    parties = {(row[rule["agreement"]], row[rule["party"]]) for _, row in lines}
    key = table.primary_key[0]
    children: dict[str, set[str]] = {}
    parent_field, bodies_in = rule.get("orChildrenBy"), rule.get("childrenIn", table.name)
    if parent_field and bodies_in in context.tables:
        body_key = context.tables[bodies_in].primary_key[0]
        for _, row in context.lines[bodies_in]:
            if row[parent_field]:
                children.setdefault(row[parent_field], set()).add(row[body_key])
    allowed = markers.get("onlyWhen", {})
    for line, row in context.lines[table.name]:
        agreement = row[field["name"]]
        if allowed and not holds(row, allowed):
            continue  # an outsider's joining instrument is wrong for being there (onlyWhen)
        bodies = {row[key], *children.get(row[key], set())}
        if agreement and not any((agreement, body) in parties for body in bodies):
            yield _problem(
                table, line, field["name"], "fact/not-a-party", agreement,
                f"{rule['resource']} lists neither {row[key]} nor one of its bodies for "
                f"{agreement}",
            )  # fmt: skip


def _day_when_past(
    table: Table, field: Field, markers: Markers, context: Rows
) -> Iterator[Problem]:
    condition = markers.get("pastWhen", {})
    for line, row in context.lines[table.name]:
        value = row[field["name"]]
        if condition and holds(row, condition) and len(value) != DAY_CHARS:
            yield _problem(
                table, line, field["name"], "fact/day-unknown", value,
                f"rows whose {_condition(condition)} need the full date",
            )  # fmt: skip


def _requires(table: Table, field: Field, markers: Markers, context: Rows) -> Iterator[Problem]:
    rule = markers["requires"]
    other, pairs = context.pointed(table, rule["via"])
    condition = _past_when(context.tables[other], rule["happened"]) if other else {}
    for line, row, target in pairs:
        if (
            row[field["name"]] in rule["when"]
            and target is not None
            and not holds(target, condition)
        ):
            shown = ", ".join(f"{name} {target.get(name)!r}" for name in condition)
            yield _problem(
                table, line, field["name"], "fact/impossible-status", row[field["name"]],
                f"{other} {row[rule['via']]} has {shown}",
            )  # fmt: skip


def _not_self(table: Table, field: Field, _markers: Markers, context: Rows) -> Iterator[Problem]:
    """A row naming itself, or a loop of rows each naming the next (china under cnsa under
    china): a loop has no top, so none of its bodies belongs to anything. A loop is reported
    once, on its row that comes first in the file."""
    key, name = table.primary_key[0], field["name"]
    lines = {row[key]: (line, row) for line, row in context.lines[table.name]}
    for loop in _loops({row[key]: row[name] for _, row in context.lines[table.name]}):
        line, row = lines[min(loop, key=lambda member: lines[member][0])]
        start = loop.index(row[key])
        path = " -> ".join([*loop[start:], *loop[:start], row[key]])
        note = f"{key} {row[key]} names itself" if len(loop) == 1 else f"a loop of {name}: {path}"
        yield _problem(table, line, name, "fact/self-reference", row[name], note)


def _loops(points: Mapping[str, str]) -> Iterator[list[str]]:
    """Every loop of ids that `points` (id to the id it names) makes, each once, in the order
    it is walked; one pass over the ids, so a long chain costs no more than its length."""
    done: set[str] = set()
    for start in points:
        path: dict[str, int] = {}  # the ids of this walk, by position
        here = start
        while here in points and here not in done and here not in path:
            path[here] = len(path)
            here = points[here]
        if here in path:
            yield list(path)[path[here] :]
        done.update(path)


def _same_via(table: Table, field: Field, markers: Markers, context: Rows) -> Iterator[Problem]:
    via, condition = markers["sameVia"]["via"], markers["sameVia"].get("when", {})
    name = field["name"]
    for line, row, target in context.pointed(table, via)[1]:
        applies = target is not None and holds(row, condition) and row[name] and target.get(name)
        if applies and target is not None and row[name] != target[name]:
            yield _problem(
                table, line, name, "fact/differs-from-parent", row[name],
                f"{row[via]} (its {via}) has {name} {target[name]}",
            )  # fmt: skip


def _value_of(table: Table, field: Field, markers: Markers, context: Rows) -> Iterator[Problem]:
    rule = markers["valueOf"]
    keyed = {name: context.by_key(name) for name in context.tables}
    for line, row in context.lines[table.name]:
        other = context.tables.get(row[rule["table"]])
        held = keyed.get(row[rule["table"]], {}).get(row[rule["record"]])
        if other is None or held is None or row[rule["field"]] not in held:
            continue  # unknown tables, rows and fields are the reference rules' to report
        target_field = next(f for f in other.schema["fields"] if f["name"] == row[rule["field"]])
        if _structured(target_field) and held[row[rule["field"]]] != row[field["name"]]:
            yield _problem(
                table, line, field["name"], "fact/stale-kept-value", row[field["name"]],
                f"{row[rule['table']]} {row[rule['record']]} holds "
                f"{held[row[rule['field']]] or '(empty)'} in {row[rule['field']]}",
            )  # fmt: skip


def _differs_from(table: Table, field: Field, markers: Markers, context: Rows) -> Iterator[Problem]:
    other = markers["differsFrom"]
    for line, row in context.lines[table.name]:
        if row[field["name"]] and row[field["name"]].strip() == row[other].strip():
            yield _problem(
                table, line, field["name"], "fact/no-disagreement", row[field["name"]],
                f"{field['name']} is the same as {other}",
            )  # fmt: skip


def _not_before(table: Table, field: Field, markers: Markers, context: Rows) -> Iterator[Problem]:
    rule, name = markers["notBefore"], field["name"]
    start = moment(str(rule["date"])).first
    for line, row in context.lines[table.name]:
        value = row[name]
        # The last day a value may mean: 2021 is not before 2021-03-09, 2020 is.
        if value and holds(row, rule.get("when", {})) and moment(value).last < start:
            yield _problem(
                table, line, name, "fact/before-history", value,
                f"{value} is before {rule['date']}, {rule['because']}",
            )  # fmt: skip


def _unique_url(table: Table, field: Field, _markers: Markers, context: Rows) -> Iterator[Problem]:
    name, key = field["name"], table.primary_key[0]
    first: dict[str, tuple[int, Row]] = {}
    for line, row in context.lines[table.name]:
        page = page_key(row[name])
        if page not in first:
            first[page] = (line, row)
            continue
        earlier_line, earlier = first[page]
        yield _problem(
            table, line, name, "source/duplicate-url", row[name],
            f"the same page as {key} {earlier[key]} (line {earlier_line}): the URLs differ "
            f"only by {' and '.join(differences(row[name], earlier[name]))}",
        )  # fmt: skip


def _same_entity(table: Table, field: Field, markers: Markers, context: Rows) -> Iterator[Problem]:
    name, alongside = field["name"], markers["sameEntity"]["alongside"]
    lines = context.lines[table.name]
    key = table.primary_key[0]
    for index, earlier, how in one_entity((row[alongside], row[name]) for _, row in lines):
        line, row = lines[index]
        other_line, other = lines[earlier]
        yield _problem(
            table, line, name, "fact/same-entity", row[name],
            f"{key} {other[key]} (line {other_line}) is called {other[name]!r} and has the same "
            f"{alongside} {row[alongside] or '(empty)'}: {how}",
        )  # fmt: skip


def _own_words(table: Table, field: Field, markers: Markers, context: Rows) -> Iterator[Problem]:
    """A cell holding a cited source's title of at least minWords words, ignoring case and
    spacing."""
    name, rule = field["name"], markers["ownWords"]
    titles = _of_sources(table, context, lambda _: str(rule["field"]))
    for line, row in context.lines[table.name]:
        text = name_key(row[name])
        pasted = [
            source
            for source in _cited(table, row)
            if len(name_key(titles.get(source, "")).split()) >= rule["minWords"]
            and name_key(titles[source]) in text
        ]
        if text and pasted:
            yield _problem(
                table, line, name, "fact/pasted-title", row[name],
                f"it holds the {rule['field']} of {pasted[0]}, which the row cites: "
                f"{titles[pasted[0]]!r}",
            )  # fmt: skip


def _past_when(table: Table, name: str) -> Mapping[str, list[str]]:
    field = next(f for f in table.schema["fields"] if f["name"] == name)
    condition: Mapping[str, list[str]] = field.get("x-ilrs", {}).get("pastWhen", {})
    return condition


def _structured(field: Mapping[str, Any]) -> bool:
    """Fields whose values are codes, so a kept value must equal the cell exactly."""
    constraints = field.get("constraints", {})
    markers = field.get("x-ilrs", {})
    return (
        field.get("type") == "date"
        or "enum" in constraints
        or "pattern" in constraints
        or bool(markers.get("partialDate"))
    )


def _condition(condition: Mapping[str, list[str]], joined: str = " and ") -> str:
    return joined.join(
        f"{name} is one of {', '.join(values)}" for name, values in condition.items()
    )


FIELD_CHECKS: dict[str, Callable[[Table, Field, Markers, Rows], Iterator[Problem]]] = {
    "onlyWhen": _only_when,
    "notWhen": _not_when,
    "requiredWhen": _required_when,
    "goneVia": _gone_via,
    "matches": _matches,
    "partyVia": _party_via,
    "dayWhenPast": _day_when_past,
    "requires": _requires,
    "notSelf": _not_self,
    "sameVia": _same_via,
    "valueOf": _value_of,
    "differsFrom": _differs_from,
    "notBefore": _not_before,
    "uniqueUrl": _unique_url,
    "sameEntity": _same_entity,
    "ownWords": _own_words,
}
