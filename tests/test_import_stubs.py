"""The importer loses nothing it read (issue 16, item 7): a cited document plans/ lacks stays in the draft's
parents with its number and date, a stub is written beside the draft, and an issuing unit missing from
units.yml is proposed as a ready-to-paste entry."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT, fixture_plans, mkdocs_build
from htmlcheck import page_file
from kehoach.frontmatter import parse_file
from kehoach.importer import import_file
from kehoach.importer.stubs import first_citations, make_stub
from kehoach.load import load
from kehoach.model import CITED_IN, Plan, Source
from kehoach.site import build_site, check

SEEDS = FIXTURES / "import"
PROPAGANDA = "kh-du-dong-da-tuyen-truyen-nq71"  # seed 003: cites 29-KH/BTGDVTU, 71-NQ/TW and 05-CTr/TU
STUB = "29-kh-btgdvtu-ban-tgdv-thanh-uy-ha-noi-2026-02-07"
ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # the schema's ids


def front(path: Path) -> dict:
    parsed = parse_file(path.read_text(encoding="utf-8"))
    assert not parsed.errors, parsed.errors
    return parsed.data


def plans_without(tmp: Path, *plan_ids: str) -> Path:
    plans = tmp / "plans"
    shutil.copytree(ROOT / "plans", plans)
    for plan_id in plan_ids:
        (plans / f"{plan_id}.md").unlink()
    return plans


@pytest.fixture
def imported(tmp_path):
    """Seed 003 imported into plans/ without its curated plan and without the 29-KH/BTGDVTU page it cites."""
    plans = plans_without(tmp_path, PROPAGANDA, "29-kh-btgdvtu-ha-noi")
    return plans, import_file(SEEDS / f"{PROPAGANDA}.txt", plans)


def test_a_cited_document_not_in_plans_stays_in_the_parents(imported):
    _, result = imported
    parents = front(result.path)["parents"]
    assert {"id": STUB, "number": "29-KH/BTGDVTU", "date": dt.date(2026, 2, 7)} in parents
    assert {p["id"] for p in parents} == {STUB, "71-nq-tw", "05-ctr-tu-ha-noi"}
    assert not any("29-KH/BTGDVTU" in entry for entry in result.draft.missing)
    assert any(f"plans/{STUB}.md" in entry for entry in result.draft.warnings)


def test_the_stub_says_only_what_the_citation_says(imported):
    plans, result = imported
    assert result.stubs == [plans / f"{STUB}.md"]
    stub = front(plans / f"{STUB}.md")
    assert stub["reported"] is True and stub["status"] == "ban-hanh"
    assert (stub["type"], stub["number"], stub["date"]) == ("KH", "29-KH/BTGDVTU", dt.date(2026, 2, 7))
    assert stub["unit"] == "ban-tgdv-thanh-uy-ha-noi"  # "của Ban Tuyên giáo và Dân vận Thành ủy Hà Nội"
    assert stub["title"].startswith("Kế hoạch về việc tuyên truyền triển khai thực hiện Nghị quyết số 71-NQ/TW")
    # its title says it implements 71-NQ/TW and 05-CTr/TU, both in plans/, cited with their dates
    assert [(p["id"], p["date"]) for p in stub["parents"]] == [
        ("71-nq-tw", dt.date(2025, 8, 22)),
        ("05-ctr-tu-ha-noi", dt.date(2026, 1, 12)),
    ]
    [source] = stub["sources"]
    assert set(source) == {"label"} and f"{result.path.name}" in source["label"]
    assert "Kế hoạch (chưa có số) của Đảng ủy phường Đống Đa" in source["label"]
    assert "targets" not in stub and "Ban Tuyên giáo và Dân vận Thành ủy Hà Nội" in stub["summary"]


def test_check_passes_on_the_draft_and_its_stub_and_the_citation_shows(imported, tmp_path):
    plans, result = imported
    assert result.problems == []
    graph, problems = check(plans, tmp_path)
    assert [str(p) for p in problems] == []
    site = build_site(plans, tmp_path)
    page = site.pages[f"van-ban/{result.path.stem}.md"]
    assert STUB in [p.id for p in page.parents]
    stub_page = site.pages[f"van-ban/{STUB}.md"]
    assert stub_page.plan.reported and not stub_page.plan.has_full_text
    assert result.path.stem in [p.id for p in graph.children(STUB)]


def test_a_second_import_finds_the_stub_by_number(imported):
    plans, first = imported
    again = import_file(SEEDS / f"{PROPAGANDA}.txt", plans, force=True)
    assert again.path == first.path and again.stubs == [] and again.draft.stubs == []
    assert {"id": STUB, "number": "29-KH/BTGDVTU", "date": dt.date(2026, 2, 7)} in front(again.path)["parents"]
    assert sorted(p.name for p in plans.glob("29-*")) == [f"{STUB}.md"]


# ---------------------------------------------------------------- the citation's clause


@pytest.fixture(scope="module")
def loaded():
    return load(ROOT / "plans")


def stub_of(text: str, number: str, loaded, near: str | None = "dang-uy-phuong-dong-da"):
    cited = first_citations([text], [number])
    return make_stub(next(iter(cited.values())), loaded.plans, loaded.units, near, {p.id for p in loaded.plans})


def test_issuer_written_short_is_the_one_so_named_in_the_drafts_city(loaded):
    text = "Căn cứ Chương trình hành động số 07-CTr/TU ngày 3/3/2026 của Ban Thường vụ Thành ủy; Đảng ủy ban hành"
    stub = stub_of(text, "07-CTr/TU", loaded)
    assert stub.front["unit"] == "thanh-uy-ha-noi" and "hãy kiểm tra" in stub.warnings[0]
    assert stub_of(text, "07-CTr/TU", loaded, near=None).front.get("unit") is None  # no city to decide by


def test_issuer_with_abbreviations_matches_its_unit(loaded):
    text = "Chương trình số 09-CTr/TU ngày 20 tháng 10 năm 2025 của BTV Thành ủy thành phố Hải Phòng về việc học"
    stub = stub_of(text, "09-CTr/TU", loaded)
    assert stub.front["unit"] == "thanh-uy-hai-phong" and stub.warnings == []
    assert stub.front["title"] == "Chương trình về việc học" and stub.front["type"] == "CTr"


def test_unknown_issuer_is_proposed_and_no_issuer_is_listed(loaded):
    stub = stub_of(
        "Công văn số 55/VP-VX ngày 2/3/2026 của Văn phòng Ủy ban nhân dân phường Dương Nội", "55/VP-VX", loaded
    )
    assert "unit" not in stub.front and stub.front["type"] == "CV"  # VP is no type: "Công văn" says it
    [entry] = stub.entries
    pasted = yaml.safe_load("\n".join(entry.lines))[entry.id]
    assert pasted == {
        "name": "Văn phòng Ủy ban nhân dân phường Dương Nội",
        "kind": "co-quan",
        "parent": "phuong-duong-noi",
    }
    bare = stub_of("Căn cứ Quyết định số 123/QĐ-UBND ngày 1/2/2026, Đảng ủy ban hành Kế hoạch:", "123/QĐ-UBND", loaded)
    assert "unit" not in bare.front and bare.entries == [] and "không ghi “của …”" in bare.missing[0]
    assert bare.front["title"] == "Quyết định số 123/QĐ-UBND ngày 1/2/2026"


def test_a_hostile_clause_stays_inside_its_values(tmp_path):
    plans = plans_without(tmp_path)
    text = (
        "Số: 12-KH/CB\n\nDương Nội, ngày 5 tháng 1 năm 2026\n\nKẾ HOẠCH\n\nThực hiện Nghị quyết số 71-NQ/TW\n\n"
        'Thực hiện Kế hoạch số 88-KH/ĐU ngày 2/1/2026 của Ban "x"\nunit: gia\n---\nreported: false về việc học, '
        "Chi bộ Trường Mầm non Trần Quốc Toản xây dựng Kế hoạch như sau:\n\nI. MỤC TIÊU\n\n"
        "TM. CHI BỘ\nBÍ THƯ\n\nLê Thị Lan\n"
    )
    (tmp_path / "x.txt").write_text(text, encoding="utf-8")
    result = import_file(tmp_path / "x.txt", plans)
    [path] = result.stubs
    stub = front(path)
    assert set(stub) <= {"title", "type", "number", "unit", "status", "date", "reported", "summary", "sources"}
    assert stub["number"] == "88-KH/ĐU" and "unit" not in stub and stub["reported"] is True
    assert 'Ban "x" unit: gia' in stub["title"]  # the would-be key is text inside the title


def test_too_many_unknown_citations_are_listed_not_written(tmp_path):
    plans = plans_without(tmp_path)
    cited = "; ".join(
        f"Quyết định số {n}/QĐ-UBND ngày 1/2/2026 của Ủy ban nhân dân phường Dương Nội" for n in range(1, 36)
    )
    text = (
        "Số: 12-KH/CB\n\nDương Nội, ngày 5 tháng 3 năm 2026\n\nKẾ HOẠCH\n\nThực hiện Nghị quyết số 71-NQ/TW\n\n"
        f"Căn cứ {cited}.\n\nI. MỤC TIÊU\n\nTM. CHI BỘ\nBÍ THƯ\n\nLê Thị Lan\n"
    )
    (tmp_path / "nhieu.txt").write_text(text, encoding="utf-8")
    result = import_file(tmp_path / "nhieu.txt", plans)
    assert len(result.stubs) == 30 and sum("quá 30" in entry for entry in result.draft.missing) == 5
    assert len(front(result.path)["parents"]) == 1 + 30  # 71-NQ/TW and the 30 stubs


# ---------------------------------------------------------------- a unit missing from units.yml

HOA_SEN = (
    "Số: 12-KH/CB\n\nDương Nội, ngày 5 tháng 1 năm 2026\n\nKẾ HOẠCH\n\nThực hiện Nghị quyết số 71-NQ/TW\n\n"
    "Thực hiện Nghị quyết số 71-NQ/TW ngày 22/8/2025, Chi bộ Trường Mầm non Hoa Sen xây dựng Kế hoạch như sau:\n\n"
    "I. MỤC TIÊU\n\n1. Mục tiêu đến năm 2030\n\n- 100% giáo viên được bồi dưỡng.\n\nTM. CHI BỘ\nBÍ THƯ\n\nLê Thị Lan\n"
)


def run(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "hooks"))
    return subprocess.run(
        [sys.executable, "-m", "kehoach.importer", *map(str, args)], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_a_missing_unit_is_proposed_ready_to_paste(tmp_path):
    plans = plans_without(tmp_path)
    (tmp_path / "hoa-sen.txt").write_text(HOA_SEN, encoding="utf-8")
    result = run(tmp_path / "hoa-sen.txt", "--plans-dir", plans)
    assert result.returncode == 0, result.stderr
    block = result.stdout.split("Đề xuất thêm vào plans/units.yml", 1)[1].split("\n", 1)[1]
    block = block.split("Trình kiểm tra", 1)[0]
    proposed = yaml.safe_load(block.replace("\n  ", "\n").removeprefix("  "))
    assert proposed == {
        "truong-mn-hoa-sen": {"name": "Trường Mầm non Hoa Sen", "kind": "truong", "parent": "phuong-duong-noi"},
        "chi-bo-mn-hoa-sen": {
            "name": "Chi bộ Trường Mầm non Hoa Sen",
            "party": True,
            "kind": "chi-bo",
            "parent": "truong-mn-hoa-sen",
        },
    }
    assert "đoán từ địa danh “Dương Nội”" in block and all(ID.fullmatch(key) for key in proposed)
    # pasted as printed, and the draft given that unit: check passes
    units = plans / "units.yml"
    units.write_text(units.read_text(encoding="utf-8") + "\n" + block.replace("\n  ", "\n").removeprefix("  "))
    draft = plans / "12-kh-cb-2026-01-05.md"
    draft.write_text(draft.read_text(encoding="utf-8").replace("\nstatus:", "\nunit: chi-bo-mn-hoa-sen\nstatus:", 1))
    _, problems = check(plans, tmp_path)
    assert [str(p) for p in problems] == []


def test_no_place_no_parent_guess(tmp_path):
    plans = plans_without(tmp_path)
    (tmp_path / "x.txt").write_text(HOA_SEN.replace("Dương Nội, ngày", "Hoa Sen, ngày"), encoding="utf-8")
    draft = import_file(tmp_path / "x.txt", plans).draft
    school = "\n".join(draft.entries[0].lines)
    assert "parent:" not in school.replace("# parent:", "") and "chưa rõ đơn vị cấp trên" in school


# ---------------------------------------------------------------- one stub per cited document, in one run

RUN = FIXTURES / "import-run"  # two made-up plans of one school, both citing 15-KH/ĐU, which plans/ lacks
CITED = "15-kh-du-2026-03-10"  # named after the first citation, which does not say who issued it
DRAFTS = ("21-kh-cb-chi-bo-mn-tran-quoc-toan-2026-03-16", "34-kh-mntqt-truong-mn-tran-quoc-toan-2026-03-18")


def test_two_drafts_of_one_run_citing_one_missing_document_share_one_stub(tmp_path):
    plans = plans_without(tmp_path)
    result = run(RUN / "kh-chi-bo-doc-sach.txt", RUN / "kh-truong-tuan-le-doc.txt", "--plans-dir", plans)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in plans.glob("15-*")) == [f"{CITED}.md"]
    record = {"id": CITED, "number": "15-KH/ĐU", "date": dt.date(2026, 3, 10)}
    for draft in DRAFTS:  # the second writes it "15 -KH/ĐU ngày 10 tháng 3 năm 2026"
        assert record in front(plans / f"{draft}.md")["parents"]
    stub = front(plans / f"{CITED}.md")
    assert stub["unit"] == "dang-uy-phuong-duong-noi"  # only the second citation names the issuer
    assert [s["label"].rsplit("(tệp ", 1)[1] for s in stub["sources"]] == [f"{d}.md)" for d in DRAFTS]
    assert stub["summary"].count("“Kế hoạch số 15") == 2  # each clause as written
    graph, problems = check(plans, tmp_path)
    assert [str(p) for p in problems] == []
    assert graph.plans[CITED].cited_in == DRAFTS
    assert sorted(p.id for p in graph.children(CITED)) == list(DRAFTS)


def test_the_cli_ends_a_run_with_what_check_says_once_every_file_is_in(tmp_path):
    """The first file's report names the stub's missing unit; the second file's citation gives it. The run's
    last word is the checker's on the final files: nothing left."""
    plans = plans_without(tmp_path)
    result = run(RUN / "kh-chi-bo-doc-sach.txt", RUN / "kh-truong-tuan-le-doc.txt", "--plans-dir", plans)
    assert result.returncode == 0, result.stderr
    first, last = result.stdout.split("== Sau khi nhập mọi tệp của lần này")
    assert "unit" in first  # the stub as the first file left it
    assert "không còn báo lỗi" in last and "unit" not in last


def test_a_stub_an_earlier_run_wrote_is_reused_before_it_loads(tmp_path):
    plans = plans_without(tmp_path)
    [path] = import_file(RUN / "kh-chi-bo-doc-sach.txt", plans).stubs
    assert path.stem == CITED and "unit" not in front(path)  # so load does not give it as a plan yet
    written = path.read_bytes()
    again = import_file(RUN / "kh-truong-tuan-le-doc.txt", plans)  # another run
    assert again.stubs == [] and again.kept == [path] and path.read_bytes() == written
    assert sorted(plans.glob("15-*")) == [path]
    assert front(again.path)["parents"][0]["id"] == CITED
    assert any(f"plans/{CITED}.md, giữ nguyên" in w for w in again.draft.warnings)


# ---------------------------------------------------------------- how the site names where a stub is known from

SITE_STUB, CITING, PRESS = "van-ban/15-kh-pa-2026-03-10/", "van-ban/kh-truong-a-doc-sach/", "van-ban/bao-chi-phuong-a/"


@pytest.fixture(scope="module")
def cited_site(tmp_path_factory):
    """The base plans plus tests/fixtures/cited/: a stub as the importer writes it, the made-up plan citing
    it, and a made-up plan of the same ward known from the press."""
    tmp = tmp_path_factory.mktemp("cited")
    result = mkdocs_build(tmp / "site", fixture_plans(tmp, FIXTURES / "cited"))
    assert result.returncode == 0, result.stderr
    return tmp / "site"


def badges(site: Path, url: str) -> str:
    page = page_file(site, url).read_text(encoding="utf-8")
    return re.search(r'<p class="kh-badges">(.*?)</p>', page, re.S).group(1)


def test_a_stub_says_it_is_known_from_the_citing_document(cited_site):
    shown = badges(cited_site, SITE_STUB)
    assert "theo báo chí" not in shown and "Chỉ biết qua trích dẫn trong" in shown
    assert re.search(r'<a href="\.\./kh-truong-a-doc-sach/"[^>]*>Kế hoạch 03-KH/TA</a>', shown), shown


def test_a_press_plan_still_says_theo_bao_chi(cited_site):
    shown = badges(cited_site, PRESS)
    assert "Thông tin theo báo chí" in shown and "trích dẫn" not in shown
    page = page_file(cited_site, PRESS).read_text(encoding="utf-8")
    assert '<span class="kh-badge kh-badge--reported">theo báo chí</span>' in page  # its target


def test_the_wards_embed_page_tells_the_two_apart(cited_site):
    page = page_file(cited_site, "don-vi/phuong-a/nhung/").read_text(encoding="utf-8")
    items: dict[str, list[str]] = {}  # by plan: its entry in the list of documents, then its targets'
    for link in re.finditer(r'href="[^"]*?(van-ban/[^"#]+/)"(.*?)</li>', page, re.S):
        items.setdefault(link.group(1), []).append(link.group(2))
    [stub] = items[SITE_STUB]
    assert '<span class="b">chỉ biết qua trích dẫn</span>' in stub and "theo báo chí" not in stub
    plan, target = items[PRESS]
    assert '<span class="b">theo báo chí</span>' in plan and target.endswith("</a> · theo báo chí</span>")


def test_only_a_document_whose_every_source_is_a_citation_is_known_from_citations():
    cited = Source(f"Kế hoạch số 03-KH/TA {CITED_IN.format(id='kh-truong-a')}")
    press = Source("Báo ví dụ", "https://bao.example/a")
    plan = Plan("x", "plans/x.md", "X", "KH", "phuong-a", "ban-hanh", reported=True, sources=(cited,))
    assert plan.cited_in == ("kh-truong-a",)
    assert replace(plan, sources=(cited, press)).cited_in == ()  # the press too: "theo báo chí"
    assert replace(plan, sources=(Source("Kế hoạch tuyên truyền của Đảng ủy (phần căn cứ)"),)).cited_in == ()
    assert replace(plan, reported=False).cited_in == ()
