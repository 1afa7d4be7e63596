"""The words a visitor reads for fields and values, and which columns come first, all from the
schemas: a field's label from its name, an enum value's title from the schema, the order of
columns from the fields' markers (a unique name, the status a history follows, the dates).
"""

from __future__ import annotations

from html import escape
from typing import Any

from ilrs_pipeline.model.dates import moment
from ilrs_pipeline.render.words import capitalized

Field = dict[str, Any]
Resource = dict[str, Any]

# The field a visitor reads as the row's name, for tables whose schema marks none `uniqueName`.
NAMED_BY = {"sources": "title", "mission_payloads": "instrument"}
STATUS = "status"  # the usual name of a table's status field, when no history names it
PRECISION_WORDS = {"year": "year known", "month": "month known", "day": ""}


def field_label(field: Field) -> str:
    """A field's name as a heading: joined_agreement_id -> Joined agreement id."""
    return capitalized(str(field["name"]))


def enum_title(field: Field, value: str) -> str:
    """The title the schema gives an enum value (Table Schema `categories` labels), else the value
    as a phrase: payload_contributor -> Payload contributor."""
    for category in field.get("categories", []):
        if isinstance(category, dict) and category.get("value") == value and "label" in category:
            return str(category["label"])
    return capitalized(value)


def is_enum(field: Field) -> bool:
    return bool(field.get("constraints", {}).get("enum"))


def is_date(field: Field) -> bool:
    return field.get("type") == "date" or bool(field.get("x-ilrs", {}).get("partialDate"))


def status_fields(descriptor: dict[str, Any]) -> dict[str, str]:
    """Per table, its status: the enum field whose history another table keeps (x-ilrs
    historyOf, e.g. partners -> status), else an enum field named STATUS."""
    found: dict[str, str] = {}
    for resource in descriptor["resources"]:
        history = resource["schema"].get("x-ilrs", {}).get("historyOf")
        if history:
            found[history["resource"]] = history["field"]
    for resource in descriptor["resources"]:
        fields = resource["schema"]["fields"]
        if any(f["name"] == STATUS and is_enum(f) for f in fields):
            found.setdefault(resource["name"], STATUS)
    return found


def name_field(resource: Resource) -> str | None:
    """The field that names a row: the one marked uniqueName, else NAMED_BY's, else none."""
    for field in resource["schema"]["fields"]:
        if field.get("x-ilrs", {}).get("uniqueName"):
            return str(field["name"])
    return NAMED_BY.get(resource["name"])


def reading_order(resource: Resource, descriptor: dict[str, Any]) -> list[Field]:
    """The fields in the order people read them: name, status, dates, then the rest as the
    schema lists them (the id among them)."""
    fields: list[Field] = resource["schema"]["fields"]
    name = name_field(resource)
    status = status_fields(descriptor).get(resource["name"])
    lead = [f for f in fields if f["name"] == name]
    lead += [f for f in fields if f["name"] == status]
    lead += [f for f in fields if is_date(f) and f not in lead]
    return lead + [f for f in fields if f not in lead]


def date_html(text: str) -> str:
    """A partial date as a reader writes it, with its precision said when it is not a day:
    '2023' reads 'year known', so no month or day is suggested that the data does not have."""
    when = moment(text)
    note = PRECISION_WORDS[when.precision]
    shown = f'<time datetime="{escape(text)}">{escape(when.human())}</time>'
    return shown + (f' <span class="precision">({note})</span>' if note else "")
