"""A unit's embed page (``/don-vi/<unit>/nhung/``): what a school's website frames, and the snippet to copy.

Core: the page's record is bounded (a few documents and targets at any scale). Build: the largest
embed page stays under 20 KB and the snippet is escaped. Browser: the snippet, pasted into a page of
another origin at 320 px, shows the unit without horizontal scroll, fetches nothing but its own page
from the site, works under a subpath, and its links open in a new tab.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ARTIFACTS, FIXTURES, fixture_plans, mkdocs_build, serve
from htmlcheck import page_file
from kehoach import shards
from kehoach.decide import decide_pages
from kehoach.embed import EMBED_PLANS, EMBED_TARGETS, EmbedPage, embed_page
from kehoach.pages import UnitPage
from kehoach.site import check

LIMIT = 20_000  # bytes a framed embed page may cost, everything included
OVERLAYS = (FIXTURES / "hostile" / "front-matter-html", FIXTURES / "embed")  # a hostile school, 12 long plans
HOSTILE_NAME = '<script>alert(1)</script> Trường "><img src=x onerror=alert(1)>'
DEFAULT_SITE_URL = "http://127.0.0.1:8000/"  # mkdocs.yml's site_url without SITE_URL: the snippet's origin


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    root = tmp_path_factory.mktemp("embed-graph")
    built, problems = check(fixture_plans(root, *OVERLAYS), root)
    assert built is not None, [str(p) for p in problems]
    return built


# -- the record ---------------------------------------------------------------------------------------
def test_embed_page_shows_a_few_newest_documents_and_the_next_targets(graph):
    page = embed_page(graph, graph.units["truong-a"], 2026)
    own = graph.plans_of("truong-a")
    assert len(own) == 12 and page.plans_total == 12 and not page.below
    assert len(page.plans) == EMBED_PLANS
    dates = [p.date for p in page.plans]
    assert dates == sorted(dates, reverse=True) and dates[0] == max(p.date for p in own)
    shown = [e for y in page.timeline for e in y.entries]
    assert len(shown) == EMBED_TARGETS
    assert all(y.year >= 2026 for y in page.timeline) and page.timeline[0].year == 2027
    due = [t for p in own for t in p.targets if t.year >= 2026]
    assert page.targets_total == len(due) and len(due) > EMBED_TARGETS
    assert page.timeline[0].count == sum(1 for t in due if t.year == 2027)


def test_past_targets_are_not_next(graph):
    page = embed_page(graph, graph.units["truong-a"], 2031)
    assert [y.year for y in page.timeline] == [2035]
    assert embed_page(graph, graph.units["truong-a"], 2046).timeline == ()


def test_a_unit_without_documents_of_its_own_shows_those_below_it(graph):
    page = embed_page(graph, graph.units["phuong-a"], 2026)
    assert page.below and graph.plans_of("phuong-a") == []
    assert {p.unit for p in page.plans} <= {"truong-a", "truong-xau"} and len(page.plans) == EMBED_PLANS
    assert page.plans_total == len(graph.plans_under("phuong-a"))


def test_every_unit_has_one_embed_page_rendered_with_its_unit_and_never_indexed(graph):
    pages = decide_pages(graph, "71-nq-tw")
    embeds = {p.unit.id: p for p in pages if isinstance(p, EmbedPage)}
    units = {p.unit.id: p for p in pages if type(p) is UnitPage}
    assert set(embeds) == set(units) == set(graph.units)
    assert embeds["truong-a"].src_uri == "don-vi/truong-a/nhung.md"
    assert not any(p.indexed for p in embeds.values())
    for unit_id, page in embeds.items():
        assert shards.owner(page, graph, ("phuong-a",)) == shards.owner(units[unit_id], graph, ("phuong-a",))
    assert shards.owner(embeds["truong-a"], graph, ("phuong-a",)) == "phuong-a"


# -- the built pages ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def embed_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("embed-site")
    result = mkdocs_build(root / "site", fixture_plans(root, *OVERLAYS))
    assert result.returncode == 0, result.stderr
    return root / "site"


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the text of <textarea> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.textareas: list[str] = []
        self._in_textarea = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "textarea":
            self._in_textarea = True
            self.textareas.append("")

    def handle_endtag(self, tag):
        self._in_textarea = self._in_textarea and tag != "textarea"

    def handle_data(self, data):
        if self._in_textarea:
            self.textareas[-1] += data


def _parsed(text: str) -> _Elements:
    parser = _Elements()
    parser.feed(text)
    return parser


def test_the_largest_embed_page_stays_under_20_kb_and_needs_nothing_else(embed_site):
    """Twelve plans with 4,000-character titles and long targets: the page is cut, not the budget."""
    pages = sorted(embed_site.glob("don-vi/*/nhung/index.html"))
    assert len(pages) == 5
    assert max(p.stat().st_size for p in pages) > 8_000  # the fixture does fill the page
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert len(text.encode("utf-8")) <= LIMIT, path
        elements = _parsed(text)
        tags = {tag for tag, _ in elements.tags}
        assert not tags & {"script", "link", "img", "iframe", "object", "embed", "base"}, (path, tags)
        assert "@import" not in text and "url(" not in text and "@font-face" not in text
        for tag, attrs in elements.tags:
            assert "src" not in attrs and "style" not in attrs, (path, tag, attrs)
            if tag == "a":
                assert attrs.get("target") == "_blank" and "noopener" in (attrs.get("rel") or ""), (path, attrs)
                assert not re.match(r"^[a-z]+:|^/", attrs.get("href") or ""), attrs  # relative: any subpath
            if tag == "meta":  # nothing forbids framing it (a meta CSP cannot set frame-ancestors, but check)
                assert (attrs.get("http-equiv") or "").lower() not in ("content-security-policy", "x-frame-options")


def test_embed_page_escapes_every_value(embed_site):
    text = page_file(embed_site, "don-vi/truong-xau/nhung/").read_text(encoding="utf-8")
    assert "<script>alert" not in text and "<img src=x" not in text
    assert html.escape("<script>alert(1)</script>", quote=False) in text


def test_the_snippet_is_one_iframe_of_the_units_embed_page_whatever_its_name(embed_site):
    """The textarea's value (what is copied) parses to exactly one iframe, the name escaped in its title."""
    elements = _parsed(page_file(embed_site, "don-vi/truong-xau/").read_text(encoding="utf-8"))
    assert len(elements.textareas) == 1
    snippet = _parsed(elements.textareas[0])
    assert [tag for tag, _ in snippet.tags] == ["iframe"]
    attrs = snippet.tags[0][1]
    assert attrs["src"] == DEFAULT_SITE_URL + "don-vi/truong-xau/nhung/"
    assert attrs["title"] == f"Kế hoạch giáo dục – {HOSTILE_NAME}"
    assert attrs["sandbox"] == "allow-popups allow-popups-to-escape-sandbox"


# -- in a browser, framed by another origin -------------------------------------------------------------
def _foreign_page(snippet: str) -> str:
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1"><title>Trường A</title></head>'
        f"<body><h1>Website của Trường A</h1>{snippet}</body></html>"
    )


@pytest.fixture()
def framed(browser, built_site, tmp_path):
    """The real site under /ke-hoach/ on one origin; a school's page on another, holding the copied snippet."""
    site_host, school = tmp_path / "host", tmp_path / "school"
    shutil.copytree(built_site, site_host / "ke-hoach")
    school.mkdir()
    elements = _parsed(page_file(built_site, "don-vi/phuong-dong-da/").read_text(encoding="utf-8"))
    with serve(site_host, "ke-hoach/") as site_url, serve(school) as school_url:
        snippet = elements.textareas[0].replace(DEFAULT_SITE_URL, site_url)
        (school / "index.html").write_text(_foreign_page(snippet), encoding="utf-8")
        context = browser.new_context(viewport={"width": 320, "height": 640}, locale="vi-VN")
        tab = context.new_page()
        requests: list = []
        tab.on("requestfinished", lambda request: requests.append(request))
        tab.goto(school_url)
        frame = tab.frame_locator("iframe")
        frame.locator("h1").wait_for()
        tab.wait_for_load_state("networkidle")
        yield tab, frame, site_url, school_url, requests
        context.close()


def test_framed_embed_is_readable_at_320px_and_fetches_only_its_own_page(framed):
    tab, frame, site_url, school_url, requests = framed
    assert frame.locator("h1").inner_text() == "Phường Đống Đa"
    assert frame.locator("li").count() > 0 and frame.locator("li").first.is_visible()
    inner = tab.frames[1]
    assert inner.url == site_url + "don-vi/phuong-dong-da/nhung/"
    assert inner.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    site_origin = re.match(r"https?://[^/]+", site_url).group(0)
    school_origin = re.match(r"https?://[^/]+", school_url).group(0)
    assert site_origin != school_origin
    from_site = [r for r in requests if r.frame == inner]
    assert [r.url for r in from_site] == [inner.url]  # the page itself: no stylesheet, script, font or image
    assert all(r.url.startswith((site_origin, school_origin)) for r in requests), [r.url for r in requests]
    total = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in from_site)
    assert total <= LIMIT, total
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(
        path=str(ARTIFACTS / "embed-framed-320.png")
    )  # the viewport: a full-page capture leaves a cross-origin frame blank


def test_framed_embed_links_work_under_the_subpath_and_open_a_new_tab(framed):
    tab, frame, site_url, _, _ = framed
    inner = tab.frames[1]
    links = inner.eval_on_selector_all("a", "els => els.map(a => [a.href, a.target, a.rel])")
    assert len(links) >= 4
    for href, target, rel in links:
        assert target == "_blank" and "noopener" in rel, href
        assert href.startswith(site_url), href  # relative links stay under /ke-hoach/
        with urllib.request.urlopen(href.split("#")[0]) as response:
            assert response.status == 200, href
    with tab.expect_popup() as popup:
        frame.locator("main li a").first.click()
    opened = popup.value
    opened.wait_for_load_state()
    assert opened.url.startswith(site_url + "van-ban/")
    assert opened.locator("h1").count() == 1


# -- the copy button --------------------------------------------------------------------------------------
def test_copy_button_copies_the_snippet(browser, site_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"], locale="vi-VN")
    tab = context.new_page()
    tab.goto(site_url + "don-vi/phuong-dong-da/")
    section = tab.get_by_role("region", name="Nhúng vào trang web của trường")
    code = section.get_by_label("Mã nhúng").input_value()
    assert code.startswith("<iframe ") and code.endswith("</iframe>")
    section.get_by_role("button", name="Sao chép mã").click()
    tab.wait_for_function("document.querySelector('[data-kh-copied]').textContent !== ''")
    assert section.get_by_role("status").inner_text() == "Đã chép mã nhúng."
    assert tab.evaluate("navigator.clipboard.readText()") == code
    context.close()


def test_copy_button_without_the_clipboard_api_selects_the_snippet(browser, site_url):
    """Older browsers: the snippet is selected and copied with execCommand, or the reader is told to copy it."""
    context = browser.new_context(locale="vi-VN")
    context.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    tab = context.new_page()
    tab.goto(site_url + "don-vi/phuong-dong-da/")
    tab.get_by_role("button", name="Sao chép mã").click()
    status = tab.locator("[data-kh-copied]")
    tab.wait_for_function("document.querySelector('[data-kh-copied]').textContent !== ''")
    assert status.inner_text() in ("Đã chép mã nhúng.", "Chưa chép được: hãy chọn cả đoạn mã rồi chép (Ctrl+C).")
    selected = tab.evaluate(
        "(() => { const c = document.getElementById('kh-embed-code'); return [c.selectionStart, c.selectionEnd, c.value.length] })()"
    )
    assert selected[0] == 0 and selected[1] == selected[2] > 0
    context.close()


def test_embed_page_next_targets_start_this_year(built_site):
    """The real site: the targets shown are due this year or later (the build's year)."""
    text = page_file(built_site, "don-vi/phuong-dong-da/nhung/").read_text(encoding="utf-8")
    years = [int(y) for y in re.findall(r"<h3>Năm (\d{4})", text)]
    assert years and years == sorted(years) and min(years) >= dt.date.today().year
