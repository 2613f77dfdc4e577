"""Load plans (``plans/*.md``) and units (``plans/units.yml``) into typed records."""
from __future__ import annotations

import dataclasses
import gc
import hashlib
import multiprocessing
import os
import pickle
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TypeVar

from . import schema
from .frontmatter import parse_file, parse_yaml
from .model import Citation, Plan, Problem, Responsibility, Signer, Source, Target, Unit
from .text import nfc

UNITS_FILE = "units.yml"
TEMPLATE_PREFIX = "_"
MAX_BYTES = 1_000_000
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass
class Loaded:
    plans: list[Plan] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    units_path: str = UNITS_FILE


def load(plans_dir: Path, root: Path | None = None, memo: Path | None = None) -> Loaded:
    """Read every plan and the units file; collect all problems, never stop early."""
    root = root or plans_dir.parent
    loaded = Loaded()
    if not plans_dir.is_dir():
        loaded.problems.append(Problem(_display(plans_dir, root), 1, "thư mục", "không có thư mục kế hoạch này"))
        return loaded
    paths = [p for p in sorted(plans_dir.glob("*.md")) if not p.name.startswith(TEMPLATE_PREFIX)]
    units_path = plans_dir / UNITS_FILE
    loaded.units_path = _display(units_path, root)
    unit_problems: list[Problem] = []

    def read_units() -> list[Unit]:  # run while worker processes parse plans
        if memo:
            return _units_remembered(units_path, loaded.units_path, unit_problems, memo.with_suffix(".units"))
        return load_units(units_path, loaded.units_path, unit_problems)

    collecting = gc.isenabled()  # a caller may have turned collection off for longer
    gc.disable()  # thousands of small records: collections would run for nothing (4.5 → 3.1 s at 5,000)
    try:
        plans, problems, units = (_load_remembered(paths, root, memo, read_units) if memo
                                  else _load_plans(paths, root, read_units))
    finally:
        if collecting:
            gc.enable()
    loaded.plans.extend(plans)
    loaded.problems.extend(problems + unit_problems)
    loaded.units = units
    return loaded


def _units_remembered(path: Path, shown: str, problems: list[Problem], memo: Path) -> list[Unit]:
    """The units file as the previous build read it, if its size and time are unchanged."""
    try:
        stat = path.stat()
    except OSError:
        return load_units(path, shown, problems)
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    try:
        remembered, units = pickle.loads(memo.read_bytes())
        if remembered == key:
            return units
    except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError, TypeError):
        pass
    found: list[Problem] = []
    units = load_units(path, shown, found)
    problems.extend(found)
    if not found:
        memo.parent.mkdir(parents=True, exist_ok=True)
        memo.write_bytes(pickle.dumps((key, units)))
    return units


T = TypeVar("T")
PARALLEL_FROM = 400  # below this many files, one process is faster than starting workers


def _load_chunk(paths: list[Path], root: Path) -> tuple[list[Plan], list[Problem]]:
    plans, problems = [], []
    for path in paths:
        plan = load_plan(path, _display(path, root), problems)
        if plan is not None:
            plans.append(plan)
    return plans, problems


def _load_plans(paths: list[Path], root: Path, meanwhile: Callable[[], T]) -> tuple[list[Plan], list[Problem], T]:
    """Parse every plan file, on every core for large folders (YAML parsing dominates).

    ``meanwhile()`` (reading the units file) runs in this process while the workers parse.
    """
    workers = min(os.cpu_count() or 1, 8)
    pool = None
    if len(paths) >= PARALLEL_FROM and workers >= 2:
        chunks = [paths[i::workers] for i in range(workers)]
        try:
            pool = ProcessPoolExecutor(workers - 1, mp_context=multiprocessing.get_context("fork"))
            others = [pool.submit(_load_chunk, chunk, root) for chunk in chunks[1:]]
        except (OSError, ValueError):  # no fork here: stay in one process
            if pool is not None:
                pool.shutdown(cancel_futures=True)
            pool = None
    if pool is None:
        return *_load_chunk(paths, root), meanwhile()
    with pool:  # this process reads the units and parses a share too, rather than wait for pickled plans
        done = meanwhile()
        results = [_load_chunk(chunks[0], root)] + [other.result() for other in others]
    plans = sorted((p for chunk, _ in results for p in chunk), key=lambda p: p.path)
    problems = [problem for _, chunk in results for problem in chunk]
    return plans, problems, done


def _load_remembered(paths: list[Path], root: Path, memo: Path, meanwhile: Callable[[], T]) -> tuple[list[Plan], list[Problem], T]:
    """Reuse the plans parsed by the previous build for files whose size and time are unchanged.

    The memo is a full file plus a small file of what changed since (a serve rebuild after one
    edit writes one plan, not all of them); the full file is rewritten when the changes grow.
    """
    full, changes = _read_memo(memo), _read_memo(memo.with_suffix(".changes"))
    known = {**full, **changes}
    stats = {str(p): (s.st_size, s.st_mtime_ns) for p in paths for s in [p.stat()]}
    fresh = {p for p in paths if str(p) not in known or known[str(p)][0] != stats[str(p)]}
    plans, problems, done = _load_plans([p for p in paths if p in fresh], root, meanwhile)
    parsed = {plan.path: plan for plan in plans}
    result = []
    for path in paths:
        plan = parsed.get(_display(path, root)) if path in fresh else known[str(path)][1]
        if plan is not None:
            result.append(plan)
    if problems or not (fresh or len(known) != len(paths)):  # kept as it is unless a plan changed
        return result, problems, done
    entries = {str(p): (stats[str(p)], plan) for p, plan in zip(paths, result)}
    changed = {path: entry for path, entry in entries.items() if path not in full or full[path][0] != entry[0]}
    memo.parent.mkdir(parents=True, exist_ok=True)
    if len(changed) <= max(20, len(paths) // 20) and set(full) == set(entries):  # else: files added or removed
        memo.with_suffix(".changes").write_bytes(pickle.dumps(changed))
    else:
        memo.write_bytes(pickle.dumps(entries))
        memo.with_suffix(".changes").unlink(missing_ok=True)
    return result, problems, done


def _read_memo(path: Path) -> dict[str, tuple[tuple[int, int], Plan]]:
    try:
        return pickle.loads(path.read_bytes())
    except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError):
        return {}


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read_text(path: Path, shown: str, problems: list[Problem]) -> str | None:
    """Strict UTF-8 text with BOM removed, LF line ends and NFC; None when unreadable."""
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        problems.append(Problem(shown, 1, "tệp", f"tệp quá lớn ({len(raw):,} byte, tối đa {MAX_BYTES:,})"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(Problem(shown, line, "tệp", "tệp không phải UTF-8 (có thể là Windows-1258 hoặc TCVN3); hãy lưu lại dạng UTF-8"))
        return None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        problems.append(Problem(shown, 1, "tệp", "tệp trống"))
        return None
    return nfc(text)


def load_plan(path: Path, shown: str, problems: list[Problem]) -> Plan | None:
    text = read_text(path, shown, problems)
    if text is None:
        return None
    parsed = parse_file(text)
    lines = parsed.lines
    for line, key, message in parsed.errors:
        problems.append(Problem(shown, line, key, message))
    if not _ID.match(path.stem):
        problems.append(Problem(shown, 1, "tệp", "tên tệp chỉ gồm chữ thường không dấu, số và dấu '-', ví dụ 09-kh-cb-tran-quoc-toan.md"))
    if not parsed.data:  # unreadable or missing front matter: already reported
        return None
    before = len(problems)
    schema.check(parsed.data, schema.PLAN, "", _reporter(problems, shown, lines))
    if parsed.errors or len(problems) > before:
        return None
    plan = _plan(path.stem, shown, parsed.data, lines, parsed.body, parsed.body_line)
    return dataclasses.replace(plan, digest=hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest())


def _reporter(problems: list[Problem], shown: str, lines: dict[str, int]):
    def report(key: str, message: str) -> None:
        problems.append(Problem(shown, _line_for(lines, key), key, message))

    return report


def _line_for(lines: dict[str, int], key: str) -> int:
    while key and key not in lines:
        key = key.rpartition(".")[0] if "." in key else ""
    return lines.get(key, lines.get("", 1))


def _plan(plan_id: str, shown: str, d: dict[str, Any], lines: dict[str, int], body: str, body_line: int) -> Plan:
    signer = d.get("signer")
    return Plan(
        id=plan_id,
        path=shown,
        title=d["title"],
        type=d["type"],
        unit=d["unit"],
        status=d["status"],
        number=d.get("number"),
        number_note=d.get("number_note"),
        place=d.get("place"),
        date=d.get("date"),
        date_note=d.get("date_note"),
        signer=Signer(signer.get("name"), signer.get("role"), signer.get("on_behalf")) if signer else None,
        parents=tuple(Citation(p["id"], p.get("number"), p.get("date")) for p in d.get("parents") or ()),
        targets=tuple(Target(**{k: v for k, v in t.items() if v is not None}) for t in d.get("targets") or ()),
        responsibilities=tuple(Responsibility(**r) for r in d.get("responsibilities") or ()),
        topics=tuple(d.get("topics") or ()),
        sources=tuple(Source(**s) for s in d.get("sources") or ()),
        reported=bool(d.get("reported")),
        summary=d.get("summary"),
        notes=d.get("notes"),
        body=body,
        body_line=body_line,
        lines=lines,
    )


def load_units(path: Path, shown: str, problems: list[Problem]) -> list[Unit]:
    if not path.exists():
        problems.append(Problem(shown, 1, "tệp", "thiếu tệp danh sách đơn vị"))
        return []
    text = read_text(path, shown, problems)
    if text is None:
        return []
    data, lines, errors = parse_yaml(text)
    problems.extend(Problem(shown, line, key, message) for line, key, message in errors)
    if not isinstance(data, dict):
        if not errors:
            problems.append(Problem(shown, 1, "tệp", "tệp đơn vị phải là các cặp mã-đơn-vị: thông tin"))
        return []
    units = []
    for unit_id, entry in data.items():
        report = _reporter(problems, shown, lines)
        before = len(problems)
        if not _ID.match(unit_id):
            report(unit_id, "mã đơn vị chỉ gồm chữ thường không dấu, số và dấu '-'")
        if not isinstance(entry, dict):
            report(unit_id, "phải là nhóm khóa name, kind, parent")
            continue
        schema.check(entry, schema.UNIT, unit_id, report)
        if len(problems) == before:
            units.append(
                Unit(
                    unit_id,
                    entry["name"],
                    entry["kind"],
                    entry.get("parent"),
                    entry.get("note") or "",
                    lines.get(unit_id, 1),
                    bool(entry.get("party")),
                )
            )
    return units
