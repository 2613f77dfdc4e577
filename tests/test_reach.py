"""What a page makes a phone wait for before it paints (issue 17, `make audit`: LCP ≤ 1.2 s on slow 4G).

One render-blocking stylesheet (Material's and the site's, joined at build time), no font, and
Material's 114 KB script bundle only on hand-written pages. The browser tests (test_browser.py,
test_phone.py, test_search.py) check that navigation and search still work without the bundle.
"""

from __future__ import annotations

import re
from pathlib import Path

import material

from htmlcheck import page_file

ROOT = Path(__file__).resolve().parent.parent
MATERIAL_CSS = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
GENERATED = ["", "van-ban/09-kh-cb-mn-tran-quoc-toan/", "don-vi/phuong-dong-da/", "lo-trinh/", "don-vi/", "tim-kiem/"]


def _head(site: Path, url: str) -> str:
    text = page_file(site, url).read_text(encoding="utf-8")
    return text[: text.index("</head>")]


def test_site_pages_block_on_one_stylesheet_and_load_no_material_bundle(built_site):
    for url in GENERATED:
        text = page_file(built_site, url).read_text(encoding="utf-8")
        sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', text)
        assert [s.rsplit("/", 1)[-1] for s in sheets] == ["kh.css"], (url, sheets)
        assert "bundle." not in text and "palette." not in text, url
        assert "fonts.googleapis" not in text and "@font-face" not in _head(built_site, url), url


def test_hand_written_guide_keeps_materials_script(built_site):
    text = page_file(built_site, "huong-dan/").read_text(encoding="utf-8")
    assert re.search(r'<script src="[./]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js"></script>', text)


def test_the_one_stylesheet_is_materials_then_the_sites_verbatim(built_site):
    """Joined by a Jinja template: a sequence Jinja would read ("{{", "{%") would show here as a difference."""
    joined = (built_site / "assets" / "stylesheets" / "kh.css").read_text(encoding="utf-8")
    linked = re.search(
        r"assets/stylesheets/(main\.[0-9a-f]+\.min\.css)",
        (ROOT / "overrides" / "assets" / "stylesheets" / "kh.css").read_text(encoding="utf-8"),
    )
    assert linked is not None
    material_css = (MATERIAL_CSS / linked.group(1)).read_text(encoding="utf-8")
    site_css = (ROOT / "docs" / "assets" / "kehoach.css").read_text(encoding="utf-8")
    assert joined.strip() == (material_css + "\n" + site_css).strip()
    # the one Material's own base.html links (a Material update that renames it must update overrides/)
    base = (MATERIAL_CSS.parent.parent / "base.html").read_text(encoding="utf-8")
    assert f"assets/stylesheets/{linked.group(1)}" in base
