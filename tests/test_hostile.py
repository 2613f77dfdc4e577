"""Hostile plan folders: each case class in ``tests/fixtures/hostile/<class>/`` is refused with clear messages.

A class folder holds ``plans/`` (laid over the valid base fixture) and ``expected.txt``: one line per
problem that ``check`` must report, each a prefix of the printed ``path:line: key: message``. A class
without ``expected.txt`` passes the check and is tested by the build (body and front matter escaping).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import FIXTURES, ROOT, assert_refused_as_expected, fixture_plans

HOSTILE = sorted(p for p in (FIXTURES / "hostile").iterdir() if (p / "expected.txt").is_file())


@pytest.mark.parametrize("fixture", HOSTILE, ids=[p.name for p in HOSTILE])
def test_hostile_class_is_refused_with_every_message(fixture, tmp_path):
    assert_refused_as_expected(fixture, tmp_path)


@pytest.mark.parametrize("fixture", HOSTILE, ids=[p.name for p in HOSTILE])
def test_hostile_class_check_prints_clean_vietnamese_lines(fixture, tmp_path):
    """The command line: exit 1, no traceback, every line printable and shaped ``file:line: key: message``."""
    plans = fixture_plans(tmp_path, fixture)
    result = subprocess.run(
        [sys.executable, "-m", "kehoach", "check", str(plans)],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT / "hooks"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines and lines[-1].startswith("Có ")
    for line in lines[:-1]:
        assert line.isprintable(), repr(line)
        assert line.startswith("plans/") and line.count(": ") >= 2, line
