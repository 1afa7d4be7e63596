"""`ilrs publish` lays out exactly what the release workflow uploads, and the workflow uploads
only what that session lists."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest

import ilrs_data
from ilrs_pipeline.errors import PipelineError
from ilrs_pipeline.release.build import build
from ilrs_pipeline.release.check import url_problems
from ilrs_pipeline.release.publish import ASSET_LIST, publish

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / ".github" / "workflows" / "release.yml"
VERSION = json.loads((REPO / "datapackage.json").read_text())["version"]
STEM = f"ilrs-data-{VERSION}"


@pytest.fixture(scope="module")
def published(repo_root, tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    build(repo_root, dist)
    publish(repo_root, dist)
    return dist


@pytest.mark.slow
def test_publish_lays_out_every_artifact_and_each_table_as_a_loose_csv(published):
    built = {line.split("  ")[1] for line in (published / "SHA256SUMS").read_text().splitlines()}
    tables = ilrs_data.table_names(published / f"{STEM}.zip")
    expected = built | {f"{STEM}-{name}.csv" for name in tables} | {"SHA256SUMS"}
    assets = {path.name for path in (published / "publish").iterdir()}
    assert assets == expected
    listed = (published / ASSET_LIST).read_text(encoding="utf-8").splitlines()
    assert sorted(listed) == sorted(f"publish/{name}" for name in expected)
    with zipfile.ZipFile(published / f"{STEM}.zip") as archive:
        assert (published / "publish" / f"{STEM}-partners.csv").read_bytes() == archive.read(
            "data/partners.csv"
        )
    assert sorted(p.name for p in (published / "pypi").iterdir()) == sorted(
        name for name in built if name.endswith((".whl", ".tar.gz"))
    )


@pytest.mark.slow
def test_publish_checksums_cover_every_asset(published):
    folder = published / "publish"
    sums = dict(
        reversed(line.split("  ")) for line in (folder / "SHA256SUMS").read_text().splitlines()
    )
    assert set(sums) == {p.name for p in folder.iterdir()} - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest


def test_publish_without_a_build_says_to_build(repo_root, tmp_path):
    with pytest.raises(PipelineError, match="run `ilrs build`"):
        publish(repo_root, tmp_path)


def test_publish_refuses_an_artifact_altered_after_the_build(repo_root, tmp_path):
    (tmp_path / f"{STEM}.zip").write_bytes(b"not the build")
    (tmp_path / "SHA256SUMS").write_text(f"{'0' * 64}  {STEM}.zip\n", encoding="utf-8")
    with pytest.raises(PipelineError, match="differs from"):
        publish(repo_root, tmp_path)
    assert not (tmp_path / "publish").exists()


def test_the_workflow_uploads_the_listed_assets_and_only_calls_the_session():
    workflow = WORKFLOW.read_text(encoding="utf-8")
    commands = re.findall(r"^\s*- run: (.+)$", workflow, re.MULTILINE)
    assert "nox -s publish" in commands
    assert not [c for c in commands if "ilrs " in c or "python -m build" in c]
    assert f"dist/{ASSET_LIST}" in workflow
    assert "gh-action-pypi-publish" in workflow
    assert "id-token: write" in workflow
    assert "packages-dir: dist/pypi/" in workflow


def test_the_noxfile_publish_session_runs_check_build_and_publish():
    noxfile = (REPO / "noxfile.py").read_text(encoding="utf-8")
    session = noxfile[noxfile.index("def publish(") :]
    steps = re.findall(r'session\.run\("ilrs", "([a-z-]+)"', session)
    assert steps == ["release-check", "build", "publish"]


def test_citation_addresses_agree_with_pyproject(repo_root):
    assert url_problems(repo_root) == []


def test_release_check_reports_an_address_that_disagrees(repo_root, tmp_path):
    for name in ("pyproject.toml", "datapackage.json", "CITATION.cff", ".zenodo.json"):
        shutil.copy(repo_root / name, tmp_path / name)
    cff = tmp_path / "CITATION.cff"
    cff.write_text(
        cff.read_text(encoding="utf-8").replace(
            'url: "https://github.com/ilrs-data/ilrs-data"', 'url: "https://example.org/old"'
        ),
        encoding="utf-8",
    )
    problems = url_problems(tmp_path)
    assert len(problems) == 1
    assert "CITATION.cff url" in problems[0] and "https://example.org/old" in problems[0]
