"""Check the schemas' "x-ilrs" markers, which switch the semantic rules on.

A misspelt marker or one naming a field that does not exist would silently switch a rule off;
reading them here first also lets the checks trust their shape.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from ilrs_pipeline.model.dates import PARTIAL_DATE

Schema = dict[str, Any]

FLAGS = ("partialDate", "past", "uniqueName", "httpsUrl", "countryCode", "languageCode")
DATES = ("earliest", "latest")
COLUMNS = ("recordIn", "fieldIn")
DATE_MARKERS = ("past", "pastWhen", "notBefore", "afterHappened", *DATES)
# Markers of the fact rules (validate/facts.py), whose shape that module reads.
FACT_MARKERS = {"onlyWhen", "notWhen", "matches", "partyVia", "dayWhenPast", "requires", "notSelf"}
FACT_MARKERS |= {"goneVia", "requiredWhen"}
FACT_MARKERS |= {"sameVia", "valueOf", "differsFrom", "notBefore", "uniqueUrl", "sameEntity"}
FACT_MARKERS |= {"ownWords"}
# Markers that tell the renderers what values mean (render/events.py), checked here only.
MEANING_MARKERS = {"phases"}
# Named sets of a field's values ({"launched": [...]}), which conditions name instead of
# listing the values again: {"status": "launched"}.
SET_MARKERS = {"sets"}
FIELD_MARKERS = {*FLAGS, *DATES, *COLUMNS, "pastWhen", "afterHappened", "sourceList"}
FIELD_MARKERS |= FACT_MARKERS
FIELD_MARKERS |= MEANING_MARKERS | SET_MARKERS
# Where a field's markers hold conditions on fields of its own table (marker, then key).
CONDITIONS: tuple[tuple[str, ...], ...] = (("pastWhen",), ("onlyWhen",), ("notWhen",))
CONDITIONS += (("requiredWhen",),)
CONDITIONS += (("notBefore", "when"), ("sameVia", "when"), ("goneVia", "when"))
TABLE_MARKERS = {"dateOrder", "claims", "claimsIn", "historyOf", "referencedBy", "uniqueTogether"}


def marker_notes(schema: Schema, schemas: dict[str, Schema]) -> list[str]:
    """What is wrong with one schema's markers; `schemas` (by resource name) resolves sourceList."""
    own = {field["name"]: field for field in schema["fields"]}
    table_markers = schema.get("x-ilrs", {})
    notes = [
        f"unknown x-ilrs marker {name!r}" for name in table_markers if name not in TABLE_MARKERS
    ]
    pairs = table_markers.get("dateOrder", [])
    if not isinstance(pairs, list):
        return [*notes, "dateOrder must be a list of [start, end] field pairs"]
    for pair in pairs:
        if not (isinstance(pair, list) and len(pair) == 2 and all(_is_date(own, n) for n in pair)):
            notes.append(f"dateOrder {pair!r} must name two date fields")
    notes.extend(_unique_together_notes(table_markers.get("uniqueTogether", []), own))
    for field in schema["fields"]:
        notes.extend(f"field {field['name']!r}: {note}" for note in _set_notes(field, own))
    if notes:
        return notes
    schema = resolve_sets(schema)
    own = {field["name"]: field for field in schema["fields"]}
    for field in schema["fields"]:
        notes.extend(
            f"field {field['name']!r}: {note}" for note in _field_notes(field, own, schemas)
        )
    return notes


def resolve_sets(schema: Schema) -> Schema:
    """The schema with every condition's set names replaced by the values they stand for, as
    the rules read them: {"status": "launched"} becomes {"status": ["launched", ...]}. A name
    no field declares is left as it is (marker_notes reports it)."""
    resolved = copy.deepcopy(schema)
    sets = {field["name"]: field.get("x-ilrs", {}).get("sets", {}) for field in resolved["fields"]}
    for field in resolved["fields"]:
        for condition in _conditions(field):
            for name, values in condition.items():
                declared = sets.get(name)
                if isinstance(values, str) and isinstance(declared, dict) and values in declared:
                    condition[name] = list(declared[values])
    return resolved


def _conditions(field: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for path in CONDITIONS:
        here: Any = field.get("x-ilrs", {})
        for step in path:
            here = here.get(step) if isinstance(here, dict) else None
        if isinstance(here, dict):
            found.append(here)
    return found


def _set_notes(field: dict[str, Any], own: dict[str, Any]) -> list[str]:
    """The `sets` marker names lists of the field's enum values; a condition naming a set
    (a string in place of a list) names one its field declares."""
    sets = field.get("x-ilrs", {}).get("sets", {})
    if not isinstance(sets, dict) or not all(
        isinstance(name, str) and _are_enum_values(values, field) for name, values in sets.items()
    ):
        return ["sets must map names to lists of values of this field's enum"]
    notes = []
    for condition in _conditions(field):
        for name, values in condition.items():
            declared = (own.get(name, {}).get("x-ilrs", {})).get("sets", {})
            if isinstance(values, str) and (
                not isinstance(declared, dict) or values not in declared
            ):
                notes.append(
                    f"the condition on {name!r} names the set {values!r}, which field {name!r} "
                    "does not declare (add it to that field's x-ilrs sets, or list the values)"
                )
    return notes


def _field_notes(
    field: dict[str, Any], own: dict[str, Any], schemas: dict[str, Schema]
) -> list[str]:
    markers = field.get("x-ilrs", {})
    notes = [f"unknown x-ilrs marker {name!r}" for name in markers if name not in FIELD_MARKERS]
    on_dates = [name for name in DATE_MARKERS if name in markers]
    if on_dates and not _is_date(own, field["name"]):
        notes.append(f"{', '.join(on_dates)}: only for date fields (type date or partialDate)")
    notes.extend(
        f"{name} must be true or false"
        for name in FLAGS
        if not isinstance(markers.get(name, False), bool)
    )
    notes.extend(
        f"{name} must be a date such as 1957 or 1957-10-04"
        for name in DATES
        if name in markers and not re.fullmatch(PARTIAL_DATE, str(markers[name]))
    )
    notes.extend(
        f"{name} must name a field of this table"
        for name in COLUMNS
        if name in markers and markers[name] not in own
    )
    condition = markers.get("pastWhen", {})
    if not (
        isinstance(condition, dict)
        and all(name in own and isinstance(values, list) for name, values in condition.items())
    ):
        notes.append("pastWhen must map fields of this table to lists of values")
    notes.extend(
        f"{name} must map fields of this table to lists of values of their enums"
        for name in ("onlyWhen", "notWhen", "requiredWhen")
        if name in markers and not _is_enum_condition(markers[name], own)
    )
    after = markers.get("afterHappened", [])
    if not (isinstance(after, list) and all(_is_date(own, name) for name in after)):
        notes.append("afterHappened must list date fields of this table")
    if "goneVia" in markers and not _is_gone_via(markers["goneVia"], own):
        notes.append(
            "goneVia must give 'gone', mapping fields of the table this field points at to "
            "lists of values, and optionally 'when' (fields of this table) and 'alsoVia' (fields "
            "of this table to such conditions)"
        )
    if "partyVia" in markers and not _names_bodies(markers["partyVia"], own, schemas):
        notes.append(
            "partyVia's orChildrenBy must name a field of this table, or of the resource "
            "childrenIn names"
        )
    if "phases" in markers and not _are_enum_values(markers["phases"], field):
        notes.append("phases must list values of this field's enum")
    if "sourceList" in markers and not _names_source(markers["sourceList"], schemas):
        notes.append("sourceList must name a resource and its id (and datedBy) fields")
    if "notBefore" in markers and not _is_history_start(markers["notBefore"], own):
        notes.append(
            "notBefore must give a date such as 2021-03-09, a 'because' sentence, and "
            "optionally 'when', mapping fields of this table to lists of values"
        )
    alongside = markers.get("sameEntity", {"alongside": next(iter(own))})
    if not (isinstance(alongside, dict) and alongside.get("alongside") in own):
        notes.append("sameEntity must name, as 'alongside', a field of this table")
    if "ownWords" in markers and not _names_source_field(markers["ownWords"], own, schemas):
        notes.append(
            "ownWords must give 'field', a field of the sources this table's sourceList cites, "
            "and 'minWords', a whole number"
        )
    if not isinstance(markers.get("uniqueUrl", False), bool):
        notes.append("uniqueUrl must be true or false")
    return notes


def _is_history_start(rule: Any, own: dict[str, Any]) -> bool:
    """notBefore: {"date": a partial date, "because": why, "when": an optional condition}."""
    if not isinstance(rule, dict):
        return False
    condition = rule.get("when", {})
    return (
        re.fullmatch(PARTIAL_DATE, str(rule.get("date", ""))) is not None
        and isinstance(rule.get("because"), str)
        and isinstance(condition, dict)
        and all(name in own and isinstance(values, list) for name, values in condition.items())
    )


def _names_source(target: Any, schemas: dict[str, Schema]) -> bool:
    if not isinstance(target, dict) or target.get("resource") not in schemas:
        return False
    fields = {field["name"] for field in schemas[target["resource"]]["fields"]}
    return target.get("field") in fields and target.get("datedBy", target.get("field")) in fields


def _names_bodies(rule: Any, own: dict[str, Any], schemas: dict[str, Schema]) -> bool:
    """partyVia: its orChildrenBy, if given, is a field of the table childrenIn names (this
    table by default)."""
    if not isinstance(rule, dict) or "orChildrenBy" not in rule:
        return isinstance(rule, dict) and "childrenIn" not in rule
    if "childrenIn" not in rule:
        return rule["orChildrenBy"] in own
    bodies = schemas.get(rule["childrenIn"]) if isinstance(rule["childrenIn"], str) else None
    return bodies is not None and rule["orChildrenBy"] in {f["name"] for f in bodies["fields"]}


def _names_source_field(rule: Any, own: dict[str, Any], schemas: dict[str, Schema]) -> bool:
    """ownWords: {"field": a field of the resource a sourceList of this table names (a source's
    title), "minWords": a whole number}."""
    if not isinstance(rule, dict) or type(rule.get("minWords")) is not int:
        return False
    name = rule.get("field")
    targets = [field.get("x-ilrs", {}).get("sourceList") for field in own.values()]
    return any(
        isinstance(target, dict)
        and target.get("resource") in schemas
        and name in {field["name"] for field in schemas[target["resource"]]["fields"]}
        for target in targets
    )


def _is_date(own: dict[str, Any], name: Any) -> bool:
    field = own.get(name) if isinstance(name, str) else None
    return field is not None and (
        field.get("type") == "date" or field.get("x-ilrs", {}).get("partialDate") is True
    )


def _are_enum_values(values: object, field: dict[str, Any]) -> bool:
    enum = (field.get("constraints") or {}).get("enum") or []
    return isinstance(values, list) and bool(values) and all(value in enum for value in values)


def _is_enum_condition(condition: Any, own: dict[str, Any]) -> bool:
    """onlyWhen, notWhen, requiredWhen: {field of this table: [values of its enum]}, at least one
    field."""
    return (
        isinstance(condition, dict)
        and bool(condition)
        and all(
            name in own and _are_enum_values(values, own[name])
            for name, values in condition.items()
        )
    )


def _unique_together_notes(keys: Any, own: dict[str, Any]) -> list[str]:
    """uniqueTogether: a list of keys, each a list of two or more fields of this table."""
    shape = "uniqueTogether must be a list of lists of two or more fields of this table"
    if not isinstance(keys, list):
        return [shape]
    return [
        f"uniqueTogether {key!r} must list two or more fields of this table"
        for key in keys
        if not (
            isinstance(key, list)
            and len(key) > 1  # one field alone is Table Schema's own `unique`
            and all(isinstance(name, str) and name in own for name in key)
        )
    ]


def _is_gone_via(rule: Any, own: dict[str, Any]) -> bool:
    """goneVia: {"gone": condition, "when": condition, "alsoVia": {field: condition}}."""

    def is_condition(condition: Any) -> bool:
        return isinstance(condition, dict) and all(
            isinstance(name, str) and isinstance(values, list) for name, values in condition.items()
        )

    if not isinstance(rule, dict) or not rule.get("gone") or not is_condition(rule["gone"]):
        return False
    when, also = rule.get("when", {}), rule.get("alsoVia", {})
    return (
        is_condition(when)
        and all(name in own for name in when)
        and isinstance(also, dict)
        and all(name in own and is_condition(condition) for name, condition in also.items())
    )
