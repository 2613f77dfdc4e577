"""Targets linked down the chain: what each target serves, what serves it, its latest result, and warnings.

Pure and computed once for all plans, in O(total targets + links + results) (plus sorting each target's
links): ``align(plans)`` gives an ``Alignment``. Plans are assumed checked (kehoach/targetrules.py), but
an unresolvable link or result is skipped, never an error, so ``python -m kehoach check`` can print
the warnings of a folder that also has problems.

API, for plan pages, the timeline and open-data files::

    alignment = align(graph.plans.values())
    entry = alignment.of(plan.id, target.id)      # a TargetLinks; an empty one for an unknown key
    entry.up            # tuple[Link]: each target this one serves (Link.key: Key(plan, target)), in the
                        # order the file writes them, with Link.labels: () or ("muộn hơn", "thấp hơn")
    entry.down          # tuple[UnitServers]: the targets serving this one, grouped by the issuing unit of
                        # their plan (UnitServers.unit: a unit id; .targets: tuple[Key]), units by id,
                        # targets by (plan id, target id)
    entry.plans_below   # int: how many distinct plans serve this target directly
    entry.latest        # Progress | None: the latest result of a report on this target's plan, by as_of
                        # (ties: the later report date, then report id): .result (model.Result), .report
                        # (the report's plan id), .report_date (date | None), .verdict ("đạt",
                        # "chưa đạt" or None: a result shown without a verdict)
    entry.status        # "đạt", "chưa đạt", "chưa có báo cáo" (no result), or "" (a result, no verdict)
    alignment.reports_of(plan.id)  # tuple[str]: ids of the reports on this plan, oldest first
    alignment.warnings  # tuple[Caution]: every warning, for the editors' page, in file order
    str(caution)        # "plans/x.md:12: targets[0].serves[0]: cảnh báo: ..." (as ``check`` prints it)

A ``Key`` is a NamedTuple (plan, target); ``Key.ref`` is "<plan>#<target>", the page anchor's target
is ``/van-ban/<plan>/#<target>``. Verdicts are never invented: a result's value is compared with the
target's op and value when both are numbers (op "=" gives "đạt" only on the exact value: whether more is
better is not written); otherwise the report's own ``met`` decides, if it says; otherwise no verdict.
Warnings never refuse a plan and never stop a build: the MkDocs adapter must not log them as warnings
(``mkdocs build --strict`` fails on any logged warning).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from .hygiene import printable
from .model import Plan, Result, Target

LATER, WEAKER = "muộn hơn", "thấp hơn"  # warning labels, shown beside a link
MET, NOT_MET, NO_REPORT = "đạt", "chưa đạt", "chưa có báo cáo"
WARNING_PREFIX = "cảnh báo: "


class Key(NamedTuple):
    plan: str
    target: str

    @property
    def ref(self) -> str:
        return f"{self.plan}#{self.target}"


@dataclass(frozen=True)
class Link:
    """A target served (up), with the warnings of that link."""

    key: Key
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnitServers:
    """The targets of one issuing unit's plans that serve a target (down)."""

    unit: str
    targets: tuple[Key, ...]


@dataclass(frozen=True)
class Progress:
    result: Result
    report: str  # the report's plan id
    report_date: dt.date | None
    verdict: str | None  # MET, NOT_MET or None (shown without a verdict)


@dataclass(frozen=True)
class TargetLinks:
    key: Key
    up: tuple[Link, ...] = ()
    down: tuple[UnitServers, ...] = ()
    plans_below: int = 0
    latest: Progress | None = None

    @property
    def status(self) -> str:
        if self.latest is None:
            return NO_REPORT
        return self.latest.verdict or ""


@dataclass(frozen=True)
class Caution:
    """A warning on one ``serves`` link: printed as ``path:line: key: cảnh báo: message``."""

    path: str
    line: int
    key: str  # targets[i].serves[j]
    target: Key  # the serving target
    served: Key
    label: str  # LATER or WEAKER
    message: str

    def __str__(self) -> str:
        message = " ".join(self.message.split())
        return f"{printable(self.path)}:{self.line}: {printable(self.key)}: {WARNING_PREFIX}{printable(message)}"


@dataclass(frozen=True)
class Alignment:
    targets: Mapping[Key, TargetLinks]  # every target with an id
    warnings: tuple[Caution, ...]
    reports: Mapping[str, tuple[str, ...]]  # plan id -> ids of the reports on it, oldest first

    def of(self, plan_id: str, target_id: str) -> TargetLinks:
        key = Key(plan_id, target_id)
        return self.targets.get(key) or TargetLinks(key)

    def reports_of(self, plan_id: str) -> tuple[str, ...]:
        return self.reports.get(plan_id, ())


def align(plans: Iterable[Plan]) -> Alignment:
    """Every target's links, latest result and warnings, in one pass over targets, links and results."""
    plans = list(plans)
    index = {Key(p.id, t.id): t for p in plans for t in p.targets if t.id}
    up, down, warnings = _links(plans, index)
    latest, reports = _latest_results(plans, index)
    targets = {key: _entry(key, up, down, latest) for key in index}
    warnings.sort(key=lambda c: (c.path, c.line, c.key, c.label))
    return Alignment(targets, tuple(warnings), reports)


Up = dict[Key, list[Link]]
Down = dict[Key, set[tuple[str, Key]]]  # the served target -> (issuing unit, serving target)


def _links(plans: list[Plan], index: Mapping[Key, Target]) -> tuple[Up, Down, list[Caution]]:
    up: Up = defaultdict(list)
    down: Down = defaultdict(set)
    warnings: list[Caution] = []
    for plan in plans:
        for i, target in enumerate(plan.targets):
            key = Key(plan.id, target.id)
            for j, ref in enumerate(target.serves):
                served_key = Key(*ref.partition("#")[::2])
                served = index.get(served_key)
                if served is None or served.of or target.of or served_key in (link.key for link in up[key]):
                    continue  # refused by check (unknown, quoted, repeated): skipped here
                labels = labels_of(target, served)
                up[key].append(Link(served_key, labels))
                down[served_key].add((plan.unit, key))
                if labels:
                    warnings += _cautions(plan, f"targets[{i}].serves[{j}]", key, served_key, target, served, labels)
    return up, down, warnings


def _entry(key: Key, up: Up, down: Down, latest: Mapping[Key, Progress]) -> TargetLinks:
    servers = down.get(key)
    groups, count = _grouped(servers) if servers else ((), 0)
    return TargetLinks(key, tuple(up.get(key, ())), groups, count, latest.get(key))


def labels_of(target: Target, served: Target) -> tuple[str, ...]:
    """The warnings of ``target`` serving ``served``: due later, or a weaker value of the same measure."""
    labels = []
    if target.year > served.year:
        labels.append(LATER)
    if weaker(target, served):
        labels.append(WEAKER)
    return tuple(labels)


def weaker(target: Target, served: Target) -> bool:
    """A value asking less than the served one, with the same unit of measure and comparison (90 % ≥ vs 100 % ≥)."""
    if target.value is None or served.value is None or target.op != served.op:
        return False
    if _measure(target.measure_unit) != _measure(served.measure_unit):
        return False
    if target.op in (">=", ">"):
        return target.value < served.value
    if target.op in ("<=", "<"):
        return target.value > served.value
    return False


def verdict(target: Target, result: Result) -> str | None:
    """MET or NOT_MET from the numbers, else from the report's own ``met``; None when neither says."""
    if result.value is not None and target.value is not None:
        value, goal = result.value, target.value
        reached = {">=": value >= goal, ">": value > goal, "<=": value <= goal, "<": value < goal}.get(target.op)
        if reached is None and value == goal:  # "=": exactly the value
            reached = True
        if reached is not None:
            return MET if reached else NOT_MET
    if result.met is not None:
        return MET if result.met else NOT_MET
    return None


def _measure(measure_unit: str | None) -> str:
    return unicodedata.normalize("NFKC", measure_unit or "").strip().casefold()


def _cautions(
    plan: Plan, key: str, target_key: Key, served_key: Key, target: Target, served: Target, labels: tuple[str, ...]
) -> list[Caution]:
    messages = {
        LATER: f"chỉ tiêu đến năm {target.year}, muộn hơn chỉ tiêu '{served_key.ref}' mà nó phục vụ (năm {served.year})",
        WEAKER: f"mức {target.measure} thấp hơn yêu cầu của chỉ tiêu '{served_key.ref}' mà nó phục vụ ({served.measure})",
    }
    line = plan.line_of(key)
    return [Caution(plan.path, line, key, target_key, served_key, label, messages[label]) for label in labels]


def _grouped(servers: set[tuple[str, Key]]) -> tuple[tuple[UnitServers, ...], int]:
    """The serving targets by unit (units by id, targets by key) and how many plans they belong to."""
    by_unit: dict[str, list[Key]] = defaultdict(list)
    for unit, key in sorted(servers):
        by_unit[unit].append(key)
    groups = tuple(UnitServers(unit, tuple(keys)) for unit, keys in by_unit.items())
    return groups, len({key.plan for _, key in servers})


def _latest_results(
    plans: list[Plan], index: Mapping[Key, Target]
) -> tuple[dict[Key, Progress], dict[str, tuple[str, ...]]]:
    """Each target's latest result (by as_of, then report date, then report id) and each plan's reports."""
    latest: dict[Key, Progress] = {}
    order: dict[Key, tuple[dt.date, dt.date, str]] = {}
    reports: dict[str, list[Plan]] = defaultdict(list)
    for report in plans:
        if report.reports_on is None:
            continue
        reports[report.reports_on].append(report)
        for result in report.results:
            key = Key(report.reports_on, result.target)
            target = index.get(key)
            rank = (result.as_of, report.date or dt.date.min, report.id)
            if target is None or (key in order and order[key] >= rank):
                continue
            order[key] = rank
            latest[key] = Progress(result, report.id, report.date, verdict(target, result))
    by_date = {
        plan_id: tuple(r.id for r in sorted(found, key=lambda r: (r.date or dt.date.min, r.id)))
        for plan_id, found in reports.items()
    }
    return latest, by_date
