"""Search in a real browser: type into the site's search boxes, check what comes first."""
from __future__ import annotations

import re
import shutil

import pytest

from conftest import serve

playwright = pytest.importorskip("playwright.sync_api")


@pytest.fixture()
def page(phone):
    return phone


def _results(page, query: str) -> list[str]:
    page.fill("#kh-search-input", query)
    page.wait_for_function("q => document.querySelector('[data-kh-results]').dataset.query === q", arg=query, timeout=5000)
    return page.locator("[data-kh-results] li a").all_inner_texts()


def _urls(page) -> list[str]:
    return [re.sub(r"^https?://[^/]+", "", h) for h in page.eval_on_selector_all("[data-kh-results] li a", "els => els.map(e => e.href)")]


def test_header_box_on_any_page_leads_to_results(page, site_url):
    page.goto(site_url + "lo-trinh/")
    page.fill("#kh-q", "dong da")
    page.press("#kh-q", "Enter")
    page.wait_for_url(re.compile(r"/tim-kiem/\?q=dong\+da$"))
    page.wait_for_function("document.querySelector('[data-kh-results]').dataset.query === 'dong da'")
    assert page.locator("[data-kh-results] li a").first.inner_text() == "Phường Đống Đa"


@pytest.mark.parametrize("query, first, also", [
    ("dong da", "Phường Đống Đa", ["Kế hoạch (chưa có số) – Đảng ủy phường Đống Đa"]),
    ("Đống Đa", "Phường Đống Đa", ["Đảng ủy phường Đống Đa"]),
    ("tran quoc toan", "Trường Mầm non Trần Quốc Toản", ["Kế hoạch 09-KH/CB – Chi bộ Trường Mầm non Trần Quốc Toản"]),
    ("viet hung", "Phường Việt Hưng", []),
    ("Phường Dương Nội", "Phường Dương Nội", []),
])
def test_names_without_tone_marks_or_d_find_the_unit_first(page, site_url, query, first, also):
    page.goto(site_url + "tim-kiem/")
    titles = _results(page, query)
    assert titles[0] == first, titles
    for title in also:
        assert title in titles


@pytest.mark.parametrize("query", ["chuyen doi so", "chuyển đổi số"])
def test_topic_folded_or_marked_finds_the_plans(page, site_url, query):
    page.goto(site_url + "tim-kiem/")
    titles = _results(page, query)
    # The six documents whose title, summary or topics say "chuyển đổi số", all on the first page of results.
    assert "Kế hoạch (chưa có số) – Trường Tiểu học Hiến Thành" in titles[:6]
    assert "Kế hoạch 09-KH/CB – Chi bộ Trường Mầm non Trần Quốc Toản" in titles[:6]
    assert "Chương trình hành động 01-CTr/ĐU – Đảng ủy phường Việt Hưng" in titles[:6]
    assert "Nghị quyết 71-NQ/TW – Bộ Chính trị" in titles[:6]


def test_marked_query_ranks_exact_marks_first(page, site_url):
    page.goto(site_url + "tim-kiem/")
    titles = _results(page, "Đống Đa")
    exact = [i for i, t in enumerate(titles) if "Đống Đa" in t]
    others = [i for i, t in enumerate(titles) if "Đống Đa" not in t]
    assert exact and max(exact) < min(others, default=len(titles)), titles


@pytest.mark.parametrize("query, document, citing", [
    ("05-CTr/TU", "/van-ban/05-ctr-tu-ha-noi/", ["/van-ban/29-kh-btgdvtu-ha-noi/", "/van-ban/kh-du-dong-da-trien-khai-05-ctr-tu/"]),
    ("05-ctr/tu", "/van-ban/05-ctr-tu-ha-noi/", ["/van-ban/kh-du-dong-da-tuyen-truyen-nq71/"]),
    ("71-NQ/TW", "/van-ban/71-nq-tw/", ["/van-ban/281-nq-cp/", "/van-ban/02-ctr-tu-hai-phong/"]),
    ("09-KH/CB", "/van-ban/09-kh-cb-mn-tran-quoc-toan/", []),
    ("102/KH-UBND", "/van-ban/102-kh-ubnd-nguyen-dai-nang/", ["/van-ban/kh-th-hien-thanh-2025-12-17/"]),
])
def test_document_numbers_find_the_document_then_citing_plans(page, site_url, query, document, citing):
    page.goto(site_url + "tim-kiem/")
    _results(page, query)
    urls = _urls(page)
    assert urls[0] == document, urls
    for url in citing:
        assert url in urls


def test_filters_narrow_results_by_ward_type_and_year(page, site_url):
    page.goto(site_url + "tim-kiem/")
    _results(page, "ke hoach")
    page.click("[data-kh-filters] summary")  # the filter lists load when opened
    page.wait_for_selector("[data-kh-filters][data-filled]", state="attached")
    page.select_option("select[data-filter='Phường']", "Phường Đống Đa")
    page.wait_for_function("document.querySelectorAll('[data-kh-results] li').length > 0")
    page.wait_for_timeout(300)
    urls = _urls(page)
    assert urls and all("dong-da" in u for u in urls), urls
    page.select_option("select[data-filter='Phường']", "")
    page.select_option("select[data-filter='Loại văn bản']", "Nghị quyết")
    page.wait_for_timeout(300)
    assert set(_urls(page)) <= {"/van-ban/71-nq-tw/", "/van-ban/281-nq-cp/"}
    page.select_option("select[data-filter='Loại văn bản']", "")
    page.select_option("select[data-filter='Năm chỉ tiêu']", "2027")
    page.wait_for_timeout(300)
    assert _urls(page) == ["/van-ban/kh-cb-mn-do-thi-viet-hung-2025-10-30/"]


def test_search_works_under_a_subpath(browser, built_site, tmp_path):
    host = tmp_path / "host"
    shutil.copytree(built_site, host / "ke-hoach")
    with serve(host, "ke-hoach/") as url:
        context = browser.new_context()
        tab = context.new_page()
        tab.goto(url + "tim-kiem/?q=tran+quoc+toan")
        tab.wait_for_function("document.querySelector('[data-kh-results]').dataset.query === 'tran quoc toan'")
        first = tab.locator("[data-kh-results] li a").first
        assert first.inner_text() == "Trường Mầm non Trần Quốc Toản"
        first.click()
        tab.wait_for_url(re.compile(r"/ke-hoach/don-vi/truong-mn-tran-quoc-toan/$"))
        context.close()


def test_no_request_leaves_the_site(page, site_url):
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(site_url.rsplit("/", 1)[0]) else None)
    page.goto(site_url + "tim-kiem/?q=dong+da")
    page.wait_for_function("document.querySelector('[data-kh-results]').dataset.query === 'dong da'")
    page.goto(site_url + "van-ban/71-nq-tw/")
    assert [u for u in outside if not u.startswith("data:")] == []


def test_first_query_fetches_no_filter_lists_nor_worker_until_filters_open(page, site_url):
    fetched: list[str] = []
    page.on("requestfinished", lambda request: fetched.append(request.url))
    page.goto(site_url + "tim-kiem/")
    _results(page, "dong da")
    page.wait_for_timeout(300)
    search_files = [u for u in fetched if "/pagefind/" in u]
    assert any(u.endswith(".pf_index") for u in search_files), search_files  # the query did load index chunks
    assert not [u for u in search_files if "/filter/" in u or "worker" in u], search_files
    page.click("[data-kh-filters] summary")
    page.wait_for_selector("[data-kh-filters][data-filled]", state="attached")
    assert [u for u in fetched if "/pagefind/filter/" in u]
    assert page.locator("select[data-filter='Phường'] option").count() > 2
