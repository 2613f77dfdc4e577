"""Benchmark: our site against a plain mkdocs-material build of the same plans (``make bench N=1000``).

Generates a corpus of N plans (``tests/bench/corpus.py``) in a temporary folder, then, one after the other:

1. ``python -m kehoach check`` on it;
2. our full site: ``mkdocs build`` with ``KEHOACH_PLANS_DIR=<corpus>/plans`` and a temporary config that
   INHERITs the real ``mkdocs.yml`` and only adds ``timing_hook.py`` (stage times; see that file);
3. a plain Material site of the same Markdown bodies (one page per plan, plans out of the nav, the default
   search plugin on), with the same timing hook.

It prints wall times, stage times, sizes, the search bytes a first query fetches, the peak memory of each
process tree, and as its LAST line one JSON object with everything.

Everything is written under ``/dev/shm`` (tmpfs) when it is writable, and the disk is synced before each
build: on this VM the same 5,000 files take 0.7 to 3.7 s to write to disk from one run to the next, which
would swamp the build's own work (``--disk`` writes to the system's temporary folder instead).
``--repeat K`` builds each site K times, alternating, and keeps each one's fastest run.

    .venv/bin/python tests/bench/bench.py 1000 [--seed 71] [--keep DIR] [--no-browser] [--repeat K] [--disk]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOOKS = ROOT / "hooks"
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HOOKS), str(HERE)]

import yaml  # noqa: E402
from mkdocs.utils.yaml import get_yaml_loader  # noqa: E402

from corpus import generate  # noqa: E402
from kehoach.cachedir import configured_root  # noqa: E402
from kehoach.load import load  # noqa: E402
from searchbytes import first_query_bytes  # noqa: E402

# How the fine stages of timing_hook.py add up to the stages of issue 5.
GROUPS = {
    "load+validate+graph": ("load_validate_graph",),
    "git history": ("git_history",),
    "page generation (records, files, nav, templates)": ("page_records", "files_nav", "templates"),
    "markdown rendering": ("markdown",),
    "search indexing": ("search",),
    "open data and feeds": ("open_data",),
    "writing": ("write",),
    "other (startup, config, post-build, build loop)": ("startup", "config_other", "post_build_other", "build_other"),
}


PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
TREE_PEAKS: dict[str, float] = {}  # log name → peak of the summed RSS of the process tree, MB
CPU_SECONDS: dict[str, float] = {}  # log name → user + system seconds of the last run and the children it waited for


def tree_rss(root: int) -> int:
    """Bytes of memory used now by ``root`` and all its descendants (Linux /proc).

    Counted as PSS (proportional set size): the build forks workers that share its memory copy-on-write,
    and summing their RSS would count the shared pages once per process.
    """
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(stat.parent.name))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += _pss(pid)
        stack.extend(children.get(pid, ()))
    return total


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:  # no smaps_rollup: resident pages
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return 0


def cache_folders() -> set[Path]:
    """The site cache folders there are now (kehoach.cachedir.site_folder: one per site folder)."""
    root = configured_root()
    return set(root.iterdir()) if root.is_dir() else set()


def drop_new_caches(before: set[Path]) -> None:
    """Remove the cache folders (parsed plans, QR codes) that builds made since ``before``."""
    for folder in cache_folders() - before:
        shutil.rmtree(folder, ignore_errors=True)


def scratch_dir(prefix: str, disk: bool = False) -> Path:
    """A new temporary folder: in memory (/dev/shm) unless ``disk`` or there is none (see the module's doc)."""
    shm = Path("/dev/shm")
    memory = not disk and shm.is_dir() and os.access(shm, os.W_OK)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=shm if memory else None))


def run(cmd: list[str], env: dict[str, str], log: Path) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MB of the process and its waited-for children, exit code).

    The peak RSS comes from wait4 (the largest single process of the tree); the peak of the tree's
    summed RSS (MkDocs and Pagefind are alive at the same time) is sampled every 0.1 s into TREE_PEAKS.
    """
    os.sync()  # no earlier writes left to throttle this build's
    env = dict(env, KEHOACH_BENCH_T0=repr(time.time()))
    done = threading.Event()
    with log.open("wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        peak = [0]

        def sample() -> None:
            while not done.wait(0.1):
                peak[0] = max(peak[0], tree_rss(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        done.set()
        sampler.join()
    # a short final peak may fall between samples
    TREE_PEAKS[log.stem] = max(TREE_PEAKS.get(log.stem, 0), peak[0] / 1024 / 1024, usage.ru_maxrss / 1024)
    CPU_SECONDS[log.stem] = usage.ru_utime + usage.ru_stime
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, proc.returncode


def timed_run(result: tuple[float, float, int], what: str, log: Path, stages: Path) -> tuple[float, float, dict]:
    """One build's (seconds, peak RSS, stage times), after checking it succeeded."""
    seconds, rss = must(result, what, log)
    return seconds, rss, json.loads(stages.read_text(encoding="utf-8"))


def must(result: tuple[float, float, int], what: str, log: Path) -> tuple[float, float]:
    if result[2] != 0:
        sys.stderr.write(log.read_text(encoding="utf-8", errors="replace")[-4000:])
        raise SystemExit(f"{what} failed (exit {result[2]}); log: {log}")
    return result[0], result[1]


def real_config() -> dict:
    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=get_yaml_loader()) or {}


def ours_config(work: Path) -> Path:
    """The real config, inherited, with absolute paths (a config's paths resolve from its own folder)."""
    real = real_config()
    hooks = [str((ROOT / h).resolve()) for h in real.get("hooks") or ()] + [str(HERE / "timing_hook.py")]
    theme = {"custom_dir": str(ROOT / real["theme"]["custom_dir"])} if real.get("theme", {}).get("custom_dir") else {}
    config = {
        "INHERIT": str(ROOT / "mkdocs.yml"),
        "docs_dir": str(ROOT / real.get("docs_dir", "docs")),
        "hooks": hooks,
        "watch": [str(ROOT / w) for w in real.get("watch") or () if (ROOT / w).exists()],
    }
    if theme:
        config["theme"] = theme
    path = work / "ours.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def plain_project(work: Path, plans_dir: Path) -> Path:
    """A minimal Material project: every plan body a page under van-ban/, out of the nav, search on."""
    docs = work / "plain" / "docs"
    (docs / "van-ban").mkdir(parents=True)
    (docs / "index.md").write_text("# Plain Material baseline\n", encoding="utf-8")
    loaded = load(plans_dir)
    for plan in loaded.plans:
        (docs / "van-ban" / f"{plan.id}.md").write_text(f"# {plan.title}\n{plan.body}", encoding="utf-8")
    config = {
        "site_name": "Plain Material baseline",
        "docs_dir": "docs",
        "use_directory_urls": True,
        "theme": {"name": "material", "language": "vi", "font": False},
        "plugins": ["search"],
        "hooks": [str(HERE / "timing_hook.py")],
        "nav": ["index.md"],
        "not_in_nav": "/van-ban/\n",
        "markdown_extensions": real_config().get("markdown_extensions", []),
    }
    path = work / "plain" / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def tree_bytes(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def mean_size(paths: list[Path]) -> float:
    return sum(p.stat().st_size for p in paths) / len(paths) if paths else 0.0


def search_facts(site: Path, browser: bool) -> dict:
    """What a first query costs: Material's lunr index, or Pagefind's files for "giáo dục"."""
    facts: dict = {}
    lunr = site / "search" / "search_index.json"
    if lunr.exists():
        data = lunr.read_bytes()
        facts.update(lunr_index_bytes=len(data), lunr_index_gzip_bytes=len(gzip.compress(data, 6)))
        facts.update(first_query_bytes=len(data), first_query_method="lunr: search/search_index.json")
    if (site / "pagefind").is_dir():
        facts["pagefind_bundle_bytes"] = tree_bytes(site / "pagefind")[0]
        facts.update(first_query_bytes(site, "giáo dục", browser))
    return facts


def stage_table(stages: dict[str, float]) -> list[tuple[str, float]]:
    return [(name, sum(stages.get(s, 0.0) for s in parts)) for name, parts in GROUPS.items()]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, nargs="?", default=1000, help="number of plans (default 1000)")
    parser.add_argument("--seed", type=int, default=71)
    parser.add_argument("--keep", type=Path, help="keep the corpus, configs, logs and both sites in this folder")
    parser.add_argument("--no-browser", action="store_true", help="estimate Pagefind's first-query bytes from files")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="run our build under cProfile (slower; times are then not comparable) and print the top functions",
    )
    parser.add_argument("--repeat", type=int, default=1, help="build each site this many times, keep the fastest")
    parser.add_argument("--disk", action="store_true", help="write corpus and sites to disk, not /dev/shm")
    args = parser.parse_args(argv)

    caches = cache_folders()
    work = scratch_dir("kehoach-bench-", args.disk) if args.keep is None else args.keep.resolve()
    work.mkdir(parents=True, exist_ok=True)
    # A cache folder of its own (kehoach/cachedir.py): the first build of each site is cold whatever earlier
    # builds kept (rendered bodies are kept by code version, for any site); later ones reuse what it made.
    env = dict(os.environ, PYTHONPATH=str(HOOKS), NO_MKDOCS_2_WARNING="1", KEHOACH_CACHE_DIR=str(work / "cache"))
    env.pop("KEHOACH_UNIT", None)
    try:
        print(f"Generating {args.n} plans in {work / 'corpus'} ...", flush=True)
        started = time.perf_counter()
        plans_dir = generate(args.n, work / "corpus", args.seed)
        generate_s = time.perf_counter() - started
        sources = sorted(plans_dir.glob("*.md"))
        loaded = load(plans_dir)
        wards = sum(1 for u in loaded.units if u.kind == "phuong")

        print("python -m kehoach check ...", flush=True)
        check_s, check_rss = must(
            run([sys.executable, "-m", "kehoach", "check", str(plans_dir)], env, work / "check.log"),
            "kehoach check",
            work / "check.log",
        )

        ours_site, ours_json = work / "site-ours", work / "ours-stages.json"
        ours_env = dict(env, KEHOACH_PLANS_DIR=str(plans_dir), KEHOACH_BENCH_OUT=str(ours_json))
        ours_cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(ours_config(work)), "-d", str(ours_site)]
        if args.profile:
            ours_cmd[1:1] = ["-m", "cProfile", "-o", str(work / "ours.prof")]
        plain_site, plain_json = work / "site-plain", work / "plain-stages.json"
        plain_cmd = [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "-f",
            str(plain_project(work, plans_dir)),
            "-d",
            str(plain_site),
        ]
        plain_env = dict(env, KEHOACH_BENCH_OUT=str(plain_json))
        print(
            f"Building in {work} ({'memory' if str(work).startswith('/dev/shm') else 'disk'}), "
            f"{args.repeat} time(s) each",
            flush=True,
        )
        ours_runs, plain_runs = [], []
        for _ in range(max(1, args.repeat)):
            print("mkdocs build (ours) ...", flush=True)
            ours_runs.append(
                timed_run(run(ours_cmd, ours_env, work / "ours.log"), "our build", work / "ours.log", ours_json)
            )
            print("mkdocs build (plain Material) ...", flush=True)
            plain_runs.append(
                timed_run(run(plain_cmd, plain_env, work / "plain.log"), "plain build", work / "plain.log", plain_json)
            )
        (ours_s, _, ours), (plain_s, _, plain) = (min(runs, key=lambda r: r[0]) for runs in (ours_runs, plain_runs))
        # the fastest run of each; memory: the most
        ours_rss, plain_rss = max(r[1] for r in ours_runs), max(r[1] for r in plain_runs)
        if args.repeat > 1:
            print(
                f"ours: {', '.join(f'{r[0]:.2f}' for r in ours_runs)} s; "
                f"plain: {', '.join(f'{r[0]:.2f}' for r in plain_runs)} s"
            )

        html = sorted(ours_site.glob("van-ban/*/index.html"))
        plain_html = sorted(plain_site.glob("van-ban/*/index.html"))
        site_bytes, site_files = tree_bytes(ours_site)
        plain_bytes, plain_files = tree_bytes(plain_site)
        source_bpp = mean_size(sources)
        body_bpp = sum(len(p.body.encode()) for p in loaded.plans) / len(loaded.plans)
        ours_search = search_facts(ours_site, not args.no_browser)
        plain_search = search_facts(plain_site, False)
        biggest = sorted(ours_site.rglob("*.html"), key=lambda p: p.stat().st_size, reverse=True)[:3]

        result = {
            "n": args.n,
            "plans": len(loaded.plans),
            "units": len(loaded.units),
            "wards": wards,
            "seed": args.seed,
            "ours_s": round(ours_s, 2),
            "plain_s": round(plain_s, 2),
            "ratio": round(ours_s / plain_s, 3),
            "check_s": round(check_s, 2),
            "generate_s": round(generate_s, 2),
            "stages": ours["stages"],
            "plain_stages": plain["stages"],
            "pages_by_template": ours["pages_by_template"],
            "html_bytes_per_plan": round(mean_size(html)),
            "plain_html_bytes_per_plan": round(mean_size(plain_html)),
            "source_bytes_per_plan": round(source_bpp),
            "body_bytes_per_plan": round(body_bpp),
            "html_to_source": round(mean_size(html) / source_bpp, 2),
            "site_bytes": site_bytes,
            "site_files": site_files,
            "plain_site_bytes": plain_bytes,
            "plain_site_files": plain_files,
            "largest_pages": {str(p.relative_to(ours_site)): p.stat().st_size for p in biggest},
            "search": ours_search,
            "plain_search": plain_search,
            "search_first_query_bytes": ours_search.get("first_query_bytes"),
            "plain_search_first_query_bytes": plain_search.get("first_query_bytes"),
            "peak_rss_mb": round(ours_rss, 1),
            "mkdocs_rss_mb": ours["mkdocs_rss_mb"],
            "children_rss_mb": ours["children_rss_mb"],
            "peak_tree_rss_mb": round(TREE_PEAKS["ours"], 1),
            "plain_peak_rss_mb": round(plain_rss, 1),
            "plain_peak_tree_rss_mb": round(TREE_PEAKS["plain"], 1),
            "check_rss_mb": round(check_rss, 1),
        }
        report(result)
        if args.profile:
            import pstats

            print(f"Profile of our build ({work / 'ours.prof'}), by cumulative time:")
            pstats.Stats(str(work / "ours.prof"), stream=sys.stdout).sort_stats("cumulative").print_stats(40)
        print(json.dumps(result, ensure_ascii=False, separators=(",", ":")))
    except BaseException:
        print(f"(kept {work} for inspection)", file=sys.stderr)
        raise
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
        drop_new_caches(caches)
    return 0


def report(r: dict) -> None:
    mb = 1024 * 1024
    print()
    print(
        f"Corpus: {r['plans']} plans, {r['units']} units, {r['wards']} wards (seed {r['seed']}); "
        f"generated in {r['generate_s']:.2f} s"
    )
    print(f"check:        {r['check_s']:7.2f} s   peak {r['check_rss_mb']:.0f} MB")
    print(
        f"ours:         {r['ours_s']:7.2f} s   peak {r['peak_rss_mb']:.0f} MB "
        f"(largest process; mkdocs {r['mkdocs_rss_mb']:.0f} MB, "
        f"its children {r['children_rss_mb']:.0f} MB; whole tree at once {r['peak_tree_rss_mb']:.0f} MB PSS)"
    )
    print(
        f"plain:        {r['plain_s']:7.2f} s   peak {r['plain_peak_rss_mb']:.0f} MB "
        f"(whole tree {r['plain_peak_tree_rss_mb']:.0f} MB)"
    )
    print(f"ratio:        {r['ratio']:7.2f}   (ours / plain)")
    print("\nStages (seconds)                                     ours    plain")
    plain = dict(stage_table(r["plain_stages"]))
    for name, seconds in stage_table(r["stages"]):
        print(f"  {name:<50} {seconds:6.2f}  {plain.get(name, 0.0):6.2f}")
    print("  fine: " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(r["stages"].items(), key=lambda kv: -kv[1])))
    print(
        "  page building by template (pages, s): "
        + ", ".join(
            f"{k} {v['pages']} {v['seconds']:.2f}"
            for k, v in sorted(r["pages_by_template"].items(), key=lambda kv: -kv[1]["seconds"])
        )
    )
    print("\nSizes")
    print(
        f"  HTML per plan (van-ban/*/index.html): {r['html_bytes_per_plan']:>9,} B   "
        f"plain {r['plain_html_bytes_per_plan']:,} B"
    )
    print(
        f"  source per plan (plans/*.md):         {r['source_bytes_per_plan']:>9,} B   "
        f"body only {r['body_bytes_per_plan']:,} B"
        f"   HTML/source {r['html_to_source']:.2f}"
    )
    print(
        f"  site:  {r['site_bytes'] / mb:8.1f} MB in {r['site_files']:,} files   "
        f"plain {r['plain_site_bytes'] / mb:.1f} MB in {r['plain_site_files']:,} files"
    )
    print("  largest pages: " + ", ".join(f"{k} {v / 1024:.0f} KB" for k, v in r["largest_pages"].items()))
    s, p = r["search"], r["plain_search"]
    if s.get("first_query_bytes") is not None:
        print(f"  search, first query: {s['first_query_bytes'] / 1024:,.0f} KB ({s.get('first_query_method')})")
    if s.get("pagefind_files"):
        print("    " + ", ".join(f"{k} {v / 1024:.0f} KB" for k, v in s["pagefind_files"].items()))
    if p.get("lunr_index_bytes"):
        print(
            f"  plain search_index.json: {p['lunr_index_bytes'] / mb:.1f} MB "
            f"({p['lunr_index_gzip_bytes'] / mb:.1f} MB gzip)"
        )
    print()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
