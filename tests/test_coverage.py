"""Coverage (kehoach/coverage.py, coveragepages.py): who is expected to implement a plan, and who has. No MkDocs."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import FIXTURES, fixture_plans
from kehoach import coverage as cov
from kehoach import pages as pages_module
from kehoach.coverage import area_of, expected_units, site_coverage, stands_for, summary
from kehoach.coveragepages import CoverageIndexPage, CoveragePage, coverage_pages
from kehoach.decide import decide_pages
from kehoach.graph import Graph
from kehoach.model import Citation, Plan, Unit
from kehoach.site import check

UNITS = [
    Unit("trung-uong", "Trung ương", "trung-uong"),
    Unit("bo-chinh-tri", "Bộ Chính trị", "co-quan", "trung-uong", party=True),
    Unit("chinh-phu", "Chính phủ", "co-quan", "trung-uong"),
    Unit("ha-noi", "Thành phố Hà Nội", "thanh-pho", "trung-uong"),
    Unit("thanh-uy", "Thành ủy", "co-quan", "ha-noi", party=True),
    Unit("ubnd-tp", "UBND thành phố", "co-quan", "ha-noi"),
    Unit("phuong-a", "Phường A", "phuong", "ha-noi"),
    Unit("dang-uy-a", "Đảng ủy phường A", "co-quan", "phuong-a", party=True),
    Unit("ubnd-a", "UBND phường A", "co-quan", "phuong-a"),
    Unit("truong-a1", "Trường A1", "truong", "phuong-a"),
    Unit("chi-bo-a1", "Chi bộ Trường A1", "chi-bo", "truong-a1", party=True),
    Unit("truong-a2", "Trường A2", "truong", "phuong-a"),
    Unit("chi-bo-a2", "Chi bộ Trường A2", "chi-bo", "truong-a2", party=True),
    Unit("phuong-b", "Phường B", "phuong", "ha-noi"),  # no committee in units.yml: the ward counts as itself
    Unit("truong-b1", "Trường B1", "truong", "phuong-b"),
]
BY_ID = {u.id: u for u in UNITS}


def _plan(pid: str, unit: str, *parents: str, type: str = "KH", day: int = 1) -> Plan:
    return Plan(
        id=pid,
        path=f"plans/{pid}.md",
        title=pid,
        type=type,
        unit=unit,
        status="ban-hanh",
        date=dt.date(2026, 1, day),
        parents=tuple(Citation(p) for p in parents),
    )


PLANS = [
    _plan("71-nq-tw", "bo-chinh-tri", type="NQ"),
    _plan("281-nq-cp", "chinh-phu", "71-nq-tw", type="NQ", day=2),
    _plan("05-ctr", "thanh-uy", "71-nq-tw", type="CTr", day=3),
    _plan("kh-du-a", "dang-uy-a", "05-ctr", day=4),  # the ward's party plan, for the city programme
    _plan("kh-ubnd-a", "ubnd-a", "kh-du-a", day=5),  # the ward's People's Committee, for the party plan
    _plan("kh-cb-a1", "chi-bo-a1", "kh-du-a", day=6),  # a cell: through the chain up to 71-NQ/TW
    _plan("kh-cb-a1-bis", "chi-bo-a1", "kh-du-a", day=7),  # a second document of the same cell
    _plan("kh-b1", "truong-b1", "71-nq-tw", "281-nq-cp", day=8),  # a school citing the top directly
    _plan("bc-a2", "truong-a2", "kh-du-a", type="BC", day=9),  # a report: not an implementing document
]


@pytest.fixture(scope="module")
def graph() -> Graph:
    return Graph(PLANS, UNITS)


def _ids(units) -> list[str]:
    return [u.id for u in units]


# -- the rule ------------------------------------------------------------------------------------
def test_the_centre_expects_each_city_and_every_unit_below(graph):
    top = expected_units(BY_ID["trung-uong"], True, graph.unit_children)
    assert _ids(top) == [
        "ha-noi",
        "ubnd-a",  # units in the site's order: by kind, then name ("UBND" before "Đảng ủy")
        "dang-uy-a",
        "truong-a1",
        "chi-bo-a1",
        "truong-a2",
        "chi-bo-a2",
        "phuong-b",
        "truong-b1",
    ]


def test_a_city_expects_each_ward_committee_school_and_cell_not_its_own_organs(graph):
    city = _ids(expected_units(BY_ID["ha-noi"], True, graph.unit_children))
    assert city[:2] == ["ubnd-a", "dang-uy-a"] and "ha-noi" not in city and "thanh-uy" not in city
    assert set(city) == {
        "dang-uy-a",
        "ubnd-a",
        "truong-a1",
        "chi-bo-a1",
        "truong-a2",
        "chi-bo-a2",
        "phuong-b",
        "truong-b1",
    }


def test_a_ward_expects_its_schools_and_cells_and_a_school_no_one(graph):
    ward = expected_units(BY_ID["phuong-a"], True, graph.unit_children)
    assert _ids(ward) == ["truong-a1", "chi-bo-a1", "truong-a2", "chi-bo-a2"]
    assert expected_units(BY_ID["truong-a1"], False, graph.unit_children) == []
    assert expected_units(BY_ID["chi-bo-a1"], True, graph.unit_children) == []


def test_a_state_document_is_not_expected_of_party_units(graph):
    state = _ids(expected_units(BY_ID["trung-uong"], False, graph.unit_children))
    assert state == ["ha-noi", "ubnd-a", "truong-a1", "truong-a2", "phuong-b", "truong-b1"]


def test_area_and_whom_a_document_counts_for():
    assert area_of(BY_ID["thanh-uy"], BY_ID).id == "ha-noi"
    assert area_of(BY_ID["dang-uy-a"], BY_ID).id == "phuong-a"
    assert area_of(BY_ID["truong-a1"], BY_ID).id == "truong-a1"
    assert stands_for(BY_ID["thanh-uy"], BY_ID) == "ha-noi"  # a city's organ counts for the city
    assert stands_for(BY_ID["ubnd-a"], BY_ID) == "ubnd-a"  # a ward's committees each count on their own
    assert stands_for(BY_ID["chi-bo-a1"], BY_ID) == "chi-bo-a1"


# -- coverage ------------------------------------------------------------------------------------
def _statuses(coverage) -> dict[str, str | None]:
    return {s.unit.id: s.document.id if s.document else None for g in coverage.groups for s in g.units}


def test_direct_and_through_the_chain_and_units_with_none(graph):
    found = site_coverage(graph)
    top = found["71-nq-tw"]
    assert _statuses(top) == {
        "ha-noi": "05-ctr",  # through Thành ủy
        "dang-uy-a": "kh-du-a",  # through 05-CTr
        "ubnd-a": "kh-ubnd-a",  # through the ward party plan and 05-CTr
        "truong-a1": None,
        "chi-bo-a1": "kh-cb-a1",  # three steps down; the first of its two documents
        "truong-a2": None,  # its only document is a report
        "chi-bo-a2": None,
        "phuong-b": None,
        "truong-b1": "kh-b1",  # directly
    }
    assert (top.covered, top.expected, top.percent) == (5, 9, 55) and top.programme
    assert [(g.unit.id, g.covered, g.expected) for g in top.groups] == [
        ("ha-noi", 1, 1),
        ("phuong-a", 3, 6),
        ("phuong-b", 1, 2),
    ]
    assert _ids(top.groups[1].missing) == ["truong-a1", "truong-a2", "chi-bo-a2"]
    assert {lv.label: (lv.covered, lv.expected) for lv in top.levels} == {
        "Thành phố": (1, 1),
        "Phường (Đảng ủy, UBND phường)": (2, 3),  # with phuong-b, a ward without committees
        "Trường học": (1, 3),
        "Chi bộ": (1, 2),
    }


def test_each_plan_counts_only_the_documents_below_it(graph):
    found = site_coverage(graph)
    assert _statuses(found["281-nq-cp"]) == {
        "ha-noi": None,
        "ubnd-a": None,
        "truong-a1": None,
        "truong-a2": None,
        "phuong-b": None,
        "truong-b1": "kh-b1",
    }
    ward = found["kh-du-a"]
    assert _statuses(ward) == {"truong-a1": None, "chi-bo-a1": "kh-cb-a1", "truong-a2": None, "chi-bo-a2": None}
    assert (ward.percent, ward.programme) == (25, False)
    assert found["05-ctr"].programme and found["05-ctr"].covered == 3  # dang-uy-a, ubnd-a, chi-bo-a1
    assert "kh-b1" not in found and "kh-cb-a1" not in found and "bc-a2" not in found  # nobody is expected


def test_percent_is_rounded_down():
    assert cov.Count(covered=2, expected=3).percent == 66
    assert cov.Count(covered=199, expected=200).percent == 99
    assert cov.Count(covered=0, expected=0).percent == 0


# -- what pages show -----------------------------------------------------------------------------
def test_the_plan_page_summary_is_bounded_and_names_missing_units_first(graph, monkeypatch):
    top = site_coverage(graph)["71-nq-tw"]
    whole = summary(top)
    assert whole.full_page  # a programme always has its page, which names the units with a document
    assert [(_ids(g.missing), g.done) for g in whole.groups] == [
        ([], ()),
        (["truong-a1", "truong-a2", "chi-bo-a2"], ()),
        (["phuong-b"], ()),
    ]
    ward = summary(site_coverage(graph)["kh-du-a"])  # no page: every unit named, missing ones first
    assert not ward.full_page and _ids(ward.groups[0].missing) == ["truong-a1", "truong-a2", "chi-bo-a2"]
    assert [s.document.id for s in ward.groups[0].done] == ["kh-cb-a1"]
    monkeypatch.setattr(cov, "UNITS_SHOWN", 2)
    monkeypatch.setattr(cov, "GROUPS_SHOWN", 2)
    cut = summary(site_coverage(graph)["kh-du-a"])
    assert _ids(cut.groups[0].missing) == ["truong-a1", "truong-a2"] and cut.groups[0].done == ()
    assert cut.full_page  # not a programme, but cut: it gets a page
    small = summary(top)  # 3 wards, 2 shown: the lowest shares first (Hà Nội 1/1 left out; ties in site order)
    assert [(g.unit.id, g.covered, g.expected) for g in small.groups] == [("phuong-a", 3, 6), ("phuong-b", 1, 2)]
    assert small.groups_total == 3


def test_coverage_pages_are_paged_ward_by_ward(graph, monkeypatch):
    monkeypatch.setattr(pages_module, "CHILDREN_PER_PAGE", 4)
    found = site_coverage(graph)
    pages = coverage_pages(found, graph.units)
    index = pages[0]
    assert isinstance(index, CoverageIndexPage) and index.src_uri == "tinh-hinh-trien-khai/index.md"
    assert [h.plan.id for h in index.programmes] == ["71-nq-tw", "281-nq-cp", "05-ctr"]
    top = [p for p in pages if isinstance(p, CoveragePage) and p.head.plan.id == "71-nq-tw"]
    assert [p.src_uri for p in top] == [
        "tinh-hinh-trien-khai/71-nq-tw/index.md",
        "tinh-hinh-trien-khai/71-nq-tw/2/index.md",
        "tinh-hinh-trien-khai/71-nq-tw/3/index.md",
    ]
    assert all(sum(len(part.units) for part in p.parts) <= 4 for p in top)
    listed = [s.unit.id for p in top for part in p.parts for s in part.units]
    assert sorted(listed) == sorted(_statuses(found["71-nq-tw"]))
    assert [(part.unit.id, part.continued) for part in top[1].parts] == [("phuong-a", True), ("phuong-b", False)]
    assert [(part.unit.id, part.continued) for part in top[2].parts] == [("phuong-b", True)]
    assert [(w.unit.id, w.number) for w in top[0].wards] == [("ha-noi", 1), ("phuong-a", 1), ("phuong-b", 2)]
    assert top[1].wards == () and top[2].wards == ()
    assert not any(isinstance(p, CoveragePage) and p.head.plan.id == "kh-du-a" for p in pages)  # fits its page


def test_pages_stay_bounded_with_thousands_of_units():
    """150 wards of 20 schools each (6,000 units below 71-NQ/TW): bounded records, linear work."""
    units, plans = UNITS[:3] + [Unit("ha-noi", "Hà Nội", "thanh-pho", "trung-uong"), BY_ID["thanh-uy"]], PLANS[:3]
    for w in range(150):
        units += [
            Unit(f"p{w}", f"Phường {w:03d}", "phuong", "ha-noi"),
            Unit(f"du{w}", "Đảng ủy", "co-quan", f"p{w}", party=True),
        ]
        plans.append(_plan(f"kh-du{w}", f"du{w}", "05-ctr"))
        for s in range(20):
            units.append(Unit(f"t{w}-{s}", f"Trường {s:02d}", "truong", f"p{w}"))
            if s % 2:
                plans.append(_plan(f"kh-t{w}-{s}", f"t{w}-{s}", f"kh-du{w}"))
    graph = Graph(plans, units)
    found = site_coverage(graph)
    assert found["71-nq-tw"].expected == 1 + 150 * 21 and found["71-nq-tw"].covered == 1 + 150 * 11
    top = summary(found["71-nq-tw"])
    assert (
        len(top.groups) <= cov.GROUPS_SHOWN
        and sum(len(g.missing) + len(g.done) for g in top.groups) <= cov.UNITS_BUDGET
    )
    pages = [p for p in coverage_pages(found, graph.units) if isinstance(p, CoveragePage)]
    assert all(sum(len(part.units) for part in p.parts) <= pages_module.CHILDREN_PER_PAGE for p in pages)
    assert sum(1 for p in pages if p.wards) == 3  # 71-NQ/TW, 281/NQ-CP, 05-CTr: counts per ward on their first page
    assert not any(p.head.plan.id.startswith("kh-du") for p in pages)  # a ward's 20 schools fit its plan page


def test_plan_pages_carry_their_summary_from_the_fixture_site(tmp_path):
    graph, problems = check(fixture_plans(tmp_path, FIXTURES / "coverage"), tmp_path)
    assert problems == []
    pages = {p.src_uri: p for p in decide_pages(graph, "71-nq-tw")}
    top = pages["van-ban/71-nq-tw.md"].coverage
    assert top is not None and (top.covered, top.expected) == (4, 8)
    assert pages["van-ban/kh-cb-b1.md"].coverage is None  # a cell's plan is expected of no one
    assert "tinh-hinh-trien-khai/05-ctr-tu-x/index.md" in pages and "tinh-hinh-trien-khai/kh-du-b/index.md" not in pages
