"""The ilrs-data pipeline: validation, release building and benchmarks (not shipped in the wheel)."""
