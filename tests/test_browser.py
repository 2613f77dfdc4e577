"""Browser tests: Debian Chromium driven by Playwright against the built site."""

from __future__ import annotations

import re

import pytest

from conftest import ARTIFACTS

playwright = pytest.importorskip("playwright.sync_api")


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_parent_walks_from_home_to_school_plan_up_to_71_and_back(phone, site_url):
    ARTIFACTS.mkdir(exist_ok=True)
    phone.goto(site_url)
    assert phone.locator("html").get_attribute("lang") == "vi"

    # Home → the school cell's plan (seed 000)
    phone.get_by_role("link", name="Kế hoạch 09-KH/CB").first.click()
    phone.wait_for_url(re.compile(r"/van-ban/09-kh-cb-mn-tran-quoc-toan/$"))
    assert "Chi bộ bốn tốt" in phone.locator("h1").inner_text()
    assert _no_horizontal_scroll(phone)
    phone.screenshot(path=str(ARTIFACTS / "plan-09-kh-cb-360.png"), full_page=True)

    # Up the lineage to Resolution 71-NQ/TW
    lineage = phone.get_by_role("navigation", name="Chuỗi văn bản căn cứ")
    assert [t.strip() for t in lineage.locator("li").all_inner_texts()] == [
        "Nghị quyết 71-NQ/TW",
        "Chương trình hành động 05-CTr/TU",
        "Kế hoạch 09-KH/CB",
    ]
    lineage.get_by_role("link", name="Nghị quyết 71-NQ/TW").click()
    phone.wait_for_url(re.compile(r"/van-ban/71-nq-tw/$"))
    assert "đột phá phát triển giáo dục" in phone.locator("h1").inner_text()
    phone.screenshot(path=str(ARTIFACTS / "plan-71-nq-tw-360.png"), full_page=True)

    # And back down: 71 → 05-CTr/TU → 09-KH/CB through "Văn bản triển khai"
    children = phone.locator("section[aria-labelledby='van-ban-trien-khai']")
    children.get_by_role("link", name="Chương trình hành động 05-CTr/TU").click()
    phone.wait_for_url(re.compile(r"/van-ban/05-ctr-tu-ha-noi/$"))
    children = phone.locator("section[aria-labelledby='van-ban-trien-khai']")
    children.get_by_role("link", name="Kế hoạch 09-KH/CB").click()
    phone.wait_for_url(re.compile(r"/van-ban/09-kh-cb-mn-tran-quoc-toan/$"))


@pytest.mark.parametrize(
    "path, name",
    [
        ("", "home"),
        ("lo-trinh/", "timeline"),
        ("don-vi/", "units"),
        ("don-vi/phuong-dong-da/", "unit"),
        ("van-ban/kh-cb-mn-do-thi-viet-hung-2025-10-30/", "plan-table"),
    ],
)
def test_page_types_fit_a_360px_phone(phone, site_url, path, name):
    ARTIFACTS.mkdir(exist_ok=True)
    phone.goto(site_url + path)
    assert _no_horizontal_scroll(phone), path
    phone.screenshot(path=str(ARTIFACTS / f"{name}-360.png"), full_page=True)


def test_timeline_years_are_visible_in_order(phone, site_url):
    phone.goto(site_url + "lo-trinh/")
    labels = phone.locator(".kh-timeline__label span").all_inner_texts()
    years = [int(y) for y in labels]
    assert years == sorted(years) and {2026, 2027, 2030, 2035, 2045} <= set(years)
    phone.get_by_role("navigation", name="Chọn năm").get_by_role("link", name=re.compile("^2045")).click()
    assert phone.locator("#nam-2045").is_visible()
