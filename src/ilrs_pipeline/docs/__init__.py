"""`ilrs docs`: the generated documentation, the data dictionary, timeline and README sections.

`--check` writes nothing and exits 1 when a generated file is out of date.
"""

from __future__ import annotations

from ilrs_pipeline.docs import dictionary, readme


def main(argv: list[str] | None = None) -> int:
    args = list(argv or [])
    return max(dictionary.main(args), readme.main(args))
