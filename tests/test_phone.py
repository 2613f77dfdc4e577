"""Parents on phones: accessibility (axe), page weight, print to A4, QR code and sharing metadata."""

from __future__ import annotations

import gzip
import re
import urllib.request

import pytest
from pypdf import PdfReader

from conftest import ARTIFACTS
from htmlcheck import page_file

playwright = pytest.importorskip("playwright.sync_api")
from axe_playwright_python.sync_playwright import Axe  # noqa: E402

PAGE_TYPES = [
    ("", "home"),
    ("van-ban/09-kh-cb-mn-tran-quoc-toan/", "plan"),
    ("van-ban/kh-cb-mn-do-thi-viet-hung-2025-10-30/", "plan-with-table"),
    ("don-vi/phuong-dong-da/", "unit"),
    ("don-vi/", "units"),
    ("lo-trinh/", "timeline"),
    ("tim-kiem/?q=dong+da", "search"),
    ("huong-dan/luoc-do/", "schema"),
]


@pytest.mark.parametrize("path, name", PAGE_TYPES, ids=[n for _, n in PAGE_TYPES])
def test_no_serious_or_critical_axe_violation(phone, site_url, path, name):
    phone.goto(site_url + path)
    phone.wait_for_load_state("networkidle")
    results = Axe().run(phone)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in bad]


@pytest.mark.parametrize("path, name", PAGE_TYPES, ids=[n for _, n in PAGE_TYPES])
def test_every_page_type_fits_360px(phone, site_url, path, name):
    ARTIFACTS.mkdir(exist_ok=True)
    phone.goto(site_url + path)
    phone.wait_for_load_state("networkidle")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    phone.screenshot(path=str(ARTIFACTS / f"phone-{name}-360.png"), full_page=True)


def test_plan_page_weight_compressed_before_search(phone, site_url):
    """What a static host serving gzip sends for a plan page, before any search: ≤ 150 KB."""
    urls: list[str] = []
    phone.on("requestfinished", lambda r: urls.append(r.url))
    phone.goto(site_url + "van-ban/kh-du-dong-da-tuyen-truyen-nq71/")
    phone.wait_for_load_state("networkidle")
    total = 0
    for url in urls:
        if url.startswith("data:"):
            continue
        body = urllib.request.urlopen(url).read()
        total += len(gzip.compress(body, 9)) if re.search(r"\.(html|css|js|svg|json)$|/$", url) else len(body)
    assert not any("pagefind" in u for u in urls), urls
    assert total <= 150_000, (total, urls)


def test_plan_prints_to_a4_in_the_administrative_layout(browser, site_url):
    context = browser.new_context()
    tab = context.new_page()
    requested: list[str] = []
    tab.on("request", lambda r: requested.append(r.url))
    tab.goto(site_url + "van-ban/09-kh-cb-mn-tran-quoc-toan/")
    tab.wait_for_load_state("networkidle")
    assert not any(u.endswith("/qr.svg") for u in requested)  # a phone reading the page never fetches it
    tab.emulate_media(media="print")
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "plan-09-kh-cb.pdf"
    tab.pdf(path=str(pdf), prefer_css_page_size=True)
    assert any(u.endswith("/van-ban/09-kh-cb-mn-tran-quoc-toan/qr.svg") for u in requested)  # printing does
    context.close()
    reader = PdfReader(str(pdf))
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert abs(width - 595) < 2 and abs(height - 842) < 2  # A4 in points
    assert 3 <= len(reader.pages) <= 8, len(reader.pages)

    def squeeze(s):
        return "".join(s.split())  # pypdf puts spaces around Vietnamese marks

    first = squeeze(reader.pages[0].extract_text())
    for text in ("CHI BỘ TRƯỜNG MẦM NON", "Số: 09-KH/CB", "ĐẢNG CỘNG SẢN VIỆT NAM", "KẾ HOẠCH", "I. MỤC ĐÍCH, YÊU CẦU"):
        assert squeeze(text) in first, text
    assert first.index(squeeze("Số: 09-KH/CB")) < first.index(
        squeeze("ĐẢNG CỘNG SẢN VIỆT NAM")
    )  # left column, then right
    everything = squeeze("".join(p.extract_text() for p in reader.pages))
    for chrome in ("Tìm kiếm", "Lộ trình chỉ tiêu", "Chuỗi căn cứ", "Sửa trang này", "Văn bản triển khai"):
        assert squeeze(chrome) not in everything, chrome
    assert squeeze("Đặng Thị Hương") in everything and squeeze("Quét mã") in everything
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            fonts.add(str(font.get("/BaseFont", "")))
    assert any("Times" in f or "LiberationSerif" in f or "Tinos" in f for f in fonts), fonts


def test_plan_page_has_qr_code_and_open_graph_in_vietnamese(built_site):
    from kehoach.qr import qr_svg

    html = page_file(built_site, "van-ban/09-kh-cb-mn-tran-quoc-toan/").read_text(encoding="utf-8")
    canonical = re.search(
        r'<meta property="og:url" content="(https?://[^"]+/van-ban/09-kh-cb-mn-tran-quoc-toan/)">', html
    ).group(1)
    assert '<source media="print" srcset="qr.svg">' in html
    assert (built_site / "van-ban" / "09-kh-cb-mn-tran-quoc-toan" / "qr.svg").read_text(encoding="utf-8") == qr_svg(
        canonical
    )
    assert '<meta property="og:locale" content="vi_VN">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="Kế hoạch 09-KH/CB – Chi bộ Trường Mầm non Trần Quốc Toản">' in html
    assert re.search(r'<meta name="description" content="Kế hoạch của Chi bộ', html)


def test_qr_codes_differ_per_url_and_carry_no_script():
    from kehoach.qr import qr_svg

    svg = qr_svg("https://truong.edu.vn/ke-hoach/van-ban/71-nq-tw/")
    assert svg.startswith("<svg") and 'class="kh-qr__svg"' in svg and "<script" not in svg
    assert svg != qr_svg("https://truong.edu.vn/ke-hoach/van-ban/281-nq-cp/")
