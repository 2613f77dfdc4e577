"""Incremental rebuilds: a page's source file changes only when what it shows changes.

Each page gets a fingerprint from the plans and units it shows (their file digests)
and a salt for the code and templates. Its Markdown is written to the site's cache
folder (in the checked folder of kehoach/cachedir.py) only when the fingerprint changed, so MkDocs' dirty build (``mkdocs serve
--dirty``), which compares file times, re-renders exactly the pages that show an
edited plan: its own page, its parents' and children's, its units', the timeline.
"""
from __future__ import annotations

import dataclasses
import gc
import hashlib
import json
import re
from contextlib import contextmanager
from pathlib import Path

from .cachedir import site_folder
from .model import Citation, Plan, Responsibility, Signer, Source, Target, Unit
from .pages import Page, plan_url


_LEAF, _PLAN, _UNIT, _NUMBER, _SEQUENCE, _MAPPING = range(6)
_KINDS: dict[type, int | tuple[str, ...]] = {}  # by type: one of the above, or a dataclass's fields to visit
# Parts of a plan's file: shown with their plan, whose digest covers them (a Target's year is not a count).
_PLAN_PARTS = (Target, Citation, Responsibility, Signer, Source)
_TEXT = re.compile(r"(str|float|dt\.date|date)( \| None)?")  # fields that cannot hold a plan, unit or count


def _kind(cls: type) -> int | tuple[str, ...]:
    """How the walk treats values of ``cls``, decided once per type."""
    if issubclass(cls, Plan):
        return _PLAN
    if issubclass(cls, Unit):
        return _UNIT
    if issubclass(cls, _PLAN_PARTS):
        return _LEAF
    if issubclass(cls, int):  # counts, years, page numbers, flags
        return _NUMBER
    if issubclass(cls, (tuple, list, set, frozenset)):
        return _SEQUENCE
    if issubclass(cls, dict):
        return _MAPPING
    if dataclasses.is_dataclass(cls):
        return tuple(f.name for f in dataclasses.fields(cls) if not _TEXT.fullmatch(str(f.type))) or _LEAF
    return _LEAF


def _walk(value: object, found: set[str], numbers: list[int]) -> None:
    """Collect the plans (by file digest) and units (by id) that a page record shows, and its numbers.

    Numbers are kept in walk order (a count moving from one unit to another changes the list); a set's
    order may vary between runs, which can only re-render a page for nothing.
    """
    stack = [value]
    pop, extend = stack.pop, stack.extend
    while stack:
        item = pop()
        kind = _KINDS.get(item.__class__)
        if kind is None:
            kind = _KINDS[item.__class__] = _kind(item.__class__)
        if kind is _LEAF:
            continue
        if kind is _PLAN:
            found.add(item.digest)
        elif kind is _UNIT:
            found.add(item.id)
        elif kind is _NUMBER:
            numbers.append(item)
        elif kind is _SEQUENCE:
            extend(item)
        elif kind is _MAPPING:
            extend(item.values())
        else:
            extend(map(item.__getattribute__, kind))


def fingerprint(page: Page, salt: str, markdown: str) -> str:
    """Changes when the page's plans, units, counts, Markdown or the site's code change.

    Units count by id: the units file's digest is part of ``salt``. ``markdown`` is a hand-written
    page's text, or "" for a generated page, whose Markdown is made from its records (and so from
    the plans' files: their digests are in the fingerprint) by the site's code (in ``salt``).
    """
    found: set[str] = set()
    numbers: list[int] = []
    _walk(page, found, numbers)
    digest = hashlib.blake2b(digest_size=16)
    for part in (salt, page.src_uri, page.title, page.description, markdown, repr(numbers), *sorted(found)):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


class PageSources:
    """The cache folder of page sources for one site build (one instance per build)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.index_path = folder / "fingerprints.json"
        try:
            self.index: dict[str, str] = json.loads(self.index_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.index = {}
        self.written: set[str] = set()  # the pages whose source was (re)written: MkDocs re-renders them

    def source(self, page: Page, salt: str, hand_written: str | None = None) -> Path:
        """The file MkDocs reads for ``page``; rewritten (new mtime) only when it changed.

        ``hand_written`` is the Markdown of a page from docs/ (with its own front matter).
        """
        path = self.folder / "pages" / page.src_uri
        mark = fingerprint(page, salt, hand_written or "")
        if self.index.get(page.src_uri) != mark or not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(page_markdown(page, hand_written), encoding="utf-8")
            self.index[page.src_uri] = mark
            self.written.add(page.src_uri)
        return path

    def save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.index_path.write_text(json.dumps(self.index), encoding="utf-8")


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


def site_cache(config_file: str, site_dir: str, extra: dict, site_url: str | None) -> tuple[Path, str]:
    """A site's cache folder (per config and output folder) and the salt of its code, templates, settings and units."""
    # Whether search is indexed does not change a page: it is left out of the key.
    settings = repr({k: v for k, v in extra.items() if k != "search"}) + str(site_url)
    root = Path(config_file).parent
    units = root / extra.get("plans_dir", "plans") / "units.yml"
    salt = code_salt([root / "hooks", root / "overrides", Path(config_file), units], settings)
    return site_folder(config_file, site_dir, settings), salt


def qr_file(folder: Path, site_url: str, plan_id: str) -> tuple[Path, str]:
    """The file in the cache ``folder`` of a plan page's QR code, and the URL it encodes."""
    url = site_url.rstrip("/") + "/" + plan_url(plan_id)
    return memo_path(folder, "qr:" + url), url


@contextmanager
def kept_for_the_build():
    """For code that makes objects living for the whole build (the site's records, the generator's files).

    No garbage collection while they are made (each one would scan the growing heap again: a third of
    the load time), and none scans them afterwards (frozen; forked workers then leave them untouched).
    The caller unfreezes them (``gc.unfreeze()``) when the build ends or fails.
    """
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def memo_path(folder: Path, key: str) -> Path:
    """Where a text made from ``key`` (e.g. a QR code from its URL) is kept in ``folder``."""
    return folder / "memo" / hashlib.blake2b(key.encode("utf-8"), digest_size=16).hexdigest()


class Fragments:
    """Template fragments that many pages share, each rendered once per build and key.

    A Jinja global (one per build's environment): ``{% call kh_once(key) %}…{% endcall %}`` renders
    the block for the first page with that key and repeats that HTML for the others; a ``none`` key
    renders it every time. The key must hold everything the block depends on (e.g. the page's depth).
    """

    def __init__(self) -> None:
        self._done: dict[str, str] = {}

    def __call__(self, key: str | None, caller) -> str:
        if key is None:
            return caller()
        html = self._done.get(key)
        if html is None:
            html = self._done[key] = caller()
        return html
