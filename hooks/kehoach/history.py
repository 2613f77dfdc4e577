"""Last-change dates of plan files, from git history (one ``git log`` call)."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path


def last_changed(folder: Path, root: Path) -> dict[str, dt.date]:
    """Map of repository-relative path → date of the last commit touching it; {} outside git."""
    try:
        result = subprocess.run(
            ["git", "log", "--format=%x00%cs", "--name-only", "--", str(folder)],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    dates: dict[str, dt.date] = {}
    current: dt.date | None = None
    for line in result.stdout.splitlines():
        if line.startswith("\x00"):
            current = dt.date.fromisoformat(line[1:])
        elif line and current is not None:
            dates.setdefault(line, current)
    return dates
