"""A build of invalid data stops before writing anything and leaves data/ as it was."""

from __future__ import annotations

import hashlib

from conftest import copy_package
from ilrs_pipeline.release.build import main as build_main


def digest_tree(root):
    return {
        p.relative_to(root): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_failed_build_writes_nothing_and_names_the_problem(repo_root, tmp_path, capsys):
    package = copy_package(repo_root, tmp_path / "package")
    partners = package / "data" / "partners.csv"
    lines = partners.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = (
        lines[2].replace(",member,", ",memer,", 1)
        if ",member," in lines[2]
        else lines[2].replace(",founder,", ",memer,", 1)
    )
    partners.write_text("".join(lines), encoding="utf-8")
    before = digest_tree(package)
    dist = tmp_path / "dist"

    status = build_main(["--root", str(package), "--dist", str(dist)])

    output = capsys.readouterr().out
    assert status == 1
    assert "data/partners.csv:3" in output
    assert "schema/enum" in output
    assert "'memer'" in output
    assert "Traceback" not in output
    assert not dist.exists() or not any(dist.iterdir())
    assert digest_tree(package) == before
