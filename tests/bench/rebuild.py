"""What `make serve` does after an edit, timed against a full build (`make bench` runs it too).

Generates a corpus of N plans, times a full build (`make build`), then, in one process as
`mkdocs serve --dirty` does, builds the site (serve's first build), edits one school plan's
title, and runs the incremental rebuild (a fresh config, a dirty build, the search index kept).
Checks that the rebuild rewrote exactly the pages that a full build changes after the edit (a page
that holds the plan but does not show its title is rendered again and keeps its file). Prints the
times, the ratio and the pages rewritten; the last line is one JSON object.

    .venv/bin/python tests/bench/rebuild.py 1000
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "hooks"), str(Path(__file__).resolve().parent)]

from bench import cache_folders, drop_new_caches, scratch_dir  # noqa: E402
from corpus import generate  # noqa: E402
from kehoach.site import check  # noqa: E402


def build(site: Path, plans: Path, dirty: bool) -> float:
    """One build in this process, with a fresh config, as each serve rebuild loads one."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    os.environ.update(
        NO_MKDOCS_2_WARNING="1", KEHOACH_PLANS_DIR=str(plans), KEHOACH_SEARCH="false" if dirty else "true"
    )
    os.sync()  # as bench.py: no earlier writes left to throttle this build's
    started = time.perf_counter()
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=dirty)
    mkdocs_build(config, dirty=dirty)
    return time.perf_counter() - started


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    caches = cache_folders()
    tmp = scratch_dir("kehoach-rebuild-")  # in memory, as bench.py
    os.environ["KEHOACH_CACHE_DIR"] = str(Path(tmp) / "cache")  # the full build cold; serve's first reuses its bodies
    try:
        corpus, site = Path(tmp) / "corpus", Path(tmp) / "site"
        generate(n, corpus)
        plans = corpus / "plans"
        # Chosen first: a check between serve's builds would stand in for serve's first in the memo of body
        # checks (kehoach/memo.py keeps the last validation's), which `mkdocs serve` never does.
        graph, _ = check(plans)
        plan = next(p for p in graph.plans.values() if p.unit.startswith("truong") and graph.parents(p.id))
        full = build(Path(tmp) / "full", plans, dirty=False)  # what `make build` takes
        first = build(site, plans, dirty=True)  # `mkdocs serve --dirty`'s first build, into its own folder
        before = {p: p.stat().st_mtime_ns for p in site.rglob("index.html")}
        path = plans / f"{plan.id}.md"
        edited = path.read_text(encoding="utf-8").replace(plan.title, plan.title + " (đã sửa)", 1)
        path.write_text(edited, encoding="utf-8")
        rebuild = build(site, plans, dirty=True)
        changed = sorted(str(p.parent.relative_to(site)) for p, t in before.items() if p.stat().st_mtime_ns != t)
        # The pages the edit changes: those that differ between full builds before and after it (not timed).
        after = Path(tmp) / "full-after"
        build(after, plans, dirty=False)
        expected = {
            str(p.parent.relative_to(after))
            for p in after.rglob("index.html")
            if not (Path(tmp) / "full" / p.relative_to(after)).is_file()
            or p.read_bytes() != (Path(tmp) / "full" / p.relative_to(after)).read_bytes()
        }
        missing, extra = sorted(expected - set(changed)), sorted(set(changed) - expected)  # both should be empty
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        drop_new_caches(caches)
    print(
        f"n={n}: full build {full:.1f} s, serve's first build {first:.1f} s, "
        f"rebuild after editing {plan.id} {rebuild:.2f} s ({100 * rebuild / full:.1f} %), "
        f"{len(changed)} of {len(before)} pages rewritten, missing {missing or 'none'}, extra {extra or 'none'}"
    )
    print(
        json.dumps(
            {
                "n": n,
                "full_s": round(full, 2),
                "serve_first_s": round(first, 2),
                "rebuild_s": round(rebuild, 2),
                "rebuild_ratio": round(rebuild / full, 3),
                "pages_rerendered": len(changed),
                "pages": len(before),
                "missing": missing,
                "extra": extra,
            }
        )
    )
    return 1 if missing or extra else 0


if __name__ == "__main__":
    sys.exit(main())
