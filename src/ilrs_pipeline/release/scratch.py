"""Scratch folders beside what a stage writes (dist/, the site), so that its results land by
renames on one filesystem. Each is named after the process making it: one left by a build that
was killed (SIGKILL, a CI job's timeout), which could not remove it, is removed by the next."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def scratch_folder(parent: Path, stage: str) -> tempfile.TemporaryDirectory[str]:
    """A fresh hidden folder `.ilrs-<stage>-<pid>-…` in `parent`, once those of processes that
    are gone have been removed from it."""
    parent.mkdir(parents=True, exist_ok=True)
    prefix = f".ilrs-{stage}-"
    for left in parent.glob(f"{prefix}*"):
        owner = left.name.removeprefix(prefix).partition("-")[0]
        if left.is_dir() and not left.is_symlink() and _is_gone(owner):
            shutil.rmtree(left, ignore_errors=True)
    return tempfile.TemporaryDirectory(prefix=f"{prefix}{os.getpid()}-", dir=parent)


def _is_gone(owner: str) -> bool:
    """Whether the process of that id has ended. Only asked on POSIX: on Windows os.kill would
    end the process instead, so scratch folders are left there."""
    if os.name != "posix" or not owner.isdigit():
        return False
    try:
        os.kill(int(owner), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):  # another user's process, or no such id at all
        return False
    return False
