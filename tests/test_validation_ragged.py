"""Ragged rows say why, in terms of their fields; a bulk breakage is explained only as far as
the report lists it, so 200,000 broken rows cost no more than 1,000."""

from __future__ import annotations

import json

from ilrs_pipeline.validate import files
from ilrs_pipeline.validate.ragged import explain_rows

SOURCE_LIST = "^[a-z0-9-]+(;[a-z0-9-]+)*$"
FIELDS = [
    {"name": "id", "constraints": {"required": True, "pattern": "^[a-z0-9-]+$"}},
    {"name": "kind", "constraints": {"enum": ["mou", "agreement"]}},
    {"name": "place"},
    {"name": "notes"},
    {
        "name": "source_ids",
        "constraints": {"required": True, "pattern": "^[a-z0-9-]+(;[a-z0-9-]+)*$"},
    },
]


def test_two_cells_that_could_each_hold_the_comma_are_both_named():
    """place and notes are free text: either could be the unquoted one."""
    cells = ["x", "mou", "Saint Petersburg", " Russia", "signed there", "tass-2019"]
    message = explain_rows({0: cells}, FIELDS, [2])[0]
    assert message.startswith("the row has 6 cells, the header has 5: ")
    assert "in one of: place, notes" in message


def test_a_row_that_no_single_join_repairs_is_only_counted():
    cells = ["x", "treaty", "a", "b", "c", "tass-2019"]  # 'treaty' is outside the enum
    assert explain_rows({0: cells}, FIELDS, [2]) == {0: "the row has 6 cells, the header has 5"}


def test_only_the_rows_the_report_lists_are_explained(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_LISTED", 2)
    rows = [f"r{i},mou,Saint Petersburg, Russia,,tass-2019" for i in range(6)]
    (tmp_path / "t.csv").write_text("id,kind,place,notes,source_ids\n" + "\n".join(rows) + "\n")
    resource = {"name": "t", "path": "t.csv", "schema": {"fields": FIELDS}}
    table, problems = files.read_table(tmp_path, json.loads(json.dumps(resource)))
    assert table is None
    assert [p.line for p in problems] == [2, 3, 4, 5, 6, 7]
    assert all("in one of: place, notes" in p.message for p in problems[:3])
    assert [p.message for p in problems[3:]] == ["the row has 6 cells, the header has 5"] * 3
