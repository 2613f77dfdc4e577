"""``make suggest`` (issue 16, item 3): likely serves links, scored, printed and written for review; never
written to plans/. And the target ids the importer writes (kehoach/words.py)."""

from __future__ import annotations

import re
import subprocess
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT
from kehoach.site import check
from kehoach.suggest import features, main, similarity, suggest
from kehoach.words import TargetIds, content_words, id_base, target_id

UNITS = """\
trung-uong:
  name: Trung ương
  kind: trung-uong
thanh-pho-a:
  name: Thành phố A
  kind: thanh-pho
  parent: trung-uong
truong-a:
  name: Trường A
  kind: truong
  parent: thanh-pho-a
"""


def plan(name: str, unit: str, targets: str, parents: str = "") -> str:
    head = f'title: "Kế hoạch {name}"\ntype: KH\nunit: {unit}\nstatus: ban-hanh\ndate: 2025-10-01\n'
    return f"---\n{head}{parents}targets:\n{textwrap.dedent(targets)}---\n\nToàn văn.\n"


TOP = """\
  - id: t2030-giao-vien-so
    year: 2030
    text: "100% giáo viên sử dụng thành thạo phần mềm dạy học số"
    value: 100
    measure_unit: "%"
  - id: t2030-truong-chuan
    year: 2030
    text: "Ít nhất 80% trường phổ thông đạt chuẩn quốc gia"
    value: 80
    measure_unit: "%"
    op: ">="
  - id: t2026-giao-vien-som
    year: 2026
    text: "100% giáo viên sử dụng thành thạo phần mềm dạy học số ở năm đầu"
    value: 100
    measure_unit: "%"
  - id: t2030-dang-vien
    year: 2030
    text: "Kết nạp ít nhất 3 đảng viên là giáo viên sử dụng thành thạo phần mềm dạy học số"
    value: 3
    measure_unit: "đảng viên"
  - id: t2030-trich-lai
    year: 2030
    of: khac
    text: "100% giáo viên sử dụng thành thạo phần mềm dạy học số theo văn bản khác"
    value: 100
    measure_unit: "%"
"""
CHILD = """\
  - id: t2030-phan-mem
    year: 2030
    text: "100% giáo viên của trường sử dụng thành thạo phần mềm dạy học số"
    value: 100
    measure_unit: "%"
  - id: t2030-da-noi
    year: 2030
    text: "100% giáo viên của trường sử dụng thành thạo phần mềm dạy học số, đã khai"
    value: 100
    measure_unit: "%"
    serves: [tren#t2030-giao-vien-so]
"""
OTHER = """\
  - id: t2030-khac
    year: 2030
    text: "100% giáo viên sử dụng thành thạo phần mềm dạy học số"
    value: 100
    measure_unit: "%"
"""


@pytest.fixture
def plans_dir(tmp_path) -> Path:
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "units.yml").write_text(UNITS, encoding="utf-8")
    (plans / "tren.md").write_text(plan("trên", "thanh-pho-a", TOP), encoding="utf-8")
    cited = "parents:\n  - id: tren\n"
    (plans / "duoi.md").write_text(plan("dưới", "truong-a", CHILD, cited), encoding="utf-8")
    (plans / "khac.md").write_text(plan("khác", "truong-a", OTHER), encoding="utf-8")
    return plans


@pytest.fixture
def found(plans_dir, tmp_path):
    graph, problems = check(plans_dir, tmp_path)
    assert [str(p) for p in problems] == []
    return {(s.plan.id, s.target.id): s for s in suggest(graph, minimum=0.0)}


def test_the_matching_target_scores_higher_than_another_of_the_same_measure(found):
    proposals = found[("duoi", "t2030-phan-mem")].proposals
    scores = {p.ref: p.score for p in proposals}
    assert proposals[0].ref == "tren#t2030-giao-vien-so"
    assert scores["tren#t2030-giao-vien-so"] > 0.6 > scores["tren#t2030-truong-chuan"]


def test_measure_year_quotes_links_and_lineage_exclude_candidates(found):
    refs = {p.ref for p in found[("duoi", "t2030-phan-mem")].proposals}
    assert "tren#t2026-giao-vien-som" not in refs  # due before the target: it cannot serve it
    assert "tren#t2030-dang-vien" not in refs  # another measure unit
    assert "tren#t2030-trich-lai" not in refs  # a quoted target belongs to the document it quotes
    assert ("duoi", "t2030-da-noi") not in found  # already linked
    assert not any(plan == "khac" or plan == "tren" for plan, _ in found)  # nothing above them in plans/
    assert not any(p.ref.startswith("khac#") for s in found.values() for p in s.proposals)  # not in the lineage


def test_similarity_folds_vietnamese_and_ignores_stop_words():
    assert features("Giáo viên sử dụng PHẦN MỀM") == features("giao vien su dung phan mem")
    assert content_words("Đảm bảo 100% trẻ được theo dõi sức khỏe") == ["tre", "doi", "suc", "khoe"]
    same, other = features("trường đạt chuẩn quốc gia"), features("trẻ béo phì, suy dinh dưỡng")
    assert similarity(same, same) == 1.0 and similarity(same, other) == 0.0 and similarity(same, frozenset()) == 0.0


def test_main_prints_and_writes_the_review_file_and_never_plans(plans_dir, tmp_path, capsys):
    before = {p.name: p.read_bytes() for p in plans_dir.iterdir()}
    out = tmp_path / "build" / "goi-y.md"
    assert main([str(plans_dir), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Gợi ý liên kết serves cho 1 chỉ tiêu" in printed and "tren#t2030-giao-vien-so" in printed
    assert re.search(r"\n  0,\d\d  tren#t2030-giao-vien-so  \(2030; 100 %\)", printed), printed
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Gợi ý liên kết serves (chưa ghi vào plans/)")
    assert re.search(r"\n## \S*plans/duoi\.md — `t2030-phan-mem` \(2030; 100 %\)\n", text), text
    assert "```yaml\n    serves: [tren#t2030-giao-vien-so]\n```" in text
    assert text.index("`tren#t2030-giao-vien-so`") < text.index("serves: [")
    assert {p.name: p.read_bytes() for p in plans_dir.iterdir()} == before


def test_main_refuses_broken_plans_and_bad_arguments(plans_dir, tmp_path, capsys):
    (plans_dir / "hong.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    out = tmp_path / "goi-y.md"
    assert main([str(plans_dir), "--out", str(out)]) == 1 and not out.exists()
    assert "make check" in capsys.readouterr().err
    assert main(["--out"]) == 2 and main([str(plans_dir), "thua"]) == 2 and main([str(tmp_path / "khong")]) == 2


def test_the_real_plans_get_proposals_within_their_lineage(tmp_path):
    graph, problems = check(ROOT / "plans", ROOT)
    assert problems == []
    for item in suggest(graph):
        above = {p.id for p in graph.ancestors(item.plan.id)}
        for proposal in item.proposals:
            assert proposal.above.id in above and proposal.served.year >= item.target.year
            assert (proposal.served.value is None) == (item.target.value is None)
            assert proposal.served.measure_unit == item.target.measure_unit


def test_make_target():
    result = subprocess.run(["make", "-n", "suggest"], cwd=ROOT, capture_output=True, text=True)
    assert "-m kehoach suggest plans" in result.stdout


# ---------------------------------------------------------------- target ids


def test_target_ids_are_short_ascii_and_unique_within_a_plan():
    assert id_base(2030, "Đảm bảo 100% trường học có internet ổn định") == "t2030-truong-hoc-co-internet"
    long = "Nghiêng nghiêng khuếch khuếch trường trường chuyển chuyển"
    assert len(id_base(2030, long)) <= 34 and re.fullmatch(r"t2030(-[a-z]+)+", id_base(2030, long))
    assert id_base(2030, "100%") == "t2030"
    ids = TargetIds()
    made = [ids(2030, "100% giáo viên") for _ in range(3)] + [ids(2030, "giáo viên 2")]
    assert made == ["t2030-giao-vien", "t2030-giao-vien-2", "t2030-giao-vien-3", "t2030-giao-vien-4"]
    assert target_id(2030, "giáo viên", {"t2030-giao-vien"}) == "t2030-giao-vien-2"
