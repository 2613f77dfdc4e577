"""Search at scale: bytes and time of a first query on a generated site (``make bench-search N=5000``).

Builds the site for a corpus of N plans (or takes ``--site DIR``), serves it on 127.0.0.1 as a static
host would (text files gzip-compressed), and in Debian's Chromium opens a fresh search page per query,
types the query, and records every byte fetched for the search (all ``pagefind*`` bundles: script,
WebAssembly, metadata, filters, index chunks, result fragments) and the time from the keystroke to the
results on screen. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "hooks"), str(ROOT / "tests" / "audit")]

from audit import GzipHandler  # noqa: E402  (the gzip static server of make audit)

# The queries, and two ward names that the generated corpus has (it has no Đống Đa ward):
# a unit's name should find the unit page first.
QUERIES = [
    "dong da",
    "tran quoc toan",
    "chuyen doi so",
    "05-CTr/TU",
    "giáo dục",
    "ba dinh",
    "giang vo",
    # issue #14: phrases from the seed bodies (full text), typed without marks
    "ngan hang y tuong sang tao",
    "thuc hien quan ly nha nuoc doi voi cac hoat dong giao duc tren dia ban",
]
SEARCH_FILES = ("/pagefind", "/toan-van", "/assets/kh-")  # both indexes and the search page's own scripts
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def build(n: int, work: Path) -> Path:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "hooks"), NO_MKDOCS_2_WARNING="1")
    subprocess.run(
        [sys.executable, str(ROOT / "tests" / "bench" / "corpus.py"), str(n), str(work / "corpus")],
        check=True,
        env=env,
        cwd=ROOT,
    )
    env["KEHOACH_PLANS_DIR"] = str(work / "corpus" / "plans")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(work / "site")],
        check=True,
        env=env,
        cwd=ROOT,
    )
    return work / "site"


def measure(site: Path, queries: list[str]) -> dict:
    import functools
    import socketserver
    import threading

    from playwright.sync_api import sync_playwright

    handler = functools.partial(GzipHandler, directory=str(site))
    results = {}
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as httpd, sync_playwright() as p:
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{httpd.server_address[1]}/"
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for query in queries:
            context = browser.new_context()
            page = context.new_page()
            sizes: dict[str, int] = {}
            # the page and its handler live only in this iteration, so the late-bound `sizes` is this one's
            page.on("requestfinished", lambda r: sizes.__setitem__(r.url, r.sizes()["responseBodySize"]))  # noqa: B023
            page.goto(base + "tim-kiem/")
            page.wait_for_load_state("networkidle")
            before = set(sizes)
            started = time.perf_counter()
            page.fill("#kh-search-input", query)
            page.wait_for_function(
                "q => document.querySelector('[data-kh-results]').dataset.query === q", arg=query, timeout=30000
            )
            elapsed = time.perf_counter() - started - 0.15  # minus the script's 150 ms typing debounce
            search = {u: s for u, s in sizes.items() if any(f in u for f in SEARCH_FILES)}
            results[query] = {
                "bytes": sum(search.values()),
                "requests": len(search),
                "ms_to_results": round(elapsed * 1000),
                "ms_in_script": int(page.get_attribute("[data-kh-results]", "data-ms")),
                "first": (page.locator("[data-kh-results] li a").all_inner_texts() or [""])[0],
                "results": page.locator("[data-kh-results] li a").count(),
                "fetched_before_typing": sum(s for u, s in sizes.items() if u in before and u in search),
                "full_text_bytes": sum(s for u, s in search.items() if "/toan-van" in u),
            }
            context.close()
        browser.close()
        httpd.shutdown()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int, nargs="?", default=5000)
    parser.add_argument("--site", type=Path)
    parser.add_argument("--query", action="append", default=[], help="another query (a school's name, say)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or build(args.n, Path(tmp))
        bundles = sorted(p.name for p in site.iterdir() if p.name.startswith("pagefind"))
        results = measure(site, QUERIES + args.query)
    for query, r in results.items():
        print(
            f"{query!r:18} {r['bytes'] / 1024:7.1f} KB in {r['requests']:2} requests, "
            f"{r['ms_to_results']:5} ms to results ({r['ms_in_script']} ms in script), first: {r['first']}"
        )
    print(json.dumps({"n": args.n, "bundles": len(bundles), "queries": results}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
