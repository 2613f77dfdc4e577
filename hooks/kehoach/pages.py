"""Which pages the site has and what each one shows, as typed records.

The adapter turns each record into a page; templates render its fields.
URLs are site-relative, ASCII and end with "/".
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from . import schema
from .search import SearchFacts, folded_d_words, place_filters, plan_search
from .timeline import TimelineYear, grouped_years, plain_years
from .schema import Field

from .graph import Graph, TimelineEntry
from .model import Plan, Unit
from .text import DOC_TYPES, UNIT_KINDS

KEY_YEARS = (2026, 2027, 2030, 2035, 2045)


def plan_url(plan_id: str) -> str:
    return f"van-ban/{plan_id}/"


def unit_url(unit_id: str) -> str:
    return f"don-vi/{unit_id}/"


TIMELINE_URL = "lo-trinh/"
UNITS_URL = "don-vi/"


@dataclass(frozen=True)
class Page:
    src_uri: str
    title: str
    template: str
    markdown: str = ""
    generated: bool = True
    in_nav: bool = False
    description: str = ""


@dataclass(frozen=True)
class PlanPage(Page):
    plan: Plan | None = None
    unit_chain: tuple[Unit, ...] = ()
    lineage: tuple[Plan, ...] = ()
    reaches_top: bool = False
    top: Plan | None = None
    parents: tuple[Plan, ...] = ()
    children: tuple[Plan, ...] = ()
    timeline: tuple[TimelineYear, ...] = ()
    quoted: tuple[TimelineYear, ...] = ()
    updated: dt.date | None = None
    search: SearchFacts | None = None


@dataclass(frozen=True)
class UnitPage(Page):
    unit: Unit | None = None
    unit_chain: tuple[Unit, ...] = ()
    child_units: tuple[Unit, ...] = ()
    plans: tuple[Plan, ...] = ()
    plans_below: tuple[Plan, ...] = ()
    timeline: tuple[TimelineYear, ...] = ()
    search: SearchFacts | None = None


@dataclass(frozen=True)
class UnitNode:
    unit: Unit
    plan_count: int
    children: tuple["UnitNode", ...]


@dataclass(frozen=True)
class UnitsIndexPage(Page):
    tree: tuple[UnitNode, ...] = ()


@dataclass(frozen=True)
class TimelinePage(Page):
    timeline: tuple[TimelineYear, ...] = ()


@dataclass(frozen=True)
class DocNode:
    plan: Plan
    children: tuple["DocNode", ...]


@dataclass(frozen=True)
class SearchPage(Page):
    pass


@dataclass(frozen=True)
class SchemaPage(Page):
    plan_fields: tuple[Field, ...] = ()
    unit_fields: tuple[Field, ...] = ()
    doc_types: dict[str, str] = field(default_factory=dict)
    unit_kinds: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class HomePage(Page):
    counts: dict[str, int] = field(default_factory=dict)
    chain: tuple[DocNode, ...] = ()
    latest: tuple[Plan, ...] = ()
    top: Plan | None = None
    key_years: tuple[tuple[int, int], ...] = ()


def decide_pages(graph: Graph, top_plan: str, updated: dict[str, dt.date] | None = None) -> list[Page]:
    """Every page of the site, in a stable order; ``updated`` maps plan paths to git dates."""
    updated = updated or {}
    pages: list[Page] = [home_page(graph, top_plan), timeline_page(graph), units_index_page(graph), schema_page(), search_page()]
    pages += [plan_page(graph, plan, top_plan, updated.get(plan.path)) for plan in graph.plans.values()]
    pages += [unit_page(graph, unit) for unit in graph.units.values()]
    return pages


def plan_page(graph: Graph, plan: Plan, top_plan: str, updated: dt.date | None = None) -> PlanPage:
    lineage = graph.lineage(plan.id)
    unit = graph.unit_of(plan)
    return PlanPage(
        src_uri=f"van-ban/{plan.id}.md",
        title=f"{plan.short_title} – {unit.name}",
        template="plan.html",
        markdown=demote_headings(plan.body),
        description=plan.summary or plan.title,
        plan=plan,
        unit_chain=tuple(graph.unit_chain(plan.unit)),
        lineage=tuple(lineage),
        reaches_top=lineage[0].id == top_plan,
        top=graph.plans.get(top_plan),
        parents=tuple(graph.parents(plan.id)),
        children=tuple(graph.children(plan.id)),
        timeline=plain_years(graph.timeline([plan])),
        quoted=plain_years(_by_year(graph.quoted_targets(plan.id))),
        updated=updated,
        search=plan_search(graph, plan),
    )


_HEADING = re.compile(r"^(#{1,5})(?=\s)", re.MULTILINE)


def demote_headings(body: str) -> str:
    """The page's own sections are h2, so the full text's headings go one level down."""
    return _HEADING.sub(r"#\1", body)


def _by_year(entries: list[TimelineEntry]) -> dict[int, list[TimelineEntry]]:
    result: dict[int, list[TimelineEntry]] = {}
    for entry in sorted(entries, key=lambda e: e.target.year):
        result.setdefault(entry.target.year, []).append(entry)
    return result


def unit_page(graph: Graph, unit: Unit) -> UnitPage:
    below = graph.plans_under(unit.id)
    return UnitPage(
        src_uri=f"don-vi/{unit.id}.md",
        title=unit.name,
        template="unit.html",
        description=f"{UNIT_KINDS[unit.kind]} {unit.name}: {len(below)} văn bản về giáo dục và đào tạo.",
        unit=unit,
        unit_chain=tuple(graph.unit_chain(unit.id)),
        child_units=tuple(graph.unit_children(unit.id)),
        plans=tuple(graph.plans_of(unit.id)),
        plans_below=tuple(p for p in below if p.unit != unit.id),
        timeline=grouped_years(graph, unit.id, graph.timeline(below)),
        search=SearchFacts(
            folded_d_words(u.name for u in graph.unit_chain(unit.id)),
            filters=place_filters(graph, unit.id) + (("Loại văn bản", "Đơn vị"),),
        ),
    )


def units_index_page(graph: Graph) -> UnitsIndexPage:
    def node(unit: Unit) -> UnitNode:
        kids = tuple(node(child) for child in graph.unit_children(unit.id))
        return UnitNode(unit, len(graph.plans_of(unit.id)), kids)

    return UnitsIndexPage(
        src_uri="don-vi/index.md",
        title="Đơn vị",
        template="units.html",
        in_nav=True,
        description="Danh bạ các đơn vị ban hành văn bản: Trung ương, thành phố, phường, trường học, chi bộ.",
        tree=tuple(node(u) for u in graph.unit_roots()),
    )


def timeline_page(graph: Graph) -> TimelinePage:
    return TimelinePage(
        src_uri="lo-trinh/index.md",
        title="Lộ trình chỉ tiêu",
        template="timeline.html",
        in_nav=True,
        description="Mọi chỉ tiêu của mọi văn bản, xếp theo năm phải đạt: 2026, 2027, 2030, 2035, 2045.",
        timeline=grouped_years(graph, None, graph.timeline()),
    )


def search_page() -> SearchPage:
    return SearchPage(
        src_uri="tim-kiem/index.md",
        title="Tìm kiếm",
        template="search.html",
        description="Tìm văn bản, đơn vị, số văn bản; gõ có dấu hay không dấu đều được.",
    )


def schema_page() -> SchemaPage:
    return SchemaPage(
        src_uri="huong-dan/luoc-do.md",
        title="Lược đồ khai báo",
        template="schema.html",
        in_nav=True,
        description="Mọi khóa trong phần khai báo đầu tệp của một kế hoạch và của danh sách đơn vị: ý nghĩa, bắt buộc hay không, ví dụ.",
        plan_fields=schema.PLAN,
        unit_fields=schema.UNIT,
        doc_types=DOC_TYPES,
        unit_kinds=UNIT_KINDS,
    )


def home_page(graph: Graph, top_plan: str) -> HomePage:
    timeline = graph.timeline()
    counts = {
        "plans": len(graph.plans),
        "units": len(graph.units),
        "targets": sum(len(v) for v in timeline.values()),
    }
    counts.update({f"type_{t}": sum(1 for p in graph.plans.values() if p.type == t) for t in DOC_TYPES})
    return HomePage(
        src_uri="index.md",
        title="Trang chủ",
        template="home.html",
        generated=False,
        in_nav=True,
        description="Các kế hoạch thực hiện Nghị quyết 71-NQ/TW về giáo dục và đào tạo, từ Trung ương đến từng trường, nối với nhau và tìm được.",
        counts=counts,
        chain=tuple(_doc_tree(graph, root.id, set()) for root in graph.roots()),
        latest=tuple(p for p in graph.plans.values() if p.has_full_text)[:10],
        key_years=tuple((year, len(timeline.get(year, ()))) for year in KEY_YEARS),
        top=graph.plans.get(top_plan),
    )


def _doc_tree(graph: Graph, plan_id: str, shown: set[str]) -> DocNode:
    """A document with the documents implementing it; each shown once (a DAG drawn as a tree)."""
    shown.add(plan_id)
    kids = [c for c in graph.children(plan_id) if c.id not in shown and graph.lineage(c.id)[-2].id == plan_id]
    for kid in kids:
        shown.add(kid.id)
    return DocNode(graph.plans[plan_id], tuple(_doc_tree(graph, k.id, shown) for k in kids))
