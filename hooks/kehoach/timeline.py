"""Targets by year, kept readable at any scale.

A year with few targets lists them all. A crowded year (a city with thousands of
school plans) lists in full only the small groups of units directly below the page's
unit, and shows each large group as a count linking to that unit's own page, which
applies the same rule one level down.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .graph import Graph, TimelineEntry
from .model import Unit

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


def plain_years(by_year: dict[int, list[TimelineEntry]]) -> tuple[TimelineYear, ...]:
    return tuple(TimelineYear(year, len(entries), tuple(entries)) for year, entries in by_year.items())


def grouped_years(graph: Graph, scope: str | None, by_year: dict[int, list[TimelineEntry]]) -> tuple[TimelineYear, ...]:
    """Years for a page about ``scope`` (a unit id, or None for the whole site)."""
    years = []
    for year, entries in by_year.items():
        if len(entries) <= SHOW_ALL:
            years.append(TimelineYear(year, len(entries), tuple(entries)))
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
        years.append(TimelineYear(year, len(entries), tuple(shown), tuple(summaries)))
    return tuple(years)


def _child_toward(graph: Graph, scope: str | None, unit_id: str) -> str:
    """The unit just below ``scope`` on the way down to ``unit_id`` (or ``scope`` itself)."""
    chain = [u.id for u in graph.unit_chain(unit_id)]
    if scope is None:
        return chain[1] if len(chain) > 1 else chain[0]
    position = chain.index(scope)
    return chain[position + 1] if position + 1 < len(chain) else scope
