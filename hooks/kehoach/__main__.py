"""``python -m kehoach check [--github] [plans_dir]``: validate every plan without building; warnings do not fail it.

``python -m kehoach suggest [plans_dir]``: likely ``serves`` links for editors (kehoach/suggest.py).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from .ghactions import annotation_lines
from .hygiene import printable
from .site import review


def main(argv: list[str]) -> int:
    if argv[:1] == ["suggest"]:  # likely serves links for editors to review (kehoach/suggest.py)
        from .suggest import main as suggest

        return suggest(argv[1:])
    if len(argv) < 1 or argv[0] != "check":
        print("Cách dùng: python -m kehoach check [--github] [thư-mục-plans]", file=sys.stderr)
        print("           python -m kehoach suggest [thư-mục-plans] [--out tệp.md]", file=sys.stderr)
        return 2
    github = "--github" in argv  # GitHub Actions annotations on stdout instead of lines (kehoach/ghactions.py)
    argv = [arg for arg in argv if arg != "--github"]
    plans_dir = Path(argv[1] if len(argv) > 1 else "plans")
    if not plans_dir.is_dir():
        print(f"{printable(str(plans_dir))}: không có thư mục này", file=sys.stderr)
        return 2
    started = time.perf_counter()
    graph, problems, warnings = review(plans_dir, Path.cwd())
    if github:  # the runner reads workflow commands from stdout
        for line in annotation_lines(problems) + annotation_lines(warnings, "warning"):
            print(line)
    for problem in [] if github else problems:
        print(problem, file=sys.stderr)
    for warning in [] if github else warnings:  # after the problems: "path:LINE: key: cảnh báo: ..."
        print(warning, file=sys.stderr)
    elapsed = time.perf_counter() - started
    noted = f" và {len(warnings)} cảnh báo (không chặn xuất bản)" if warnings else ""
    if problems:
        print(f"Có {len(problems)} lỗi{noted}; chưa thể xuất bản. ({elapsed:.2f} giây)", file=sys.stderr)
        return 1
    assert graph is not None  # check() builds the graph whenever it finds nothing wrong
    counts = f"{len(graph.plans)} văn bản, {len(graph.units)} đơn vị"
    noted = f"; {len(warnings)} cảnh báo, không chặn xuất bản" if warnings else ""
    print(f"Hợp lệ: {counts}{noted} ({elapsed:.2f} giây).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
