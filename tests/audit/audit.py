"""`make audit`: Lighthouse (mobile) and axe-core on a generated 1,000-plan site.

Builds the corpus site (or takes one already built, ``--site``), serves it gzip-compressed as a
static host would, then for the home page, a plan page, a unit page, the timeline, a unit's embed
page and the open-data page (when the site has them) prints Lighthouse performance and
accessibility scores, bytes transferred and LCP, and axe's serious/critical violations.

Lighthouse simulates a slow 4G phone from a trace taken on this machine, so a busy machine makes
the figures worse: every run records the load average (``uptime``) before it, ``--repeat K`` runs
each page K times (3) and keeps the run with the median LCP. The last line is one JSON object
with every figure, also written to ``--out`` (``tests/audit/results/latest.json``; the committed
record, with ``before.json`` and ``after.json`` of issue 17).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import io
import json
import os
import socketserver
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".wasm", ".csv", "/")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed for text types like GitHub Pages or nginx do."""

    def log_message(self, *args) -> None:
        pass

    def send_head(self):  # noqa: D401 - http.server API
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if (
            "gzip" not in self.headers.get("Accept-Encoding", "")
            or not self.path.split("?")[0].endswith(COMPRESSIBLE)
            or not os.path.isfile(path)
        ):
            return super().send_head()
        body = gzip.compress(Path(path).read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def build_corpus_site(n: int, work: Path, site: Path) -> Path:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "hooks"), NO_MKDOCS_2_WARNING="1")
    subprocess.run(
        [sys.executable, str(ROOT / "tests" / "bench" / "corpus.py"), str(n), str(work / "corpus")],
        check=True,
        env=env,
        cwd=ROOT,
    )
    env["KEHOACH_PLANS_DIR"] = str(work / "corpus" / "plans")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
        check=True,
        env=env,
        cwd=ROOT,
    )
    return site


def load_average() -> str:
    """``uptime``'s load averages (1, 5, 15 min), e.g. "0.87, 0.41, 0.17"."""
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip().split("load average:")[-1].strip()


def audited_pages(site: Path) -> dict[str, str]:
    """The page of each kind to audit, by name → path below the site's root; pages the site lacks are left out."""
    plan = next(
        p.parent.name for p in sorted((site / "van-ban").glob("*/index.html")) if p.parent.name.startswith("kh-")
    )
    unit = next(p.parent.name for p in sorted((site / "don-vi").glob("phuong-*/index.html")))
    pages = {
        "home": "",
        "plan": f"van-ban/{plan}/",
        "unit": f"don-vi/{unit}/",
        "timeline": "lo-trinh/",
        "embed": f"don-vi/{unit}/nhung/",
        "data": "du-lieu/",
    }
    return {name: path for name, path in pages.items() if (site / path / "index.html").is_file()}


def lighthouse(url: str, out: Path) -> dict:
    binary = HERE / "node_modules" / ".bin" / "lighthouse"
    load = load_average()
    subprocess.run(
        [
            str(binary),
            url,
            f"--chrome-path={CHROMIUM}",
            f"--chrome-flags={FLAGS}",
            "--output=json",
            f"--output-path={out}",
            "--quiet",
            "--only-categories=performance,accessibility",
        ],
        check=True,
        timeout=300,
    )
    report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    own = ("data:", url.split("/", 3)[0] + "//" + url.split("/")[2])  # inline data and the site itself
    blocking = audits.get("render-blocking-resources", {}).get("details", {}).get("items", [])
    return {
        "load_average": load,
        "performance": report["categories"]["performance"]["score"],
        "accessibility": report["categories"]["accessibility"]["score"],
        "bytes": int(audits["total-byte-weight"]["numericValue"]),
        "lcp_ms": int(audits["largest-contentful-paint"]["numericValue"]),
        "fcp_ms": int(audits["first-contentful-paint"]["numericValue"]),
        "tbt_ms": int(audits["total-blocking-time"]["numericValue"]),
        "dom_elements": int(audits.get("dom-size", {}).get("numericValue", 0)),
        "requests": len(audits["network-requests"]["details"]["items"]),
        "render_blocking": [item["url"].split("/", 3)[-1] for item in blocking],
        "third_party_requests": sum(
            1 for item in audits["network-requests"]["details"]["items"] if not item["url"].startswith(own)
        ),
    }


def median_run(runs: list[dict]) -> dict:
    """The run with the median LCP (its own figures, not a mix of runs), with every run's score and LCP."""
    chosen = sorted(runs, key=lambda r: r["lcp_ms"])[(len(runs) - 1) // 2]
    return dict(
        chosen,
        runs=[{k: r[k] for k in ("performance", "lcp_ms", "load_average")} for r in runs],
        lcp_ms_median=int(statistics.median(r["lcp_ms"] for r in runs)),
        performance_median=statistics.median(r["performance"] for r in runs),
    )


def axe(url: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS.split())
        page = browser.new_page(viewport={"width": 360, "height": 740})
        page.goto(url)
        page.wait_for_load_state("networkidle")
        violations = Axe().run(page).response["violations"]
        browser.close()
    return [f"{v['id']} ({v['impact']})" for v in violations if v["impact"] in ("serious", "critical")]


def audit(site: Path, repeat: int, work: Path) -> dict[str, dict]:
    handler = functools.partial(GzipHandler, directory=str(site))
    results = {}
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as httpd:
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{httpd.server_address[1]}/"
        pages = audited_pages(site)
        runs: dict[str, list[dict]] = {name: [] for name in pages}
        for i in range(repeat):  # page after page, then again: a burst of load hits every page alike
            for name, path in pages.items():
                runs[name].append(lighthouse(base + path, work / f"{name}-{i}.json"))
        for name, path in pages.items():
            figures = results[name] = dict(median_run(runs[name]), path=path)
            figures["axe_serious_or_critical"] = axe(base + path)
            print(
                f"{name:9} perf {figures['performance']:.2f}  a11y {figures['accessibility']:.2f}  "
                f"{figures['bytes'] / 1024:7.1f} KB  LCP {figures['lcp_ms']} ms "
                f"(runs: {', '.join(str(r['lcp_ms']) for r in figures['runs'])})  "
                f"third-party {figures['third_party_requests']}  "
                f"axe {figures['axe_serious_or_critical'] or 'none'}"
            )
        httpd.shutdown()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000, help="plans in the generated corpus")
    parser.add_argument("--site", type=Path, help="audit this built site instead of building one")
    parser.add_argument("--keep", type=Path, help="build the site into this folder and keep it")
    parser.add_argument("--repeat", type=int, default=3, help="Lighthouse runs per page (the median is kept)")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "latest.json", help="the JSON record's file")
    parser.add_argument("--label", default="", help="a note saved in the record (what was measured)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        site = args.site or build_corpus_site(args.n, work, args.keep or work / "site")
        started, load = dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), load_average()
        pages = audit(site, max(1, args.repeat), work)
    record = {
        "n": args.n,
        "label": args.label,
        "started": started,
        "cores": os.cpu_count(),
        "load_average_before": load,
        "load_average_after": load_average(),
        "repeat": args.repeat,
        "pages": pages,
    }
    line = json.dumps(record, ensure_ascii=False)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
