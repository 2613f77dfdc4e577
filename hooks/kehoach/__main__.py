"""``python -m kehoach check [plans_dir]``: validate every plan without building."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from .hygiene import printable
from .site import check


def main(argv: list[str]) -> int:
    if len(argv) < 1 or argv[0] != "check":
        print("Cách dùng: python -m kehoach check [thư-mục-plans]", file=sys.stderr)
        return 2
    plans_dir = Path(argv[1] if len(argv) > 1 else "plans")
    if not plans_dir.is_dir():
        print(f"{printable(str(plans_dir))}: không có thư mục này", file=sys.stderr)
        return 2
    started = time.perf_counter()
    graph, problems = check(plans_dir, Path.cwd())
    for problem in problems:
        print(problem, file=sys.stderr)
    elapsed = time.perf_counter() - started
    if problems:
        print(f"Có {len(problems)} lỗi; chưa thể xuất bản. ({elapsed:.2f} giây)", file=sys.stderr)
        return 1
    assert graph is not None  # check() builds the graph whenever it finds nothing wrong
    print(f"Hợp lệ: {len(graph.plans)} văn bản, {len(graph.units)} đơn vị ({elapsed:.2f} giây).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
