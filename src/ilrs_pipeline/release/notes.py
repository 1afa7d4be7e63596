"""Release notes: the data diff against the previous release, per table, as Markdown."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import ilrs_data
from ilrs_pipeline.changes.tables import PackageDiff, TableDiff, compare_packages
from ilrs_pipeline.release.previous import latest_tag, unpack


def release_notes(root: Path, previous: str | None, scratch: Path) -> str:
    """Notes for the package at `root` against `previous` (a tag or release zip), by default the
    newest release tag below its version; `scratch` is where that release is unpacked."""
    version = ilrs_data.package(root)["version"]
    reference = previous or latest_tag(root, version, inclusive=False)
    old_root = unpack(reference, root, scratch) if reference else None
    return diff_packages(old_root, root)


def diff_packages(old_root: Path | None, new_root: Path) -> str:
    """Markdown notes for the package at `new_root` against `old_root` (None: first release)."""
    return render_notes(compare_packages(old_root, new_root))


def render_notes(diff: PackageDiff) -> str:
    """A summary table of rows per table, then a section for each table that changed."""
    lines = [f"# ilrs-data {diff.new_version}", ""]
    if diff.old_version is None:
        lines += ["First release: there is no earlier release to compare with.", ""]
    else:
        lines += [
            f"Changes to the data since {diff.old_version}, per table; rows are matched by "
            "their primary key.",
            "",
        ]
    lines += ["| table | rows | added | removed | changed |", "|---|---:|---:|---:|---:|"]
    lines += [_summary_row(table) for table in diff.tables]
    if diff.metadata_changed:
        lines += ["", "The package's own metadata (title, description, licences…) changed."]
    if diff.old_version is not None:
        for table in diff.tables:
            lines += _table_section(table)
    return "\n".join(lines) + "\n"


def _summary_row(table: TableDiff) -> str:
    if table.status in {"added", "removed"}:
        return f"| `{table.name}` | {table.rows} | {table.status} table | | |"
    counts = (len(table.added), len(table.removed), len(table.changed))
    return f"| `{table.name}` | {table.rows} | " + " | ".join(map(str, counts)) + " |"


def _table_section(table: TableDiff) -> list[str]:
    """Bullet points for one table; none when nothing in it changed."""
    if table.status != "kept":
        return []
    changed_rows = [f"`{change.key}` ({', '.join(change.fields)})" for change in table.changed]
    items = [
        _listing("Fields added", _code(table.fields_added)),
        _listing("Fields removed", _code(table.fields_removed)),
        _listing("Fields whose type changed", _code(table.fields_retyped)),
        _listing("Fields deprecated", _code(table.fields_deprecated)),
        _listing("Allowed values added", _code(table.enum_values_added)),
        _listing("Allowed values removed", _code(table.enum_values_removed)),
        "- The primary key changed." if table.key_changed else "",
        "- The file moved." if table.path_changed else "",
        _listing("Rows added", _code(table.added)),
        _listing("Rows removed", _code(table.removed)),
        _listing("Rows changed", changed_rows),
    ]
    if table.metadata_changed and not any(items):
        items.append("- The table's description or schema details changed.")
    items = [item for item in items if item]
    return ["", f"## `{table.name}`", "", *items] if items else []


def _code(names: Iterable[str]) -> list[str]:
    return [f"`{name}`" for name in names]


def _listing(title: str, items: list[str]) -> str:
    return f"- {title} ({len(items)}): " + ", ".join(items) if items else ""
