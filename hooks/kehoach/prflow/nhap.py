"""Import every source in ``nhap/`` into ``plans/``: one outcome per source, nothing invented."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from ..importer import ImportFailure, import_file
from ..importer.limits import safe_name
from ..importer.stubfiles import Run
from ..importer.write import problems_of
from ..model import Problem

NHAP = "nhap"
PLANS = "plans"
ACCEPTED = (".docx", ".txt")
KEPT = {"readme.md", ".gitkeep"}  # the folder's own files, never imported

WRONG_KIND = (
    "Chỉ nhập được tệp Word .docx hoặc văn bản .txt (UTF-8). Tệp .doc, .pdf hay ảnh chụp: mở bằng Word, "
    "chọn Lưu thành (Save As) → Word Document (.docx), rồi tải tệp .docx lên thay cho tệp này."
)
NOT_REGULAR = "Không phải một tệp bình thường (liên kết tượng trưng hoặc thư mục); không đọc."
INTERNAL = "Lỗi nội bộ của trình nhập ({name}); hãy báo cho người quản trị kèm tệp nguồn."


@dataclass(frozen=True)
class Outcome:
    """What importing one source did; ``error`` says why nothing was written."""

    source: str  # "nhap/ke-hoach.docx", one printable line
    written: tuple[str, ...] = ()  # every file of plans/ the import created or changed, "plans/x.md"
    missing: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()  # what `check` says about the draft and the stubs
    error: str = ""
    draft: str = ""  # "plans/x.md"
    stubs: tuple[str, ...] = ()  # stub documents written for cited documents not in plans/
    units: tuple[str, ...] = ()  # lines of units.yml entries proposed for issuing units not in it

    @property
    def ok(self) -> bool:
        return not self.error


def sources(root: Path) -> list[Path]:
    """The files an editor put in ``nhap/`` (sub-folders included), in name order."""
    folder = root / NHAP
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.rglob("*")):
        hidden = any(part.startswith(".") for part in path.relative_to(folder).parts)
        if not hidden and path.name.lower() not in KEPT and (path.is_symlink() or not path.is_dir()):
            found.append(path)
    return found


def import_all(root: Path) -> list[Outcome]:
    """One run for every source, as ``make import SRC="a.txt b.txt"``: a document two of them cite that
    plans/ lacks gets one stub, naming both drafts as its sources."""
    run = Run()
    outcomes = [import_one(source, root, run) for source in sources(root)]
    return _recheck(outcomes, root) if sum(o.ok for o in outcomes) > 1 else outcomes


def _recheck(outcomes: list[Outcome], root: Path) -> list[Outcome]:
    """What ``check`` says about each draft and its stubs once every source is in: a later upload may have
    completed a stub an earlier one wrote (its issuing unit, say), and the checklist shows the final files."""
    files = {path for outcome in outcomes if outcome.ok for path in (outcome.draft, *outcome.stubs)}
    everything = problems_of(root / PLANS, [root / path for path in sorted(files)])
    rechecked = []
    for outcome in outcomes:
        shown = {outcome.draft, *outcome.stubs}
        problems = tuple(p for p in everything if p.path in shown)
        rechecked.append(replace(outcome, problems=problems) if outcome.ok else outcome)
    return rechecked


def import_one(source: Path, root: Path, run: Run | None = None) -> Outcome:
    """Import ``source`` into ``root/plans``, sharing the stubs of ``run``; on success the source is removed
    from ``nhap/``."""
    shown = safe_name(source.relative_to(root).as_posix())
    if source.is_symlink() or not source.is_file():
        return Outcome(shown, error=NOT_REGULAR)
    if source.suffix.lower() not in ACCEPTED:
        return Outcome(shown, error=WRONG_KIND)
    plans = root / PLANS
    before = _snapshot(plans)
    try:
        result = import_file(source, plans, run=run)
    except ImportFailure as exc:
        return Outcome(shown, error=str(exc))
    except OSError as exc:
        return Outcome(shown, error=f"Không đọc/ghi được tệp ({exc.strerror or type(exc).__name__}).")
    except Exception as exc:  # a bug, not bad input: the job goes on with the other sources
        return Outcome(shown, error=INTERNAL.format(name=type(exc).__name__))
    written = tuple(f"{PLANS}/{name}" for name in _changed(before, _snapshot(plans)))
    source.unlink()
    draft = result.draft
    return Outcome(
        shown,
        written,
        tuple(draft.missing),
        tuple(draft.warnings),
        tuple(result.problems),
        draft=_shown(result.path, root),
        stubs=tuple(_shown(path, root) for path in result.stubs),
        units=tuple(line for entry in draft.entries for line in entry.lines),
    )


def _shown(path: Path, root: Path) -> str:
    return path.resolve().relative_to(root.resolve()).as_posix()


def copy_written(outcomes: list[Outcome], root: Path, out: Path) -> None:
    """The drafts and stubs, for a pull request whose branch the workflow may not push to (a fork)."""
    for outcome in outcomes:
        for name in outcome.written:
            target = out / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / name, target)


def _snapshot(folder: Path) -> dict[str, tuple[int, int, int]]:
    return {name: (s.st_size, s.st_mtime_ns, s.st_ino) for name, s in _stats(folder)}


def _stats(folder: Path) -> Iterator[tuple[str, os.stat_result]]:
    for path in folder.rglob("*"):
        if path.is_file() and not path.name.startswith("."):
            yield path.relative_to(folder).as_posix(), path.stat()


def _changed(before: dict[str, tuple[int, int, int]], after: dict[str, tuple[int, int, int]]) -> list[str]:
    return sorted(name for name, stat in after.items() if before.get(name) != stat)
