"""Row keys as Arrow text arrays, so rules that join tables (references.py) stay vectorised."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ilrs_pipeline.model.records import KEY_SEPARATOR
from ilrs_pipeline.validate.files import arrow

if TYPE_CHECKING:
    from ilrs_pipeline.validate.files import Table

TEXT = pa.large_string()


def key_text(table: Table, fields: list[str], separator: str = KEY_SEPARATOR) -> pa.Array:
    """Each row's values of `fields` as one string, joined with `separator`."""
    parts = [arrow(table.rows[name]) for name in fields]
    return parts[0].cast(TEXT) if len(parts) == 1 else joined(*parts, separator=separator)


def joined(*parts: pa.Array, separator: str) -> pa.Array:
    """The parts joined element by element (as large strings, whatever they came as)."""
    return pc.binary_join_element_wise(
        *(part.cast(TEXT) for part in parts), pa.scalar(separator, type=TEXT)
    )


def as_numpy(flags: pa.Array) -> np.ndarray:
    return np.asarray(flags.to_numpy(zero_copy_only=False))
