"""Load plans (``plans/*.md``) and units (``plans/units.yml``) into typed records."""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from . import fieldcheck, schema
from .files import MAX_FILE_BYTES, MAX_UNITS_BYTES, Missing, Refused, kind_problem, read_regular
from .frontmatter import parse_file, parse_units
from .hygiene import ascii_shown
from .memo import remembered_plans, remembered_units
from .model import Plan, Problem, Unit
from .reserved import reserved
from .text import nfc

UNITS_FILE = "units.yml"
TEMPLATE_PREFIX = "_"
MAX_BYTES = MAX_FILE_BYTES


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
    if plans_dir.is_symlink():  # a pull request could point it anywhere on the machine that builds
        message = "thư mục kế hoạch là liên kết tượng trưng (symlink); hãy dùng chính thư mục đó"
        loaded.problems.append(Problem(plans_dir.as_posix(), 1, "thư mục", message))
        return loaded
    if not plans_dir.is_dir():
        loaded.problems.append(Problem(_display(plans_dir, root), 1, "thư mục", "không có thư mục kế hoạch này"))
        return loaded
    paths = _plan_files(plans_dir, root, loaded.problems)
    units_path = plans_dir / UNITS_FILE
    loaded.units_path = _display(units_path, root)
    unit_problems: list[Problem] = []

    def read_units() -> list[Unit]:  # run while worker processes parse plans
        if memo and _is_regular(units_path):  # else refused by load_units, never read by the memo
            return _units_remembered(units_path, loaded.units_path, unit_problems, memo.with_suffix(".units"))
        return load_units(units_path, loaded.units_path, unit_problems)

    collecting = gc.isenabled()  # a caller may have turned collection off for longer
    gc.disable()  # thousands of small records: collections would run for nothing (4.5 → 3.1 s at 5,000)
    try:
        plans, problems, units = (
            _load_remembered(paths, root, memo, read_units) if memo else _load_plans(paths, root, read_units)
        )
    finally:
        if collecting:
            gc.enable()
    loaded.plans.extend(plans)
    loaded.problems.extend(problems + unit_problems)
    loaded.units = units
    return loaded


def _plan_files(plans_dir: Path, root: Path, problems: list[Problem]) -> list[Path]:
    """The plan files of the folder; a link, FIFO, device or folder named ``x.md`` is reported, never read."""
    paths = []
    for path in sorted(plans_dir.glob("*.md")):
        if path.name.startswith(TEMPLATE_PREFIX):
            continue
        try:
            refused = kind_problem(os.lstat(path).st_mode)
        except OSError:
            refused = "không đọc được tệp này"
        if refused:
            problems.append(Problem(_display(path, root), 1, "tệp", refused))
        else:
            paths.append(path)
    for other in sorted(plans_dir.glob("*.[mM]*")):  # x.MD, x.markdown: not read, so said, not ignored
        if other.suffix.lower() in (".md", ".markdown", ".mdown") and other.suffix != ".md":
            message = f"tệp có đuôi '{other.suffix}' không được đọc; hãy đổi tên thành {other.stem}.md"
            problems.append(Problem(_display(other, root), 1, "tệp", message))
    return paths


def _is_regular(path: Path) -> bool:
    try:
        return kind_problem(os.lstat(path).st_mode) is None
    except OSError:
        return False


def _units_remembered(path: Path, shown: str, problems: list[Problem], memo: Path) -> list[Unit]:
    """The units file as the previous build read it, if its bytes are unchanged (kehoach/memo.py)."""
    return remembered_units(path, lambda found: load_units(path, shown, found), problems, memo)


T = TypeVar("T")
PARALLEL_FROM = 400  # below this many files, one process is faster than starting workers


def _load_chunk(paths: list[Path], root: Path) -> tuple[list[Plan], list[Problem]]:
    plans: list[Plan] = []
    problems: list[Problem] = []
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


def _load_remembered(
    paths: list[Path], root: Path, memo: Path, meanwhile: Callable[[], T]
) -> tuple[list[Plan], list[Problem], T]:
    """Reuse the plans parsed by the previous build for files whose bytes are unchanged (kehoach/memo.py)."""
    return remembered_plans(paths, memo, lambda fresh: _load_plans(fresh, root, meanwhile), lambda p: _display(p, root))


def _display(path: Path, root: Path) -> str:
    try:
        return (path.parent.resolve() / path.name).relative_to(root.resolve()).as_posix()  # a link is not followed
    except ValueError:
        return path.as_posix()


def read_text(
    path: Path, shown: str, problems: list[Problem], missing: str = "không có tệp này", limit: int = MAX_BYTES
) -> str | None:
    """Strict UTF-8 text with BOM removed, LF line ends and NFC; None when unreadable."""
    try:
        raw = read_regular(path, limit)  # only a regular file, never more than limit + 1 bytes
    except Missing:
        problems.append(Problem(shown, 1, "tệp", missing))
        return None
    except Refused as exc:
        problems.append(Problem(shown, 1, "tệp", str(exc)))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(
                shown, line, "tệp", "tệp không phải UTF-8 (có thể là Windows-1258 hoặc TCVN3); hãy lưu lại dạng UTF-8"
            )
        )
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
        problems.append(Problem(shown, line, _shown_key(key), message))
    name_problem = _id_problem(path.stem, "tên tệp")
    if name_problem:
        problems.append(Problem(shown, 1, "tệp", name_problem + ", ví dụ 09-kh-cb-tran-quoc-toan.md"))
    if not parsed.data:  # unreadable or missing front matter: already reported
        return None
    before = len(problems)
    refused = {key for _, key, _ in parsed.errors}  # a value the parser refused is not reported twice
    fieldcheck.check(parsed.data, schema.PLAN, "", _reporter(problems, shown, lines, refused))
    if parsed.errors or len(problems) > before:
        return None
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
    return schema.build(
        Plan,
        schema.PLAN,
        parsed.data,
        id=path.stem,
        path=shown,
        body=parsed.body,
        body_line=parsed.body_line,
        digest=digest,
        lines=lines,
    )


def _reporter(
    problems: list[Problem], shown: str, lines: dict[str, int], refused: frozenset[str] | set[str] = frozenset()
) -> Callable[[str, str], None]:
    def report(key: str, message: str) -> None:
        if key not in refused:
            problems.append(Problem(shown, _line_for(lines, key), _shown_key(key), message))

    return report


_OWN_KEYS = frozenset(("toàn văn", "tệp", "thư mục"))  # keys of the checker itself, not of a file


def _shown_key(key: str) -> str:
    """A key from a file, as printed: non-ASCII escaped (every key of the schema is ASCII)."""
    return key if key.isascii() or key in _OWN_KEYS else ascii_shown(key)


def _id_problem(value: str, what: str) -> str | None:
    """Why ``value`` cannot be a plan or unit id (ASCII ``[a-z0-9-]``, not a name the site uses)."""
    if not fieldcheck.ID.fullmatch(value):
        return f"{what} chỉ gồm chữ thường không dấu, số và dấu '-' (đang là '{ascii_shown(value)}')"
    if reserved(value):
        return f"{what} '{value}' trùng một tên trang của chính trang web; hãy chọn tên khác"
    return None


def _line_for(lines: dict[str, int], key: str) -> int:
    while key and key not in lines:
        key = key.rpartition(".")[0] if "." in key else ""
    return lines.get(key, lines.get("", 1))


def load_units(path: Path, shown: str, problems: list[Problem]) -> list[Unit]:
    text = read_text(path, shown, problems, missing="thiếu tệp danh sách đơn vị", limit=MAX_UNITS_BYTES)
    if text is None:
        return []
    data, lines, errors = parse_units(text)
    problems.extend(Problem(shown, line, _shown_key(key), message) for line, key, message in errors)
    if not isinstance(data, dict):
        if not errors:
            problems.append(Problem(shown, 1, "tệp", "tệp đơn vị phải là các cặp mã-đơn-vị: thông tin"))
        return []
    units = []
    for unit_id, entry in data.items():
        refused = {key for _, key, _ in errors if key == unit_id or key.startswith(unit_id + ".")}
        report = _reporter(problems, shown, lines, refused)
        before = len(problems)
        id_problem = _id_problem(unit_id, "mã đơn vị")
        if id_problem:
            problems.append(Problem(shown, lines.get(unit_id, 1), _shown_key(unit_id), id_problem))
            continue
        if not isinstance(entry, dict):
            report(unit_id, "phải là nhóm khóa name, kind, parent")
            continue
        fieldcheck.check(entry, schema.UNIT, unit_id, report)
        if len(problems) == before and not refused:
            units.append(schema.build(Unit, schema.UNIT, entry, id=unit_id, line=lines.get(unit_id, 1)))
    return units
