"""`ilrs`: one command whose subcommands are the pipeline's stages.

Each stage's module is imported only when it runs (great-expectations alone takes seconds to
import), and every failure ends in a message and an exit status, never a traceback:
0 done, 1 the data or the project needs fixing, 2 the pipeline itself failed (and 141, as a
shell says it, when the reader of the output stopped reading: `ilrs validate | head`).
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable
from typing import NamedTuple

from ilrs_pipeline.errors import PipelineError


class Command(NamedTuple):
    module: str
    summary: str


COMMANDS = {
    "validate": Command(
        "ilrs_pipeline.validate", "check the data package and report every problem in it"
    ),
    "annotate": Command(
        "ilrs_pipeline.annotate", "print the validation report as GitHub annotations (for CI)"
    ),
    "build": Command("ilrs_pipeline.release.build", "validate, then write a release into dist/"),
    "diff": Command(
        "ilrs_pipeline.changes.markdown",
        "print the rows and schema fields changed since a git ref, as Markdown",
    ),
    "docs": Command(
        "ilrs_pipeline.docs", "regenerate (or --check) the data dictionary, timeline and README"
    ),
    "site": Command("ilrs_pipeline.site.build", "build the self-contained dataset site"),
    "release-check": Command(
        "ilrs_pipeline.release.check", "check the version bump against the change and the policy"
    ),
    "publish": Command(
        "ilrs_pipeline.release.publish", "lay out the built release's assets in dist/publish/"
    ),
    "bench": Command("ilrs_pipeline.bench", "print loader and validation timings"),
}
INSTALL_HINT = 'install the pipeline with: pip install -e ".[pipeline]" (or run it through nox)'


def usage() -> str:
    width = max(map(len, COMMANDS))
    lines = [f"  {name:<{width}}  {command.summary}" for name, command in COMMANDS.items()]
    return "\n".join(
        [
            "usage: ilrs COMMAND [options]    (ilrs COMMAND --help for its options)",
            "",
            "The ilrs-data pipeline. Commands, in the order a release needs them:",
            *lines,
        ]
    )


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help"):
        print(usage())
        return 0 if args else 2
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        print(f"ilrs: unknown command {name!r}\n\n{usage()}", file=sys.stderr)
        return 2
    return run(name, lambda: _stage(name)(rest))


def run(name: str, stage: Callable[[], int]) -> int:
    """Run one stage, turning every failure into a message on stderr and an exit status."""
    import ilrs_data  # noqa: PLC0415 - the loader's errors, imported with the stage

    try:
        return stage()
    except (PipelineError, ilrs_data.ReleaseError) as error:
        print(f"ilrs {name}: {error}", file=sys.stderr)
        return 1
    except ModuleNotFoundError as error:
        print(f"ilrs {name}: the module {error.name!r} is missing; {INSTALL_HINT}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"ilrs {name}: interrupted; nothing half-written was kept.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Not a failure of the stage: what it still had to print goes nowhere, rather than into
        # a second BrokenPipeError as Python flushes the output on exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE
    except Exception as error:  # the command's boundary: report, never a traceback
        print(
            f"ilrs {name} failed ({type(error).__name__}: {error}). This is a bug in the "
            "ilrs-data pipeline, not in your data: please report it with the command you ran.",
            file=sys.stderr,
        )
        return 2


def _stage(name: str) -> Callable[[list[str]], int]:
    module = importlib.import_module(COMMANDS[name].module)
    stage: Callable[[list[str]], int] = module.main
    return stage


if __name__ == "__main__":
    sys.exit(main())
