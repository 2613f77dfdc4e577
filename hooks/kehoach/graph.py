"""The document graph (parents and children) and the unit tree."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass

from .alignment import Alignment, align
from .model import Plan, Target, Unit
from .targetviews import TargetViews


@dataclass(frozen=True)
class TimelineEntry:
    target: Target
    plan: Plan
    unit: Unit
    quoted: Plan | None = None  # the document whose target this one repeats (target.of), shown beside it


class Graph:
    """Read-only queries over valid plans and units (validate first)."""

    def __init__(self, plans: list[Plan], units: list[Unit]) -> None:
        self.plans = {p.id: p for p in sorted(plans, key=_plan_order)}
        self.units = {u.id: u for u in units}
        self._children: dict[str, list[str]] = defaultdict(list)
        for plan in self.plans.values():
            for cited in plan.parents:
                self._children[cited.id].append(plan.id)
        self._unit_children: dict[str, list[str]] = defaultdict(list)
        self._unit_plans: dict[str, list[str]] = defaultdict(list)
        for unit in units:
            if unit.parent:
                self._unit_children[unit.parent].append(unit.id)
        self._quoted: dict[str, list[TimelineEntry]] = defaultdict(list)
        self._lineage_memo: dict[str, list[Plan]] = {}
        self._chain_memo: dict[str, tuple[Unit, ...]] = {}
        self._entries_memo: dict[str, tuple[TimelineEntry, ...]] = {}
        self._count_memo: dict[str, int] = {}  # each plan's, made once for every page
        for plan in self.plans.values():
            self._unit_plans[plan.unit].append(plan.id)
            if any(target.of for target in plan.targets):
                for entry in self._entries(plan):
                    if entry.target.of:
                        self._quoted[entry.target.of].append(entry)

    # -- documents ---------------------------------------------------------
    def parents(self, plan_id: str) -> list[Plan]:
        return [self.plans[c.id] for c in self.plans[plan_id].parents]

    def children(self, plan_id: str) -> list[Plan]:
        return [self.plans[c] for c in self._children.get(plan_id, ())]

    def ancestors(self, plan_id: str) -> list[Plan]:
        """Every document above, nearest first, each once."""
        seen: dict[str, Plan] = {}
        queue = [c.id for c in self.plans[plan_id].parents]
        while queue:
            current = queue.pop(0)
            if current not in seen:
                seen[current] = self.plans[current]
                queue.extend(c.id for c in self.plans[current].parents)
        return list(seen.values())

    def descendants(self, plan_id: str) -> list[Plan]:
        seen: dict[str, Plan] = {}
        queue = list(self._children.get(plan_id, ()))
        while queue:
            current = queue.pop(0)
            if current not in seen:
                seen[current] = self.plans[current]
                queue.extend(self._children.get(current, ()))
        return list(seen.values())

    def lineage(self, plan_id: str) -> list[Plan]:
        """The longest chain of parents from the top document down to this plan."""
        return list(reversed(self._longest_up(plan_id)))

    def _longest_up(self, plan_id: str) -> list[Plan]:
        memo = self._lineage_memo
        if plan_id not in memo:
            best: list[Plan] = []
            for cited in self.plans[plan_id].parents:
                chain = self._longest_up(cited.id)
                if len(chain) > len(best):
                    best = chain
            memo[plan_id] = [self.plans[plan_id], *best]
        return memo[plan_id]

    def roots(self) -> list[Plan]:
        return [p for p in self.plans.values() if not p.parents]

    # -- units -------------------------------------------------------------
    def unit_of(self, plan: Plan) -> Unit:
        return self.units[plan.unit]

    def unit_chain(self, unit_id: str) -> list[Unit]:
        """From the top unit down to this one."""
        if unit_id not in self._chain_memo:
            chain = []
            current: str | None = unit_id
            while current:
                chain.append(self.units[current])
                current = self.units[current].parent
            self._chain_memo[unit_id] = tuple(reversed(chain))
        return list(self._chain_memo[unit_id])

    def unit_children(self, unit_id: str) -> list[Unit]:
        return sorted((self.units[u] for u in self._unit_children.get(unit_id, ())), key=_unit_order)

    def unit_roots(self) -> list[Unit]:
        return sorted((u for u in self.units.values() if not u.parent), key=_unit_order)

    def plans_of(self, unit_id: str) -> list[Plan]:
        return [self.plans[p] for p in self._unit_plans.get(unit_id, ())]

    def plans_under(self, unit_id: str) -> list[Plan]:
        """Plans of this unit and of every unit below it."""
        found, stack = [], [unit_id]
        while stack:
            current = stack.pop()
            found.extend(self.plans_of(current))
            stack.extend(self._unit_children.get(current, ()))
        return sorted(found, key=_plan_order)

    def count_under(self, unit_id: str) -> int:
        """How many plans this unit and the units below it have (``len(plans_under())``, unsorted)."""
        count = self._count_memo.get(unit_id)
        if count is None:
            count = len(self._unit_plans.get(unit_id, ())) + sum(
                self.count_under(child) for child in self._unit_children.get(unit_id, ())
            )
            self._count_memo[unit_id] = count
        return count

    @staticmethod
    def unit_sort_key(unit: Unit) -> tuple[int, str]:
        return _unit_order(unit)

    def nearest_unit(self, unit_id: str, kind: str) -> Unit | None:
        return next((u for u in reversed(self.unit_chain(unit_id)) if u.kind == kind), None)

    # -- targets -----------------------------------------------------------
    def timeline(self, plans: list[Plan] | None = None) -> dict[int, list[TimelineEntry]]:
        """Targets by year, years ascending; within a year, in plan order."""
        by_year: dict[int, list[TimelineEntry]] = defaultdict(list)
        for plan in plans if plans is not None else self.plans.values():
            for entry in self._entries(plan):
                by_year[entry.target.year].append(entry)
        return {year: by_year[year] for year in sorted(by_year)}

    def _entries(self, plan: Plan) -> tuple[TimelineEntry, ...]:
        entries = self._entries_memo.get(plan.id)
        if entries is None:
            unit = self.units[plan.unit]
            entries = self._entries_memo[plan.id] = tuple(
                TimelineEntry(t, plan, unit, self.plans.get(t.of) if t.of else None) for t in plan.targets
            )
        return entries

    @functools.cached_property
    def alignment(self) -> Alignment:
        """Every target's links up and down, latest result and warnings (kehoach/alignment.py), made once."""
        return align(self.plans.values())

    @functools.cached_property
    def targets(self) -> TargetViews:
        """What pages show of each target: its links and latest result (kehoach/targetviews.py), made once."""
        return TargetViews(self.plans, self.units, self.alignment, _unit_order)

    def quoted_targets(self, plan_id: str) -> list[TimelineEntry]:
        """Targets of this document as quoted by other plans (``of:``)."""
        return list(self._quoted.get(plan_id, ()))


_KIND_ORDER = {"trung-uong": 0, "co-quan": 1, "thanh-pho": 2, "phuong": 3, "truong": 4, "chi-bo": 5}


def _unit_order(unit: Unit) -> tuple[int, str]:
    return (_KIND_ORDER.get(unit.kind, 9), unit.name)


def _plan_order(plan: Plan) -> tuple[bool, str, str]:
    """Dated documents first, oldest first; undated after, by id."""
    return (plan.date is None, plan.date.isoformat() if plan.date else "", plan.id)
