"""How a row is named across the package: its primary-key values joined by "/".

The discrepancies table, the PR diff, the release notes and the release check all spell a row's
key this way, so a key copied from one of them finds the row in another.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

KEY_SEPARATOR = "/"


def record_key(row: Mapping[str, str | None], key: Sequence[str]) -> str:
    """The row's key: its values of the primary-key fields, joined by KEY_SEPARATOR."""
    return KEY_SEPARATOR.join(row.get(name) or "" for name in key)


def key_fields(schema: Mapping[str, object]) -> list[str]:
    """The schema's primary key as a list of field names (Table Schema allows a bare string)."""
    key = schema.get("primaryKey") or []
    if isinstance(key, str):
        return [key]
    return [str(name) for name in key] if isinstance(key, list) else []
