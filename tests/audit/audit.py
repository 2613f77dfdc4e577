"""`make audit`: Lighthouse (mobile) and axe-core on a generated 1,000-plan site.

Builds the corpus site, serves it gzip-compressed as a static host would, then for the
home page, a plan page, a unit page and the timeline prints Lighthouse performance and
accessibility scores, bytes transferred and LCP, and axe's serious/critical violations.
The last line is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import socketserver
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".wasm", "/")


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
        return __import__("io").BytesIO(body)


def build_corpus_site(n: int, work: Path) -> Path:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "hooks"), NO_MKDOCS_2_WARNING="1")
    subprocess.run(
        [sys.executable, str(ROOT / "tests" / "bench" / "corpus.py"), str(n), str(work / "corpus")],
        check=True,
        env=env,
        cwd=ROOT,
    )
    site = work / "site"
    env["KEHOACH_PLANS_DIR"] = str(work / "corpus" / "plans")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
        check=True,
        env=env,
        cwd=ROOT,
    )
    return site


def lighthouse(url: str, out: Path) -> dict:
    binary = HERE / "node_modules" / ".bin" / "lighthouse"
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
    return {
        "performance": report["categories"]["performance"]["score"],
        "accessibility": report["categories"]["accessibility"]["score"],
        "bytes": int(audits["total-byte-weight"]["numericValue"]),
        "lcp_ms": int(audits["largest-contentful-paint"]["numericValue"]),
        "third_party_requests": sum(
            1 for item in audits["network-requests"]["details"]["items"] if not item["url"].startswith(own)
        ),
    }


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = build_corpus_site(args.n, Path(tmp))
        plan = next(
            p.parent.name for p in sorted((site / "van-ban").glob("*/index.html")) if p.parent.name.startswith("kh-")
        )
        unit = next(p.parent.name for p in sorted((site / "don-vi").glob("phuong-*/index.html")))
        pages = {"home": "", "plan": f"van-ban/{plan}/", "unit": f"don-vi/{unit}/", "timeline": "lo-trinh/"}
        handler = functools.partial(GzipHandler, directory=str(site))
        results = {}
        with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as httpd:
            threading.Thread(target=httpd.serve_forever, daemon=True).start()
            base = f"http://127.0.0.1:{httpd.server_address[1]}/"
            for name, path in pages.items():
                figures = lighthouse(base + path, Path(tmp) / f"{name}.json")
                figures["axe_serious_or_critical"] = axe(base + path)
                results[name] = figures
                print(
                    f"{name:9} perf {figures['performance']:.2f}  a11y {figures['accessibility']:.2f}  "
                    f"{figures['bytes'] / 1024:7.1f} KB  LCP {figures['lcp_ms']} ms  "
                    f"third-party {figures['third_party_requests']}  "
                    f"axe {figures['axe_serious_or_critical'] or 'none'}"
                )
            httpd.shutdown()
    print(json.dumps({"n": args.n, "pages": results}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
