"""The ilrs-data pipeline: validation, releases, docs and benchmarks (not shipped in the wheel)."""
