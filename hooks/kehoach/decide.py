"""Every page of the site, decided from the graph: the site-wide pages, then each plan's, then each unit's.

Apart from ``pages`` (the page records) and ``overview`` (the site-wide ones, built on those
records), so that neither imports the other.
"""

from __future__ import annotations

import datetime as dt

from .coverage import site_coverage
from .coveragepages import coverage_pages
from .embed import embed_page
from .graph import Graph
from .overview import overview_pages
from .pages import Page, plan_pages, unit_page


def decide_pages(graph: Graph, top_plan: str, updated: dict[str, dt.date] | None = None) -> list[Page]:
    """Every page of the site, in a stable order; ``updated`` maps plan paths to git dates."""
    updated = updated or {}
    coverage = site_coverage(graph)  # every plan's, at once
    pages: list[Page] = overview_pages(graph, top_plan) + coverage_pages(coverage, graph.units)
    for plan in graph.plans.values():
        pages += plan_pages(graph, plan, top_plan, updated.get(plan.path), coverage.get(plan.id))
    year = dt.date.today().year  # an embed page's next targets are those due from this year on
    for unit in graph.units.values():
        pages += [unit_page(graph, unit), embed_page(graph, unit, year)]
    return pages
