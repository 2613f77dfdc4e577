"""Site-wide pages: home, units directory, targets timeline, search and schema reference.

Each stays a bounded size at any scale: the directory and the document chain cut
below the ward level or after a few branches when the site is large, with counts
that link down to the pages that list the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import schema
from .cautionpages import caution_pages, flagged
from .datapage import opendata_page
from .graph import Graph
from .model import Plan, Unit
from .pages import KEY_YEARS, Page
from .schema import Field
from .text import DOC_TYPES, UNIT_KINDS
from .timeline import Scope, TimelineYear, grouped_years, scopes
from .topics import Topic, TopicsPage, topic_pages

FULL_DIRECTORY = 200  # up to this many units, the directory lists every unit
CHAIN_BRANCHES = 8  # documents shown under each document in the home page chain
CHAIN_DEPTH = 4


@dataclass(frozen=True)
class UnitNode:
    unit: Unit
    plan_count: int
    children: tuple[UnitNode, ...]
    hidden: dict[str, int] = field(default_factory=dict)  # kind label → units not listed here


@dataclass(frozen=True)
class UnitsIndexPage(Page):
    tree: tuple[UnitNode, ...] = ()


@dataclass(frozen=True)
class TimelinePage(Page):
    timeline: tuple[TimelineYear, ...] = ()
    scopes: tuple[Scope, ...] = ()  # units whose page narrows the timeline to their subtree
    cautions: int = 0  # targets later or lower than those they serve (cautionpages.py)


@dataclass(frozen=True)
class DocNode:
    plan: Plan
    children: tuple[DocNode, ...]
    more: int = 0  # implementing documents not drawn here


@dataclass(frozen=True)
class SearchPage(Page):
    topics: tuple[Topic, ...] = ()  # listed for readers who don't know what to type


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


def overview_pages(graph: Graph, top_plan: str) -> list[Page]:
    topics = topic_pages(graph)
    return [
        home_page(graph, top_plan),
        timeline_page(graph),
        *caution_pages(graph),
        units_index_page(graph),
        schema_page(),
        opendata_page(),
        search_page(next(p.topics for p in topics if isinstance(p, TopicsPage))),
        *topics,
    ]


def units_index_page(graph: Graph) -> UnitsIndexPage:
    full = len(graph.units) <= FULL_DIRECTORY

    def node(unit: Unit) -> UnitNode:
        children = graph.unit_children(unit.id)
        listed = [c for c in children if full or c.kind not in ("truong", "chi-bo")]
        hidden: dict[str, int] = {}
        for child in children:
            if child not in listed:
                label = UNIT_KINDS[child.kind]
                hidden[label] = hidden.get(label, 0) + 1
        return UnitNode(unit, len(graph.plans_of(unit.id)), tuple(node(c) for c in listed), hidden)

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
        scopes=scopes(graph),
        cautions=len(flagged(graph)),
    )


def search_page(topics: tuple[Topic, ...] = ()) -> SearchPage:
    return SearchPage(
        topics=topics,
        src_uri="tim-kiem/index.md",
        title="Tìm kiếm",
        template="search.html",
        in_nav=True,
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
    counts = {"plans": len(graph.plans), "units": len(graph.units), "targets": sum(len(v) for v in timeline.values())}
    return HomePage(
        src_uri="index.md",
        title="Trang chủ",
        template="home.html",
        generated=False,
        in_nav=True,
        description="Các kế hoạch thực hiện Nghị quyết 71-NQ/TW về giáo dục và đào tạo, từ Trung ương đến từng trường, nối với nhau và tìm được.",
        counts=counts,
        chain=tuple(_doc_tree(graph, root.id, set(), 1) for root in graph.roots()),
        latest=tuple(p for p in graph.plans.values() if p.has_full_text)[:10],
        key_years=tuple((year, len(timeline.get(year, ()))) for year in KEY_YEARS),
        top=graph.plans.get(top_plan),
    )


def _doc_tree(graph: Graph, plan_id: str, shown: set[str], depth: int) -> DocNode:
    """A document with the documents implementing it, each drawn once under its main parent."""
    shown.add(plan_id)
    kids = [c for c in graph.children(plan_id) if c.id not in shown and graph.lineage(c.id)[-2].id == plan_id]
    drawn = kids[:CHAIN_BRANCHES] if depth < CHAIN_DEPTH else []
    shown.update(k.id for k in drawn)
    return DocNode(
        graph.plans[plan_id], tuple(_doc_tree(graph, k.id, shown, depth + 1) for k in drawn), len(kids) - len(drawn)
    )
