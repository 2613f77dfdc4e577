"""A page's fingerprint: the whole value of its record, as text, hashed.

Every string, number, date, flag and record field counts (kehoach/cache.py writes a page's source
again, so that a serve rebuild re-renders it, only when its fingerprint changed). A plan counts by
id and file digest, with its unit by value: templates show a plan with its unit's name
(``kh_graph.unit_of``). Anything else a template takes from elsewhere must be in the record, or in
the salt (code, templates, settings).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from typing import Any

from .graph import TimelineEntry
from .model import Citation, Plan, Responsibility, Signer, Source, Target, Unit
from .pages import Page
from .targetviews import TargetView

_TEXT, _SCALAR, _PLAN, _UNIT, _ENTRY, _SEQUENCE, _MAPPING, _SET, _TYPE = range(9)
_KINDS: dict[type, int | tuple[str, ...]] = {}  # by type: one of the above, or a record type's fields
_ENTRY_FIELDS = ("target", "plan", "unit", "quoted")  # read by Shown._entry (other fields: a plain walk)
_UNIT_FIELDS = tuple(f.name for f in dataclasses.fields(Unit))
_SCALARS = (int, float, dt.date, type(None))  # bool is an int; a datetime is a date
# Flat records (strings, numbers, dates, flags): every field at once, as the repr of their tuple.
_FLAT = (Target, Citation, Responsibility, Signer, Source, Unit)
# Records that many pages share (one per target, shown on its plan's, its units' and the timeline's pages):
# each one's text is made once per build (kept by id(), with the record, so that its id stays its own).
_SHARED = (TargetView,)


class _Flat(tuple[str, ...]):
    """The fields of a flat record type."""


class _Shared(tuple[str, ...]):
    """The fields of a shared record type."""


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
    if issubclass(cls, _SHARED):
        return _Shared(f.name for f in dataclasses.fields(cls))
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
    raise TypeError(
        f"kehoach.fingerprint: a page record holds a {cls.__qualname__}; say in _kind how to fingerprint it"
    )


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
        self._entries: dict[int, tuple[object, str]] = {}  # by id(): timeline entries and _SHARED records

    def text(self, value: object) -> str:
        out: list[str] = []
        self.tokens(value, out)
        return "\0".join(out)

    def _plan(self, plan: Plan) -> str:
        unit = self.units.get(plan.unit)
        text = _short(f"plan:{plan.id}:{plan.digest}\0{self._unit(unit) if unit is not None else ''}")
        self._plans[plan.id] = (plan, text)
        return text

    def _unit(self, unit: Unit) -> str:
        text = _short(f"Unit{tuple(map(unit.__getattribute__, _UNIT_FIELDS))!r}")  # a flat record: strings, flags
        self._units[unit.id] = (unit, text)
        return text

    def tokens(self, value: object, out: list[str]) -> None:
        """Append ``value``'s tokens to ``out``: a tree walk, depth first."""
        stack: list[Any] = [value]
        plans, units, entries, kinds = self._plans, self._units, self._entries, _KINDS
        pop, extend, add = stack.pop, stack.extend, out.append
        while stack:  # the kinds in order of frequency (a site's pages: sequences, numbers, plans, targets)
            item = pop()
            cls = item.__class__
            kind = kinds.get(cls)
            if kind is None:
                kind = kinds[cls] = _kind(cls)
            if kind is _SEQUENCE:
                add(f"[{len(item)}")
                extend(item)
            elif kind is _SCALAR:
                add(f"{cls.__name__}:{item!r}")
            elif kind is _PLAN:
                known = plans.get(item.id)
                add(known[1] if known is not None and known[0] is item else self._plan(item))
            elif kind is _ENTRY:
                made = entries.get(id(item))
                add(made[1] if made is not None and made[0] is item else self._entry(item))
            elif kind is _UNIT:
                seen = units.get(item.id)
                add(seen[1] if seen is not None and seen[0] is item else self._unit(item))
            elif kind is _TEXT:
                add(f"s{len(item)}")
                add(item)
            elif kind.__class__ is _Flat:
                add(cls.__qualname__ + repr(tuple(map(item.__getattribute__, kind))))
            elif kind.__class__ is _Shared:
                made = entries.get(id(item))
                add(made[1] if made is not None and made[0] is item else self._shared(item, kind))
            elif kind.__class__ is tuple:  # a record: its class and every field
                add(cls.__qualname__)
                extend(map(item.__getattribute__, kind))
            else:
                add(self._other(item, kind))

    def _entry(self, entry: TimelineEntry) -> str:
        """A timeline's target: its every field, its plan and unit (memos) and the plan it quotes.

        Made once per entry (kept with the entry, so that its ``id()`` stays its own): the graph makes
        each plan's entries once, and its page, its units' pages and the timeline all show them.
        """
        plan, unit, quoted = entry.plan, entry.unit, entry.quoted
        known, seen = self._plans.get(plan.id), self._units.get(unit.id)
        target = entry.target
        kind = _KINDS.get(target.__class__) or _kind(target.__class__)
        flat = f"Target{tuple(map(target.__getattribute__, kind))!r}" if isinstance(kind, _Flat) else None
        text = _short(
            "\0".join(
                (
                    flat if flat is not None else self.text(target),
                    known[1] if known is not None and known[0] is plan else self._plan(plan),
                    seen[1] if seen is not None and seen[0] is unit else self._unit(unit),
                    "None" if quoted is None else self.text(quoted),
                )
            )
        )
        self._entries[id(entry)] = (entry, text)
        return text

    def _shared(self, record: object, fields: tuple[str, ...]) -> str:
        """A record of ``_SHARED``: its class and every field, as text, made once."""
        text = _short(self.text((record.__class__.__qualname__, *map(record.__getattribute__, fields))))
        self._entries[id(record)] = (record, text)
        return text

    def _other(self, item: Any, kind: object) -> str:
        if kind is _MAPPING:
            return f"{{{len(item)}\0" + self.text((*item.keys(), *item.values()))
        if kind is _SET:
            return f"set{len(item)}:" + "\1".join(sorted(map(self.text, item)))
        return f"type:{item.__module__}.{item.__qualname__}"


def _short(text: str) -> str:
    """The text of a plan, unit or shared record, as every page that shows it holds it: its digest (a page
    holding a thousand plans hashes a thousand digests, not their texts)."""
    return "#" + hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


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
