"""Two shards (Hà Nội, Hải Phòng) and the hub build separately, merge into one site."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import mkdocs_build, serve
from kehoach.shards import merge

SHARDS = ("ha-noi", "hai-phong")


@pytest.fixture(scope="module")
def merged(tmp_path_factory):
    base = tmp_path_factory.mktemp("shards")
    sites = []
    with pytest.MonkeyPatch.context() as env:
        env.setenv("KEHOACH_SHARDS", ",".join(SHARDS))
        for shard in (*SHARDS, "hub"):
            env.setenv("KEHOACH_SHARD", shard)
            result = mkdocs_build(base / shard)
            assert result.returncode == 0, result.stderr
            sites.append(base / shard)
    merge(base / "merged", sites)
    return base


def _pages(folder):
    return {str(p.relative_to(folder)) for p in folder.rglob("index.html")}


NAV_PAGES = {
    "index.html",
    "lo-trinh/index.html",
    "tim-kiem/index.html",
    "don-vi/index.html",
    "huong-dan/index.html",
    "huong-dan/luoc-do/index.html",
    "huong-dan/nhap-tren-trinh-duyet/index.html",
    "gioi-thieu/index.html",
}


def test_shards_render_disjoint_parts_that_add_up_to_the_whole_site(merged, built_site):
    parts = [_pages(merged / s) - NAV_PAGES for s in ("hub", *SHARDS)]
    assert sum(len(p) for p in parts) == len(set().union(*parts)), "a page was rendered by two shards"
    parts[0] |= NAV_PAGES
    assert set().union(*parts) == _pages(built_site)
    assert "van-ban/09-kh-cb-mn-tran-quoc-toan/index.html" in parts[1]
    assert "van-ban/kh-th-hien-thanh-2025-12-17/index.html" in parts[2]
    assert "van-ban/71-nq-tw/index.html" in parts[0]


@pytest.mark.parametrize(
    "page",
    [
        "van-ban/71-nq-tw/index.html",
        "van-ban/05-ctr-tu-ha-noi/index.html",
        "don-vi/phuong-dong-da/index.html",
        "lo-trinh/index.html",
    ],
)
def test_cross_shard_pages_match_the_whole_build(merged, built_site, page):
    assert (merged / "merged" / page).read_text(encoding="utf-8") == (built_site / page).read_text(encoding="utf-8")


def test_merged_site_has_no_broken_link(merged):
    with serve(merged / "merged") as url:
        result = subprocess.run(
            [sys.executable, "-m", "linkcheck", "--no-status", "--no-warnings", url],
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 errors found" in result.stdout
    sitemap = (merged / "merged" / "sitemap.xml").read_text(encoding="utf-8")
    assert "van-ban/09-kh-cb-mn-tran-quoc-toan/" in sitemap and "van-ban/kh-th-hien-thanh-2025-12-17/" in sitemap


def test_one_search_across_shards(merged, browser):
    with serve(merged / "merged") as url:
        context = browser.new_context()
        page = context.new_page()
        page.goto(url + "tim-kiem/")
        found = {}
        for query in ("tran quoc toan", "hien thanh", "71-NQ/TW"):
            page.fill("#kh-search-input", query)
            page.wait_for_function("q => document.querySelector('[data-kh-results]').dataset.query === q", arg=query)
            found[query] = [
                re.sub(r"^https?://[^/]+", "", h)
                for h in page.eval_on_selector_all("[data-kh-results] li a", "els => els.map(e => e.href)")
            ]
        context.close()
    assert found["tran quoc toan"][0] == "/don-vi/truong-mn-tran-quoc-toan/"  # from the Hà Nội shard
    assert "/van-ban/kh-th-hien-thanh-2025-12-17/" in found["hien thanh"][:3]  # from the Hải Phòng shard
    assert found["71-NQ/TW"][0] == "/van-ban/71-nq-tw/"  # from the hub
