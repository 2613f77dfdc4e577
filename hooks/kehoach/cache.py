"""Incremental rebuilds: a page's source file changes only when what it shows changes.

Each page gets a fingerprint of its record's whole value (kehoach/fingerprint.py: every field,
down to strings, numbers and dates; plans by id and file digest, each with its unit by value) and
a salt for the code, templates and settings. Its Markdown is written to the site's cache folder (in
the checked folder of kehoach/cachedir.py) only when the fingerprint changed, so MkDocs' dirty build
(``mkdocs serve --dirty``), which compares file times, re-renders the pages that hold an edited plan
or unit: its own page, its parents' and children's, its units', the timeline. A page re-rendered
that comes out byte for byte as it was keeps its file (``PageSources.unchanged``): a page holding a
plan whose edit it does not show (the home page shows a plan's number, not its targets) is not
rewritten.

The one fact a page shows beyond its record is a plan's unit (templates call ``kh_graph.unit_of``):
hence units in the fingerprint of every plan. Anything else a template takes from elsewhere must
be in the record, in the salt (code, templates, settings) or in the site-wide part of the salt that
``build.Build`` adds (the search bundles every page's context lists).
"""

from __future__ import annotations

import gc
import hashlib
import importlib.util
import json
import multiprocessing
import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from .cachedir import site_folder
from .fingerprint import Shown, fingerprint
from .model import Unit
from .pages import Page, PlanPage, plan_url

DOCS = "docs:"  # an index entry for a docs/ page the generator reads itself (no fingerprint)


class PageSources:
    """The cache folder of page sources for one site build (one instance per build)."""

    def __init__(self, folder: Path, units: dict[str, Unit] | None = None) -> None:
        self.folder, self.shown = folder, Shown(units)
        self._pages = str(folder / "pages")
        self.index_path = folder / "fingerprints.json"
        try:
            self.index: dict[str, str] = json.loads(self.index_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.index = {}
        # The pages of the last fast dirty build into this site folder (and, marked ``DOCS``, its docs/ pages)
        self.previous = frozenset(uri for uri in self.index if not uri.startswith(DOCS))
        self.previous_docs = frozenset(uri for uri in self.index if uri.startswith(DOCS))
        self.written: set[str] = set()  # the pages whose source was (re)written: MkDocs re-renders them
        self._seen: set[str] = set()
        self._marks: dict[str, str] = {}  # generated pages' fingerprints made ahead (``mark``)
        self._pending: tuple[multiprocessing.process.BaseProcess, Connection, list[str]] | None = None

    @staticmethod
    def forget(folder: Path) -> None:
        """A build that is not dirty rewrote the site folder: the index no longer says what its files hold."""
        (folder / "fingerprints.json").unlink(missing_ok=True)

    def mark(self, pages: list[Page], salt: str) -> None:
        """Fingerprint the generated pages ahead: plan pages here, the others in a forked process, whose marks
        are taken when one of its pages is first asked for (by then this process has done its own and MkDocs'
        work). Split so, the two share the least: a plan page holds its targets' detail views, unit and
        overview pages share the timeline entries and summaries (0.10 s and 0.13 s at 1,000 plans, against
        0.15 s for each half of every other page)."""
        generated = [page for page in pages if page.generated]
        mine = [page for page in generated if isinstance(page, PlanPage)]
        theirs = [page for page in generated if not isinstance(page, PlanPage)]
        self._marks = {}
        if theirs:
            self._fork_marks(theirs, salt)
        self._marks.update((page.src_uri, fingerprint(page, salt, "", self.shown)) for page in mine)

    def _fork_marks(self, pages: list[Page], salt: str) -> None:
        receiver, sender = multiprocessing.get_context("fork").Pipe(duplex=False)
        child = multiprocessing.get_context("fork").Process(
            target=_send_marks, args=(sender, pages, salt, self.shown), daemon=True
        )
        child.start()
        sender.close()
        self._pending = (child, receiver, [page.src_uri for page in pages])

    def _take_marks(self) -> None:
        """The forked process's marks; if it failed, its pages are fingerprinted when asked for, as others."""
        if self._pending is None:
            return
        child, receiver, uris = self._pending
        self._pending = None
        try:
            received = receiver.recv_bytes().decode("ascii").split("\n")
        except (EOFError, OSError):
            received = []
        receiver.close()
        child.join()
        if child.exitcode == 0 and len(received) == len(uris):
            self._marks.update(zip(uris, received, strict=True))

    def source(self, page: Page, salt: str, hand_written: str | None = None, read: bool = True) -> str:
        """The file MkDocs reads for ``page``; rewritten (new mtime) only when it changed.

        ``hand_written`` is the Markdown of a page from docs/ (with its own front matter). ``read``: whether the
        generator reads the page's source when it did not change (if not, its file is not looked for).
        """
        uri = page.src_uri
        path = f"{self._pages}/{uri}"
        mark = self._mark(page, salt, hand_written)
        self._seen.add(uri)
        if self.index.get(uri) != mark or (read and not os.path.exists(path)):
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            Path(path).write_text(page_markdown(page, hand_written), encoding="utf-8")
            self.index[uri] = mark
            self.written.add(uri)
        return path

    def _mark(self, page: Page, salt: str, hand_written: str | None) -> str:
        """The page's fingerprint: made ahead (``mark``; the forked process's taken when first needed) or now."""
        if hand_written is None:
            if page.src_uri not in self._marks:
                self._take_marks()
            ahead = self._marks.get(page.src_uri)
            if ahead is not None:
                return ahead
        return fingerprint(page, salt, hand_written or "", self.shown)

    def listed(self, uris: Iterable[str]) -> bool:
        """Note the pages the generator reads from docs/ itself; whether the last build had the same ones."""
        docs = {DOCS + uri for uri in uris}
        self.index.update(dict.fromkeys(docs, ""))
        self._seen |= docs
        return docs == self.previous_docs

    def save(self, finished: bool = True) -> None:
        """Saved before the pages are written (``finished=False``) without the pages whose source this build
        rewrote, and again once they are written: a build that fails in between leaves those pages for the
        next one to render, even if by then an edit was undone."""
        self._take_marks()  # (a process never waited for is joined)
        self.folder.mkdir(parents=True, exist_ok=True)
        kept = self._seen if finished else self._seen - self.written  # this build's pages only
        index = {uri: mark for uri, mark in self.index.items() if uri in kept}
        self.index_path.write_text(json.dumps(index), encoding="utf-8")

    def close(self) -> None:
        """A build that failed before taking the forked process's marks: the process is stopped."""
        if self._pending is not None:
            child, receiver, _ = self._pending
            self._pending = None
            receiver.close()
            child.terminate()
            child.join()

    def unchanged(self, source: str | None, output: str, html: bytes) -> bool:
        """Whether a page rendered again from one of these sources came out as its ``output`` file holds.

        Then the file is kept (the generator is told to write nothing) and the source gets the file's
        time, so that the next dirty build, which compares the two, does not render the page again.
        """
        if source is None or not Path(source).is_relative_to(self.folder / "pages"):
            return False  # a page MkDocs reads from docs/ itself
        try:
            if Path(output).read_bytes() != html:
                return False
            written = os.stat(output).st_mtime_ns
            os.utime(source, ns=(written, written))
        except OSError:
            return False
        return True


def _send_marks(sender: Connection, pages: list[Page], salt: str, shown: Shown) -> None:
    """In the forked process of ``PageSources.mark``: the pages' fingerprints, one per line."""
    sender.send_bytes("\n".join(fingerprint(page, salt, "", shown) for page in pages).encode("ascii"))
    sender.close()


def page_markdown(page: Page, hand_written: str | None = None) -> str:
    """What MkDocs reads for ``page``: its docs/ file's text, or its generated Markdown."""
    # A leading newline keeps a generated body that starts with "---" from being read as front matter.
    return hand_written if hand_written is not None else "\n" + page.source()


def code_salt(folders: list[Path], extra: str = "") -> str:
    """Changes when any file in ``folders`` (code, templates, styles) changes: by content, not time.

    An edit that keeps a file's size and time (``cp -p``, ``rsync -t``) still changes it; digesting
    the ~100 files costs a few milliseconds.
    """
    digest = hashlib.blake2b(extra.encode("utf-8"), digest_size=16)
    for folder in folders:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else [folder]:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"{path}\0".encode())
                digest.update(hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
    return digest.hexdigest()


def site_cache(config_file: str, site_dir: str, extra: dict[str, Any], site_url: str | None) -> tuple[Path, str, str]:
    """A site's cache folder (per config and output folder), the salt of its code, templates and settings, and
    the salt of its code and templates alone (what a plan body's HTML depends on, whatever the settings).

    Units are not in it: each page's fingerprint holds the units it shows, by value.
    """
    # Whether search is indexed does not change a page: it is left out of the key.
    settings = repr({k: v for k, v in extra.items() if k != "search"}) + str(site_url)
    root = Path(config_file).parent
    code = code_salt([root / "overrides", Path(config_file)], running_code(root / "hooks"))
    salt = hashlib.blake2b(f"{code}\0{settings}".encode(), digest_size=16).hexdigest()
    return site_folder(config_file, site_dir, settings), salt, code


@cache
def running_code(hooks: Path) -> str:
    """The salt of the Python code this process runs: ``hooks`` and the packages of ``CACHED_BY``, digested once.

    Python imports a module once, and MkDocs loads its hooks once per session: a file of hooks/ edited while
    ``make serve`` runs changes nothing until it restarts, so it must not change the salt either (pages and
    bodies made by the old code would be kept under the new code's salt). Templates and mkdocs.yml are read
    again by every build: ``site_cache`` digests them each time.
    """
    return code_salt([hooks, *package_folders()])


# The installed packages whose code decides what the caches hold: the rendered bodies (Markdown, its
# extensions, the nh3 allow-list), the QR codes (segno), the parsed plans (the loader's own YAML dialect
# uses no package). An upgrade, or a copy earlier on the path, changes the salt: nothing made by the
# old code is reused.
CACHED_BY = ("markdown", "pymdownx", "nh3", "segno")


@cache
def package_folders() -> tuple[Path, ...]:
    """Where this process imports the packages of ``CACHED_BY`` from (their files go in the salt)."""
    found: list[Path] = []
    for name in CACHED_BY:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:  # a package: its folder
            found.extend(Path(folder) for folder in spec.submodule_search_locations)
        elif spec is not None and spec.origin:  # a module: its file
            found.append(Path(spec.origin))
    return tuple(found)


def qr_file(folder: Path, site_url: str, plan_id: str, salt: str) -> tuple[Path, str]:
    """The file in the cache ``folder`` of a plan page's QR code, and the URL it encodes; ``salt``: of the code
    that draws it (``site_cache``)."""
    url = qr_url(site_url, plan_id)
    return memo_path(folder, f"qr:{salt}:{url}"), url


def qr_url(site_url: str, plan_id: str) -> str:
    """The address a plan page's QR code encodes."""
    return site_url.rstrip("/") + "/" + plan_url(plan_id)


@contextmanager
def kept_for_the_build() -> Iterator[None]:
    """For code that makes objects living for the whole build (the site's records, the generator's files).

    No garbage collection while they are made (each one would scan the growing heap again: a third of
    the load time), and none scans them afterwards (frozen; forked workers then leave them untouched).
    The caller unfreezes them (``gc.unfreeze()``) when the build ends or fails.
    """
    global _idle_collection
    if _idle_collection is not None:  # a build starts: no collection beside it
        _idle_collection.cancel()
        _idle_collection = None
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


IDLE_COLLECT_S = 2.0
_idle_collection: threading.Timer | None = None


def collect_when_idle(delay: float | None = None) -> None:
    """A serve build has ended (its objects unfrozen): collect once the process has been idle for ``delay`` s.

    Without it, the next build's ``kept_for_the_build`` would freeze this build's cyclic garbage (MkDocs'
    pages, files and templates) for good: about 19 MB more per rebuild at 1,000 plans. A collection costs
    0.1-0.2 s, which an editor's pause absorbs; a build that starts first cancels it.
    """
    global _idle_collection
    if _idle_collection is not None:
        _idle_collection.cancel()
    _idle_collection = threading.Timer(IDLE_COLLECT_S if delay is None else delay, gc.collect)
    _idle_collection.daemon = True
    _idle_collection.start()


def memo_path(folder: Path, key: str) -> Path:
    """Where a text made from ``key`` (e.g. a QR code from its URL) is kept in ``folder``."""
    return folder / "memo" / hashlib.blake2b(key.encode("utf-8"), digest_size=16).hexdigest()
