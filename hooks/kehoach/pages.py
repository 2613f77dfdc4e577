"""Which pages the site has and what each one shows, as typed records.

The adapter turns each record into a page; templates render its fields.
URLs are site-relative, ASCII and end with "/".
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, TypeVar

from .coverage import PlanCoverage, Summary, summary
from .graph import Graph, TimelineEntry
from .model import Plan, Target, Unit
from .schema import KIND_NAMES
from .targetviews import ResultView
from .text import STATUSES, UNIT_KINDS, slugify
from .timeline import TimelineYear, grouped_years, plain_years

T = TypeVar("T")
KEY_YEARS = (2026, 2027, 2030, 2035, 2045)
CHILDREN_SHOWN = 30  # implementing documents shown on a plan page; all of them on its list pages
CHILDREN_PER_PAGE = 300  # entries per list page of implementing documents
PLANS_SHOWN = 30  # plans of units below shown on a unit page; beyond that, counts per child unit


def plan_url(plan_id: str) -> str:
    return f"van-ban/{plan_id}/"


def unit_url(unit_id: str) -> str:
    return f"don-vi/{unit_id}/"


def embed_url(unit_id: str) -> str:
    """A unit's compact page for other websites' iframes."""
    return f"don-vi/{unit_id}/nhung/"


TIMELINE_URL = "lo-trinh/"
UNITS_URL = "don-vi/"
TOPICS_URL = "chu-de/"
CAUTIONS_URL = "lo-trinh/canh-bao/"  # the editors' list of targets later or lower than those they serve
COVERAGE_URL = "tinh-hinh-trien-khai/"  # the programmes; a plan's coverage page below it (coveragepages.py)


def coverage_url(plan_id: str, number: int = 1) -> str:
    return f"{COVERAGE_URL}{plan_id}/" + (f"{number}/" if number > 1 else "")


@functools.lru_cache(maxsize=4096)  # a few dozen topics, asked for on every plan page
def topic_slug(name: str) -> str:
    """A topic's URL part; idempotent, so a template may pass a name or a slug."""
    return slugify(name) or "khac"


def topic_url(name: str, number: int = 1) -> str:
    return f"{TOPICS_URL}{topic_slug(name)}/" + (f"{number}/" if number > 1 else "")


@dataclass(frozen=True)
class Page:
    src_uri: str
    title: str
    template: str
    markdown: str = ""
    generated: bool = True
    in_nav: bool = False
    description: str = ""
    indexed: ClassVar[bool] = False  # whether search indexes it (its facts: search.page_facts)
    by_generator: ClassVar[bool] = True  # rendered by the generator (MkDocs), or written by kehoach/publish.py

    def source(self) -> str:
        """The Markdown that MkDocs renders in this page's template (``page.content``)."""
        return self.markdown


@dataclass(frozen=True, kw_only=True)
class PlanPage(Page):
    indexed: ClassVar[bool] = True
    plan: Plan
    unit_chain: tuple[Unit, ...] = ()
    lineage: tuple[Plan, ...] = ()
    reaches_top: bool = False
    top: Plan | None = None
    parents: tuple[Plan, ...] = ()
    children: tuple[Plan, ...] = ()
    children_total: int = 0
    timeline: tuple[TimelineYear, ...] = ()
    quoted: tuple[tuple[int, tuple[QuotedTarget, ...]], ...] = ()
    updated: dt.date | None = None
    coverage: Summary | None = None  # the units expected to implement the plan, per ward (coverage.py)
    results: tuple[ResultView, ...] = ()  # a report's (type BC) results, each with its target
    reports: tuple[Plan, ...] = ()  # the reports on this plan, newest first

    def source(self) -> str:
        # Made when asked for: a serve rebuild needs it only for the pages that changed.
        return demote_headings(self.plan.body)


@dataclass(frozen=True)
class QuotedTarget:
    """A target of this document as other plans quote it (same text, once), with who quotes it."""

    target: Target
    plans: tuple[Plan, ...]  # the first few quoting plans
    count: int


@dataclass(frozen=True, kw_only=True)
class ChildrenPage(Page):
    """Every document implementing one document, as a compact list."""

    plan: Plan
    children: tuple[Plan, ...] = ()
    number: int = 1  # this list page's number, from 1
    pages: int = 1  # how many list pages there are
    total: int = 0


@dataclass(frozen=True, kw_only=True)
class UnitPage(Page):
    indexed: ClassVar[bool] = True
    unit: Unit
    unit_chain: tuple[Unit, ...] = ()
    child_units: tuple[tuple[Unit, int], ...] = ()  # with the number of plans under each
    plans: tuple[Plan, ...] = ()
    plans_below: tuple[Plan, ...] = ()  # empty when there are more than PLANS_SHOWN
    plans_below_total: int = 0
    timeline: tuple[TimelineYear, ...] = ()


def template_globals() -> dict[str, object]:
    """Names every page template can use beside its record (``kh``) and the graph (``kh_graph``)."""
    return dict(
        plan_url=plan_url,
        unit_url=unit_url,
        embed_url=embed_url,
        children_url=children_url,
        coverage_url=coverage_url,
        coverage_index_url=COVERAGE_URL,
        per_page=CHILDREN_PER_PAGE,
        timeline_url=TIMELINE_URL,
        cautions_url=CAUTIONS_URL,
        units_url=UNITS_URL,
        statuses=STATUSES,
        unit_kinds=UNIT_KINDS,
        kind_names=KIND_NAMES,
        topic_url=topic_url,
        topics_url=TOPICS_URL,
    )


def qr_uri(plan_id: str) -> str:
    """The print-only QR code of a plan page, a file beside it."""
    return f"van-ban/{plan_id}/qr.svg"


def children_url(plan_id: str, number: int = 1) -> str:
    return f"van-ban/{plan_id}/trien-khai/" + (f"{number}/" if number > 1 else "")


def plan_pages(
    graph: Graph, plan: Plan, top_plan: str, updated: dt.date | None = None, coverage: PlanCoverage | None = None
) -> list[Page]:
    """The plan's page, and the full list of its implementing documents when there are many."""
    pages: list[Page] = [plan_page(graph, plan, top_plan, updated, coverage)]
    children = graph.children(plan.id)
    if len(children) > CHILDREN_SHOWN:
        parts = paged(children)
        count = len(parts)
        for number, part in parts:
            pages.append(
                ChildrenPage(
                    src_uri=f"van-ban/{plan.id}/trien-khai{'' if number == 1 else f'/{number}'}.md",
                    title=f"Văn bản triển khai {plan.short_title}" + (f" (trang {number})" if number > 1 else ""),
                    template="children.html",
                    description=f"{len(children)} văn bản triển khai {plan.short_title}.",
                    plan=plan,
                    children=part,
                    number=number,
                    pages=count,
                    total=len(children),
                )
            )
    return pages


def paged(items: Sequence[T]) -> list[tuple[int, tuple[T, ...]]]:
    """``items`` cut into list pages of ``CHILDREN_PER_PAGE``, each with its number from 1."""
    size = CHILDREN_PER_PAGE
    return [(i // size + 1, tuple(items[i : i + size])) for i in range(0, len(items), size)]


def plan_page(
    graph: Graph, plan: Plan, top_plan: str, updated: dt.date | None = None, coverage: PlanCoverage | None = None
) -> PlanPage:
    lineage = graph.lineage(plan.id)
    unit = graph.unit_of(plan)
    children = graph.children(plan.id)
    return PlanPage(
        src_uri=f"van-ban/{plan.id}.md",
        title=f"{plan.short_title} – {unit.name}",
        template="plan.html",
        description=plan.summary or plan.title,
        plan=plan,
        unit_chain=tuple(graph.unit_chain(plan.unit)),
        lineage=tuple(lineage),
        reaches_top=lineage[0].id == top_plan,
        top=graph.plans.get(top_plan),
        parents=tuple(graph.parents(plan.id)),
        children=tuple(children[:CHILDREN_SHOWN]),
        children_total=len(children),
        timeline=plain_years(graph.timeline([plan]), graph.targets, detail=True),
        quoted=quoted_targets(graph.quoted_targets(plan.id)),
        updated=updated,
        coverage=summary(coverage) if coverage is not None else None,
        results=graph.targets.results(plan) if plan.reports_on else (),
        reports=graph.targets.reports(plan.id),
    )


_HEADING = re.compile(r"^(#{1,5})(?=\s)", re.MULTILINE)


def demote_headings(body: str) -> str:
    """The page's own sections are h2, so the full text's headings go one level down."""
    return _HEADING.sub(r"#\1", body)


QUOTING_SHOWN = 5


def quoted_targets(entries: list[TimelineEntry]) -> tuple[tuple[int, tuple[QuotedTarget, ...]], ...]:
    """Quoted targets by year, each distinct target once."""
    groups: dict[tuple[int, str, float | None, str | None, str], list[TimelineEntry]] = {}
    for entry in entries:
        t = entry.target
        groups.setdefault((t.year, t.text, t.value, t.measure_unit, t.op), []).append(entry)
    by_year: dict[int, list[QuotedTarget]] = {}
    for (year, *_), group in sorted(groups.items(), key=lambda item: item[0][0]):
        plans = tuple(dict.fromkeys(e.plan for e in group))
        by_year.setdefault(year, []).append(QuotedTarget(group[0].target, plans[:QUOTING_SHOWN], len(plans)))
    return tuple((year, tuple(items)) for year, items in by_year.items())


def unit_page(graph: Graph, unit: Unit) -> UnitPage:
    below = graph.plans_under(unit.id)
    others = [p for p in below if p.unit != unit.id]
    return UnitPage(
        src_uri=f"don-vi/{unit.id}.md",
        title=unit.name,
        template="unit.html",
        description=f"{UNIT_KINDS[unit.kind]} {unit.name}: {len(below)} văn bản về giáo dục và đào tạo.",
        unit=unit,
        unit_chain=tuple(graph.unit_chain(unit.id)),
        child_units=tuple((c, graph.count_under(c.id)) for c in graph.unit_children(unit.id)),
        plans=tuple(graph.plans_of(unit.id)),
        plans_below=tuple(others) if len(others) <= PLANS_SHOWN else (),
        plans_below_total=len(others),
        timeline=grouped_years(graph, unit.id, graph.timeline(below)),
    )
