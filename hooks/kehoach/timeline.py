"""Targets by year, kept readable at any scale.

A year with few targets lists them all. A crowded year (a city with thousands of
school plans) lists in full only the small groups of units directly below the page's
unit, and shows each large group as a count linking to that unit's own page, which
applies the same rule one level down.

Each listed target comes with its view (kehoach/targetviews.py): what it serves, how many plans serve
it, its latest result. Timelines show its summary; the plan page shows the detail (the serving targets
by unit).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .graph import Graph, TimelineEntry
from .model import Unit
from .targetviews import TargetView, TargetViews

SHOW_ALL = 150  # a year with at most this many targets is listed in full
CROWDED_BUDGET = 40  # a crowded year lists at most this many targets in full, the rest as counts per unit
GROUP_FULL = 12  # in a crowded year, a group this small is listed in full while the budget lasts


@dataclass(frozen=True)
class UnitSummary:
    unit: Unit
    count: int


@dataclass(frozen=True)
class TimelineYear:
    year: int
    count: int
    entries: tuple[TimelineEntry, ...]
    summaries: tuple[UnitSummary, ...] = ()
    views: tuple[TargetView, ...] = ()  # one per entry, in the same order (none on the embed page)


def views_of(views: TargetViews, entries: tuple[TimelineEntry, ...], detail: bool = False) -> tuple[TargetView, ...]:
    view = views.detail if detail else views.summary
    return tuple(view(e.plan.id, e.target.id) for e in entries)


def plain_years(
    by_year: dict[int, list[TimelineEntry]], views: TargetViews | None = None, detail: bool = False
) -> tuple[TimelineYear, ...]:
    """Every target by year; with ``views``, each with its view (``detail``: the plan page's)."""
    years = []
    for year, found in by_year.items():
        entries = tuple(found)
        shown = views_of(views, entries, detail) if views is not None else ()
        years.append(TimelineYear(year, len(entries), entries, views=shown))
    return tuple(years)


def grouped_years(graph: Graph, scope: str | None, by_year: dict[int, list[TimelineEntry]]) -> tuple[TimelineYear, ...]:
    """Years for a page about ``scope`` (a unit id, or None for the whole site)."""
    years = []
    for year, entries in by_year.items():
        if len(entries) <= SHOW_ALL:
            listed = tuple(entries)
            years.append(TimelineYear(year, len(entries), listed, views=views_of(graph.targets, listed)))
            continue
        groups: dict[str, list[TimelineEntry]] = defaultdict(list)
        for entry in entries:
            groups[_child_toward(graph, scope, entry.unit.id)].append(entry)
        shown: list[TimelineEntry] = list(groups.pop(scope, ())) if scope is not None else []
        summaries = []
        for key in sorted(groups, key=lambda k: graph.unit_sort_key(graph.units[k])):
            group = groups[key]
            if len(group) <= GROUP_FULL and len(shown) + len(group) <= CROWDED_BUDGET:
                shown.extend(group)
            else:
                summaries.append(UnitSummary(graph.units[key], len(group)))
        listed = tuple(shown)
        years.append(TimelineYear(year, len(entries), listed, tuple(summaries), views_of(graph.targets, listed)))
    return tuple(years)


def _child_toward(graph: Graph, scope: str | None, unit_id: str) -> str:
    """The unit just below ``scope`` on the way down to ``unit_id`` (or ``scope`` itself)."""
    chain = [u.id for u in graph.unit_chain(unit_id)]
    if scope is None:
        return chain[1] if len(chain) > 1 else chain[0]
    position = chain.index(scope)
    return chain[position + 1] if position + 1 < len(chain) else scope


SCOPE_KINDS = frozenset(("trung-uong", "co-quan", "thanh-pho", "phuong"))  # units offered to narrow the timeline
SCOPES_SHOWN = 300  # beyond this many, wards are left out (their city's page lists them)


@dataclass(frozen=True)
class Scope:
    """A unit whose page narrows the timeline to its subtree, with how many targets that subtree has."""

    unit: Unit
    depth: int
    count: int


def scopes(graph: Graph) -> tuple[Scope, ...]:
    """Units down to wards whose subtree has targets, in tree order; without wards when there are too many."""
    own: dict[str, int] = defaultdict(int)
    for plan in graph.plans.values():
        own[plan.unit] += len(plan.targets)
    totals: dict[str, int] = {}

    def total(unit: Unit) -> int:
        if unit.id not in totals:
            totals[unit.id] = own[unit.id] + sum(total(c) for c in graph.unit_children(unit.id))
        return totals[unit.id]

    def walk(units: list[Unit], depth: int, kinds: frozenset[str]) -> list[Scope]:
        found = []
        for unit in units:
            if unit.kind in kinds and total(unit):
                found.append(Scope(unit, depth, totals[unit.id]))
                found += walk(graph.unit_children(unit.id), depth + 1, kinds)
        return found

    found = walk(graph.unit_roots(), 0, SCOPE_KINDS)
    if len(found) > SCOPES_SHOWN:
        found = walk(graph.unit_roots(), 0, SCOPE_KINDS - {"phuong"})[:SCOPES_SHOWN]
    return tuple(found)
