"""Rules that join tables: cited sources exist, are cited once per row and include a dated one,
every source is cited, and discrepancies name rows and fields that exist.

Vectorised with pyarrow and numpy: great-expectations has no cross-table expectation, its
set-membership expectations slow down badly once the set is as large as a table, and pandas'
own string isin and groupby loop in Python on these columns.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ilrs_pipeline.model.keys import TEXT, as_numpy, joined, key_text
from ilrs_pipeline.validate.files import arrow
from ilrs_pipeline.validate.problems import Problem, shorten

if TYPE_CHECKING:
    import pandas as pd

    from ilrs_pipeline.validate.files import Table

# Joins a table name and a value into one string key; no cell can hold it (tables.py reads no
# file with a NUL byte).
PAIR_SEPARATOR = "\x00"
PAIR_MESSAGES = {
    "reference/unknown-record": "no row of the table named in {} has this key",
    "reference/unknown-field": "the table named in {} has no such field",
}


@dataclass(frozen=True)
class Citations:
    """Every id listed in a ';'-separated column, with the position of the row that lists it."""

    ids: pa.Array
    rows: np.ndarray
    row_count: int

    def per_row(self, mask: np.ndarray) -> np.ndarray:
        """How many of each row's ids `mask` selects."""
        return np.bincount(self.rows[mask], minlength=self.row_count)


def check_references(tables: list[Table], complete: bool) -> list[Problem]:
    """Every cross-table rule the schemas declare; `complete` says every table could be read,
    without which a source cannot be called uncited."""
    by_name = {table.name: table for table in tables}
    problems: list[Problem] = []
    cited: dict[tuple[str, str], list[pa.Array]] = {}
    for table in tables:
        for field in table.schema["fields"]:
            markers = field.get("x-ilrs", {})
            name = field["name"]
            if "sourceList" in markers:
                target = markers["sourceList"]
                citations = split_ids(table.rows[name])
                cited.setdefault((target["resource"], target["field"]), []).append(citations.ids)
                problems.extend(_repeated(table, name, citations))
                sources = by_name.get(target["resource"])
                if sources is not None:
                    problems.extend(_citations(table, name, citations, sources, target))
            if "recordIn" in markers:
                keys = {
                    other.name: key_text(other, other.primary_key) for other in by_name.values()
                }
                problems.extend(
                    _unknown_pairs(
                        table, name, markers["recordIn"], keys, "reference/unknown-record"
                    )
                )
            if "fieldIn" in markers:
                fields = {other.name: pa.array(other.field_names) for other in by_name.values()}
                problems.extend(
                    _unknown_pairs(
                        table, name, markers["fieldIn"], fields, "reference/unknown-field"
                    )
                )
    if complete:
        for (resource, field), ids in cited.items():
            if resource in by_name:
                problems.extend(_uncited(by_name[resource], field, pa.concat_arrays(ids)))
    return problems


def split_ids(cells: pd.Series) -> Citations:
    """The ids of a ';'-separated list column (empty cells list none)."""
    lists = pc.split_pattern(arrow(cells), ";")
    ids = pc.list_flatten(lists)
    rows = pc.list_parent_indices(lists).to_numpy()
    listed = pc.not_equal(ids, "")
    return Citations(ids.filter(listed), rows[as_numpy(listed)], len(cells))


def _repeated(table: Table, name: str, citations: Citations) -> Iterator[Problem]:
    """Ids listed twice in a cell: each (row, id) pair as one number; sorted, twins sit together."""
    encoded = citations.ids.dictionary_encode()
    codes = encoded.indices.to_numpy().astype(np.int64)
    distinct = max(len(encoded.dictionary), 1)
    pairs = np.sort(citations.rows.astype(np.int64) * distinct + codes)
    for pair in np.unique(pairs[1:][pairs[1:] == pairs[:-1]]).tolist():
        source_id = encoded.dictionary[pair % distinct].as_py()
        yield Problem(
            table.file,
            _line(table, pair // distinct),
            name,
            "source/repeated-id",
            shorten(source_id),
            f"{source_id} is listed more than once",
        )


def _citations(
    table: Table, name: str, citations: Citations, sources: Table, target: dict[str, Any]
) -> Iterator[Problem]:
    # Where each cited id sits in the sources table (-1: nowhere), one hash lookup per id.
    position = pc.index_in(citations.ids, value_set=arrow(sources.rows[target["field"]]))
    position = as_numpy(pc.fill_null(position, -1))
    known = position >= 0
    unknown_ids = citations.ids.filter(pa.array(~known)).to_pylist()
    by_row: dict[int, list[str]] = {}
    for row, source_id in zip(citations.rows[~known].tolist(), unknown_ids, strict=True):
        by_row.setdefault(row, []).append(source_id)
    for row, listed in by_row.items():
        text = ";".join(listed)
        yield Problem(
            table.file,
            _line(table, row),
            name,
            "source/unknown-id",
            shorten(text),
            f"{sources.file} has no {target['field']} {text}",
        )
    dated_by = target.get("datedBy")
    if dated_by:
        dated = as_numpy(pc.not_equal(arrow(sources.rows[dated_by]), ""))
        has_dated = citations.per_row(known & dated[np.maximum(position, 0)]) > 0
        all_known = citations.per_row(~known) == 0
        cites = citations.per_row(np.ones(len(known), dtype=bool)) > 0
        for row in np.flatnonzero(cites & all_known & ~has_dated).tolist():
            yield Problem(
                table.file,
                _line(table, row),
                name,
                "source/undated-only",
                shorten(table.rows[name].iloc[row]),
                f"no cited source has a {dated_by}; cite at least one dated source",
            )


def _uncited(sources: Table, field: str, cited: pa.Array) -> Iterator[Problem]:
    ids = arrow(sources.rows[field])
    uncited = ~as_numpy(pc.is_in(ids, value_set=pc.unique(cited))) & as_numpy(pc.not_equal(ids, ""))
    for row in np.flatnonzero(uncited).tolist():
        yield Problem(
            sources.file,
            _line(sources, row),
            field,
            "source/uncited",
            shorten(ids[row].as_py()),
            "no row of any table cites this source",
        )


def _unknown_pairs(
    table: Table, name: str, table_field: str, known: dict[str, pa.Array], rule: str
) -> Iterator[Problem]:
    """Rows whose value is not among those `known` for the table their `table_field` names;
    rows naming a table that could not be read, or none, are left to other rules."""
    named = arrow(table.rows[table_field]).cast(TEXT)
    values = arrow(table.rows[name]).cast(TEXT)
    known_pairs = pa.concat_arrays(
        [
            joined(pa.array([other] * len(keys), type=TEXT), keys, separator=PAIR_SEPARATOR)
            for other, keys in known.items()
        ]
    )
    checked = as_numpy(pc.is_in(named, value_set=pa.array(list(known), type=TEXT)))
    checked &= as_numpy(pc.not_equal(values, ""))
    pairs = joined(named, values, separator=PAIR_SEPARATOR)
    missing = checked & ~as_numpy(pc.is_in(pairs, value_set=known_pairs))
    for row in np.flatnonzero(missing).tolist():
        yield Problem(
            table.file,
            _line(table, row),
            name,
            rule,
            shorten(values[row].as_py()),
            PAIR_MESSAGES[rule].format(table_field),
        )


def _line(table: Table, row: int) -> int:
    return int(table.rows.index[row])
