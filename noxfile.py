"""Pipeline sessions: `nox` alone runs validate and tests; `nox -s build` makes a release.

Every session installs the project with the `pipeline` extra and calls its one command, `ilrs`
(`ilrs --help` lists the stages); nothing runs from the working tree's source folders.
"""

import importlib.util
import json
from pathlib import Path

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["validate", "tests"]
nox.options.reuse_venv = "yes"


def check_version(session: nox.Session) -> None:
    """Stop with the validator's message, not a build traceback, when datapackage.json (where
    the wheel's version is read from) has no usable version. Loads the stdlib-only checker by
    path: nothing is installed yet."""
    spec = importlib.util.spec_from_file_location(
        "ilrs_version", Path(__file__).parent / "src" / "ilrs_pipeline" / "validate" / "version.py"
    )
    assert spec is not None and spec.loader is not None
    checker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(checker)
    descriptor = Path(__file__).parent / "datapackage.json"
    try:
        note = checker.version_note(json.loads(descriptor.read_text(encoding="utf-8")))
    except (OSError, ValueError) as error:
        note = f"datapackage.json cannot be read ({error}); run `ilrs validate` for details"
    if note:
        session.error(f"{note}. How to fix: {checker.HINT}")


def ilrs(session: nox.Session, command: str, *extras: str) -> None:
    """Install the pipeline (editable, so data edits need no reinstall) and run one stage."""
    check_version(session)
    session.install("-e", f".[{','.join(('pipeline', *extras))}]")
    session.run("ilrs", command, *session.posargs)


@nox.session
def validate(session: nox.Session) -> None:
    """Validate the working tree's data: files, schemas, keys and semantic rules."""
    ilrs(session, "validate")


@nox.session
def tests(session: nox.Session) -> None:
    """Run pytest against the package installed from a freshly built wheel.

    `nox -s tests -- -m "not slow"` is the fast lane (no browser, fuzzing or double build).
    """
    check_version(session)
    session.install(".[pipeline,test]")
    session.run("pytest", *session.posargs)


@nox.session
def build(session: nox.Session) -> None:
    """Validate, then write the release zip, wheel, sdist and SHA256SUMS into dist/."""
    ilrs(session, "build", "release")


@nox.session
def lint(session: nox.Session) -> None:
    """Lint and check formatting with ruff; type-check both packages with mypy --strict."""
    check_version(session)
    session.install("ruff", "mypy", "-e", ".[pipeline,release,test]")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")


@nox.session
def bench(session: nox.Session) -> None:
    """Print loader, import and validation timings (medians and ratios); not a pass/fail test."""
    check_version(session)
    session.install(".[pipeline]")
    session.run("ilrs", "bench", *session.posargs)


@nox.session
def diff(session: nox.Session) -> None:
    """Print, as Markdown, the rows and schema fields changed since a git ref (default HEAD)."""
    ilrs(session, "diff")


@nox.session(name="release-check")
def release_check(session: nox.Session) -> None:
    """Fail when the version bump is smaller than the data change demands, or versions disagree."""
    ilrs(session, "release-check")


@nox.session
def docs(session: nox.Session) -> None:
    """Regenerate the data dictionary and timeline in docs/ and the README's generated sections."""
    ilrs(session, "docs")


@nox.session
def site(session: nox.Session) -> None:
    """Build the self-contained dataset site into dist/site/."""
    ilrs(session, "site", "release")


@nox.session
def publish(session: nox.Session) -> None:
    """Release-check, build, then lay out in dist/publish/ exactly the GitHub release's assets.

    dist/publish-assets.txt lists them (the release workflow uploads that list as it is) and
    dist/pypi/ holds the wheel and sdist for PyPI. `-- --previous TAG` reaches release-check.
    """
    check_version(session)
    session.install("-e", ".[pipeline,release]")
    session.run("ilrs", "release-check", *session.posargs)
    session.run("ilrs", "build", *session.posargs)
    session.run("ilrs", "publish")
