"""Pure unit tests of the core: no MkDocs involved."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from conftest import FIXTURES, ROOT, assert_refused_as_expected, fixture_plans
from kehoach.decide import decide_pages
from kehoach.frontmatter import parse_file
from kehoach.graph import Graph
from kehoach.load import load
from kehoach.pages import demote_headings
from kehoach.site import build_site, check
from kehoach.text import fold, slugify

BROKEN = sorted(p for p in (FIXTURES / "broken").iterdir() if p.is_dir())


# -- text ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, slug",
    [
        ("Đống Đa", "dong-da"),
        ("Phường Dương Nội", "phuong-duong-noi"),
        ("I. MỤC ĐÍCH, YÊU CẦU", "i-muc-dich-yeu-cau"),
        ("2.1. Mục tiêu đến năm 2030", "2-1-muc-tieu-den-nam-2030"),
        ("Trần Quốc Toản", "tran-quoc-toan"),
    ],
)
def test_slugify_folds_d_and_tone_marks(name, slug):
    assert slugify(name) == slug


def test_fold_is_ascii_lowercase():
    assert fold("CHUYỂN ĐỔI SỐ") == "chuyen doi so"


# -- loading -------------------------------------------------------------------
def test_front_matter_lines_point_at_keys():
    parsed = parse_file('---\ntitle: "A"\nparents:\n  - id: x\n    number: "1"\n---\n\nBody\n')
    assert parsed.errors == []
    assert parsed.lines["title"] == 2
    assert parsed.lines["parents[0].id"] == 4
    assert parsed.lines["parents[0].number"] == 5
    assert parsed.body.strip() == "Body"


@pytest.mark.parametrize("value", ["NO", "yes", "off", "08", "1.10", "12:30"])
def test_values_yaml_would_retype_are_refused_unless_quoted(value):
    parsed = parse_file(f"---\nnumber: {value}\n---\n")
    hint = "; nếu là đúng/sai, hãy viết true hoặc false" if value.isalpha() else ""
    assert parsed.errors == [
        (
            2,
            "number",
            f'giá trị {value} có thể bị hiểu sai kiểu (số, giờ hay đúng/sai); hãy đặt trong dấu ngoặc kép: "{value}"{hint}',
        )
    ]
    quoted = parse_file(f'---\nnumber: "{value}"\n---\n')
    assert quoted.errors == [] and quoted.data == {"number": value}


def test_plain_numbers_dates_and_text_are_typed():
    parsed = parse_file("---\na: 2030\nb: 0.85\nc: 2025-10-30\nd: Thường xuyên\ne: true\n---\n")
    assert parsed.errors == []
    assert parsed.data == {"a": 2030, "b": 0.85, "c": dt.date(2025, 10, 30), "d": "Thường xuyên", "e": True}


def test_bom_crlf_and_nfd_are_normalised(tmp_path):
    plans = fixture_plans(tmp_path)
    text = (plans / "ke-hoach-truong-a.md").read_text(encoding="utf-8")
    nfd = __import__("unicodedata").normalize("NFD", text).replace("\n", "\r\n")
    (plans / "ke-hoach-truong-a.md").write_bytes(b"\xef\xbb\xbf" + nfd.encode("utf-8"))
    loaded = load(plans)
    assert loaded.problems == []
    plan = next(p for p in loaded.plans if p.id == "ke-hoach-truong-a")
    assert plan.title == "Kế hoạch thực hiện Nghị quyết số 71-NQ/TW"
    assert "\r" not in plan.body


def test_real_plans_load_without_problems():
    graph, problems = check(ROOT / "plans", ROOT)
    assert [str(p) for p in problems] == []
    assert len(graph.plans) == 14
    seed_000 = graph.plans["09-kh-cb-mn-tran-quoc-toan"]
    assert seed_000.number == "09-KH/CB" and seed_000.date is None
    assert seed_000.signer.name == "Đặng Thị Hương"


def test_placeholders_and_blanks_are_unknown_not_invented():
    graph, _ = check(ROOT / "plans", ROOT)
    seed_002 = graph.plans["kh-cb-mn-do-thi-viet-hung-2025-10-30"]
    assert seed_002.number is None and seed_002.number_label == "chưa có số"
    assert seed_002.date == dt.date(2025, 10, 30)
    seed_003 = graph.plans["kh-du-dong-da-tuyen-truyen-nq71"]
    assert seed_003.number is None and seed_003.date is None
    assert seed_003.status == "du-thao" and seed_003.date_label == "chưa ghi ngày"


# -- validation: one broken fixture folder per rule ------------------------------
@pytest.mark.parametrize("fixture", BROKEN, ids=[p.name for p in BROKEN])
def test_each_rule_reports_file_line_key_message(fixture, tmp_path):
    assert_refused_as_expected(fixture, tmp_path)


def test_every_problem_is_reported_at_once(tmp_path):
    """All single-file fixtures in one folder: one report names every broken file."""
    plans = fixture_plans(tmp_path, FIXTURES / "broken" / "unit-unknown-parent")
    singles = [f for f in BROKEN if [p.name for p in (f / "plans").iterdir()] == ["b.md"]]
    for fixture in singles:
        (plans / f"{fixture.name}.md").write_bytes((fixture / "plans" / "b.md").read_bytes())
    _, problems = check(plans, tmp_path)
    files = {p.path for p in problems}
    assert len(singles) >= 15
    # duplicate-number also names the base plan whose number it repeats
    assert files == {f"plans/{f.name}.md" for f in singles} | {"plans/units.yml", "plans/ke-hoach-truong-a.md"}


def test_base_fixture_is_valid(tmp_path):
    graph, problems = check(fixture_plans(tmp_path), tmp_path)
    assert problems == [] and set(graph.plans) == {"71-nq-tw", "ke-hoach-truong-a"}


# -- graph ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def graph() -> Graph:
    result, problems = check(ROOT / "plans", ROOT)
    assert not problems
    return result


def test_parents_and_children_mirror_each_other(graph):
    for plan in graph.plans.values():
        for parent in graph.parents(plan.id):
            assert plan in graph.children(parent.id)


def test_ancestors_reach_the_resolution(graph):
    ids = [p.id for p in graph.ancestors("kh-du-dong-da-tuyen-truyen-nq71")]
    assert ids[:3] == ["29-kh-btgdvtu-ha-noi", "71-nq-tw", "05-ctr-tu-ha-noi"]
    assert set(ids) == {"29-kh-btgdvtu-ha-noi", "71-nq-tw", "05-ctr-tu-ha-noi"}


def test_lineage_is_longest_chain_from_the_top(graph):
    assert [p.id for p in graph.lineage("09-kh-cb-mn-tran-quoc-toan")] == [
        "71-nq-tw",
        "05-ctr-tu-ha-noi",
        "09-kh-cb-mn-tran-quoc-toan",
    ]
    assert [p.id for p in graph.lineage("kh-du-dong-da-tuyen-truyen-nq71")] == [
        "71-nq-tw",
        "05-ctr-tu-ha-noi",
        "29-kh-btgdvtu-ha-noi",
        "kh-du-dong-da-tuyen-truyen-nq71",
    ]
    assert [p.id for p in graph.lineage("kh-th-hien-thanh-2025-12-17")] == [
        "71-nq-tw",
        "02-ctr-tu-hai-phong",
        "kh-th-hien-thanh-2025-12-17",
    ]


def test_unlinked_chain_stops_where_the_text_stops(graph):
    assert [p.id for p in graph.lineage("kh-cb-mn-do-thi-viet-hung-2025-10-30")] == [
        "01-ctr-du-viet-hung",
        "kh-cb-mn-do-thi-viet-hung-2025-10-30",
    ]


def test_descendants_of_the_resolution_include_every_seed_that_cites_it(graph):
    ids = {p.id for p in graph.descendants("71-nq-tw")}
    assert {
        "09-kh-cb-mn-tran-quoc-toan",
        "kh-th-hien-thanh-2025-12-17",
        "kh-du-dong-da-tuyen-truyen-nq71",
        "kh-du-dong-da-trien-khai-05-ctr-tu",
    } <= ids
    assert "kh-cb-mn-do-thi-viet-hung-2025-10-30" not in ids


def test_units_chain_and_plans_under(graph):
    assert [u.id for u in graph.unit_chain("chi-bo-mn-tran-quoc-toan")] == [
        "trung-uong",
        "ha-noi",
        "phuong-duong-noi",
        "truong-mn-tran-quoc-toan",
        "chi-bo-mn-tran-quoc-toan",
    ]
    assert {p.id for p in graph.plans_under("phuong-dong-da")} == {
        "kh-du-dong-da-tuyen-truyen-nq71",
        "kh-du-dong-da-trien-khai-05-ctr-tu",
    }
    assert graph.plans_of("dang-uy-phuong-dong-da") == graph.plans_under("dang-uy-phuong-dong-da")


def test_timeline_is_in_year_order_with_key_years(graph):
    timeline = graph.timeline()
    years = list(timeline)
    assert years == sorted(years)
    assert {2026, 2027, 2030, 2035, 2045} <= set(years)
    assert all(entry.target.year == year for year, entries in timeline.items() for entry in entries)


def test_quoted_targets_belong_to_the_quoted_document(graph):
    quoted = graph.quoted_targets("05-ctr-tu-ha-noi")
    assert {e.target.year for e in quoted} == {2030, 2035, 2045}
    assert all(e.plan.id == "kh-du-dong-da-tuyen-truyen-nq71" for e in quoted)


# -- pages ---------------------------------------------------------------------
def test_pages_have_ascii_urls_and_one_per_plan_and_unit(graph):
    pages = decide_pages(graph, "71-nq-tw")
    uris = [p.src_uri for p in pages]
    topics = {slugify(t) for p in graph.plans.values() for t in p.topics}  # a page per topic, and their list
    # home, timeline, its warnings list, units, schema, search, open data; a page and an embed page per unit;
    # the coverage list and one page per programme (71-NQ/TW, 281/NQ-CP, 02-CTr/TU, 05-CTr/TU)
    fixed, programmes = 7, 4
    expected = fixed + len(graph.plans) + 2 * len(graph.units) + 1 + len(topics) + 1 + programmes
    assert len(uris) == len(set(uris)) == expected
    assert sum(u.startswith("tinh-hinh-trien-khai/") for u in uris) == 1 + programmes
    assert sum(u.endswith("/nhung.md") for u in uris) == len(graph.units)
    assert all(uri.isascii() for uri in uris)
    assert not any(p.in_nav for p in pages if p.src_uri.startswith("van-ban/"))


def test_demote_headings_shifts_one_level():
    assert demote_headings("## I. MỤC\n\n### 1. a\ntext #1\n") == "### I. MỤC\n\n#### 1. a\ntext #1\n"


def test_build_site_refuses_broken_plans(tmp_path):
    site = build_site(fixture_plans(tmp_path, FIXTURES / "broken" / "unknown-unit"), tmp_path)
    assert not site.ok and site.pages == {}


def test_very_large_file_is_refused_not_read(tmp_path):
    plans = fixture_plans(tmp_path)
    big = plans / "b.md"
    big.write_text(
        '---\ntitle: "B"\ntype: KH\nunit: truong-a\nstatus: ban-hanh\n---\n' + "Nội dung dài. " * 80_000,
        encoding="utf-8",
    )
    _, problems = check(plans, tmp_path)
    assert [str(p) for p in problems] == [
        f"plans/b.md:1: tệp: tệp quá lớn ({big.stat().st_size:,} byte, tối đa 1,000,000)"
    ]


def test_body_lines_are_counted_from_the_file_start(tmp_path):
    plans = fixture_plans(tmp_path)
    plan = next(p for p in load(plans).plans if p.id == "ke-hoach-truong-a")
    file_lines = (plans / "ke-hoach-truong-a.md").read_text(encoding="utf-8").split("\n")
    assert file_lines[plan.body_line - 2] == "---"
    body_lines = plan.body.split("\n")
    assert file_lines[plan.body_line - 1 + 1] == body_lines[1] == "## I. MỤC ĐÍCH"


def _crowded(tmp_path, schools: int, per_school: int) -> Graph:
    """A ward with many schools, each with one plan of ``per_school`` 2030 targets."""
    plans = fixture_plans(tmp_path)
    units = (plans / "units.yml").read_text(encoding="utf-8")
    units += "phuong-b:\n  name: Phường B\n  kind: phuong\n  parent: trung-uong\n"
    for i in range(schools):
        ward = "phuong-a" if i % 2 else "phuong-b"
        units += f"truong-{i}:\n  name: Trường {i}\n  kind: truong\n  parent: {ward}\n"
        targets = "".join(f'  - id: t{j}\n    year: 2030\n    text: "Chỉ tiêu {j}"\n' for j in range(per_school))
        (plans / f"kh-{i}.md").write_text(
            f'---\ntitle: "KH {i}"\ntype: KH\nunit: truong-{i}\nstatus: ban-hanh\ntargets:\n{targets}---\n',
            encoding="utf-8",
        )
    (plans / "units.yml").write_text(units, encoding="utf-8")
    graph, problems = check(plans, tmp_path)
    assert problems == []
    return graph


def test_small_years_list_every_target(tmp_path):
    from kehoach.timeline import grouped_years

    graph = _crowded(tmp_path, 4, 3)
    years = {y.year: y for y in grouped_years(graph, None, graph.timeline())}
    assert years[2030].count == len(years[2030].entries) == 12 + 1 and years[2030].summaries == ()


def test_crowded_years_summarise_big_groups_and_link_down(tmp_path):
    from kehoach.timeline import SHOW_ALL, grouped_years

    graph = _crowded(tmp_path, 40, 5)  # 200 targets in 2030 over two wards
    site_2030 = {y.year: y for y in grouped_years(graph, None, graph.timeline())}[2030]
    assert site_2030.count == 201 > SHOW_ALL
    assert {s.unit.id: s.count for s in site_2030.summaries} == {"phuong-a": 100, "phuong-b": 100}
    assert [e.plan.id for e in site_2030.entries] == ["71-nq-tw"]  # Bộ Chính trị's own small group
    ward = {y.year: y for y in grouped_years(graph, "phuong-b", graph.timeline(graph.plans_under("phuong-b")))}[2030]
    assert (
        ward.count == 100 <= SHOW_ALL and ward.summaries == () and len(ward.entries) == 100
    )  # not crowded: all listed


@pytest.mark.parametrize("more, listed", [(0, True), (1, False)])
def test_crowded_years_list_a_group_only_up_to_group_full(tmp_path, monkeypatch, more, listed):
    """In a crowded year a unit's group of GROUP_FULL targets is listed in full; one more and it becomes a count."""
    from kehoach import timeline

    per_school = timeline.GROUP_FULL + more
    graph = _crowded(tmp_path, 4, per_school)  # phuong-b: two schools of per_school targets in 2030
    monkeypatch.setattr(timeline, "SHOW_ALL", 0)  # every year counts as crowded
    ward = {
        y.year: y for y in timeline.grouped_years(graph, "phuong-b", graph.timeline(graph.plans_under("phuong-b")))
    }[2030]
    assert ward.count == 2 * per_school
    if listed:
        assert len(ward.entries) == 2 * per_school and ward.summaries == ()
    else:
        assert ward.entries == () and [(s.unit.id, s.count) for s in ward.summaries] == [
            ("truong-0", per_school),
            ("truong-2", per_school),
        ]


def test_many_children_get_their_own_list_page(tmp_path):
    from kehoach.pages import CHILDREN_SHOWN, ChildrenPage, PlanPage

    plans = fixture_plans(tmp_path)
    for i in range(CHILDREN_SHOWN + 5):
        (plans / f"kh-{i}.md").write_text(
            f'---\ntitle: "KH {i}"\ntype: KH\nunit: truong-a\nstatus: ban-hanh\nparents:\n  - id: 71-nq-tw\n---\n',
            encoding="utf-8",
        )
    graph, problems = check(plans, tmp_path)
    assert problems == []
    pages = {p.src_uri: p for p in decide_pages(graph, "71-nq-tw")}
    top = pages["van-ban/71-nq-tw.md"]
    assert (
        isinstance(top, PlanPage) and len(top.children) == CHILDREN_SHOWN and top.children_total == CHILDREN_SHOWN + 6
    )
    listing = pages["van-ban/71-nq-tw/trien-khai.md"]
    assert isinstance(listing, ChildrenPage) and len(listing.children) == CHILDREN_SHOWN + 6 and listing.pages == 1
    assert "van-ban/ke-hoach-truong-a/trien-khai.md" not in pages


def test_compact_html_keeps_pre_and_scripts():
    from kehoach.minify import compact_html

    html = "<div>\n    <p>a</p>\n\n\n  <pre>\n  x\n    y</pre>\n  <script>\n  if (a) {\n    b()\n  }</script>\n</div>"
    assert (
        compact_html(html)
        == "<div>\n<p>a</p>\n<pre>\n  x\n    y</pre>\n<script>\n  if (a) {\n    b()\n  }</script>\n</div>"
    )


def test_search_bundles_are_bounded_and_owned_by_shards(tmp_path, monkeypatch):
    from kehoach import shards
    from kehoach.search import html_path

    graph = _crowded(tmp_path, 10, 1)
    pages = decide_pages(graph, "71-nq-tw")
    monkeypatch.setattr(shards, "BUNDLE_PAGES", 7)
    whole = shards.search_bundles(pages, graph, ())
    indexed = [p.src_uri for p in pages if type(p).__name__ in ("PlanPage", "UnitPage")]
    assert len(indexed) > 14 and sorted(u for _, uris in whole.values() for u in uris) == sorted(indexed)
    assert all(len(uris) <= 7 and shard == shards.HUB for shard, uris in whole.values())
    assert list(whole)[:2] == ["pagefind", "pagefind-2"]
    split = shards.search_bundles(pages, graph, ("phuong-a", "phuong-b"))
    assert {shard for shard, _ in split.values()} == {shards.HUB, "phuong-a", "phuong-b"}
    assert "pagefind-phuong-a" in split and "pagefind-phuong-b" in split
    assert html_path("van-ban/x.md") == "van-ban/x/index.html" and html_path("don-vi/index.md") == "don-vi/index.html"


def test_long_children_lists_are_paged(tmp_path, monkeypatch):
    from kehoach import pages as pages_module

    monkeypatch.setattr(pages_module, "CHILDREN_PER_PAGE", 4)
    plans = fixture_plans(tmp_path)
    for i in range(35):
        (plans / f"kh-{i}.md").write_text(
            f'---\ntitle: "KH {i}"\ntype: KH\nunit: truong-a\nstatus: ban-hanh\nparents:\n  - id: 71-nq-tw\n---\n',
            encoding="utf-8",
        )
    graph, _ = check(plans, tmp_path)
    lists = [p for p in decide_pages(graph, "71-nq-tw") if p.src_uri.startswith("van-ban/71-nq-tw/trien-khai")]
    assert [p.src_uri for p in lists][:2] == ["van-ban/71-nq-tw/trien-khai.md", "van-ban/71-nq-tw/trien-khai/2.md"]
    assert len(lists) == 9 and sum(len(p.children) for p in lists) == 36 and all(p.pages == 9 for p in lists)


def test_fragments_render_once_per_key_and_always_without_one():
    from kehoach.fragments import Fragments

    calls = []
    once = Fragments()

    def block(text):
        return lambda: calls.append(text) or text

    assert once("nav van-ban ../..", block("a")) == "a"
    assert once("nav van-ban ../..", block("b")) == "a"  # same key: the first rendering, block not run
    assert once("nav don-vi ../..", block("c")) == "c"
    assert once(None, block("d")) == "d" and once(None, block("e")) == "e"
    assert calls == ["a", "c", "d", "e"]


def test_plan_memo_writes_only_what_changed_and_reads_it_back(tmp_path, monkeypatch):
    import gc

    from kehoach import load as loader
    from kehoach.sealed import read_sealed

    plans = tmp_path / "plans"
    shutil.copytree(ROOT / "plans", plans)
    memo = tmp_path / "cache" / "plans.pickle"
    first = load(plans, tmp_path, memo)
    full = memo.read_bytes()
    assert not memo.with_suffix(".changes").exists()
    seed = plans / "09-kh-cb-mn-tran-quoc-toan.md"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nDòng thêm khi sửa.\n", encoding="utf-8")
    second = load(plans, tmp_path, memo)
    assert memo.read_bytes() == full  # one edit: the full memo is kept, the edit goes to the changes file
    assert len(read_sealed(memo.with_suffix(".changes"))) == 1
    parsed = []
    real_parse = loader._load_plans
    monkeypatch.setattr(
        loader, "_load_plans", lambda paths, root, meanwhile: parsed.extend(paths) or real_parse(paths, root, meanwhile)
    )
    gc.disable()
    try:
        third = load(plans, tmp_path, memo)  # read back from full + changes: no file parsed again
        assert not gc.isenabled()  # a caller's "no collection" is kept
    finally:
        gc.enable()
    assert parsed == []
    edited = {p.id: p for p in third.plans}["09-kh-cb-mn-tran-quoc-toan"]
    assert "Dòng thêm khi sửa." in edited.body and [p.id for p in third.plans] == [p.id for p in first.plans]
    assert third.plans == second.plans
    shutil.copy(seed, plans / "09-kh-cb-mn-ban-sao.md")  # a new file: the full memo is rewritten
    fourth = load(plans, tmp_path, memo)
    assert memo.read_bytes() != full and not memo.with_suffix(".changes").exists()
    assert len(fourth.plans) == len(first.plans) + 1 and parsed == [plans / "09-kh-cb-mn-ban-sao.md"]
    full = memo.read_bytes()
    (plans / "09-kh-cb-mn-ban-sao.md").unlink()  # a removed file: rewritten too, the file is forgotten
    assert len(load(plans, tmp_path, memo).plans) == len(first.plans) and memo.read_bytes() != full


def test_fingerprint_changes_with_what_a_page_shows(graph):
    from dataclasses import replace

    from kehoach.fingerprint import fingerprint
    from kehoach.pages import UnitPage

    pages = {p.src_uri: p for p in decide_pages(graph, "71-nq-tw")}
    ward = pages["don-vi/phuong-duong-noi.md"]
    mark = fingerprint(ward, "salt", "")
    assert fingerprint(replace(ward), "salt", "") == mark
    assert fingerprint(replace(ward, plans_below_total=ward.plans_below_total + 1), "salt", "") != mark  # a count
    (unit, count), *rest = ward.child_units
    assert fingerprint(replace(ward, child_units=((unit, count + 1), *rest)), "salt", "") != mark
    plan = ward.plans_below[0]
    assert (
        fingerprint(replace(ward, plans_below=(replace(plan, digest="x"),) + ward.plans_below[1:]), "salt", "") != mark
    )
    assert fingerprint(ward, "other salt", "") != mark
    quoting = [e for entries in graph.timeline().values() for e in entries if e.quoted]
    assert quoting and quoting[0].quoted.id == quoting[0].target.of  # the quoted document is on the record
    assert isinstance(ward, UnitPage)


def test_search_facts_fold_d_and_key_numbers_for_plan_and_unit_pages(graph):
    from kehoach.search import page_facts

    pages = {p.src_uri: p for p in decide_pages(graph, "71-nq-tw")}
    unit = page_facts(graph, pages["don-vi/phuong-dong-da.md"])
    assert "dong" in unit.folded.split() and ("Loại văn bản", "Đơn vị") in unit.filters
    plan = page_facts(graph, pages["van-ban/05-ctr-tu-ha-noi.md"])
    assert plan.key == "05ctrtu" and ("Loại văn bản", "Chương trình hành động") in plan.filters
    assert not pages["lo-trinh/index.md"].indexed and pages["van-ban/05-ctr-tu-ha-noi.md"].indexed


def test_cache_folders_unused_for_two_weeks_are_pruned(tmp_path):
    import os
    import time

    from kehoach.cachedir import UNUSED_DAYS, prune_caches

    old, fresh, touched = tmp_path / "old", tmp_path / "fresh", tmp_path / "touched"
    for folder in (old, fresh, touched):
        (folder / "memo").mkdir(parents=True)
        (folder / "fingerprints.json").write_text("{}", encoding="utf-8")
    now = time.time()
    ancient = now - (UNUSED_DAYS + 1) * 86400
    for path in (old, old / "memo", old / "fingerprints.json", touched, touched / "memo"):
        os.utime(path, (ancient, ancient))  # "touched": its fingerprints were written just now
    assert prune_caches(tmp_path, now) == [old]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh", "touched"]
    (tmp_path / "stray.txt").write_text("x", encoding="utf-8")
    assert prune_caches(tmp_path, now) == [] and prune_caches(tmp_path / "missing", now) == []
