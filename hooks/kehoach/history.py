"""When plan files were added and last changed, from git history (one ``git log`` call)."""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Changes:
    """A file's first and last commit times (committer time, with its offset)."""

    added: dt.datetime
    updated: dt.datetime


def file_history(folder: Path, root: Path) -> dict[str, Changes]:
    """Map of repository-relative path → its first and last commit; {} outside git."""
    try:
        result = subprocess.run(
            ["git", "log", "--format=%x00%cI", "--name-only", "--", str(folder)],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    history: dict[str, Changes] = {}
    current: dt.datetime | None = None
    for line in result.stdout.splitlines():  # newest commit first
        if line.startswith("\x00"):
            current = dt.datetime.fromisoformat(line[1:])
        elif line and current is not None:
            known = history.get(line)
            history[line] = Changes(current, known.updated if known else current)
    return history


def last_changed(folder: Path, root: Path) -> dict[str, dt.date]:
    """Map of repository-relative path → date of the last commit touching it; {} outside git."""
    return {path: changes.updated.date() for path, changes in file_history(folder, root).items()}
