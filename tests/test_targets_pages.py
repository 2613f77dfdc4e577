"""Targets on the built pages: anchors and permalinks, what each target serves and what serves it, warnings,
latest results, a report's results, the editors' list of warnings and the timeline's narrowing.

The site is the base fixture plus tests/fixtures/alignment/ (made-up plans): a ward plan serving 71-NQ/TW's
target, two schools serving the ward's (one also 71-NQ/TW's directly), and two reports on the ward plan.
"""

from __future__ import annotations

import html as html_text
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from conftest import FIXTURES, fixture_plans, mkdocs_build
from htmlcheck import page_file
from kehoach.anchors import page_anchor
from kehoach.cautionpages import caution_pages
from kehoach.pages import CHILDREN_PER_PAGE
from kehoach.site import check
from kehoach.targetviews import DOWN_LINKS, DOWN_UNITS, TargetViews, plans_through

TOP = "van-ban/71-nq-tw/"
WARD = "van-ban/kh-phuong-a/"
SCHOOL = "van-ban/kh-truong-a/"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("targets")
    plans = fixture_plans(tmp, FIXTURES / "alignment")
    result = mkdocs_build(tmp / "site", plans)
    assert result.returncode == 0, result.stderr
    return tmp / "site"


class _Element(HTMLParser):
    """The element with ``id`` (its text, and its links resolved against the page's URL) in a page."""

    def __init__(self, wanted: str, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.wanted, self.url = wanted, url
        self.depth, self.tag = 0, ""
        self.text: list[str] = []
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._link: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if not self.depth and attrs.get("id") == self.wanted:
            self.depth, self.tag = 1, tag
        elif self.depth and tag == self.tag:
            self.depth += 1
        if self.depth and tag == "a":
            self._href, self._link = attrs.get("href"), []

    def handle_endtag(self, tag):
        if self.depth and tag == "a" and self._href is not None:
            absolute = urljoin("http://site/" + self.url, self._href)
            path = urlsplit(absolute)
            target = path.path.removeprefix("/") + (f"#{path.fragment}" if path.fragment else "")
            self.links.append((target, " ".join("".join(self._link).split())))
            self._href = None
        if self.depth and tag == self.tag:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)
            if self._href is not None:
                self._link.append(data)


def element(site, url: str, wanted: str) -> tuple[str, list[tuple[str, str]]]:
    parser = _Element(wanted, url)
    parser.feed(page_file(site, url).read_text(encoding="utf-8"))
    assert parser.text, f"no element #{wanted} on {url}"
    return " ".join("".join(parser.text).split()), parser.links


# -- anchors and permalinks ---------------------------------------------------------------------
def test_each_target_has_its_anchor_and_a_permalink(site):
    html = page_file(site, WARD).read_text(encoding="utf-8")
    for target_id in ("t2035-chuan-muon", "t2030-chuan", "t2030-bo-hoc", "t2030-loi"):
        assert html.count(f'id="{target_id}"') == 1
        _, links = element(site, WARD, target_id)
        assert (f"{WARD}#{target_id}", "#") in links  # the visible permalink, first link of the target
    assert 'aria-label="Đường dẫn tới chỉ tiêu t2030-chuan"' in html


def test_no_id_of_a_plan_page_can_be_a_target_id(site):
    """Every id on a plan page is a target's or one that ``check`` refuses as a target id (kehoach/anchors.py)."""
    for url in (TOP, WARD, SCHOOL, "van-ban/bc-tong-ket-phuong-a-2026/"):
        html = page_file(site, url).read_text(encoding="utf-8")
        main = html[html.index("<article") : html.index("</article>")]
        ids = re.findall(r'\sid="([^"]+)"', main)
        targets = set(re.findall(r'<li class="kh-target" id="([^"]+)"', main))
        assert [i for i in ids if i not in targets and not page_anchor(i)] == [], url
    assert page_anchor("can-cu") and page_anchor("chi-tieu-2030") and page_anchor("tv-muc-1")
    assert not page_anchor("t2030-chi-tieu")


# -- up: what a target serves, with its warnings ------------------------------------------------
def test_a_target_links_up_to_what_it_serves_with_its_warnings(site):
    text, links = element(site, WARD, "t2035-chuan-muon")
    assert "Phục vụ chỉ tiêu cấp trên: Nghị quyết 71-NQ/TW: ≥ 80 % – Ít nhất 80% trường phổ thông" in text
    assert (
        f"{TOP}#t2030-truong-chuan",
        "Nghị quyết 71-NQ/TW: ≥ 80 % – Ít nhất 80% trường phổ thông đạt chuẩn quốc gia",
    ) in links
    html = page_file(site, WARD).read_text(encoding="utf-8")
    part = html[html.index('id="t2035-chuan-muon"') :]
    assert '<strong class="kh-warn">muộn hơn</strong> <strong class="kh-warn">thấp hơn</strong>' in part[:3000]
    text, _ = element(site, WARD, "t2030-chuan")
    assert "muộn hơn" not in text and "thấp hơn" not in text  # 90 % ≥ serving 80 % ≥ in the same year


def test_a_school_target_serves_two_levels_and_the_weaker_one_is_marked(site):
    _, links = element(site, SCHOOL, "t2030-chuan")
    up = [href for href, _ in links if "#" in href and not href.startswith(SCHOOL)]
    assert up[:2] == [f"{WARD}#t2030-chuan", f"{TOP}#t2030-truong-chuan"]
    text, _ = element(site, SCHOOL, "t2030-bo-hoc")
    assert "Kế hoạch 10-KH/ĐU: < 1 % – Tỷ lệ học sinh bỏ học dưới 1% thấp hơn" in text


# -- down: what serves a target, per unit, with counts ---------------------------------------------
def test_the_top_target_counts_plans_below_directly_and_through_the_chain(site):
    text, links = element(site, TOP, "t2030-truong-chuan")
    assert "Văn bản cấp dưới phục vụ: 2 trực tiếp, 3 tính cả các cấp dưới" in text
    assert "3 chỉ tiêu cấp dưới phục vụ, theo 2 đơn vị ban hành" in text
    assert "Phường Đống Đa: 2 chỉ tiêu" in text and "Trường Mầm non A: 1 chỉ tiêu" in text
    served_by = {href for href, _ in links}
    assert {f"{WARD}#t2030-chuan", f"{WARD}#t2035-chuan-muon", f"{SCHOOL}#t2030-chuan"} <= served_by
    assert "don-vi/phuong-a/" in served_by
    html = page_file(site, TOP).read_text(encoding="utf-8")
    assert html.count('<details class="kh-down">') == 1


def test_a_ward_target_lists_its_schools(site):
    text, links = element(site, WARD, "t2030-chuan")
    assert "Văn bản cấp dưới phục vụ: 2 trực tiếp" in text and "tính cả" not in text
    assert "Trường Mầm non A: 1 chỉ tiêu" in text and "Trường Tiểu học B: 1 chỉ tiêu" in text
    assert {f"{SCHOOL}#t2030-chuan", "van-ban/kh-truong-b/#t2030-chuan"} <= {h for h, _ in links}
    text, _ = element(site, WARD, "t2030-loi")
    assert "cấp dưới" not in text  # nothing serves it: no count, no list


# -- results ----------------------------------------------------------------------------------
def test_each_target_shows_its_latest_result_or_none(site):
    text, links = element(site, WARD, "t2030-chuan")
    assert "đạt 92% trường đạt chuẩn quốc gia (số liệu đến 31/12/2026; Báo cáo 35-BC/ĐU, ngày 10/01/2027)" in text
    assert ("van-ban/bc-tong-ket-phuong-a-2026/", "Báo cáo 35-BC/ĐU") in links
    text, _ = element(site, WARD, "t2035-chuan-muon")  # the later report has older figures (as of March)
    assert "đạt 75% trường đạt chuẩn quốc gia (số liệu đến 30/06/2026; Báo cáo 20-BC/ĐU" in text
    text, _ = element(site, WARD, "t2030-bo-hoc")
    assert "chưa đạt Tỷ lệ bỏ học 1,5%" in text  # 1.5 % is not < 1 %, whatever the report's met says
    text, _ = element(site, WARD, "t2030-loi")  # a result in words, no verdict in the report: none shown
    assert "có kết quả, báo cáo không ghi đạt hay chưa Đã tổ chức 12 buổi" in text
    assert " đạt" not in text.replace("không ghi đạt", "")
    text, _ = element(site, TOP, "t2030-truong-chuan")
    assert text.endswith("chưa có báo cáo")


def test_a_plan_lists_its_reports_and_a_report_its_results(site):
    ward = page_file(site, WARD).read_text(encoding="utf-8")
    listed = ward[ward.index('<p class="kh-reports">') :]
    listed = listed[: listed.index("</p>")]
    assert re.findall(r'href="\.\./(bc-[^"]+)/"', listed) == ["bc-tong-ket-phuong-a-2026", "bc-so-ket-phuong-a-2026"]
    html = page_file(site, "van-ban/bc-tong-ket-phuong-a-2026/").read_text(encoding="utf-8")
    start = html.index('aria-labelledby="ket-qua"')
    section = " ".join(re.sub(r"<[^>]+>", " ", html[start : html.index("</section>", start)]).split())
    assert "đạt 92% trường đạt chuẩn quốc gia số liệu đến 31/12/2026 Chỉ tiêu: Kế hoạch 10-KH/ĐU: ≥ 90 %" in section
    assert "chưa đạt 60% trường đạt chuẩn quốc gia (số liệu quý I) số liệu đến 31/03/2026" in section
    assert 'href="../kh-phuong-a/#t2030-chuan"' in html[start:]
    assert 'aria-labelledby="ket-qua"' not in page_file(site, WARD).read_text(encoding="utf-8")


# -- timeline, its narrowing and the editors' list ----------------------------------------------
def test_the_timeline_shows_counts_up_links_and_results_but_no_lists(site):
    html = page_file(site, "lo-trinh/").read_text(encoding="utf-8")
    assert '<details class="kh-down">' not in html  # bounded: counts and a link to the plan page
    line = re.search(r'<p class="kh-align">(.*?)</p>', html[html.index("Ít nhất 80% trường phổ thông") :], re.S)
    assert line is not None
    assert line.group(1) == (
        '<a href="../van-ban/71-nq-tw/#t2030-truong-chuan">2 văn bản cấp dưới phục vụ</a> (3 tính cả các cấp dưới)'
        ' · <span class="kh-status kh-status--none">chưa có báo cáo</span>'
    )
    ward = html[html.index("Ít nhất 70% trường đạt chuẩn quốc gia") :]
    line = re.search(r'<p class="kh-align">(.*?)</p>', ward, re.S)
    assert line is not None
    text = " ".join(html_text.unescape(re.sub(r"<[^>]+>", " ", line.group(1))).split())
    assert text == "Phục vụ Nghị quyết 71-NQ/TW ≥ 80 % muộn hơn thấp hơn · đạt Báo cáo 20-BC/ĐU , 05/07/2026"
    assert 'href="../van-ban/71-nq-tw/#t2030-truong-chuan">Nghị quyết 71-NQ/TW</a>' in ward
    assert html.count('id="t2030-chuan"') == 0 and "kh-permalink" not in html  # anchors live on plan pages only
    assert '<a href="../van-ban/kh-phuong-a/#t2030-loi" class="kh-plan-link">Kế hoạch 10-KH/ĐU</a>' in html
    unit = page_file(site, "don-vi/phuong-a/").read_text(encoding="utf-8")
    assert 'href="../../van-ban/71-nq-tw/#t2030-truong-chuan"' in unit
    assert re.search(r'kh-status--met">đạt</strong> <small><a href="../../van-ban/bc-tong-ket-phuong-a-2026/"', unit)


def test_the_site_timeline_narrows_to_a_unit_subtree(site):
    html = page_file(site, "lo-trinh/").read_text(encoding="utf-8")
    scopes = html[html.index('<details class="kh-scopes">') : html.index("</details>", html.index("kh-scopes"))]
    assert 'href="../don-vi/phuong-a/#chi-tieu">Phường Đống Đa</a> <small>9 chỉ tiêu</small>' in scopes
    assert "truong-a" not in scopes  # schools: from the unit directory, not listed here
    ward = page_file(site, "don-vi/phuong-a/").read_text(encoding="utf-8")
    timeline = ward[ward.index('id="chi-tieu"') :]
    assert "Ít nhất 90% trường đạt chuẩn quốc gia" in timeline  # the ward's own and its schools' targets
    assert "Trường đạt chuẩn quốc gia mức độ 2" in timeline
    assert 'href="../bo-chinh-tri/"' not in timeline  # 71-NQ/TW's own target is not in the ward's subtree
    assert 'href="../don-vi/bo-chinh-tri/"' in page_file(site, "lo-trinh/").read_text(encoding="utf-8")


def test_the_editors_list_names_each_warned_link_once(site):
    html = page_file(site, "lo-trinh/").read_text(encoding="utf-8")
    assert '<a href="canh-bao/">2 chỉ tiêu muộn hơn hoặc thấp hơn chỉ tiêu cấp trên</a>' in html
    page = page_file(site, "lo-trinh/canh-bao/").read_text(encoding="utf-8")
    assert "<h1>Chỉ tiêu muộn hơn hoặc thấp hơn chỉ tiêu cấp trên</h1>" in page
    items = re.findall(r'<li class="kh-target">(.*?)</li>', page, re.S)
    text = [" ".join(html_text.unescape(re.sub(r"<[^>]+>", " ", i)).split()) for i in items]
    assert len(text) == 2
    assert text[0].startswith("muộn hơn thấp hơn Kế hoạch 10-KH/ĐU: ≥ 70 %")
    assert "phục vụ Nghị quyết 71-NQ/TW: ≥ 80 %" in text[0] and "kh-phuong-a.md , dòng 17" in text[0]
    assert text[1].startswith("thấp hơn Kế hoạch 05-KH/MN: < 2 %") and "dòng 24" in text[1]
    assert 'href="../../van-ban/kh-phuong-a/#t2035-chuan-muon"' in page


# -- bounds (core, no build) ----------------------------------------------------------------------
def _many_servers(tmp_path, schools: int):
    """The alignment fixture with ``schools`` more school plans, each with two targets serving 71-NQ/TW's target
    (three links, each due later than what it serves)."""
    plans = fixture_plans(tmp_path, FIXTURES / "alignment")
    units = plans / "units.yml"
    lines = [units.read_text(encoding="utf-8")]
    for i in range(schools):
        lines.append(f"truong-x{i}:\n  name: Trường X{i:03d}\n  kind: truong\n  parent: phuong-a\n")
        (plans / f"kh-x{i}.md").write_text(
            f'---\ntitle: "Kế hoạch X{i}"\ntype: KH\nunit: truong-x{i}\nstatus: ban-hanh\ndate: 2026-01-0{1 + i % 9}\n'
            "parents:\n  - id: kh-phuong-a\ntargets:\n  - id: t2030-chuan\n    year: 2031\n"
            '    text: "Chuẩn"\n    serves: [71-nq-tw#t2030-truong-chuan, kh-phuong-a#t2030-chuan]\n'
            '  - id: t2031-them\n    year: 2031\n    text: "Thêm"\n    serves: [71-nq-tw#t2030-truong-chuan]\n'
            "---\n\nNội dung.\n",
            encoding="utf-8",
        )
    units.write_text("".join(lines), encoding="utf-8")
    graph, problems = check(plans, tmp_path)
    assert problems == [], [str(p) for p in problems]
    return graph


def test_a_target_served_by_many_plans_stays_bounded(tmp_path):
    graph = _many_servers(tmp_path, 2 * DOWN_UNITS)
    view = graph.targets.detail("71-nq-tw", "t2030-truong-chuan")
    assert view.plans_below == 2 + 2 * DOWN_UNITS and view.plans_through == 3 + 2 * DOWN_UNITS
    assert view.down_units == 2 + 2 * DOWN_UNITS and len(view.down) == DOWN_UNITS
    assert sum(len(g.servers) for g in view.down) == DOWN_LINKS
    assert view.more_units == view.down_units - DOWN_UNITS and view.more_targets == 2 * view.more_units
    assert sum(g.count for g in view.down) + view.more_targets == view.down_targets
    assert graph.targets.summary("71-nq-tw", "t2030-truong-chuan").down == ()  # timelines: counts only
    assert graph.targets.detail("71-nq-tw", "t2030-truong-chuan") is view  # made once


def test_the_editors_list_is_paginated(tmp_path):
    schools = CHILDREN_PER_PAGE // 3 + 1
    pages = caution_pages(_many_servers(tmp_path, schools))
    assert [p.src_uri for p in pages] == ["lo-trinh/canh-bao/index.md", "lo-trinh/canh-bao/2.md"]
    assert pages[0].total == pages[1].total == 2 + 3 * schools
    assert len(pages[0].items) == CHILDREN_PER_PAGE and len(pages[1].items) == pages[0].total - CHILDREN_PER_PAGE


def test_plans_through_counts_each_plan_once(tmp_path):
    graph = _many_servers(tmp_path, 3)
    through = plans_through(graph.alignment)
    # the ward, school A, school B (through the ward) and the three X schools (directly and through the ward)
    assert through[("71-nq-tw", "t2030-truong-chuan")] == 6
    assert through[("kh-phuong-a", "t2030-chuan")] == 5
    assert isinstance(graph.targets, TargetViews) and graph.targets is graph.targets
