"""Search indexing beside the build: Pagefind's service, fed a small search record per page.

What the index holds of a page (title, number, units, summary, topics, filters) is known from the
page records before any page is rendered, so each indexed page is given to Pagefind as a short
HTML record (``overrides/search-record.html``) instead of its rendered page being read back from
disk after the build. A thread sends the records to Pagefind's service process
(``pagefind --service``), which indexes them on the other core while MkDocs renders the site; the
files of each search bundle (see ``shards.search_bundles``) are then fetched and written into the site folder.

The protocol is the one of Pagefind's own Python package (``pagefind.service``, version 1.5.2 on
PyPI; the binary used is 1.6.0, whose search is 3x faster on a 5,000-plan site), spoken
synchronously: each message is base64-encoded JSON followed by a comma, in both directions.
"""

from __future__ import annotations

import base64
import io
import json
import os
import shutil
import subprocess
import sys
import threading
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .fulltext import FullTextIndex, body_passages, fulltext_folder, record_passages
from .graph import Graph
from .model import Plan
from .pages import Page, PlanPage
from .render import Passage
from .search import html_path, page_facts, plan_meta
from .settings import Settings
from .shards import HUB
from .site import Site
from .text import UNIT_KINDS

Message = dict[str, Any]  # a JSON message to or from Pagefind's service

PAGEFIND = "pagefind_extended"  # Pagefind 1.6.0 from the npm registry, put beside Python by `make install`


def pagefind_binary() -> str:
    """$PAGEFIND_BINARY_PATH, else the Pagefind installed in this Python's environment, else one on $PATH."""
    candidates = [
        os.environ.get("PAGEFIND_BINARY_PATH"),
        str(Path(sys.executable).parent / PAGEFIND),
        shutil.which(PAGEFIND),
        shutil.which("pagefind"),
    ]
    for found in candidates:
        if found and Path(found).is_file():
            return found
    raise FileNotFoundError("Không tìm thấy Pagefind 1.6 (pagefind_extended); hãy chạy make install")


class SearchIndexer:
    """One Pagefind service process holding one index per search bundle."""

    def __init__(self, binary: str | None = None) -> None:
        self._process = subprocess.Popen(
            [binary or pagefind_binary(), "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            preexec_fn=lambda: os.nice(10),  # it runs beside the build: the build's own thread comes first
        )
        self._next_id = 0
        self._replies: dict[int, Message] = {}
        self._arrived = threading.Condition()
        self.errors: list[str] = []
        self._reader_done = False
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        # The process ends when its input closes: at close(), or when this object is collected after a failed build.
        weakref.finalize(self, _close_input, self._process)
        self._indexes: dict[str, int] = {}

    def add_page(self, bundle: str, url: str, html: str) -> None:
        """Queue one page (``url`` from the site root, e.g. "/van-ban/x/"); replies are read in the background."""
        if bundle not in self._indexes:
            self._indexes[bundle] = self._reply(self._send({"type": "NewIndex", "config": {}}))["index_id"]
        self._send({"type": "AddFile", "index_id": self._indexes[bundle], "url": url, "file_contents": html})

    def write(self, site_dir: Path) -> list[str]:
        """Write every bundle into ``site_dir/<bundle>/``; return the error messages, if any.

        The files are asked for (GetFiles) and written here: Pagefind's own WriteFiles answers before
        its last writes reach the disk, and a service closed right after can leave an empty file.
        """
        for bundle, index in self._indexes.items():
            reply = self._reply(self._send({"type": "GetFiles", "index_id": index}))
            try:
                for file in reply.get("files", ()):
                    target = site_dir / bundle / file["path"]
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(base64.b64decode(file["content"]))
            except OSError as error:
                self.errors.append(f"{bundle}: {error}")
        return self.errors

    def close(self) -> None:
        _close_input(self._process)
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()

    def _send(self, payload: Message) -> int:
        self._next_id += 1
        message = json.dumps({"message_id": self._next_id, "payload": payload}).encode("utf-8")
        assert self._process.stdin is not None
        self._process.stdin.write(base64.b64encode(message) + b",")
        return self._next_id

    def _reply(self, message_id: int, timeout: float = 1800) -> Message:
        assert self._process.stdin is not None
        self._process.stdin.flush()
        with self._arrived:
            if not self._arrived.wait_for(lambda: message_id in self._replies or self._reader_done, timeout):
                raise TimeoutError("pagefind")
            if message_id not in self._replies:
                raise RuntimeError("; ".join(self.errors) or "pagefind stopped")
            return self._replies.pop(message_id)

    def _read(self) -> None:
        stream = self._process.stdout
        assert isinstance(stream, io.BufferedReader)  # stdout=PIPE, unbuffered=False: read1 reads what has come
        buffer = bytearray()
        try:
            while chunk := stream.read1(1 << 20):
                scanned = len(buffer)
                buffer += chunk
                end = buffer.find(b",", scanned)  # a reply of all files runs to megabytes: scan each byte once
                while end >= 0:
                    self._receive(_decode(bytes(buffer[:end])))
                    del buffer[: end + 1]
                    end = buffer.find(b",")
        finally:
            with self._arrived:
                self._reader_done = True
                self._arrived.notify_all()

    def _receive(self, reply: Message) -> None:
        payload = reply.get("payload") or {}
        kind, message_id = payload.get("type"), reply.get("message_id")
        with self._arrived:
            if kind == "Error":
                self.errors.append(str(payload.get("message")))
            # Keep the replies somebody waits for: not a page's "indexed", nor an error with no message id.
            if kind != "IndexedFile" and message_id is not None:
                self._replies[message_id] = payload
            self._arrived.notify_all()


class IndexingJob:
    """Indexes ``records`` ((bundle, url, html), in order) in a background thread and writes the bundles.

    With ``full_text``, plan pages' rendered bodies are also given to it as they are rendered
    (``add_text``), and its index is written beside the bundles (``fulltext.py``).
    """

    def __init__(
        self, records: list[tuple[str, str, str]], site_dir: Path, full_text: FullTextJob | None = None
    ) -> None:
        self._errors: list[str] = []
        self._full_text = full_text
        self._site_dir = site_dir
        self._thread = threading.Thread(target=self._run, args=(records, site_dir), daemon=True)

    def add_text(self, record: Page, body_html: str, passages: tuple[Passage, ...] | None = None) -> None:
        """A page as rendered: plan pages' sentences (``passages``, if the workers found them) go into the full-text index."""
        if self._full_text is not None and isinstance(record, PlanPage):
            self._full_text.add(record.plan, body_html, passages)

    def start(self) -> None:
        """Start indexing (once): when the build leaves a core free."""
        if self._thread.ident is None:
            self._thread.start()

    def _run(self, records: list[tuple[str, str, str]], site_dir: Path) -> None:
        try:
            indexer = SearchIndexer()
            try:
                for bundle, url, html in records:
                    indexer.add_page(bundle, url, html)
                self._errors += indexer.write(site_dir)
            finally:
                indexer.close()
        except Exception as error:  # reported by wait(), in the build's thread
            self._errors.append(f"{type(error).__name__}: {error}")

    def wait(self) -> list[str]:
        """Wait for the bundles to be written (starting now if not yet started); Pagefind's error messages, if any."""
        self.start()
        self._thread.join()
        if self._full_text is not None:
            try:
                self._full_text.write(self._site_dir)
            except OSError as error:
                self._errors.append(f"{self._full_text.folder}: {error}")
        return self._errors


class FullTextJob:
    """This shard's plans for the full-text index (``toan-van/``, or ``toan-van-<shard>/``)."""

    def __init__(self, graph: Graph, shard: str | None = None) -> None:
        self._graph = graph
        self._index = FullTextIndex()
        self.folder = fulltext_folder(shard)

    def add(self, plan: Plan, body_html: str, found: tuple[Passage, ...] | None = None) -> None:
        passages = record_passages(plan) + (list(found) if found is not None else body_passages(body_html))
        meta = plan_meta(self._graph, plan)
        del meta["trich"]  # a full-text result shows the passage it found
        self._index.add(meta, passages)

    def write(self, site_dir: Path) -> None:
        self._index.write(site_dir / self.folder)
        if self.folder == fulltext_folder(None):  # names for the no-result suggestions, fetched only then
            units = [[u.name, u.id] for u in self._graph.units.values()]
            (site_dir / self.folder / "don-vi.json").write_text(json.dumps(units, ensure_ascii=False), encoding="utf-8")


def _decode(raw: bytes) -> Message:
    """One reply; anything else Pagefind prints (a panic, say) becomes an error reply."""
    try:
        reply: Message = json.loads(base64.b64decode(raw, validate=True))
        return reply
    except ValueError:
        return {"payload": {"type": "Error", "message": raw.decode("utf-8", "replace").strip()}}


def _close_input(process: subprocess.Popen[bytes]) -> None:
    if process.stdin and not process.stdin.closed:
        try:
            process.stdin.close()
        except OSError:
            pass


def search_job(settings: Settings, site: Site, search_record: Callable[..., str]) -> IndexingJob | None:
    """This shard's search records, indexed beside the build (fast) or after it (plain); ``search_record(**context)``
    renders a page's record (``overrides/search-record.html``)."""
    graph = site.graph
    if graph is None or not settings.extra.get("search", True):
        return None
    if settings.serve and settings.dirty and (Path(settings.site_dir) / "pagefind").is_dir():
        print("Chỉ mục tìm kiếm giữ nguyên khi xem thử; khởi động lại make serve để cập nhật.", file=sys.stderr)
        return None
    mine = settings.shard or HUB
    records = [
        (
            bundle,
            "/" + html_path(uri).removesuffix("index.html"),
            search_record(
                kh=site.pages[uri],
                kh_search=page_facts(graph, site.pages[uri]),
                kh_graph=graph,
                unit_kinds=UNIT_KINDS,
            ),
        )
        for bundle, (shard, uris) in site.search_bundles.items()
        if shard == mine
        for uri in uris
    ]
    return IndexingJob(records, Path(settings.site_dir), FullTextJob(graph, mine))
