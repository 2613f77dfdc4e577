"""The editors' list of alignment warnings: targets due later or set lower than the targets they serve.

One entry per ``serves`` link with a warning (both labels on one entry), in file order, cut into list
pages of ``pages.CHILDREN_PER_PAGE`` (``pages.paged``), so that it stays bounded at any number of plans.
The first page always exists (the timeline links to it), saying so when there is nothing to list.
"""

from __future__ import annotations

from dataclasses import dataclass

from .graph import Graph
from .model import Plan, Target
from .pages import CAUTIONS_URL, Page, paged

TITLE = "Chỉ tiêu muộn hơn hoặc thấp hơn chỉ tiêu cấp trên"


@dataclass(frozen=True)
class Flagged:
    """A target and the target above it that it serves, with the warnings of that link."""

    plan: Plan
    target: Target
    served_plan: Plan
    served: Target
    labels: tuple[str, ...]
    line: int  # of the link in the plan's file, for the editor


@dataclass(frozen=True, kw_only=True)
class CautionsPage(Page):
    items: tuple[Flagged, ...] = ()
    number: int = 1  # this list page's number, from 1
    pages: int = 1
    total: int = 0


def cautions_url(number: int = 1) -> str:
    return CAUTIONS_URL + (f"{number}/" if number > 1 else "")


def flagged(graph: Graph) -> list[Flagged]:
    """Every warned link once, with all its labels, in the order ``check`` prints the warnings."""
    found: dict[tuple[str, str], Flagged] = {}
    for caution in graph.alignment.warnings:
        known = found.get((caution.path, caution.key))
        if known is not None:
            found[(caution.path, caution.key)] = Flagged(*_fields(known), (*known.labels, caution.label), known.line)
            continue
        plan, served_plan = graph.plans.get(caution.target.plan), graph.plans.get(caution.served.plan)
        if plan is None or served_plan is None:
            continue
        target = next((t for t in plan.targets if t.id == caution.target.target), None)
        served = next((t for t in served_plan.targets if t.id == caution.served.target), None)
        if target is not None and served is not None:
            found[(caution.path, caution.key)] = Flagged(
                plan, target, served_plan, served, (caution.label,), caution.line
            )
    return list(found.values())


def _fields(item: Flagged) -> tuple[Plan, Target, Plan, Target]:
    return item.plan, item.target, item.served_plan, item.served


def caution_pages(graph: Graph) -> list[Page]:
    items = flagged(graph)
    parts = paged(items) or [(1, ())]
    return [
        CautionsPage(
            src_uri=f"{CAUTIONS_URL}index.md" if number == 1 else f"{CAUTIONS_URL}{number}.md",
            title=TITLE + (f" (trang {number})" if number > 1 else ""),
            template="cautions.html",
            description=f"{len(items)} chỉ tiêu đến hạn muộn hơn hoặc mức thấp hơn chỉ tiêu cấp trên mà nó phục vụ.",
            items=part,
            number=number,
            pages=len(parts),
            total=len(items),
        )
        for number, part in parts
    ]
