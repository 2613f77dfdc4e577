"""What `make serve` does after an edit, timed against a full build (`make bench` runs it too).

Generates a corpus of N plans, times a full build (`make build`), then, in one process as
`mkdocs serve --dirty` does, builds the site (serve's first build), edits one school plan's
title, and runs the incremental rebuild (a fresh config, a dirty build, the search index kept).
With ``--repeat K``, K edits of that title, each followed by its timed rebuild: the median counts
(one rebuild varies by about 0.1 s here). Checks that the rebuilds rewrote exactly the pages that a
full build changes after the edits (a page that holds the plan but does not show its title is
rendered again and keeps its file). Prints the times, the ratio and the pages rewritten; the last
line is one JSON object.

    .venv/bin/python tests/bench/rebuild.py 1000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
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
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments.add_argument("n", type=int, nargs="?", default=1000)
    arguments.add_argument("--repeat", type=int, default=1, help="edits, each timed; the median counts")
    options = arguments.parse_args()
    n, repeat = options.n, max(1, options.repeat)
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
        path = plans / f"{plan.id}.md"
        text = path.read_text(encoding="utf-8")
        rebuilds, changed_by = [], set()
        for edit in range(1, repeat + 1):  # one edit of the title per rebuild, as an editor saves it again
            before = {p: p.stat().st_mtime_ns for p in site.rglob("index.html")}
            path.write_text(text.replace(plan.title, f"{plan.title} (đã sửa {edit})", 1), encoding="utf-8")
            rebuilds.append(build(site, plans, dirty=True))
            changed_by |= {str(p.parent.relative_to(site)) for p, t in before.items() if p.stat().st_mtime_ns != t}
        rebuild, changed = statistics.median(rebuilds), sorted(changed_by)  # each edit shows on the same pages
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
        f"rebuild after editing {plan.id} {rebuild:.2f} s ({100 * rebuild / full:.1f} %; median of "
        f"{', '.join(f'{t:.2f}' for t in rebuilds)} s), "
        f"{len(changed)} of {len(before)} pages rewritten, missing {missing or 'none'}, extra {extra or 'none'}"
    )
    print(
        json.dumps(
            {
                "n": n,
                "full_s": round(full, 2),
                "serve_first_s": round(first, 2),
                "rebuild_s": round(rebuild, 2),
                "rebuilds_s": [round(t, 2) for t in rebuilds],
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
