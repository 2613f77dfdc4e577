"""Targets linked down the chain (kehoach/alignment.py): links up and down, warnings, latest results, verdicts.

The plans of tests/fixtures/alignment/ are made-up examples: a ward plan serving 71-NQ/TW's target, two schools
serving the ward's, and two reports on the ward plan.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time

import pytest

from conftest import FIXTURES, fixture_plans
from kehoach import __main__ as cli
from kehoach.alignment import LATER, MET, NO_REPORT, NOT_MET, WEAKER, Key, align, labels_of, verdict, weaker
from kehoach.model import Plan, Result, Target
from kehoach.site import check, review

TOP = Key("71-nq-tw", "t2030-truong-chuan")
WARD = "kh-phuong-a"


@pytest.fixture(scope="module")
def plans_dir(tmp_path_factory):
    return fixture_plans(tmp_path_factory.mktemp("align"), FIXTURES / "alignment")


@pytest.fixture(scope="module")
def alignment(plans_dir):
    graph, problems = check(plans_dir, plans_dir.parent)
    assert problems == [], [str(p) for p in problems]
    return align(graph.plans.values())


def _target(value=None, op="=", measure_unit="%", year=2030, **more) -> Target:
    return Target(year, "Chỉ tiêu", "t", value=value, measure_unit=measure_unit, op=op, **more)


def _result(value=None, met=None) -> Result:
    return Result("t", dt.date(2026, 6, 30), "Kết quả", value=value, met=met)


# -- warnings ---------------------------------------------------------------------------------
def test_a_later_and_lower_target_is_marked_on_its_link(alignment):
    assert alignment.of(WARD, "t2035-chuan-muon").up[0].key == TOP
    assert alignment.of(WARD, "t2035-chuan-muon").up[0].labels == (LATER, WEAKER)
    assert alignment.of(WARD, "t2030-chuan").up[0].labels == ()  # 90 % ≥ serving 80 % ≥, same year
    school = alignment.of("kh-truong-a", "t2030-chuan")
    assert [(link.key, link.labels) for link in school.up] == [(Key(WARD, "t2030-chuan"), ()), (TOP, ())]


def test_for_an_upper_bound_a_higher_value_is_weaker(alignment):
    assert alignment.of("kh-truong-a", "t2030-bo-hoc").up[0].labels == (WEAKER,)  # < 2 % serving < 1 %
    assert weaker(_target(15, "<="), _target(10, "<=")) and not weaker(_target(5, "<="), _target(10, "<="))
    assert weaker(_target(90, ">="), _target(100, ">=")) and weaker(_target(0.7, ">"), _target(0.8, ">"))


def test_no_weaker_warning_across_measures_or_comparisons():
    assert not weaker(_target(90, ">="), _target(100, ">"))  # another comparison
    assert not weaker(_target(90, ">=", "đảng viên"), _target(100, ">="))  # another measure
    assert not weaker(_target(90, "="), _target(100, "="))  # "=": which way is better is not written
    assert not weaker(_target(None, ">="), _target(100, ">="))
    assert weaker(_target(90, ">=", " ％"), _target(100, ">=", "%"))  # the same measure, written otherwise
    assert labels_of(_target(year=2031), _target(year=2030)) == (LATER,)
    assert labels_of(_target(year=2030), _target(year=2031)) == ()


def test_warnings_list_every_marked_link_in_file_order(alignment):
    shown = [str(w) for w in alignment.warnings]
    assert shown == [
        "plans/kh-phuong-a.md:17: targets[0].serves[0]: cảnh báo: chỉ tiêu đến năm 2035, muộn hơn chỉ tiêu "
        "'71-nq-tw#t2030-truong-chuan' mà nó phục vụ (năm 2030)",
        "plans/kh-phuong-a.md:17: targets[0].serves[0]: cảnh báo: mức ≥ 70 % thấp hơn yêu cầu của chỉ tiêu "
        "'71-nq-tw#t2030-truong-chuan' mà nó phục vụ (≥ 80 %)",
        "plans/kh-truong-a.md:24: targets[1].serves[0]: cảnh báo: mức < 2 % thấp hơn yêu cầu của chỉ tiêu "
        "'kh-phuong-a#t2030-bo-hoc' mà nó phục vụ (< 1 %)",
    ]
    assert [(w.target, w.served, w.label) for w in alignment.warnings][2] == (
        Key("kh-truong-a", "t2030-bo-hoc"),
        Key(WARD, "t2030-bo-hoc"),
        WEAKER,
    )


# -- down: what serves a target, per unit -------------------------------------------------------
def test_what_serves_a_target_is_grouped_by_issuing_unit(alignment):
    top = alignment.of(*TOP)
    assert [(g.unit, g.targets) for g in top.down] == [
        ("phuong-a", (Key(WARD, "t2030-chuan"), Key(WARD, "t2035-chuan-muon"))),
        ("truong-a", (Key("kh-truong-a", "t2030-chuan"),)),
    ]
    assert top.plans_below == 2  # two targets of the ward's plan count as one plan
    ward = alignment.of(WARD, "t2030-chuan")
    assert [g.unit for g in ward.down] == ["truong-a", "truong-b"] and ward.plans_below == 2


def test_a_quoted_target_neither_serves_nor_is_counted(alignment):
    quoted = alignment.of("kh-truong-a", "t2030-trich")
    assert quoted.up == () and quoted.down == ()
    assert Key("kh-truong-a", "t2030-trich") not in {k for g in alignment.of(*TOP).down for k in g.targets}


def test_an_unknown_key_gives_an_empty_entry(alignment):
    entry = alignment.of("khong-co", "t1")
    assert entry.up == () and entry.down == () and entry.plans_below == 0 and entry.status == NO_REPORT


# -- results ------------------------------------------------------------------------------------
def test_the_latest_result_is_chosen_by_as_of_not_by_report_date(alignment):
    later_target = alignment.of(WARD, "t2035-chuan-muon").latest
    assert later_target is not None
    assert later_target.report == "bc-so-ket-phuong-a-2026"  # 30/06, though the other report is dated later
    assert later_target.report_date == dt.date(2026, 7, 5) and later_target.result.value == 75
    assert later_target.verdict == MET
    target = alignment.of(WARD, "t2030-chuan").latest
    assert target is not None and target.report == "bc-tong-ket-phuong-a-2026" and target.result.value == 92


def test_verdicts_come_from_the_numbers_then_the_report_and_are_never_invented(alignment):
    assert alignment.of(WARD, "t2030-chuan").status == MET  # 92 ≥ 90
    assert alignment.of(WARD, "t2030-bo-hoc").status == NOT_MET  # 1.5 is not < 1, though the report says met
    assert alignment.of(WARD, "t2030-loi").status == ""  # a text result, no number, no met: no verdict
    assert alignment.of(WARD, "t2030-loi").latest is not None
    assert alignment.of(*TOP).status == NO_REPORT and alignment.of(*TOP).latest is None


@pytest.mark.parametrize(
    "op, goal, value, met, expected",
    [
        (">=", 90, 90, None, MET),
        (">=", 90, 89.9, True, NOT_MET),  # the numbers win over the report's own word
        (">", 0.8, 0.8, None, NOT_MET),
        ("<=", 10, 10, None, MET),
        ("<", 1, 0.5, None, MET),
        ("=", 100, 100, None, MET),
        ("=", 3, 4, None, None),  # more than "3 đảng viên": better or not is not written
        ("=", 3, 4, True, MET),
        (">=", None, None, False, NOT_MET),
        (">=", 90, None, None, None),
        (">=", None, 5, None, None),
    ],
)
def test_verdict(op, goal, value, met, expected):
    assert verdict(_target(goal, op), _result(value, met)) == expected


def test_reports_of_a_plan_oldest_first(alignment):
    assert alignment.reports_of(WARD) == ("bc-so-ket-phuong-a-2026", "bc-tong-ket-phuong-a-2026")
    assert alignment.reports_of("71-nq-tw") == ()


# -- the warnings channel: printed by check, never a failure ---------------------------------------
def test_check_prints_warnings_and_passes(plans_dir, monkeypatch, capsys):
    monkeypatch.chdir(plans_dir.parent)
    assert cli.main(["check", "plans"]) == 0
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert len(lines) == 3 and all(": cảnh báo: " in line for line in lines)
    assert lines[0].startswith("plans/kh-phuong-a.md:17: targets[0].serves[0]: cảnh báo: chỉ tiêu đến năm 2035")
    assert "3 cảnh báo, không chặn xuất bản" in out and out.startswith("Hợp lệ:")


def test_warnings_come_after_the_problems(plans_dir, tmp_path, monkeypatch, capsys):
    shutil.copytree(plans_dir, tmp_path / "plans")
    shutil.copy(FIXTURES / "broken" / "serves-unknown-plan" / "plans" / "b.md", tmp_path / "plans" / "b.md")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", "plans"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("plans/b.md:13: targets[0].serves[0]: không có văn bản 'khong-co'")
    assert [": cảnh báo: " in line for line in lines[1:4]] == [True] * 3
    assert lines[4].startswith("Có 1 lỗi và 3 cảnh báo")


def test_a_refused_link_gets_no_warning_as_well(tmp_path):
    plans = fixture_plans(tmp_path, FIXTURES / "broken" / "serves-outside-lineage")  # 2030 serving 2027
    graph, problems, warnings = review(plans, tmp_path)
    assert graph is None and len(problems) == 1 and warnings == ()
    assert [w.label for w in align(_loaded(plans)).warnings] == [LATER]  # align alone does not know the lineage


def _loaded(plans_dir) -> list[Plan]:
    from kehoach.load import load

    return load(plans_dir).plans


# -- scale --------------------------------------------------------------------------------------
def test_alignment_is_linear_in_targets():
    """5,000 documents: 2,500 plans of 10 targets, each serving a target of the plan above, and a report on each:
    a few seconds at most (a quadratic pass over 25,000 targets would take minutes)."""
    plans = [_plan(i) for i in range(5000)]
    started = time.perf_counter()
    result = align(plans)
    elapsed = time.perf_counter() - started
    assert len(result.targets) == 50_000 - 10 * 2500  # the reports have no targets
    assert result.of("p0", "t3").plans_below == 1 and result.of("p0", "t3").latest is not None
    assert elapsed < 4.0, elapsed  # about 0.5 s on a shared 2-core machine


def _plan(i: int) -> Plan:
    if i % 2:  # a report on the plan before it
        results = tuple(Result(f"t{j}", dt.date(2027, 1, 1), "Kết quả", value=j) for j in range(10))
        return Plan(f"p{i}", f"plans/p{i}.md", "BC", "BC", "u", "ban-hanh", reports_on=f"p{i - 1}", results=results)
    serves = (lambda j: (f"p{i - 2}#t{j}",)) if i >= 2 else (lambda j: ())
    targets = tuple(
        Target(2030, "Chỉ tiêu", f"t{j}", value=j, measure_unit="%", op=">=", serves=serves(j)) for j in range(10)
    )
    return Plan(f"p{i}", f"plans/p{i}.md", "KH", "KH", f"u{i % 7}", "ban-hanh", targets=targets)
