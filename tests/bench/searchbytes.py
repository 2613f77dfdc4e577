"""Bytes a reader's first Pagefind query fetches, measured in Chromium or estimated from the bundle's files.

Measured: the built site is served on 127.0.0.1, Debian's /usr/bin/chromium (through Playwright, no browser
download) opens the search page ``tim-kiem/``, types the query, waits for the results, and every response
under ``/pagefind/`` is counted (the JS, the entry file, the WebAssembly, the metadata, the filters, the
index chunks and the result fragments actually fetched).

Estimated (no browser, or no search page): pagefind.js (+ its worker) + pagefind-entry.json + the wasm + the .pf_meta +
every filter file + the index chunks whose word range holds a query word (read from the .pf_meta) + one
fragment of average size per result shown (10).
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import socketserver
import struct
import threading
import unicodedata
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SEARCH_PAGE = "tim-kiem/"
RESULTS_SHOWN = 10


def first_query_bytes(site: Path, query: str, browser: bool = True) -> dict:
    if browser and Path(CHROMIUM).exists() and (site / SEARCH_PAGE / "index.html").exists():
        try:
            return _measure(site, query)
        except Exception as exc:  # no Playwright, page changed, timeout: fall back to the estimate
            estimate = _estimate(site, query)
            estimate["first_query_note"] = f"browser measurement failed: {type(exc).__name__}: {exc}"[:300]
            return estimate
    return _estimate(site, query)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def _category(url: str) -> str:
    name = url.rsplit("/", 1)[-1]
    for part, label in (
        ("/fragment/", "fragments"),
        ("/index/", "index chunks"),
        ("/filter/", "filters"),
        (".pf_meta", "meta"),
        ("wasm", "wasm"),
        ("pagefind-entry.json", "entry"),
    ):
        if part in url:
            return label
    return name


def _measure(site: Path, query: str) -> dict:
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(site))
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as httpd:
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{httpd.server_address[1]}/"
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                context = browser.new_context()
                responses = []
                context.on("response", lambda response: responses.append(response))
                page = context.new_page()
                page.goto(base + SEARCH_PAGE, wait_until="load")
                page.fill("#kh-search-input", query)
                page.wait_for_selector("[data-kh-results] li", timeout=60_000)
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(1500)  # late fragment fetches
                files: dict[str, int] = {}
                count = 0
                for response in responses:
                    if "/pagefind/" in response.url:
                        size = len(response.body())
                        key = _category(response.url)
                        files[key] = files.get(key, 0) + size
                        count += 1
                browser.close()
        finally:
            httpd.shutdown()
    return {
        "first_query_bytes": sum(files.values()),
        "first_query_requests": count,
        "pagefind_files": files,
        "first_query_method": f"measured in Chromium: {SEARCH_PAGE} typing '{query}'",
    }


def _estimate(site: Path, query: str) -> dict:
    bundle = site / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    language = next(iter(entry["languages"].values()))
    meta_file = bundle / f"pagefind.{language['hash']}.pf_meta"
    wasm = bundle / f"wasm.{language.get('wasm') or 'unknown'}.pagefind"
    files = {
        "pagefind.js": (bundle / "pagefind.js").stat().st_size,
        "entry": (bundle / "pagefind-entry.json").stat().st_size,
        "wasm": wasm.stat().st_size if wasm.exists() else 0,
        "meta": meta_file.stat().st_size,
        "filters": sum(p.stat().st_size for p in (bundle / "filter").glob("*")),
    }
    if (bundle / "pagefind-worker.js").exists():  # Pagefind ≥ 1.5 searches in a Web Worker
        files["pagefind-worker.js"] = (bundle / "pagefind-worker.js").stat().st_size
    meta = _cbor(_unpack(meta_file.read_bytes()))
    words = {w for w in query.lower().split()} | {_fold(w) for w in query.lower().split()}
    # A chunk holds the words from its first to its last (stored as shortest distinguishing prefixes).
    chunks = {name for low, high, name in meta[2] if any(low <= w and w[: len(high)] <= high for w in words)}
    files["index chunks"] = sum((bundle / "index" / f"{name}.pf_index").stat().st_size for name in chunks)
    fragments = list((bundle / "fragment").glob("*"))
    mean = sum(p.stat().st_size for p in fragments) / len(fragments) if fragments else 0
    files["fragments"] = round(mean * min(RESULTS_SHOWN, len(fragments)))
    return {
        "first_query_bytes": sum(files.values()),
        "pagefind_files": files,
        "first_query_method": f"estimated from the bundle's files for '{query}'",
    }


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _unpack(raw: bytes) -> bytes:
    data = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
    signature = b"pagefind_dcd"
    return data[len(signature) :] if data.startswith(signature) else data


def _cbor(data: bytes):
    """A minimal CBOR decoder (integers, strings, arrays, maps, simple values): enough for Pagefind's metadata."""

    def item(i: int):
        head = data[i]
        major, info = head >> 5, head & 31
        i += 1
        if info < 24:
            arg = info
        elif info in (24, 25, 26, 27):
            size = 1 << (info - 24)
            arg = int.from_bytes(data[i : i + size], "big")
            i += size
        elif info == 31:
            arg = None  # indefinite length
        else:
            raise ValueError(f"unsupported CBOR head {head:#x}")
        if major == 0:
            return arg, i
        if major == 1:
            return -1 - arg, i
        if major in (2, 3):
            raw = data[i : i + arg]
            return (raw.decode("utf-8") if major == 3 else raw), i + arg
        if major in (4, 5):
            out = []
            count = arg if arg is not None else float("inf")
            while count and not (arg is None and data[i] == 0xFF):
                value, i = item(i)
                out.append(value)
                if major == 5:
                    key, value = value, None
                    value, i = item(i)
                    out[-1] = (key, value)
                count -= 1
            if arg is None:
                i += 1
            return (dict(out) if major == 5 else out), i
        if major == 7:
            if info == 25:
                return struct.unpack(">e", arg.to_bytes(2, "big"))[0], i
            return {20: False, 21: True, 22: None}.get(info, arg), i
        value, i = item(i)  # major 6: a tag, ignore it
        return value, i

    return item(0)[0]
