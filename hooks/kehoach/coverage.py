"""Coverage: which units below a plan's issuer have a document implementing it, and which have not.

The rule of who is expected to implement what is ``expected_units`` (written for editors in
docs/huong-dan/index.md, "Đơn vị phải triển khai"). A unit has implemented a plan when a document
of that unit (of one of a city's organs, for a city) cites the plan, directly or through the chain
of ``parents`` (a descendant document). ``site_coverage`` computes it once for every plan, in
time linear in the plans, their ancestors and the expected units (each plan's ancestors are few:
the chains are at most ``chains.MAX_PLAN_DEPTH`` long).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from .graph import Graph
from .model import Plan, Unit

GROUPS_SHOWN = 20  # wards listed on a plan page; every ward on its coverage page (coveragepages.py)
UNITS_SHOWN = 40  # units named per ward on a plan page, those without a document first ...
UNITS_BUDGET = 40  # ... and in all; beyond that a ward shows its counts only
ORGAN = "co-quan"  # a party committee, People's Committee or department: it acts for the unit above it
ORGANS_EACH = "phuong"  # at ward level each organ is expected on its own (Đảng ủy and UBND phường)
NOT_IMPLEMENTING = frozenset({"BC"})  # a report implements nothing and is implemented by no one
PROGRAMME_TYPES = frozenset({"NQ", "CTr"})  # resolutions and action programmes ...
PROGRAMME_LEVELS = frozenset({"trung-uong", "thanh-pho"})  # ... of the centre or a city are programmes
LEVELS = ("Thành phố", "Phường (Đảng ủy, UBND phường)", "Trường học", "Chi bộ", "Đơn vị khác")  # summary rows


def area_of(unit: Unit, units: Mapping[str, Unit]) -> Unit:
    """The unit a plan is issued for: its issuer, or the first unit above that is not an organ."""
    while unit.kind == ORGAN and unit.parent is not None:
        unit = units[unit.parent]
    return unit


def expected_units(area: Unit, party: bool, children: Callable[[str], Sequence[Unit]]) -> list[Unit]:
    """The units expected to implement a plan issued for ``area`` (``area_of`` its issuer), top down.

    Every unit below ``area`` that implements on its own: each city (a city is one unit: any of its
    organs' documents counts), the party committee and People's Committee of each ward (a ward
    without an organ in units.yml counts as itself), each school and each party cell. So 71-NQ/TW
    is expected of each city and, through the cities' programmes, of every ward, school and cell; a
    city programme of each ward's organs, schools and cells; a ward plan of each school and cell in
    the ward; a school's or a cell's plan of no one. The area's own organs are not expected (they
    issue, not implement). A plan of a state body (``party`` false) is not expected of party units
    (a party committee, a cell); a party document is expected of every unit.
    """
    found: list[Unit] = []
    stack = [c for c in reversed(children(area.id)) if c.kind != ORGAN]
    while stack:
        unit = stack.pop()
        below = children(unit.id)
        organs = [c for c in below if c.kind == ORGAN and (party or not c.party)]
        if unit.kind == ORGANS_EACH and any(c.kind == ORGAN for c in below):
            found.extend(organs)
        elif party or not unit.party:
            found.append(unit)
        stack.extend(c for c in reversed(below) if c.kind != ORGAN)
    return found


def stands_for(unit: Unit, units: Mapping[str, Unit]) -> str:
    """The expected unit a document of ``unit`` counts for: itself, or the city whose organ it is."""
    parent = units.get(unit.parent) if unit.parent else None
    if unit.kind == ORGAN and (parent is None or parent.kind != ORGANS_EACH):
        return area_of(unit, units).id
    return unit.id


def is_programme(plan: Plan, area: Unit) -> bool:
    """A resolution or action programme of the centre or of a city: it gets a site-wide page."""
    return plan.type in PROGRAMME_TYPES and area.kind in PROGRAMME_LEVELS


@dataclass(frozen=True)
class UnitStatus:
    unit: Unit
    document: Plan | None  # the first of the unit's documents implementing the plan (directly or not)


@dataclass(frozen=True, kw_only=True)
class Count:
    covered: int
    expected: int

    @property
    def percent(self) -> int:
        """Rounded down: 100 only when every expected unit has a document."""
        return self.covered * 100 // self.expected if self.expected else 0


@dataclass(frozen=True, kw_only=True)
class Group(Count):
    """The expected units of one ward (or one city, for a city expected as a whole)."""

    unit: Unit
    units: tuple[UnitStatus, ...]

    @property
    def missing(self) -> tuple[Unit, ...]:
        return tuple(s.unit for s in self.units if s.document is None)


@dataclass(frozen=True, kw_only=True)
class Level(Count):
    label: str


@dataclass(frozen=True, kw_only=True)
class PlanCoverage(Count):
    plan: Plan
    programme: bool
    groups: tuple[Group, ...]
    levels: tuple[Level, ...]


@dataclass(frozen=True, kw_only=True)
class GroupSummary(Count):
    """One ward's row on a plan page: its counts and the units named there (``covered`` and
    ``expected - covered`` say how many there are of each)."""

    unit: Unit
    missing: tuple[Unit, ...]  # without a document implementing the plan: "chưa có văn bản triển khai"
    done: tuple[UnitStatus, ...]


@dataclass(frozen=True, kw_only=True)
class Summary(Count):
    """What a plan page shows of the plan's coverage, bounded at any scale."""

    levels: tuple[Level, ...]
    groups: tuple[GroupSummary, ...]  # when cut (more than GROUPS_SHOWN), the lowest shares first
    groups_total: int
    full_page: bool  # whether a coverage page lists every unit (every programme has one)


def summary(coverage: PlanCoverage) -> Summary:
    """The plan page's part: at most GROUPS_SHOWN wards and UNITS_BUDGET units named, missing ones first.

    When the plan has a coverage page (a programme, or too many units to name here), the units with a
    document are named only there: the plan page names the ones without.
    """
    rows = _rows(coverage, True)
    cut = len(coverage.groups) > GROUPS_SHOWN or any(len(r.missing) + len(r.done) < r.expected for r in rows)
    full_page = cut or coverage.programme
    return Summary(
        covered=coverage.covered,
        expected=coverage.expected,
        levels=coverage.levels,
        groups=tuple(_rows(coverage, False) if full_page else rows),
        groups_total=len(coverage.groups),
        full_page=full_page,
    )


def _rows(coverage: PlanCoverage, with_done: bool) -> list[GroupSummary]:
    """Rows of the first wards, or when there are too many, of the wards with the lowest share first."""
    groups = coverage.groups
    if len(groups) > GROUPS_SHOWN:
        groups = tuple(sorted(groups, key=lambda g: g.covered / g.expected))  # stable: ties in the site's order
    rows, budget = [], UNITS_BUDGET
    for group in groups[:GROUPS_SHOWN]:
        room = min(UNITS_SHOWN, budget)
        missing = group.missing[:room]
        done = tuple(s for s in group.units if s.document is not None)[: room - len(missing)] if with_done else ()
        budget -= len(missing) + len(done)
        rows.append(
            GroupSummary(covered=group.covered, expected=group.expected, unit=group.unit, missing=missing, done=done)
        )
    return rows


def site_coverage(graph: Graph) -> dict[str, PlanCoverage]:
    """Every plan's coverage, by plan id, for the plans some unit is expected to implement."""
    units = graph.units
    below: dict[str, list[Unit]] = {}
    for unit in sorted(units.values(), key=graph.unit_sort_key):
        if unit.parent is not None:
            below.setdefault(unit.parent, []).append(unit)
    found = _implementers(graph)
    expected: dict[tuple[str, bool], list[Unit]] = {}  # by area and party: plans of one area share it
    places = _Places(graph)
    result: dict[str, PlanCoverage] = {}
    for plan in graph.plans.values():
        if plan.type in NOT_IMPLEMENTING:
            continue
        issuer = units[plan.unit]
        area = area_of(issuer, units)
        key = (area.id, issuer.party)
        if key not in expected:
            expected[key] = expected_units(area, issuer.party, lambda uid: below.get(uid, ()))
        if expected[key]:
            done = found.get(plan.id, {})
            statuses = [UnitStatus(u, done.get(u.id)) for u in expected[key]]
            result[plan.id] = places.coverage(plan, is_programme(plan, area), statuses)
    return result


class _Places:
    """Each expected unit's ward (or city) and row of ``LEVELS``, found once for all plans."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.group: dict[str, Unit] = {}
        self.label: dict[str, str] = {}

    def coverage(self, plan: Plan, programme: bool, statuses: list[UnitStatus]) -> PlanCoverage:
        groups: dict[str, list[UnitStatus]] = {}
        for status in statuses:
            uid = status.unit.id
            if uid not in self.group:
                self.group[uid] = _group(self.graph, status.unit)
                self.label[uid] = level(status.unit, self.graph.units)
            groups.setdefault(self.group[uid].id, []).append(status)
        return PlanCoverage(
            covered=_covered(statuses),
            expected=len(statuses),
            plan=plan,
            programme=programme,
            groups=tuple(
                Group(covered=_covered(g), expected=len(g), unit=self.graph.units[gid], units=tuple(g))
                for gid, g in groups.items()
            ),
            levels=_levels(statuses, self.label),
        )


def _implementers(graph: Graph) -> dict[str, dict[str, Plan]]:
    """For each plan, the units with a document below it (directly or through the chain), each with its first."""
    units = graph.units
    above: dict[str, frozenset[str]] = {}

    def ancestors(plan_id: str) -> frozenset[str]:  # chains are at most MAX_PLAN_DEPTH long: recursion is safe
        known = above.get(plan_id)
        if known is None:
            ids: set[str] = set()
            for cited in graph.plans[plan_id].parents:
                ids.add(cited.id)
                ids.update(ancestors(cited.id))
            known = above[plan_id] = frozenset(ids)
        return known

    found: dict[str, dict[str, Plan]] = {}
    for plan in graph.plans.values():  # in plan order: the oldest document of a unit is its first
        if plan.type in NOT_IMPLEMENTING:
            continue
        unit = stands_for(units[plan.unit], units)
        for upper in ancestors(plan.id):
            found.setdefault(upper, {}).setdefault(unit, plan)
    return found


def _group(graph: Graph, unit: Unit) -> Unit:
    """The ward a unit is in (or the city, or itself): the plan page shows coverage per ward."""
    chain = graph.unit_chain(unit.id)
    return next((u for u in reversed(chain) if u.kind == "phuong"), None) or next(
        (u for u in reversed(chain) if u.kind == "thanh-pho"), unit
    )


def _covered(statuses: Iterable[UnitStatus]) -> int:
    return sum(s.document is not None for s in statuses)


def level(unit: Unit, units: Mapping[str, Unit]) -> str:
    """The row of ``LEVELS`` an expected unit is counted in."""
    parent = units[unit.parent].kind if unit.parent else None
    if unit.kind == ORGANS_EACH or (unit.kind == ORGAN and parent == ORGANS_EACH):
        return LEVELS[1]
    return {"thanh-pho": LEVELS[0], "truong": LEVELS[2], "chi-bo": LEVELS[3]}.get(unit.kind, LEVELS[4])


def _levels(statuses: list[UnitStatus], labels: Mapping[str, str]) -> tuple[Level, ...]:
    """Counts per row of ``LEVELS``; ``labels`` maps each expected unit's id to its row (``level``)."""
    by_level: dict[str, list[UnitStatus]] = {label: [] for label in LEVELS}
    for status in statuses:
        by_level[labels[status.unit.id]].append(status)
    return tuple(Level(covered=_covered(s), expected=len(s), label=label) for label, s in by_level.items() if s)
