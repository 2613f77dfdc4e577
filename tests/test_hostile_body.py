"""Hostile plan bodies: whatever a body holds, its page runs no script and calls no other server.

The fixture classes ``tests/fixtures/hostile/body-*`` hold the attacks. Those that ``check`` refuses
(with ``expected.txt``, run by test_hostile.py) are also rendered here through the build's body-render
path, unchecked: the allow-list of ``kehoach.sanitize`` alone must make them harmless. Those that pass
the check are built into a real site, audited with html.parser and opened in Chromium.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from conftest import FIXTURES, ROOT, fixture_plans, mkdocs_build, serve
from htmlcheck import page_file
from kehoach import render
from kehoach.pages import demote_headings
from kehoach.render import BodyRenderer, render_body
from kehoach.sanitize import HEADING_PREFIX, TAGS, clean, site_markdown, site_relative

CLASSES = sorted(p for p in (FIXTURES / "hostile").iterdir() if p.name.startswith("body-"))
PUBLISHED = [p for p in CLASSES if not (p / "expected.txt").is_file()]
ACTIVE_TAGS = {
    "script",
    "iframe",
    "frame",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
    "style",
    "link",
    "meta",
    "base",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "template",
    "video",
    "audio",
    "source",
}
ACTIVE_ATTRIBUTES = {
    "style",
    "srcdoc",
    "srcset",
    "formaction",
    "action",
    "background",
    "poster",
    "xlink:href",
    "data",
    "codebase",
    "ping",
}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
_BLANKS = re.compile(r"[\x00-\x20]")


class Audit(HTMLParser):
    """Problems of an HTML fragment from a plan body (``strict``) or of a whole page of the site."""

    def __init__(self, strict: bool = True) -> None:
        super().__init__(convert_charrefs=True)
        self.strict, self.problems, self.ids = strict, [], []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if self.strict and (tag in ACTIVE_TAGS or tag not in TAGS):
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            self._attribute(tag, name, value or "")

    handle_startendtag = handle_starttag

    def _attribute(self, tag: str, name: str, value: str) -> None:
        url = _BLANKS.sub("", value).lower()
        if name.startswith("on"):
            self.problems.append(f"event attribute <{tag} {name}>")
        if self.strict and name in ACTIVE_ATTRIBUTES:
            self.problems.append(f"attribute <{tag} {name}>")
        if name == "id":
            self.ids.append(value)
        if (
            name in ("href", "src", "action", "formaction")
            and url.startswith(BAD_SCHEMES)
            and not _template_gif(tag, value)
        ):
            self.problems.append(f"URL <{tag} {name}={value!r}>")
        if name in ("src", "srcset", "poster", "data") and not _local(value) and not _template_gif(tag, value):
            self.problems.append(f"third-party resource <{tag} {name}={value!r}>")
        if tag == "link" and name == "href" and not _local(value):
            self.problems.append(f"third-party resource <link href={value!r}>")


def _template_gif(tag: str, value: str) -> bool:
    """The plan template's own 1-pixel placeholder of the print-only QR code."""
    return tag == "img" and value == "data:image/gif;base64,R0lGODlhAQABAAAAACw="


def _local(url: str) -> bool:
    return site_relative(url) or urlsplit(url.strip()).hostname in ("127.0.0.1", "localhost")


def audit(html: str, strict: bool = True) -> Audit:
    checker = Audit(strict)
    checker.feed(html)
    checker.close()
    return checker


@pytest.fixture(scope="module")
def site_config():
    config = load_config(str(ROOT / "mkdocs.yml"))
    site_markdown(config.markdown_extensions, config.mdx_configs)  # as the site hook's on_config does
    return config


def _render(config, body: str) -> str:
    """The build's body-render path: the plan page's Markdown through render_body with the site's extensions."""
    return render_body(demote_headings(body), list(config.markdown_extensions), dict(config.mdx_configs)).html


def _bodies(folder: Path) -> dict[str, str]:
    return {
        path.stem: path.read_text(encoding="utf-8").split("\n---\n", 1)[1] for path in sorted(folder.glob("plans/*.md"))
    }


ALL_BODIES = {f"{c.name}/{stem}": body for c in CLASSES for stem, body in _bodies(c).items()}


@pytest.mark.parametrize("name", sorted(ALL_BODIES))
def test_every_hostile_body_renders_harmless_even_unchecked(site_config, name):
    html = _render(site_config, ALL_BODIES[name])
    assert audit(html).problems == [] and all(i.startswith(HEADING_PREFIX) for i in audit(html).ids), html


def test_both_render_paths_give_the_same_bytes_for_hostile_bodies(site_config, monkeypatch):
    """Forked workers (full build) and MkDocs' own rendering (dirty serve builds) publish the same HTML."""
    monkeypatch.setattr(render, "PARALLEL_FROM", 1)
    sources = {f"van-ban/{name.split('/')[1]}.md": demote_headings(body) for name, body in ALL_BODIES.items()}
    renderer = BodyRenderer(sources, list(site_config.markdown_extensions), dict(site_config.mdx_configs))
    files = Files([File(uri, "docs", "site", True) for uri in [*sources, "van-ban/71-nq-tw.md"]])
    try:
        for uri, markdown in sources.items():
            page = Page(None, files.get_file_from_path(uri), site_config)
            page.markdown = markdown
            page.render(site_config, files)
            assert renderer.take(uri).html == page.content, uri
    finally:
        renderer.close()


PAYLOADS = [
    '<svg onload="window.__pwned=1"><circle r="9"/></svg>',
    '<iframe srcdoc="&lt;script&gt;parent.__pwned=1&lt;/script&gt;"></iframe>',
    '<a href="jav&#x09;ascript:window.__pwned=1">a</a><a href="&#106;avascript:x">b</a>',
    '<a href="  javascript:window.__pwned=1">c</a><a href="JAVASCRIPT:x">d</a>',
    '<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=1">',
    '<form action="javascript:x"><button formaction="javascript:y">e</button></form>',
    '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=javascript:x">',
    '<img src="data:image/svg+xml,<svg onload=alert(1)>"><img src="//evil.example/x.png">',
    '<img src="/\\evil.example/x.png"><img src="https://evil.example/x.png" srcset="https://evil.example/y 2x">',
    '<div style="background:url(https://evil.example/x)" class="md-header kh-title admonition">f</div>',
    '<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/y">',
    '<link rel="stylesheet" href="https://evil.example/x.css"><style>@import "https://evil.example/y";</style>',
    '<details open ontoggle="window.__pwned=1">g</details><video><source onerror="window.__pwned=1"></video>',
    '<a href="x" id="can-cu" name="toan-van">h</a><h2 id="chi-tieu">i</h2>',
    "<!--><script>window.__pwned=1</script>--><![CDATA[<script>x</script>]]>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_allow_list_removes_every_active_part(payload):
    html = clean(payload)
    assert audit(html).problems == [] and all(i.startswith(HEADING_PREFIX) for i in audit(html).ids), html


def test_site_relative_reads_urls_as_browsers_do():
    assert site_relative("../../assets/x.png") and site_relative("/x.png") and site_relative("x.png#a")
    for url in (
        "//evil.example/x",
        "/\\evil.example/x",
        " \t//evil.example",
        "https://a.b/x",
        "data:x",
        "java\tscript:x",
        "\x01javascript:x",
        "mailto:a@b.c",
        "",
    ):
        assert not site_relative(url), url


# -- the real build: bodies that pass the check ----------------------------------------------------
@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile-body")
    result = mkdocs_build(root / "site", fixture_plans(root, *PUBLISHED))
    assert result.returncode == 0, result.stderr
    return root / "site"


PUBLISHED_PAGES = [f"van-ban/{stem}/" for c in PUBLISHED for stem in _bodies(c)]


def full_text(html: str) -> str:
    start = html.index('<section class="kh-fulltext"')
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize("url", PUBLISHED_PAGES)
def test_published_page_has_no_script_and_no_third_party_resource(hostile_site, url):
    html = page_file(hostile_site, url).read_text(encoding="utf-8")
    baseline = page_file(hostile_site, "van-ban/ke-hoach-truong-a/").read_text(encoding="utf-8")
    page = audit(html, strict=False)
    assert page.problems == [], page.problems
    assert len(page.ids) == len(set(page.ids)), sorted(i for i in page.ids if page.ids.count(i) > 1)
    assert html.count("<script") == baseline.count("<script")  # only the template's own scripts
    section = full_text(html)
    assert audit(section.split("</h2>", 1)[1]).problems == [], section


def test_foreign_images_become_links(hostile_site):
    section = full_text(page_file(hostile_site, "van-ban/hinh-ngoai/").read_text(encoding="utf-8"))
    assert "<img" not in section
    assert '<a href="https://tracker.example/p.png" title="ảnh&quot; onerror=&quot;window.__pwned=6"' in section
    assert ">điểm ảnh</a> ở giữa câu" in section and ">http://tracker.example/blank.gif</a>" in section


def test_body_headings_never_take_the_page_ids(hostile_site):
    html = page_file(hostile_site, "van-ban/trung-ma-muc/").read_text(encoding="utf-8")
    section = full_text(html).split("</h2>", 1)[1]
    ids = audit(section).ids
    assert ids[:3] == ["tv-can-cu", "tv-van-ban-trien-khai", "tv-chi-tieu"] and "tv-can-cu_1" in ids
    assert {"tv-toan-van", "tv-kh-title", "tv-t2030-internet", "tv-trich-dan-2030"} <= set(ids)
    assert all(i.startswith(HEADING_PREFIX) for i in ids)
    for anchor in ("#tv-can-cu", "#tv-toan-van", "#tv-t2030-internet", "../71-nq-tw/#tv-muc-1"):
        assert f'href="{anchor}"' in section, anchor
    page_ids = set(audit(html, strict=False).ids)
    toc = re.findall(r'<a href="#([^"]+)" class="md-nav__link">', html)
    assert "tv-can-cu" in toc and set(toc) <= page_ids  # the table of contents still leads to the headings


def test_tricky_markdown_keeps_only_allowed_classes_and_alignment(hostile_site):
    section = full_text(page_file(hostile_site, "van-ban/markdown-kho/").read_text(encoding="utf-8"))
    assert 'class="admonition note"' in section and 'class="admonition danger"' in section
    assert "md-header" not in section and "kh-title" not in section
    assert '<th align="left">' in section and '<td align="right">' in section and "style=" not in section
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in section and 'href="mailto:chi-bo@example.org"' in section


# -- property: random Markdown with HTML, links and reference definitions ---------------------------
URLS = [
    "https://example.org/a",
    "javascript:alert(1)",
    " jav&#x09;ascript:x",
    "JaVaScRiPt:x",
    "data:text/html,x",
    "vbscript:x",
    "//evil.example/p.png",
    "/\\evil.example/p",
    "https://tracker.example/p.png",
    "x.png",
    "71-nq-tw.md#muc",
    "#can-cu",
    "mailto:a@b.vn",
    "&#106;avascript:x",
    "java\nscript:x",
]
TAG_NAMES = [
    "script",
    "img",
    "a",
    "svg",
    "iframe",
    "br",
    "div",
    "p",
    "math",
    "style",
    "form",
    "base",
    "meta",
    "object",
    "details",
    "mailto:x",
    "h2",
    "table",
    "td",
    "input",
]
ATTRS = [
    "onerror",
    "onload",
    "onfocus",
    "onmouseover",
    "style",
    "href",
    "src",
    "srcdoc",
    "action",
    "autofocus",
    "tabindex",
    "class",
    "id",
    "formaction",
    "xlink:href",
]
TEXT = st.text(alphabet="aăđ x`\\*_<>\"'=/:;!#[]()-|\n", max_size=12)


@st.composite
def raw_tag(draw) -> str:
    name = draw(st.sampled_from(TAG_NAMES))
    attrs = draw(
        st.lists(st.tuples(st.sampled_from(ATTRS), st.sampled_from(URLS + ["alert(1)", 'x" onload="y'])), max_size=3)
    )
    quote = draw(st.sampled_from(['"', "'", ""]))
    inner = "".join(f" {a}={quote}{v}{quote}" for a, v in attrs)
    return f"<{name}{inner}{draw(st.sampled_from(['>', '/>', ' //>', '']))}{draw(TEXT)}</{name}>"


@st.composite
def markdown_piece(draw) -> str:
    url, text = draw(st.sampled_from(URLS)), draw(TEXT)
    return (
        draw(
            st.sampled_from(
                [
                    f"[{text}]({url})",
                    f"![{text}]({url})",
                    f'[{text}]({url} "{text}")',
                    f"<{url}>",
                    f"[{text}][r]",
                    f"[r]: {url}",
                    f"[r]:\n  {url}",
                    f"> [r]: {url}",
                    f"- [r]: {url}",
                    f'!!! note "{text}"\n    [r]: {url}',
                    f"## {text}",
                    f"`{text}",
                    f"\\`{text}`",
                    f"| a | b |\n| :- | -: |\n| {text} | {url} |",
                    text,
                    "\n\n",
                ]
            )
        )
        if draw(st.booleans())
        else draw(raw_tag())
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    pieces=st.lists(markdown_piece(), min_size=1, max_size=8),
    joins=st.lists(st.sampled_from([" ", "\n", "\n\n"]), min_size=8, max_size=8),
)
def test_any_markdown_renders_without_script_or_third_party_resource(site_config, pieces, joins):
    body = "".join(piece + join for piece, join in zip(pieces, joins, strict=False))
    html = _render(site_config, body)
    assert audit(html).problems == [], (body, html)


# -- Chromium: nothing runs, nothing leaves 127.0.0.1 ----------------------------------------------
CANARY = """
window.__hits = [];
Object.defineProperty(window, '__pwned', {set(v) { window.__hits.push(String(v)); }, get() { return undefined; }});
for (const name of ['alert', 'confirm', 'prompt', 'print']) window[name] = () => window.__hits.push(name);
document.addEventListener('click', event => event.preventDefault(), true);  // stay on the page
"""


def _refused_page(site: Path, config) -> str:
    """A copy of a published plan page whose full text is every refused body, rendered by the build's path."""
    html = page_file(site, "van-ban/markdown-kho/").read_text(encoding="utf-8")
    section = full_text(html)
    head = section[: section.index("</h2>") + 5]
    bodies = "".join(
        _render(config, body)
        for name, body in ALL_BODIES.items()
        if name.split("/")[0] not in {p.name for p in PUBLISHED}
    )
    target = site / "van-ban" / "tu-choi" / "index.html"
    target.parent.mkdir(exist_ok=True)
    target.write_text(html.replace(section, head + bodies), encoding="utf-8")
    return "van-ban/tu-choi/"


def _poke_everything(page) -> None:
    for element in page.query_selector_all(".kh-fulltext *"):
        try:
            element.scroll_into_view_if_needed(timeout=500)
            element.hover(timeout=500, force=True)
            element.focus()
            element.click(timeout=500, force=True, no_wait_after=True)
        except Exception:  # noqa: BLE001 — hidden or detached elements: the others are still poked
            continue
        page.keyboard.press("Tab")


def test_hostile_pages_run_nothing_in_chromium(hostile_site, site_config, phone):
    urls = [*PUBLISHED_PAGES, _refused_page(hostile_site, site_config)]
    dialogs, outside, messages = [], [], []
    phone.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    phone.on("console", lambda message: messages.append(message.text))
    phone.on(
        "request",
        lambda request: (
            None
            if urlsplit(request.url).hostname == "127.0.0.1" or request.url.startswith(("data:", "blob:"))
            else outside.append(request.url)
        ),
    )
    phone.add_init_script(CANARY)
    with serve(hostile_site) as base:
        for url in urls:
            phone.goto(base + url, wait_until="load")
            _poke_everything(phone)
            phone.wait_for_timeout(300)
            assert phone.evaluate("window.__hits") == [], url
            assert phone.url.startswith(base + url), url
    assert dialogs == [] and outside == [], (dialogs, outside)
    assert not [m for m in messages if "pwned" in m or "Refused" in m], messages
