"""`ilrs diff [BASE_REF]`: the rows and schema properties changed since a git ref, as Markdown.

The base is the package as committed at BASE_REF, compared with the working tree by the one
comparison in changes/tables.py: per table the rows added and removed, each changed field as
old → new, and every schema property changed, flagged for a maintainer's review, with the
version bump the change will need. Cells are escaped so a value cannot render as a link, an
image or markup, and symbolic links are never followed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from ilrs_pipeline.changes.policy import (
    Bump,
    describe,
    needed_bump,
    package_change_bump,
    resource_change_bump,
    schema_change_bump,
)
from ilrs_pipeline.changes.tables import (
    PackageDiff,
    Row,
    SchemaChange,
    TableDiff,
    compare_packages,
)
from ilrs_pipeline.errors import PipelineError
from ilrs_pipeline.release.previous import unpack_git

MAX_CELL_CHARS = 80
# Characters Markdown (GitHub's included) gives a meaning to, escaped inside a table cell.
MARKDOWN_SPECIALS = "\\`*_[]<>|~!#&"


def diff_package(root: Path, ref: str) -> PackageDiff:
    """The working tree at `root` against the package committed at `ref`."""
    with tempfile.TemporaryDirectory(prefix="ilrs-diff-") as scratch:
        base = unpack_git(root, ref, Path(scratch))
        return compare_packages(base, root)


def render_markdown(diff: PackageDiff, ref: str, max_rows: int) -> str:
    changed = [table for table in diff.tables if not table.empty]
    # Nothing is markup inside a code span, so only a backtick could break out of it.
    title = f"## Data changes since `{' '.join(ref.replace('`', '').split())}`"
    if not changed and not diff.metadata_changed:
        return f"{title}\n\nNo rows were added, removed or changed, and no schema changed."
    lines = [title, ""]
    if diff.note:
        lines += [f"_{_plain(diff.note)}_", ""]
    lines += _review_section(diff)
    if diff.descriptor_changes:
        lines += [
            f"### datapackage.json ({_count(diff.descriptor_changes, 'property')} changed)",
            "",
            *_properties_table(diff.descriptor_changes, package_change_bump, "property"),
            "",
        ]
    if changed:
        lines += ["| table | added | removed | changed |", "|---|---:|---:|---:|"]
    lines += [
        f"| {table.name} | {len(table.added)} | {len(table.removed)} | {len(table.changed)} |"
        for table in changed
    ]
    for table in changed:
        lines += _table_section(table, max_rows)
    return "\n".join(lines)


def _review_section(diff: PackageDiff) -> list[str]:
    """What the change needs: the bump, and a maintainer when a schema or the descriptor moved."""
    schema_tables = [
        t.name for t in diff.tables if t.schema_changes or t.resource_changes or t.status != "kept"
    ]
    lines = [f"This change needs {describe(needed_bump(diff))} (see docs/versioning.md)."]
    if schema_tables or diff.metadata_changed:
        touched = ", ".join(schema_tables + (["datapackage.json"] if diff.metadata_changed else []))
        lines += [
            "",
            f"**Needs a maintainer's review:** the schema or descriptor changed ({touched}); "
            "CODEOWNERS asks a maintainer to approve it. Each changed property below names the "
            "bump it needs on its own.",
        ]
    return [*lines, ""]


def _table_section(table: TableDiff, max_rows: int) -> list[str]:
    lines = ["", f"### {table.name}"]
    if table.note:
        lines += ["", f"_{_plain(table.note)}_"]
    if table.resource_changes:
        lines += [
            "",
            f"**Resource changed in datapackage.json** "
            f"({_count(table.resource_changes, 'property')})",
            "",
            *_properties_table(table.resource_changes, resource_change_bump, "property"),
        ]
    if table.schema_changes:
        lines += [
            "",
            f"**Schema changed** ({_count(table.schema_changes, 'property')})",
            "",
            *_properties_table(table.schema_changes, schema_change_bump, "field", "property"),
        ]
    lines += _rows_section("Added", list(table.added.values()), table.fields, max_rows)
    lines += _rows_section("Removed", list(table.removed.values()), table.fields, max_rows)
    if table.changed:
        changes = [(row.key, change) for row in table.changed for change in row.changes]
        lines += [
            "",
            f"**Changed** ({len(table.changed)} rows)",
            "",
            f"| {'/'.join(table.key)} | field | old | new |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {_cell(key)} | {_cell(change.field)} | {_cell(change.old)} | {_cell(change.new)} |"
            for key, change in changes[:max_rows]
        ]
        lines += _more(len(changes), max_rows, "changed fields")
    return lines


def _properties_table(
    changes: tuple[SchemaChange, ...], bump: Callable[[SchemaChange], Bump], *columns: str
) -> list[str]:
    """Changed properties as rows: where, old, new and the bump each needs on its own."""
    header = [*columns, "old", "new", "bump"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for change in changes:
        where = [change.field or "(table)", change.attribute][-len(columns) :]
        cells = [*where, *_old_and_new(change)]
        lines.append(
            "| " + " | ".join(_cell(c) for c in cells) + f" | {bump(change).name.lower()} |"
        )
    return lines


def _old_and_new(change: SchemaChange) -> tuple[str, str]:
    """A list that changed (allowed values, missing values, foreign keys) as what left and what
    came, which a shortened cell would hide; anything else as its old and new JSON."""
    old, new = change.old or "", change.new or ""
    if old.startswith("[") and new.startswith("["):
        before, after = json.loads(old), json.loads(new)
        gone = [json.dumps(v, ensure_ascii=False) for v in before if v not in after]
        came = [json.dumps(v, ensure_ascii=False) for v in after if v not in before]
        if gone or came:
            removed = "removed: " + ", ".join(gone) if gone else "none removed"
            added = "added: " + ", ".join(came) if came else "none added"
            return removed, added
    return old, new


def _count(items: tuple[object, ...], noun: str) -> str:
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{len(items)} {noun if len(items) == 1 else plural}"


def _rows_section(title: str, rows: list[Row], fields: tuple[str, ...], max_rows: int) -> list[str]:
    if not rows:
        return []
    columns = list(dict.fromkeys([*fields, *(name for row in rows for name in row)]))
    lines = [
        "",
        f"**{title}** ({len(rows)} rows)",
        "",
        "| " + " | ".join(_cell(name) for name in columns) + " |",
        "|" + "---|" * len(columns),
    ]
    lines += [
        "| " + " | ".join(_cell(row.get(name, "")) for name in columns) + " |"
        for row in rows[:max_rows]
    ]
    return lines + _more(len(rows), max_rows, "rows")


def _more(total: int, shown: int, noun: str) -> list[str]:
    return ["", f"… and {total - shown} more {noun}."] if total > shown else []


def _plain(text: str) -> str:
    """Text on one line with every Markdown special character escaped."""
    flat = " ".join(text.split())
    return "".join(f"\\{char}" if char in MARKDOWN_SPECIALS else char for char in flat)


def _cell(value: str) -> str:
    """A value safe inside a Markdown table cell: one line, shortened, every special character
    escaped (not wrapped in backticks, which a value holding backticks could close)."""
    text = " ".join(value.split())
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - 1] + "…"
    return _plain(text) if text else "∅"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ilrs diff", description=__doc__.splitlines()[0])
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
        msg = f"unknown git ref {args.base_ref!r}: fetch it or name a branch, tag or commit"
        raise PipelineError(msg)
    print(render_markdown(diff_package(root, args.base_ref), args.base_ref, args.max_rows))
    return 0
