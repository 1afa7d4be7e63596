"""`ilrs diff [BASE_REF]`: the rows added, removed and changed since a git ref.

Rows are matched by primary key and printed as Markdown a reviewer can read in a pull request:
per table the new and deleted rows, and for changed rows each field as old → new. The base
version of every file is read with `git show BASE_REF:path`; a table new since then is all added.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DESCRIPTOR_NAME = "datapackage.json"
MAX_CELL_CHARS = 80
Reader = Callable[[str], str | None]
Row = dict[str, str]


@dataclass(frozen=True)
class Layout:
    """What the diff needs of a table: its file, key and columns."""

    path: str
    key: list[str]
    fields: list[str]


@dataclass
class TableDiff:
    name: str
    key: list[str]
    fields: list[str]
    added: list[Row] = field(default_factory=list)
    removed: list[Row] = field(default_factory=list)
    changed: list[tuple[str, str, str, str]] = field(default_factory=list)  # key, field, old, new
    note: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.note)


def diff_package(root: Path, ref: str) -> list[TableDiff]:
    """Every table of the working tree or of `ref`, compared row by row by primary key."""

    def base(path: str) -> str | None:
        return git_show(root, ref, path)

    def current(path: str) -> str | None:
        file = root / path
        return file.read_text(encoding="utf-8", errors="replace") if file.is_file() else None

    now, then = layouts(current), layouts(base)
    return [
        diff_table(name, now.get(name), then.get(name), current, base)
        for name in [*now, *(name for name in then if name not in now)]
    ]


def git_show(root: Path, ref: str, path: str) -> str | None:
    """The file at `ref`, or None if it did not exist there."""
    result = subprocess.run(
        ["git", "show", f"{ref}:{path}"], cwd=root, capture_output=True, check=False
    )
    return result.stdout.decode("utf-8", errors="replace") if result.returncode == 0 else None


def layouts(read: Reader) -> dict[str, Layout]:
    """Each resource's file, key and fields, from a descriptor and its schemas (empty if the
    descriptor cannot be read: the validator reports why)."""
    try:
        descriptor = json.loads(read(DESCRIPTOR_NAME) or "{}")
        found = {}
        for resource in descriptor.get("resources", []):
            schema = resource["schema"]
            if isinstance(schema, str):
                schema = json.loads(read(schema) or "{}")
            key = schema.get("primaryKey") or []
            found[resource["name"]] = Layout(
                path=resource["path"],
                key=[key] if isinstance(key, str) else list(key),
                fields=[item["name"] for item in schema.get("fields", [])],
            )
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}
    return found


def diff_table(
    name: str, now: Layout | None, then: Layout | None, current: Reader, base: Reader
) -> TableDiff:
    layout = now or then
    assert layout is not None  # the name came from one of the two
    result = TableDiff(name, layout.key, layout.fields)
    new_rows = rows_by_key(current(now.path), layout.key) if now else {}
    old_rows = rows_by_key(base(then.path), layout.key) if then else {}
    if new_rows is None or old_rows is None:
        result.note = "a version of this table cannot be read as CSV; run `nox -s validate`"
        return result
    if then is None:
        result.note = "new table since the base"
    elif now is None:
        result.note = "table removed since the base"
    result.added = [row for key, row in new_rows.items() if key not in old_rows]
    result.removed = [row for key, row in old_rows.items() if key not in new_rows]
    for key, row in new_rows.items():
        old = old_rows.get(key)
        if old is not None and old != row:
            for column in dict.fromkeys([*row, *old]):
                if row.get(column, "") != old.get(column, ""):
                    result.changed.append(
                        ("/".join(key), column, old.get(column, ""), row.get(column, ""))
                    )
    return result


def rows_by_key(text: str | None, key: list[str]) -> dict[tuple[str, ...], Row] | None:
    """The table's rows by primary key ({} for no file, None for a file that is not CSV)."""
    if text is None:
        return {}
    try:
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
    except csv.Error:
        return None
    return {tuple(row.get(name) or "" for name in key): _clean(row) for row in rows}


def _clean(row: dict[Any, Any]) -> Row:
    """A DictReader row with ragged cells folded into text, so rows compare as plain dicts."""
    return {
        str(name): value if isinstance(value, str) else repr(value) for name, value in row.items()
    }


def render_markdown(diffs: list[TableDiff], ref: str, max_rows: int) -> str:
    changed = [diff for diff in diffs if not diff.empty]
    if not changed:
        return f"## Data changes since `{ref}`\n\nNo rows were added, removed or changed."
    lines = [
        f"## Data changes since `{ref}`",
        "",
        "| table | added | removed | changed |",
        "|---|---:|---:|---:|",
    ]
    lines += [
        f"| {diff.name} | {len(diff.added)} | {len(diff.removed)} | "
        f"{len({change[0] for change in diff.changed})} |"
        for diff in changed
    ]
    for diff in changed:
        lines += ["", f"### {diff.name}"]
        if diff.note:
            lines += ["", f"_{diff.note}_"]
        lines += _rows_section("Added", diff.added, diff.fields, max_rows)
        lines += _rows_section("Removed", diff.removed, diff.fields, max_rows)
        if diff.changed:
            key = "/".join(diff.key)
            lines += [
                "",
                f"**Changed** ({len({c[0] for c in diff.changed})} rows)",
                "",
                f"| {key} | field | old | new |",
                "|---|---|---|---|",
            ]
            lines += [
                f"| {_cell(row)} | {_cell(column)} | {_cell(old)} | {_cell(new)} |"
                for row, column, old, new in diff.changed[:max_rows]
            ]
            lines += _more(len(diff.changed), max_rows, "changed fields")
    return "\n".join(lines)


def _rows_section(title: str, rows: list[Row], fields: list[str], max_rows: int) -> list[str]:
    if not rows:
        return []
    columns = list(dict.fromkeys([*fields, *(name for row in rows for name in row)]))
    lines = [
        "",
        f"**{title}** ({len(rows)} rows)",
        "",
        "| " + " | ".join(columns) + " |",
        "|" + "---|" * len(columns),
    ]
    lines += [
        "| " + " | ".join(_cell(row.get(name, "")) for name in columns) + " |"
        for row in rows[:max_rows]
    ]
    return lines + _more(len(rows), max_rows, "rows")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _more(total: int, shown: int, noun: str) -> list[str]:
    return ["", f"… and {total - shown} more {noun}."] if total > shown else []


def _cell(value: str) -> str:
    """A value safe inside a Markdown table cell, on one line and not too long."""
    text = " ".join(value.split())
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - 1] + "…"
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return f"`{text}`" if text else "∅"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "base_ref",
        nargs="?",
        default="HEAD",
        help="git ref to compare the working tree with (default: HEAD)",
    )
    parser.add_argument("--root", type=Path, default=Path(), help="the repository folder")
    parser.add_argument("--max-rows", type=int, default=100, help="rows shown per section")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    check = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{args.base_ref}^{{commit}}"],
        cwd=root,
        capture_output=True,
        check=False,
    )
    if check.returncode != 0:
        print(
            f"Unknown git ref {args.base_ref!r}: fetch it or name a branch, tag or commit.",
            file=sys.stderr,
        )
        return 2
    print(render_markdown(diff_package(root, args.base_ref), args.base_ref, args.max_rows))
    return 0
