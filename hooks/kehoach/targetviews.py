"""What each target shows on the pages: what it serves, what serves it, and its latest result.

Made from ``alignment.align`` once per build (``Graph.targets``) and kept as page records, so that a
page's fingerprint (kehoach/cache.py) holds everything its targets show. Every view is bounded: a target
served by thousands of plans shows counts per issuing unit, and at most ``DOWN_LINKS`` links.

- ``views.summary(plan_id, target_id)``: for timelines: the targets served (with their warning labels),
  how many plans serve it (directly, and through the chain), its latest result. Made once per target.
- ``views.detail(plan_id, target_id)``: the same for the plan page, with the serving targets grouped by
  issuing unit (``DOWN_UNITS`` units, ``DOWN_LINKS`` links at most; the rest as counts).
- ``views.results(report)``: a report's results, each with the target it is about and its verdict.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .alignment import NO_REPORT, Alignment, Key, UnitServers, verdict
from .model import Plan, Result, Target, Unit

DOWN_UNITS = 30  # issuing units listed under a target served by many; the others as one count
DOWN_LINKS = 30  # links to serving targets on one target, across its units
REPORTS_SHOWN = 30  # reports listed on the page of the plan they report on


@dataclass(frozen=True)
class UpLink:
    """A target this one serves, with the warnings of the link ("muộn hơn", "thấp hơn")."""

    plan: Plan
    target: Target
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Server:
    plan: Plan
    target: Target


@dataclass(frozen=True)
class DownGroup:
    """The targets of one issuing unit's plans serving a target: how many, and the first few."""

    unit: Unit
    count: int
    servers: tuple[Server, ...]


@dataclass(frozen=True)
class Latest:
    """The latest result on a target: the report (a plan of type BC) and the verdict, if the data gives one."""

    result: Result
    report: Plan
    verdict: str | None


@dataclass(frozen=True)
class TargetView:
    up: tuple[UpLink, ...] = ()
    plans_below: int = 0  # distinct plans with a target serving this one directly
    plans_through: int = 0  # distinct plans serving it directly or through targets that serve it
    latest: Latest | None = None
    status: str = NO_REPORT  # "đạt", "chưa đạt", "chưa có báo cáo" or "" (a result without verdict)
    down: tuple[DownGroup, ...] = ()  # plan pages only (``detail``)
    down_units: int = 0  # every issuing unit with a serving target
    down_targets: int = 0  # every serving target
    more_units: int = 0  # units not listed in ``down``
    more_targets: int = 0  # their serving targets


@dataclass(frozen=True)
class ResultView:
    """One result of a report, with the target it is about (None if the plan has no such target)."""

    result: Result
    plan: Plan  # the plan reported on
    target: Target | None
    verdict: str | None


class TargetViews:
    """Views of every target, each made once and shared by every page that shows the target."""

    def __init__(
        self,
        plans: Mapping[str, Plan],
        units: Mapping[str, Unit],
        alignment: Alignment,
        unit_order: Callable[[Unit], tuple[int, str]],
    ) -> None:
        self.plans, self.units, self.alignment, self._unit_order = plans, units, alignment, unit_order
        self._targets = {(p.id, t.id): t for p in plans.values() for t in p.targets}
        self._through = plans_through(alignment)
        self._summaries: dict[tuple[str, str], TargetView] = {}  # by Key
        self._details: dict[tuple[str, str], TargetView] = {}

    def summary(self, plan_id: str, target_id: str) -> TargetView:
        view = self._summaries.get((plan_id, target_id))  # (a Key is a tuple: found by the plain pair)
        if view is None:
            key = Key(plan_id, target_id)
            view = self._summaries[key] = self._summary(key)
        return view

    def detail(self, plan_id: str, target_id: str) -> TargetView:
        view = self._details.get((plan_id, target_id))
        if view is None:
            key = Key(plan_id, target_id)
            view = self._details[key] = self._detail(key)
        return view

    def results(self, report: Plan) -> tuple[ResultView, ...]:
        plan = self.plans.get(report.reports_on or "")
        if plan is None:
            return ()
        views = []
        for result in report.results:
            target = self._targets.get((plan.id, result.target))
            views.append(ResultView(result, plan, target, verdict(target, result) if target else None))
        return tuple(views)

    def reports(self, plan_id: str) -> tuple[Plan, ...]:
        """The reports on a plan, newest first (at most ``REPORTS_SHOWN``)."""
        found = [self.plans[r] for r in reversed(self.alignment.reports_of(plan_id)) if r in self.plans]
        return tuple(found[:REPORTS_SHOWN])

    def _summary(self, key: Key) -> TargetView:
        entry = self.alignment.of(*key)
        up = tuple(
            UpLink(self.plans[link.key.plan], self._targets[link.key], link.labels)
            for link in entry.up
            if link.key.plan in self.plans and link.key in self._targets
        )
        latest = None
        if entry.latest is not None and entry.latest.report in self.plans:
            latest = Latest(entry.latest.result, self.plans[entry.latest.report], entry.latest.verdict)
        status = entry.status if latest is not None or entry.latest is None else NO_REPORT
        return TargetView(up, entry.plans_below, self._through.get(key, 0), latest, status)

    def _detail(self, key: Key) -> TargetView:
        summary = self.summary(*key)
        groups = [g for g in self.alignment.of(*key).down if g.unit in self.units]
        groups.sort(key=lambda g: self._unit_order(self.units[g.unit]))
        shown, budget = [], DOWN_LINKS
        for group in groups[:DOWN_UNITS]:
            servers = self._servers(group, budget)
            budget -= len(servers)
            shown.append(DownGroup(self.units[group.unit], len(group.targets), servers))
        rest = groups[DOWN_UNITS:]
        return TargetView(  # (dataclasses.replace, field by field: a third of this function's time)
            summary.up,
            summary.plans_below,
            summary.plans_through,
            summary.latest,
            summary.status,
            down=tuple(shown),
            down_units=len(groups),
            down_targets=sum(len(g.targets) for g in groups),
            more_units=len(rest),
            more_targets=sum(len(g.targets) for g in rest),
        )

    def _servers(self, group: UnitServers, budget: int) -> tuple[Server, ...]:
        keys = [k for k in group.targets[: max(budget, 0)] if k.plan in self.plans and k in self._targets]
        return tuple(Server(self.plans[k.plan], self._targets[k]) for k in keys)


def plans_through(alignment: Alignment) -> dict[Key, int]:
    """For each served target, how many distinct plans serve it, directly or through a chain of ``serves``.

    Linear in the links times the depth of the chain: each target's targets above are found once.
    """
    above: dict[Key, frozenset[Key]] = {}

    def reach(key: Key, walking: frozenset[Key]) -> frozenset[Key]:
        found = above.get(key)
        if found is None:
            served: set[Key] = set()
            for link in alignment.of(*key).up:
                if link.key not in walking:  # serves point up the lineage: a cycle is refused before this
                    served.add(link.key)
                    served |= reach(link.key, walking | {key})
            found = above[key] = frozenset(served)
        return found

    plans_of: dict[Key, set[str]] = defaultdict(set)
    for key, entry in alignment.targets.items():
        if entry.up:
            for served in reach(key, frozenset()):
                plans_of[served].add(key.plan)
    return {key: len(plans) for key, plans in plans_of.items()}
