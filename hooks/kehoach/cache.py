"""Incremental rebuilds: a page's source file changes only when what it shows changes.

Each page gets a fingerprint of its record's whole value (every field, down to strings, numbers
and dates; plans by id and file digest, each with its unit by value) and a salt for the code,
templates and settings. Its Markdown is written to the site's cache folder (in the checked folder
of kehoach/cachedir.py) only when the fingerprint changed, so MkDocs' dirty build (``mkdocs serve
--dirty``), which compares file times, re-renders exactly the pages that show an edited plan or
unit: its own page, its parents' and children's, its units', the timeline.

The one fact a page shows beyond its record is a plan's unit (templates call ``kh_graph.unit_of``):
hence units in the fingerprint of every plan. Anything else a template takes from elsewhere must
be in the record, in the salt (code, templates, settings) or in the site-wide part of the salt that
``build.Build`` adds (the search bundles every page's context lists).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .cachedir import site_folder
from .graph import TimelineEntry
from .model import Citation, Plan, Responsibility, Signer, Source, Target, Unit
from .pages import Page, plan_url

_TEXT, _SCALAR, _PLAN, _UNIT, _ENTRY, _SEQUENCE, _MAPPING, _SET, _TYPE = range(9)
_KINDS: dict[type, int | tuple[str, ...]] = {}  # by type: one of the above, or a record type's fields
_ENTRY_FIELDS = ("target", "plan", "unit", "quoted")  # read by Shown._entry (other fields: a plain walk)
_UNIT_FIELDS = tuple(f.name for f in dataclasses.fields(Unit))
_SCALARS = (int, float, dt.date, type(None))  # bool is an int; a datetime is a date
# Flat records (strings, numbers, dates, flags): every field at once, as the repr of their tuple.
_FLAT = (Target, Citation, Responsibility, Signer, Source, Unit)


class _Flat(tuple[str, ...]):
    """The fields of a flat record type."""


def _kind(cls: type) -> int | tuple[str, ...]:
    """How the walk treats values of ``cls``, decided once per type; a type not declared here is an error."""
    if issubclass(cls, str):
        return _TEXT
    if issubclass(cls, _SCALARS):
        return _SCALAR
    if issubclass(cls, Unit):
        return _UNIT
    if cls is TimelineEntry and tuple(f.name for f in dataclasses.fields(cls)) == _ENTRY_FIELDS:
        return _ENTRY  # the most frequent record (thousands per timeline): one step, not five
    if issubclass(cls, _FLAT) and all(f.repr for f in dataclasses.fields(cls)):
        return _Flat(f.name for f in dataclasses.fields(cls))
    for base, kind in (
        (Plan, _PLAN),
        ((tuple, list), _SEQUENCE),
        (dict, _MAPPING),
        ((set, frozenset), _SET),
        (type, _TYPE),
    ):
        if issubclass(cls, base):
            return kind
    if dataclasses.is_dataclass(cls):
        return tuple(f.name for f in dataclasses.fields(cls))
    raise TypeError(f"kehoach.cache: a page record holds a {cls.__qualname__}; say in _kind how to fingerprint it")


class Shown:
    """Page records as text, their whole value: what a page's fingerprint is made of.

    Every string, number, date, flag and record field counts, each with its type or length, so two
    different values never give the same text. A plan counts by id and file digest (its fields are
    parsed from that file by code in the salt), with its unit by value: templates show a plan with
    its unit's name (``kh_graph.unit_of``). ``units`` are the site's, by id. One instance per build:
    the text of each plan and unit is made once (and made again for another instance).
    """

    def __init__(self, units: dict[str, Unit] | None = None) -> None:
        self.units = units or {}
        self._plans: dict[str, tuple[Plan, str]] = {}  # by id: the instance and its text
        self._units: dict[str, tuple[Unit, str]] = {}

    def text(self, value: object) -> str:
        out: list[str] = []
        self.tokens(value, out)
        return "\0".join(out)

    def _plan(self, plan: Plan) -> str:
        unit = self.units.get(plan.unit)
        text = f"plan:{plan.id}:{plan.digest}\0{self._unit(unit) if unit is not None else ''}"
        self._plans[plan.id] = (plan, text)
        return text

    def _unit(self, unit: Unit) -> str:
        text = f"Unit{tuple(map(unit.__getattribute__, _UNIT_FIELDS))!r}"  # a flat record: strings and flags
        self._units[unit.id] = (unit, text)
        return text

    def tokens(self, value: object, out: list[str]) -> None:
        """Append ``value``'s tokens to ``out``: a tree walk, depth first."""
        stack: list[Any] = [value]
        plans, units, kinds = self._plans, self._units, _KINDS
        pop, extend, add = stack.pop, stack.extend, out.append
        while stack:
            item = pop()
            cls = item.__class__
            kind = kinds.get(cls)
            if kind is None:
                kind = kinds[cls] = _kind(cls)
            if kind is _TEXT:
                add(f"s{len(item)}")
                add(item)
            elif kind is _SCALAR:
                add(f"{cls.__name__}:{item!r}")
            elif kind is _PLAN:
                known = plans.get(item.id)
                add(known[1] if known is not None and known[0] is item else self._plan(item))
            elif kind is _UNIT:
                seen = units.get(item.id)
                add(seen[1] if seen is not None and seen[0] is item else self._unit(item))
            elif kind is _ENTRY:
                add(self._entry(item))
            elif kind is _SEQUENCE:
                add(f"[{len(item)}")
                extend(item)
            elif kind.__class__ is _Flat:
                add(cls.__qualname__ + repr(tuple(map(item.__getattribute__, kind))))
            elif kind.__class__ is tuple:  # a record: its class and every field
                add(cls.__qualname__)
                extend(map(item.__getattribute__, kind))
            else:
                add(self._other(item, kind))

    def _entry(self, entry: TimelineEntry) -> str:
        """A timeline's target: its every field, its plan and unit (memos) and the plan it quotes."""
        plan, unit, quoted = entry.plan, entry.unit, entry.quoted
        known, seen = self._plans.get(plan.id), self._units.get(unit.id)
        target = entry.target
        kind = _KINDS.get(target.__class__) or _kind(target.__class__)
        flat = f"Target{tuple(map(target.__getattribute__, kind))!r}" if isinstance(kind, _Flat) else None
        return "\0".join(
            (
                flat if flat is not None else self.text(target),
                known[1] if known is not None and known[0] is plan else self._plan(plan),
                seen[1] if seen is not None and seen[0] is unit else self._unit(unit),
                "None" if quoted is None else self.text(quoted),
            )
        )

    def _other(self, item: Any, kind: object) -> str:
        if kind is _MAPPING:
            return f"{{{len(item)}\0" + self.text((*item.keys(), *item.values()))
        if kind is _SET:
            return f"set{len(item)}:" + "\1".join(sorted(map(self.text, item)))
        return f"type:{item.__module__}.{item.__qualname__}"


def fingerprint(page: Page, salt: str, markdown: str, shown: Shown | dict[str, Unit] | None = None) -> str:
    """Changes when anything the page's record holds changes (``Shown``), or its Markdown, or the site's code.

    ``shown`` is a ``Shown`` of the site's units (or the units by id). ``markdown`` is a hand-written
    page's text, or "" for a generated page, whose Markdown is made from its record by the site's
    code (in ``salt``).
    """
    shown = shown if isinstance(shown, Shown) else Shown(shown)
    out = [salt, f"s{len(markdown)}", markdown]
    shown.tokens(page, out)
    return hashlib.blake2b("\0".join(out).encode("utf-8"), digest_size=16).hexdigest()


class PageSources:
    """The cache folder of page sources for one site build (one instance per build)."""

    def __init__(self, folder: Path, units: dict[str, Unit] | None = None) -> None:
        self.folder, self.shown = folder, Shown(units)
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
        mark = fingerprint(page, salt, hand_written or "", self.shown)
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


def site_cache(config_file: str, site_dir: str, extra: dict[str, Any], site_url: str | None) -> tuple[Path, str]:
    """A site's cache folder (per config and output folder) and the salt of its code, templates and settings.

    Units are not in it: each page's fingerprint holds the units it shows, by value.
    """
    # Whether search is indexed does not change a page: it is left out of the key.
    settings = repr({k: v for k, v in extra.items() if k != "search"}) + str(site_url)
    root = Path(config_file).parent
    salt = code_salt([root / "hooks", root / "overrides", Path(config_file)], settings)
    return site_folder(config_file, site_dir, settings), salt


def qr_file(folder: Path, site_url: str, plan_id: str) -> tuple[Path, str]:
    """The file in the cache ``folder`` of a plan page's QR code, and the URL it encodes."""
    url = qr_url(site_url, plan_id)
    return memo_path(folder, "qr:" + url), url


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

    def __call__(self, key: str | None, caller: Callable[[], str]) -> str:
        if key is None:
            return caller()
        html = self._done.get(key)
        if html is None:
            html = self._done[key] = caller()
        return html
