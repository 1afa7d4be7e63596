"""One page per table: its fields in words, then every row, filterable and sortable.

All rows are written into the page (table.js only hides and reorders them), so the page shows
the whole table without a server. References become links: a foreign key to the row it names,
each cited source to its row of the sources table, a URL to the page it names.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from html import escape
from typing import Any

import pandas as pd

from ilrs_pipeline.render.schema_words import field_rules, is_required, table_rules, type_words
from ilrs_pipeline.render.words import as_text
from ilrs_pipeline.site.html import inline_code

Resource = dict[str, Any]
CellRenderer = Callable[[str, pd.Series], str]
LONG_TEXT = 60  # mean characters above which a column gets room to be read as prose


def row_key(frame: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Each row's primary key as text, several fields joined by '/' (as discrepancies cite them)."""
    return as_texts(frame[keys]).agg("/".join, axis=1)


def as_texts(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.apply(as_text).fillna("")


def primary_key(resource: Resource) -> list[str]:
    key = resource["schema"].get("primaryKey", [])
    return key if isinstance(key, list) else [key]


def row_link(table: str, key: str) -> str:
    return f'<a href="{escape(table)}.html#{escape(key)}">{escape(key)}</a>'


def renderers(resource: Resource, descriptor: dict[str, Any]) -> dict[str, CellRenderer]:
    """How to write each field that refers to something else, keyed by field name."""
    schema = resource["schema"]
    keyed_by = {r["name"]: primary_key(r) for r in descriptor["resources"]}
    found: dict[str, CellRenderer] = {}
    for key in schema.get("foreignKeys", []):
        target = key["reference"].get("resource") or resource["name"]
        if [key["reference"]["fields"]] == keyed_by.get(target) and isinstance(key["fields"], str):
            found[key["fields"]] = partial(_linked, target=target)
    for field in schema["fields"]:
        markers = field.get("x-ilrs", {})
        if "sourceList" in markers:
            sources = markers["sourceList"]["resource"]
            found[field["name"]] = partial(_linked_list, target=sources)
        elif markers.get("httpsUrl"):
            found[field["name"]] = _external_link
        elif "recordIn" in markers:
            column = markers["recordIn"]
            found[field["name"]] = partial(_linked_by_column, column=column)
    return found


def _external_link(value: str, _row: pd.Series) -> str:
    return f'<a href="{escape(value)}" rel="noopener noreferrer">{escape(value)}</a>'


def _linked(value: str, _row: pd.Series, target: str) -> str:
    return row_link(target, value)


def _linked_list(value: str, _row: pd.Series, target: str) -> str:
    return " ".join(row_link(target, part) for part in value.split(";"))


def _linked_by_column(value: str, row: pd.Series, column: str) -> str:
    return row_link(str(row[column]), value)


def field_row(field: dict[str, Any], schema: dict[str, Any], table: str) -> str:
    rules = "<br>".join(inline_code(rule) for rule in field_rules(field, schema, table))
    return (
        f'<tr><th scope="row"><code>{escape(field["name"])}</code></th>'
        f"<td>{escape(type_words(field))}</td><td>{'yes' if is_required(field) else 'no'}</td>"
        f"<td>{inline_code(field.get('description', ''))}</td>"
        f'<td class="rules">{rules}</td></tr>'
    )


def fields_section(resource: Resource) -> str:
    """The table's fields in words, collapsed by default."""
    schema = resource["schema"]
    rows = "\n".join(field_row(field, schema, resource["name"]) for field in schema["fields"])
    notes = "".join(f"<li>{inline_code(rule)}</li>" for rule in table_rules(schema))
    return (
        f'<details class="fields"><summary>The {len(schema["fields"])} fields of this table'
        f"</summary>\n<ul>{notes}</ul>\n"
        '<div class="scroll-x"><table class="schema"><thead><tr><th>Field</th><th>Type</th>'
        "<th>Required</th><th>Description</th><th>Rules</th></tr></thead>\n"
        f"<tbody>\n{rows}\n</tbody></table></div></details>"
    )


def controls(resource: Resource, texts: pd.DataFrame) -> str:
    """A text filter plus one drop-down per field with a closed list of values."""
    selects = []
    for index, field in enumerate(resource["schema"]["fields"]):
        enum = field.get("constraints", {}).get("enum")
        if not enum:
            continue
        counts = texts[field["name"]].value_counts()
        options = "".join(
            f'<option value="{escape(v)}">{escape(v)} ({counts[v]})</option>'
            for v in enum
            if v in counts
        )
        selects.append(
            f'<label>{escape(field["name"])}<select data-column="{index}">'
            f'<option value="">all</option>{options}</select></label>'
        )
    return (
        '<div class="controls" role="search">'
        '<label>Filter rows<input type="search" id="filter" placeholder="Any word, name or id"'
        ' autocomplete="off"></label>'
        + "".join(selects)
        + '<button type="button" id="reset" hidden>Clear filters</button></div>'
    )


def data_table(resource: Resource, frame: pd.DataFrame, descriptor: dict[str, Any]) -> str:
    fields = [f["name"] for f in resource["schema"]["fields"]]
    texts = as_texts(frame[fields])
    special = renderers(resource, descriptor)
    # Mean length as a float: an empty table's mean is NaN, which is not long.
    long = {name for name in fields if texts[name].str.len().astype(float).mean() > LONG_TEXT}
    keys = row_key(frame, primary_key(resource)) if primary_key(resource) else None
    head = "".join(
        f'<th scope="col"><button type="button">{escape(n)}</button></th>' for n in fields
    )
    body = []
    for index, row in texts.iterrows():
        cells = []
        for name in fields:
            value = row[name]
            shown = special[name](value, row) if value and name in special else escape(value)
            cells.append(f'<td class="long">{shown}</td>' if name in long else f"<td>{shown}</td>")
        anchor = f' id="{escape(keys[index])}"' if keys is not None else ""
        body.append(f"<tr{anchor}>{''.join(cells)}</tr>")
    return (
        f'<div class="table-wrap"><table class="data" id="table-{escape(resource["name"])}">'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody></table></div>"
    )


def table_body(resource: Resource, frame: pd.DataFrame, descriptor: dict[str, Any]) -> str:
    """The main content of a table page."""
    name = resource["name"]
    texts = as_texts(frame)
    return "\n".join(
        [
            f"<h1>{escape(str(resource.get('title', name)))}</h1>",
            f'<p class="lede">{inline_code(resource.get("description", ""))}</p>',
            f'<p class="small muted">{len(frame)} rows · table <code>{escape(name)}</code> · '
            f'<a href="data/{escape(name)}.csv" download>Download this table as CSV</a> · '
            '<a href="downloads.html">the whole release</a></p>',
            fields_section(resource),
            controls(resource, texts),
            f'<p id="row-count" aria-live="polite">Showing {len(frame)} of {len(frame)} rows</p>',
            data_table(resource, frame, descriptor),
        ]
    )
