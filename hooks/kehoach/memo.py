"""Parsed plans and units kept between builds, keyed by a digest of each file's bytes; body checks kept in process.

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

from .body import check_body
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
        _write_memo(memo.with_suffix(".changes"), changed)
    else:
        if _write_memo(memo, entries):
            memo.with_suffix(".changes").unlink(missing_ok=True)
    return result, problems, done


Entries = dict[str, tuple[bytes, Plan]]
Stamp = tuple[int, int, int, int]
_seen: dict[Path, tuple[Stamp, Entries]] = {}  # memo files as this process last read or wrote them


def _stamp(path: Path) -> Stamp | None:
    """Changes whenever the file is written or replaced (its change time cannot be set back, unlike its time)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _read_memo(path: Path) -> Entries:
    """The memo file's entries; from memory when the file is the one this process last read or wrote.

    A serve rebuild then neither unpickles nor authenticates again the memo of its own last build.
    """
    stamp, seen = _stamp(path), _seen.get(path)
    if seen is not None and stamp is not None and seen[0] == stamp:
        return seen[1]
    memo = read_sealed(path)
    entries: Entries = memo if isinstance(memo, dict) else {}
    _keep(path, stamp if memo is not None else None, entries)
    return entries


def _write_memo(path: Path, entries: Entries) -> bool:
    written = write_sealed(path, entries)
    _keep(path, _stamp(path) if written else None, entries)
    return written


def _keep(path: Path, stamp: Stamp | None, entries: Entries) -> None:
    """Remember one site's memo files (the full one and its changes), forgetting any other's."""
    for other in [p for p in _seen if p.with_suffix("") != path.with_suffix("")]:
        del _seen[other]
    if stamp is None:
        _seen.pop(path, None)
    else:
        _seen[path] = (stamp, entries)


class _BodyChecks:
    """``body.check_body``'s results of the last validation in this process, by plan file (path, digest)."""

    def __init__(self) -> None:
        self.plan_ids: frozenset[str] = frozenset()
        self.asked: object = None  # the set of plan ids the current validation passes (compared once)
        self.now: dict[tuple[str, str], tuple[Problem, ...]] = {}
        self.before: dict[tuple[str, str], tuple[Problem, ...]] = {}

    def check(self, plan: Plan, plan_ids: set[str]) -> list[Problem]:
        if not plan.digest:  # a record not read from a file: nothing to key it by
            return check_body(plan, plan_ids)
        if plan_ids is not self.asked:  # a new validation: its first plan
            same = plan_ids == self.plan_ids
            self.before, self.now = (self.now if same else {}), {}  # results the last one did not use go
            self.asked, self.plan_ids = plan_ids, frozenset(plan_ids)
        key = (plan.path, plan.digest)
        found = self.now.get(key)
        if found is None:
            found = self.before.pop(key, None)
            if found is None:
                found = tuple(check_body(plan, plan_ids))
            self.now[key] = found
        return list(found)


_body_checks = _BodyChecks()


def checked_body(plan: Plan, plan_ids: set[str]) -> list[Problem]:
    """``body.check_body(plan, plan_ids)``, remembered in this process by what it depends on.

    A body's problems follow from its file's bytes (``plan.digest``: its text, its first line) and
    its path, and from the set of plan ids its links must name. A serve rebuild checks again only
    the bodies whose file changed, or every body when a plan was added or removed. ``plan_ids`` must
    be the same set, unchanged, for every plan of one validation (it is compared once, by value).
    Only the last validation's results are kept.
    """
    return _body_checks.check(plan, plan_ids)
