"""Parsed plans and units kept between builds, keyed by a digest of each file's bytes.

A serve rebuild parses again only the files whose bytes changed. Size and time are not compared:
``cp -p``, ``rsync -t`` and ``tar`` keep them through an edit. Reading the files to digest them
is cheap (0.18 s for 5,000 plans, 86 MB, against 0.02 s for their sizes and times; parsing
them takes 5 s). The memo files are sealed (kehoach/sealed.py): a file that this user's builds
did not write is ignored, never unpickled.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar, cast

from .files import MAX_FILE_BYTES, MAX_UNITS_BYTES, Refused, read_regular
from .model import Plan, Problem, Unit
from .sealed import read_sealed, write_sealed

T = TypeVar("T")
Parsed = tuple[list[Plan], list[Problem], T]


def file_digest(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The digest of a plan or units file's bytes, read as the loader reads them (regular, bounded).

    A file the loader refuses gets no digest (b""), so it never matches a memo and is parsed, and so
    reported, again.
    """
    try:
        return hashlib.blake2b(read_regular(path, limit), digest_size=16).digest()
    except Refused:
        return b""


def remembered_units(
    path: Path, parse: Callable[[list[Problem]], list[Unit]], problems: list[Problem], memo: Path
) -> list[Unit]:
    """The units file as the previous build read it, if its bytes are unchanged; else ``parse(problems)``."""
    try:
        key = (str(path), file_digest(path, MAX_UNITS_BYTES))
    except OSError:
        return parse(problems)
    remembered = read_sealed(memo)
    if isinstance(remembered, tuple) and len(remembered) == 2 and remembered[0] == key:
        return cast("list[Unit]", remembered[1])  # as write_sealed stored it below, under the same key
    found: list[Problem] = []
    units = parse(found)
    problems.extend(found)
    if not found:
        write_sealed(memo, (key, units))
    return units


def remembered_plans(
    paths: list[Path], memo: Path, parse: Callable[[list[Path]], Parsed[T]], shown: Callable[[Path], str]
) -> Parsed[T]:
    """Reuse the plans parsed by the previous build for files whose bytes are unchanged.

    ``parse(paths)`` parses the others; ``shown(path)`` is a plan's ``path`` as parsing sets it.
    The memo is a full file plus a small file of what changed since (a serve rebuild after one
    edit writes one plan, not all of them); the full file is rewritten when the changes grow.
    """
    full, changes = _read_memo(memo), _read_memo(memo.with_suffix(".changes"))
    known = {**full, **changes}
    digests = {str(p): file_digest(p) for p in paths}
    fresh = {p for p in paths if str(p) not in known or known[str(p)][0] != digests[str(p)]}
    plans, problems, done = parse([p for p in paths if p in fresh])
    parsed = {plan.path: plan for plan in plans}
    result = []
    for path in paths:
        plan = parsed.get(shown(path)) if path in fresh else known[str(path)][1]
        if plan is not None:
            result.append(plan)
    if problems or not (fresh or len(known) != len(paths)):  # kept as it is unless a plan changed
        return result, problems, done
    entries = {str(p): (digests[str(p)], plan) for p, plan in zip(paths, result, strict=False)}
    changed = {path: entry for path, entry in entries.items() if path not in full or full[path][0] != entry[0]}
    if len(changed) <= max(20, len(paths) // 20) and set(full) == set(entries):  # else: files added or removed
        write_sealed(memo.with_suffix(".changes"), changed)
    else:
        if write_sealed(memo, entries):
            memo.with_suffix(".changes").unlink(missing_ok=True)
    return result, problems, done


def _read_memo(path: Path) -> dict[str, tuple[bytes, Plan]]:
    memo = read_sealed(path)
    return memo if isinstance(memo, dict) else {}
