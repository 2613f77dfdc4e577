"""The benchmark corpus generator (tests/bench/corpus.py): valid, hierarchical, deterministic. No MkDocs."""

from __future__ import annotations

import filecmp

import pytest

from conftest import ROOT
from corpus import corpus, generate, main
from kehoach.alignment import align
from kehoach.site import TOP_PLAN, check

N = 60


@pytest.fixture(scope="module")
def plans_dir(tmp_path_factory):
    return generate(N, tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def graph(plans_dir):
    result, problems = check(plans_dir, plans_dir.parent)
    assert problems == [], "\n".join(map(str, problems))
    return result


def test_corpus_is_valid_with_n_plans(graph, plans_dir):
    assert len(graph.plans) == N
    assert len(list(plans_dir.glob("*.md"))) == N
    assert all(p.name.isascii() for p in plans_dir.iterdir())
    assert all(u.isascii() for u in graph.units)


def test_upstream_documents_are_copied_as_they_are(plans_dir):
    for name in ("71-nq-tw.md", "281-nq-cp.md", "05-ctr-tu-ha-noi.md"):
        assert (plans_dir / name).read_bytes() == (ROOT / "plans" / name).read_bytes()


def test_every_cell_plan_reaches_the_resolution_through_its_ward(graph):
    cells = [p for p in graph.plans.values() if graph.unit_of(p).kind == "chi-bo" and p.type != "BC"]  # not reports
    assert len(cells) >= 10
    for plan in cells:
        lineage = graph.lineage(plan.id)
        assert lineage[0].id == TOP_PLAN, plan.id
        ward_plans = [p for p in graph.parents(plan.id) if graph.unit_of(p).id.startswith("dang-uy-phuong-")]
        assert ward_plans, plan.id
        assert "05-ctr-tu-ha-noi" in {p.id for p in graph.ancestors(plan.id)}


def test_hierarchy_has_wards_schools_and_people_committees(graph):
    kinds = [u.kind for u in graph.units.values()]
    assert kinds.count("phuong") >= 5 and kinds.count("truong") >= 10 and kinds.count("chi-bo") >= 10
    school_plans = [p for p in graph.plans.values() if graph.unit_of(p).kind == "truong"]
    assert any(graph.unit_of(parent).kind == "chi-bo" for p in school_plans for parent in graph.parents(p.id))
    assert any(graph.unit_of(p).id.startswith("ubnd-phuong-") for p in graph.plans.values())
    years = {t.year for p in graph.plans.values() for t in p.targets}
    assert {2026, 2030, 2035, 2045} <= years and all(2026 <= y <= 2045 for y in years if y)
    assert any(t.value is not None for p in graph.plans.values() for t in p.targets)
    assert any(p.responsibilities for p in graph.plans.values())


def test_bodies_differ_and_carry_their_own_names(graph):
    cells = [p for p in graph.plans.values() if graph.unit_of(p).kind == "chi-bo"]
    assert len({p.body for p in cells}) == len(cells)
    assert not any("Trần Quốc Toản" in p.body or "Đông Đa" in p.body for p in cells)


def test_deterministic_and_seeded(plans_dir, tmp_path):
    again = generate(N, tmp_path / "again")
    names = sorted(p.name for p in plans_dir.iterdir())
    assert names == sorted(p.name for p in again.iterdir())
    match, mismatch, errors = filecmp.cmpfiles(plans_dir, again, names, shallow=False)
    assert mismatch == [] and errors == []
    assert corpus(N, seed=1)[0] != corpus(N, seed=2)[0]


def test_cli_refuses_a_non_empty_folder_and_a_too_small_n(plans_dir, capsys):
    assert main(["60", str(plans_dir.parent)]) == 2
    assert main(["3", str(plans_dir.parent / "x")]) == 2
    assert "at least" in capsys.readouterr().err


def test_large_folders_parsed_in_parallel_report_every_problem(tmp_path, monkeypatch):
    """Above PARALLEL_FROM files, worker processes parse plans while this one reads the units."""
    import os

    from kehoach import load as loader

    monkeypatch.setattr(os, "cpu_count", lambda: 4)  # four shares, three in workers, on any machine
    plans = generate(loader.PARALLEL_FROM + 20, tmp_path / "big")
    files = sorted(p for p in plans.glob("*.md") if p.name != "71-nq-tw.md")
    broken = [files[0], files[1], files[-1]]  # this process's share, a worker's, and another (dealt round-robin)
    for path in broken:
        path.write_text(path.read_text(encoding="utf-8").replace("status:", "status: [", 1), encoding="utf-8")
    units = plans / "units.yml"
    units.write_text(units.read_text(encoding="utf-8") + "\n- id: Sai Ma\n", encoding="utf-8")
    graph, problems = check(plans, plans.parent)
    reported = {p.path for p in problems}
    assert graph is None and {f"plans/{p.name}" for p in broken} <= reported, sorted(reported)
    assert "plans/units.yml" in reported
    good, _ = check(generate(loader.PARALLEL_FROM + 20, tmp_path / "good"), tmp_path)
    assert good is not None and len(good.plans) == loader.PARALLEL_FROM + 20


def test_targets_serve_up_the_chain_to_the_resolution(graph):
    """A school target serves its ward's, which serves the city's, which serves one of 71-NQ/TW's."""
    alignment = align(graph.plans.values())
    kinds = {p.id: graph.unit_of(p).id for p in graph.plans.values()}

    def chain(plan_id, target_id):
        up = alignment.of(plan_id, target_id).up
        return [(plan_id, target_id)] + (chain(*up[0].key) if up else [])

    chains = [chain(p.id, t.id) for p in graph.plans.values() if graph.unit_of(p).kind == "truong" for t in p.targets]
    through_ward = [c for c in chains if len(c) >= 3 and kinds[c[1][0]].startswith("ubnd-phuong-")]
    assert through_ward, chains
    assert {kinds[c[2][0]] for c in through_ward} == {"ubnd-ha-noi"}
    city = [chain(p.id, t.id) for p in graph.plans.values() if kinds[p.id] == "ubnd-ha-noi" for t in p.targets]
    to_top = [c for c in city if len(c) == 2 and c[1][0] == TOP_PLAN]
    assert to_top  # whole chains school → ward → city → 71-NQ/TW: 15 at 1,000 plans (seed 71)
    top = alignment.of(*to_top[0][1])
    assert top.plans_below >= 2 and "ubnd-ha-noi" in {g.unit for g in top.down}
    labels = {label for w in alignment.warnings for label in (w.label,)}
    assert labels == {"muộn hơn", "thấp hơn"}  # made-up values and years: some links are later or lower


def test_part_of_the_plans_have_reports_with_results(graph):
    reports = [p for p in graph.plans.values() if p.type == "BC"]
    assert 3 <= len(reports) <= N // 5
    alignment = align(graph.plans.values())
    for report in reports:
        reported = graph.plans[report.reports_on]
        assert report.results and reported.type == "KH"
        for result in report.results:
            latest = alignment.of(reported.id, result.target).latest
            assert latest is not None and latest.report == report.id
    assert {alignment.of(r.reports_on, r.results[0].target).status for r in reports} - {"", "đạt", "chưa đạt"} == set()
