"""Pipeline sessions: `nox` alone runs validate and tests; `nox -s build` makes a release.

Every session installs the project with the `pipeline` extra and calls its one command, `ilrs`
(`ilrs --help` lists the stages); nothing runs from the working tree's source folders.
Before installing anything, each session checks that datapackage.json's version is one the build
can read, so a broken descriptor ends in a one-line message, not a hatchling traceback.
"""

import functools
import importlib.util
import tomllib
from pathlib import Path

import nox

ROOT = Path(__file__).parent
# Stdlib-only, loaded by path: the package it belongs to is not installed yet.
VERSION_CHECK = ROOT / "src" / "ilrs_pipeline" / "release" / "descriptor_version.py"

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["validate", "tests"]
nox.options.reuse_venv = "yes"


def session(function=None, **options):
    """`nox.session`, with the descriptor's version checked before the session installs."""
    if function is None:
        return functools.partial(session, **options)

    @functools.wraps(function)
    def checked(running: nox.Session, **arguments: str) -> None:
        spec = importlib.util.spec_from_file_location("descriptor_version", VERSION_CHECK)
        if spec is None or spec.loader is None:
            running.error(f"{VERSION_CHECK} is missing; restore it from git")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        problem = module.version_problem(ROOT)
        if problem:
            running.error(problem)
        function(running, **arguments)

    return nox.session(checked, **options)


def ilrs(session: nox.Session, command: str, *extras: str) -> None:
    """Install the pipeline (editable, so data edits need no reinstall) and run one stage."""
    session.install("-e", f".[{','.join(('pipeline', *extras))}]")
    session.run("ilrs", command, *session.posargs)


@session
def validate(session: nox.Session) -> None:
    """Validate the working tree's data: files, schemas, keys and semantic rules."""
    ilrs(session, "validate")


@session
def tests(session: nox.Session) -> None:
    """Run pytest against the package installed from a freshly built wheel.

    `nox -s tests -- -m "not slow"` is the fast lane (no browser, fuzzing or double build).
    """
    session.install(".[pipeline,test]")
    session.run("pytest", *session.posargs)


# The loader's tests that need nothing but ilrs_data, pandas and pytest.
LIGHT_TESTS = [
    "tests/test_loader.py",
    "tests/test_loader_values.py",
    "tests/test_loader_files.py",
    "tests/test_loader_history.py",
]
NO_PYARROW = (
    "import importlib.util, sys; "
    "sys.exit('pyarrow is installed: this is not the light install') "
    "if importlib.util.find_spec('pyarrow') else None"
)


def oldest_pandas() -> str:
    """The floor of pyproject.toml's `pandas>=X.Y` requirement."""
    requirements = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    floors = [r.split(">=")[1].strip() for r in requirements if r.startswith("pandas>=")]
    if len(floors) != 1:
        raise SystemExit("pyproject.toml must require pandas as 'pandas>=X.Y'")
    return floors[0]


@session
@nox.parametrize("pandas", ["oldest", "newest"])
def light(session: nox.Session, pandas: str) -> None:
    """The loader as `pip install ilrs-data` gets it: pandas alone, no pyarrow, at the oldest
    pandas pyproject.toml allows and at the newest."""
    pin = [f"pandas=={oldest_pandas()}.*"] if pandas == "oldest" else []
    session.install(".", "pytest", *pin)
    session.run("python", "-c", NO_PYARROW)
    session.run("pytest", "-p", "no:cacheprovider", *LIGHT_TESTS, *session.posargs)


@session
def build(session: nox.Session) -> None:
    """Validate, then write the release zip, wheel, sdist and SHA256SUMS into dist/."""
    ilrs(session, "build", "release")


@session
def lint(session: nox.Session) -> None:
    """Lint and check formatting with ruff; type-check both packages with mypy --strict."""
    session.install("ruff", "mypy", "-e", ".[pipeline,release,test]")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")


@session
def bench(session: nox.Session) -> None:
    """Print loader, import and validation timings (medians and ratios); not a pass/fail test."""
    session.install(".[pipeline]")
    session.run("ilrs", "bench", *session.posargs)


@session
def diff(session: nox.Session) -> None:
    """Print, as Markdown, the rows and schema fields changed since a git ref (default HEAD)."""
    ilrs(session, "diff")


@session(name="release-check")
def release_check(session: nox.Session) -> None:
    """Fail when the version bump is smaller than the data change demands, or versions disagree."""
    ilrs(session, "release-check")


@session
def docs(session: nox.Session) -> None:
    """Regenerate the data dictionary and timeline in docs/ and the README's generated sections."""
    ilrs(session, "docs")


@session
def site(session: nox.Session) -> None:
    """Build the self-contained dataset site into dist/site/."""
    ilrs(session, "site", "release")


@session
def publish(session: nox.Session) -> None:
    """Release-check, build, then lay out in dist/publish/ exactly the GitHub release's assets.

    dist/publish-assets.txt lists them (the release workflow uploads that list as it is) and
    dist/pypi/ holds the wheel and sdist for PyPI. `-- --previous TAG` reaches release-check.
    """
    session.install("-e", ".[pipeline,release]")
    session.run("ilrs", "release-check", *session.posargs)
    session.run("ilrs", "build", *session.posargs)
    session.run("ilrs", "publish")
