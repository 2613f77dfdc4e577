"""``python -m kehoach.importer SRC... [--force] [--plans-dir DIR]`` (``make import SRC=... [FORCE=1]``).

Several sources are imported in one run, in order: a document two of them cite that plans/ lacks gets one
stub, naming both drafts as its sources."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .errors import ImportFailure
from .limits import IMPORT_SECONDS, MAX_PARAGRAPHS, READ_SECONDS, TEXT_BYTES, safe_name
from .stubfiles import Run
from .write import Result, import_file, problems_of
from .zipguard import MAX_DOCX_BYTES, MAX_TOTAL

USAGE = (
    "Cách dùng: python -m kehoach.importer TỆP.docx|TỆP.txt [TỆP…] [--force] [--plans-dir THƯ-MỤC]\n"
    '  (make import SRC=đường/dẫn/kế-hoạch.docx, nhiều tệp: SRC="a.docx b.txt"; '
    "thêm FORCE=1 để ghi đè bản nháp đã có)"
)
LIMITS = (
    f"Giới hạn: tệp .txt tối đa {TEXT_BYTES:,} byte — bằng giới hạn của trình kiểm tra (make check) "
    f"cho một tệp kế hoạch, vì bản nháp lớn hơn sẽ bị từ chối;\n"
    f"  tệp .docx tối đa {MAX_DOCX_BYTES:,} byte, giải nén tối đa {MAX_TOTAL:,} byte, chữ tối đa "
    f"{TEXT_BYTES:,} byte;\n"
    f"  tối đa {MAX_PARAGRAPHS:,} đoạn văn; đọc .docx tối đa {READ_SECONDS:g} giây, cả lần nhập "
    f"tối đa {IMPORT_SECONDS:g} giây."
)


def parse(argv: list[str]) -> tuple[list[Path], Path, bool] | None:
    sources: list[Path] = []
    plans_dir, force = Path("plans"), False
    args = iter(argv)
    for arg in args:
        if arg == "--force":
            force = True
        elif arg == "--plans-dir":
            value = next(args, None)
            if value is None:
                return None
            plans_dir = Path(value)
        elif arg.startswith("-"):
            return None
        else:
            sources.append(Path(arg))
    return (sources, plans_dir, force) if sources else None


def report(result: Result) -> None:
    print(f"Đã ghi bản nháp: {result.path}")
    draft = result.draft
    if draft.missing:
        print("Chưa xác định được (đã để trống, cần biên tập viên bổ sung):")
        for entry in draft.missing:
            print(f"  - {entry}")
    else:
        print("Đã xác định được mọi khóa chính.")
    if draft.warnings:
        print("Cần kiểm tra:")
        for entry in draft.warnings:
            print(f"  - {entry}")
    for path in result.stubs:
        print(f"Đã ghi tệp sơ lược cho văn bản căn cứ chưa có: {path}")
    for path in result.kept:
        print(f"Đã có tệp {path} cho một văn bản căn cứ (make check còn báo lỗi ở tệp đó): dùng lại, giữ nguyên")
    if draft.entries:
        print("Đề xuất thêm vào plans/units.yml (kiểm tra tên, loại và đơn vị cấp trên rồi dán):")
        for proposal in draft.entries:
            print("\n".join(f"  {line}" for line in proposal.lines))
    if result.problems:
        print(f"Trình kiểm tra (make check) còn báo {len(result.problems)} lỗi ở bản nháp và tệp sơ lược:")
        for problem in result.problems:
            print(f"  - {problem}")


def main(argv: list[str]) -> int:
    if "-h" in argv or "--help" in argv:
        print(USAGE + "\n" + LIMITS)
        return 0
    parsed = parse(argv)
    if parsed is None:
        print(USAGE, file=sys.stderr)
        return 2
    sources, plans_dir, force = parsed
    run, worst, written = Run(), 0, list[Result]()
    for source in sources:
        if len(sources) > 1:
            print(f"== {safe_name(str(source))}")
        code, result = import_one(source, plans_dir, force, run)
        worst, written = max(worst, code), written + ([result] if result is not None else [])
    if len(written) > 1:  # a later file may have completed a stub an earlier one wrote: the final word
        report_run(plans_dir, written)
    return worst


def report_run(plans_dir: Path, results: list[Result]) -> None:
    """What the checker says about every draft and stub of this run, once all its files are in."""
    paths = sorted({path for result in results for path in (result.path, *result.stubs)})
    problems = problems_of(plans_dir, paths)
    print("== Sau khi nhập mọi tệp của lần này")
    if not problems:
        print("Trình kiểm tra (make check) không còn báo lỗi ở các bản nháp và tệp sơ lược của lần nhập này.")
    else:
        print(
            f"Trình kiểm tra (make check) còn báo {len(problems)} lỗi ở các bản nháp và tệp sơ lược của lần nhập này:"
        )
        for problem in problems:
            print(f"  - {problem}")


def import_one(source: Path, plans_dir: Path, force: bool, run: Run) -> tuple[int, Result | None]:
    try:
        result = import_file(source, plans_dir, force, run)
    except ImportFailure as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1, None
    except OSError as exc:
        print(f"Lỗi: không đọc/ghi được tệp ({exc.strerror or exc}).", file=sys.stderr)
        return 1, None
    except Exception as exc:  # a bug, not bad input: a short message; KEHOACH_DEBUG=1 shows the traceback
        if os.environ.get("KEHOACH_DEBUG"):
            raise
        print(
            f"Lỗi nội bộ của trình nhập ({type(exc).__name__}). "
            "Hãy báo lỗi kèm tệp nguồn (chạy lại với KEHOACH_DEBUG=1 để xem chi tiết).",
            file=sys.stderr,
        )
        return 3, None
    report(result)
    return 0, result


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
