"""Coverage on the built site: the plan page's section and the programme pages show the right counts."""

from __future__ import annotations

import re

import pytest

from conftest import FIXTURES, fixture_plans, mkdocs_build
from htmlcheck import links_from, page_file


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("coverage")
    plans = fixture_plans(tmp, FIXTURES / "coverage")
    result = mkdocs_build(tmp / "site", plans)
    assert result.returncode == 0, result.stderr
    return tmp / "site"


def _text(site, path: str, start: str = "<article", end: str = "</article>") -> str:
    html = page_file(site, path).read_text(encoding="utf-8")
    part = html[html.index(start) : html.index(end, html.index(start))]
    return " ".join(re.sub(r"<[^>]+>", " ", part).replace("&nbsp;", " ").split())


def _section(site, path: str) -> str:
    return _text(site, path, '<section aria-labelledby="don-vi-trien-khai"', "</section>")


def test_plan_page_shows_counts_per_ward_and_the_units_without_a_document(site):
    text = _section(site, "van-ban/71-nq-tw/")
    assert text.startswith("Đơn vị cấp dưới triển khai 4/8 (50%) đơn vị phải triển khai đã có văn bản triển khai")
    assert "Thành phố X Thành phố : 1/1 (100%)" in text
    ward = text[text.index("Phường B Phường") :]
    assert ward.startswith("Phường B Phường : 2/5 (40%) Chưa có văn bản triển khai: Ủy ban nhân dân phường B")
    assert ward.startswith(
        "Phường B Phường : 2/5 (40%) Chưa có văn bản triển khai: Ủy ban nhân dân phường B , "
        "Trường Mầm non B2 , Trường Tiểu học B1 Phường Đống Đa"
    )
    assert "Phường Đống Đa Phường : 1/2 (50%) Chưa có văn bản triển khai: Phường Đống Đa" in text
    assert "Đã có" not in text  # a programme names the units with a document on its own page
    assert "tinh-hinh-trien-khai/71-nq-tw/" in links_from(site, "van-ban/71-nq-tw/", "don-vi-trien-khai")


def test_a_ward_plan_counts_its_schools_and_cells(site):
    text = _section(site, "van-ban/kh-du-b/")
    assert "1/3 (33%) đơn vị phải triển khai" in text
    assert "Trường học: 0/2 (0%) Chi bộ: 1/1 (100%)" in text
    assert (
        "Phường B Phường : 1/3 (33%) Chưa có văn bản triển khai: Trường Mầm non B2 , Trường Tiểu học B1 "
        "Đã có: Chi bộ Trường Tiểu học B1 ( Kế hoạch 03-KH/CB )" in text  # directly: 03-KH/CB cites 12-KH/ĐU
    )
    assert not any("tinh-hinh-trien-khai" in u for u in links_from(site, "van-ban/kh-du-b/", "don-vi-trien-khai"))
    html = page_file(site, "van-ban/kh-cb-b1/").read_text(encoding="utf-8")
    assert 'id="don-vi-trien-khai"' not in html  # a cell's plan is expected of no one


def test_programme_pages_and_their_list(site):
    listed = links_from(site, "tinh-hinh-trien-khai/")
    assert {"tinh-hinh-trien-khai/71-nq-tw/", "tinh-hinh-trien-khai/05-ctr-tu-x/"} <= listed
    assert "tinh-hinh-trien-khai/kh-du-b/" not in listed
    index = _text(site, "tinh-hinh-trien-khai/")
    assert "Nghị quyết 71-NQ/TW Bộ Chính trị · 22/08/2025 · 4/8 (50%)" in index
    assert "Chương trình hành động 05-CTr/TU Ban Thường vụ Thành ủy X · 01/11/2025 · 2/5 (40%)" in index
    city = _text(site, "tinh-hinh-trien-khai/05-ctr-tu-x/")
    assert "2/5 (40%) đơn vị phải triển khai" in city
    assert "Theo địa bàn Địa bàn Đã có / phải triển khai Tỷ lệ Phường B 2/5 40%" in city
    assert "Ủy ban nhân dân phường B Cơ quan ban hành · chưa có văn bản triển khai" in city
    assert "Chi bộ Trường Tiểu học B1 Chi bộ · Kế hoạch 03-KH/CB" in city  # through 12-KH/ĐU
    top = _text(site, "tinh-hinh-trien-khai/71-nq-tw/")
    assert "Thành phố X 1/1 100% Phường B 2/5 40% Phường Đống Đa 1/2 50%" in top
    assert "tinh-hinh-trien-khai/" in links_from(site, "")  # linked from the home page


COVERAGE_PAGES = ["tinh-hinh-trien-khai/", "tinh-hinh-trien-khai/71-nq-tw/", "van-ban/05-ctr-tu-ha-noi/"]


@pytest.mark.parametrize("path", COVERAGE_PAGES)
def test_coverage_pages_fit_a_phone_without_serious_axe_violations(phone, site_url, path):
    from axe_playwright_python.sync_playwright import Axe

    phone.goto(site_url + path)
    phone.wait_for_load_state("networkidle")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    assert "đã có văn bản triển khai" in phone.inner_text("main"), path  # the page itself, not a 404
    bad = [v for v in Axe().run(phone).response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in bad]
