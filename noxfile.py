"""Pipeline sessions: `nox` alone runs validate and tests; `nox -s build` makes a release."""

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["validate", "tests"]
nox.options.reuse_venv = "yes"

# The pipeline code lives in scripts/ and is run from the working tree, never installed.
PIPELINE_ENV = {"PYTHONPATH": "scripts"}


@nox.session
def validate(session: nox.Session) -> None:
    """Validate the working tree's data: files, schemas, keys and semantic rules."""
    session.install("-e", ".[pipeline]")
    session.run("python", "-m", "ilrs_pipeline.validate", *session.posargs, env=PIPELINE_ENV)


@nox.session
def tests(session: nox.Session) -> None:
    """Run pytest against the package installed from a freshly built wheel."""
    session.install(".[pipeline,test]")
    session.run("pytest", *session.posargs)


@nox.session
def build(session: nox.Session) -> None:
    """Validate, then write the release zip, wheel, sdist and SHA256SUMS into dist/."""
    session.install("-e", ".[pipeline,release]")
    session.run("python", "-m", "ilrs_pipeline.build", *session.posargs, env=PIPELINE_ENV)


@nox.session
def lint(session: nox.Session) -> None:
    """Lint and check formatting with ruff."""
    session.install("ruff")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def bench(session: nox.Session) -> None:
    """Print loader, import and validation timings (medians and ratios); not a pass/fail test."""
    session.install(".[pipeline]")
    session.run("python", "-m", "ilrs_pipeline.bench", env=PIPELINE_ENV)
    session.run(
        "python", "-m", "ilrs_pipeline.bench_validation", *session.posargs, env=PIPELINE_ENV
    )


@nox.session
def diff(session: nox.Session) -> None:
    """Print, as Markdown, the rows added, removed and changed since a git ref (default HEAD)."""
    session.install("-e", ".[pipeline]")
    session.run("python", "-m", "ilrs_pipeline.diff", *session.posargs, env=PIPELINE_ENV)


@nox.session(name="release-check")
def release_check(session: nox.Session) -> None:
    """Fail when the version bump is smaller than the data change demands, or versions disagree."""
    session.install("-e", ".[pipeline]")
    session.run("python", "-m", "ilrs_pipeline.release_check", *session.posargs, env=PIPELINE_ENV)


@nox.session
def docs(session: nox.Session) -> None:
    """Regenerate the data dictionary and timeline in docs/ and the README's coverage section."""
    session.install("-e", ".[pipeline]")
    session.run("python", "-m", "ilrs_pipeline.docs", *session.posargs, env=PIPELINE_ENV)
    session.run("python", "-m", "ilrs_pipeline.readme", *session.posargs, env=PIPELINE_ENV)


@nox.session
def site(session: nox.Session) -> None:
    """Build the self-contained dataset site into dist/site/."""
    session.install("-e", ".[pipeline,release]")
    session.run("python", "-m", "ilrs_pipeline.site", *session.posargs, env=PIPELINE_ENV)
