"""Tools built on the legacy `datapackage` library can still read our package."""

from __future__ import annotations

import datapackage

import ilrs_data


def test_legacy_library_reads_every_row(repo_root):
    package = datapackage.Package(str(repo_root / "datapackage.json"))
    assert package.valid, package.errors
    assert package.resource_names == ilrs_data.table_names(repo_root)
    errors: list[tuple[str, Exception]] = []
    for resource in package.resources:
        rows = resource.read(
            keyed=True,
            exc_handler=lambda error, *_, name=resource.name: errors.append((name, error)),
        )
        assert len(rows) == len(ilrs_data.load(resource.name, source=repo_root)), resource.name
    assert errors == [], errors[:3]
