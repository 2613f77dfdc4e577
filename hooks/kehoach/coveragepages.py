"""Coverage pages: for a plan, every unit expected to implement it, ward by ward, with or without a document.

``tinh-hinh-trien-khai/`` lists the programmes (``coverage.is_programme``: 71-NQ/TW, 281/NQ-CP, each
city's programme) with their counts; ``tinh-hinh-trien-khai/<plan>/`` is one plan's page. Every programme
has one, and so has any other plan whose plan page cannot name every unit (``coverage.summary``). The
first page holds the counts per ward; the units follow, ``CHILDREN_PER_PAGE`` per page, so that a
page stays bounded at any scale (71-NQ/TW expects about one unit per plan).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

from .coverage import Count, Level, PlanCoverage, UnitStatus, summary
from .model import Plan, Unit
from .pages import COVERAGE_URL, Page, paged


@dataclass(frozen=True, kw_only=True)
class Head(Count):
    """A plan's totals, as the list of programmes and the top of each coverage page show them."""

    plan: Plan
    unit: Unit  # the issuing unit
    levels: tuple[Level, ...]


@dataclass(frozen=True, kw_only=True)
class WardRow(Count):
    """One ward's counts in the first page's table, with the page its units are listed on."""

    unit: Unit
    number: int


@dataclass(frozen=True)
class Part:
    """The units of one ward listed on one page (a ward may go on over the next page)."""

    unit: Unit
    units: tuple[UnitStatus, ...]
    continued: bool = False  # its first units are on the page before


@dataclass(frozen=True, kw_only=True)
class CoveragePage(Page):
    head: Head
    wards: tuple[WardRow, ...] = ()  # on the first page only
    parts: tuple[Part, ...] = ()
    number: int = 1
    pages: int = 1


@dataclass(frozen=True, kw_only=True)
class CoverageIndexPage(Page):
    programmes: tuple[Head, ...] = ()


def coverage_pages(coverage: dict[str, PlanCoverage], units: dict[str, Unit]) -> list[Page]:
    """The list of programmes, then the coverage pages of the plans that have one."""
    heads = {
        pid: Head(covered=c.covered, expected=c.expected, plan=c.plan, unit=units[c.plan.unit], levels=c.levels)
        for pid, c in coverage.items()
    }
    pages: list[Page] = [
        CoverageIndexPage(
            src_uri=f"{COVERAGE_URL}index.md",
            title="Tình hình triển khai các chương trình",
            template="coverage-index.html",
            description="Các nghị quyết, chương trình hành động và số đơn vị cấp dưới đã có văn bản triển khai, "
            "theo từng phường.",
            programmes=tuple(heads[pid] for pid, c in coverage.items() if c.programme),
        )
    ]
    for pid, plan_coverage in coverage.items():
        if summary(plan_coverage).full_page:
            pages += plan_coverage_pages(plan_coverage, heads[pid])
    return pages


def plan_coverage_pages(coverage: PlanCoverage, head: Head) -> list[Page]:
    """One plan's coverage pages: ``CHILDREN_PER_PAGE`` units each, ward by ward; the counts per ward first."""
    first_page: dict[str, int] = {}
    numbered: list[tuple[int, tuple[Part, ...]]] = []
    for number, part in paged([(group.unit, status) for group in coverage.groups for status in group.units]):
        grouped: list[Part] = []
        for unit, rows in groupby(part, key=itemgetter(0)):
            grouped.append(Part(unit, tuple(status for _, status in rows), unit.id in first_page))
            first_page.setdefault(unit.id, number)
        numbered.append((number, tuple(grouped)))
    wards = tuple(
        WardRow(covered=g.covered, expected=g.expected, unit=g.unit, number=first_page[g.unit.id])
        for g in coverage.groups
    )
    return [
        _page(coverage, head, number, len(numbered), parts, wards if number == 1 else ()) for number, parts in numbered
    ]


def _page(
    coverage: PlanCoverage, head: Head, number: int, count: int, parts: tuple[Part, ...], wards: tuple[WardRow, ...]
) -> CoveragePage:
    plan = coverage.plan
    return CoveragePage(
        src_uri=f"{COVERAGE_URL}{plan.id}{'' if number == 1 else f'/{number}'}/index.md",
        title=f"Tình hình triển khai {plan.short_title}" + (f" (trang {number})" if number > 1 else ""),
        template="coverage.html",
        description=f"{coverage.covered}/{coverage.expected} đơn vị phải triển khai {plan.short_title} "
        f"đã có văn bản triển khai ({coverage.percent}%).",
        head=head,
        wards=wards,
        parts=parts,
        number=number,
        pages=count,
    )
