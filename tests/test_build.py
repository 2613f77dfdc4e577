"""Whole-site build from the real plans/ with --strict, checked in the HTML."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import FIXTURES, ROOT, fixture_plans, mkdocs_build, serve
from htmlcheck import links_from, page_file, parse
from kehoach.site import check

SEEDS = [
    "09-kh-cb-mn-tran-quoc-toan",
    "kh-th-hien-thanh-2025-12-17",
    "kh-cb-mn-do-thi-viet-hung-2025-10-30",
    "kh-du-dong-da-tuyen-truyen-nq71",
    "kh-du-dong-da-trien-khai-05-ctr-tu",
]


@pytest.fixture(scope="module")
def graph():
    result, _ = check(ROOT / "plans", ROOT)
    return result


@pytest.mark.parametrize("seed", SEEDS)
def test_seed_links_to_each_parent_and_each_parent_links_back(built_site, graph, seed):
    parents = [c.id for c in graph.plans[seed].parents]
    assert parents, seed
    assert links_from(built_site, f"van-ban/{seed}/", "can-cu") >= {f"van-ban/{p}/" for p in parents}
    for parent in parents:
        assert f"van-ban/{seed}/" in links_from(built_site, f"van-ban/{parent}/", "van-ban-trien-khai")


def test_school_plan_reaches_the_resolution_and_back(built_site):
    """Seed 000's lineage links up through 05-CTr/TU to 71-NQ/TW; each step links back down."""
    lineage = parse(built_site, "van-ban/09-kh-cb-mn-tran-quoc-toan/")
    html = page_file(built_site, "van-ban/09-kh-cb-mn-tran-quoc-toan/").read_text(encoding="utf-8")
    crumb = html[html.index('class="kh-lineage"') : html.index("</nav>", html.index('class="kh-lineage"'))]
    assert crumb.index("../71-nq-tw/") < crumb.index("../05-ctr-tu-ha-noi/")
    assert "van-ban/05-ctr-tu-ha-noi/" in links_from(built_site, "van-ban/71-nq-tw/", "van-ban-trien-khai")
    assert "van-ban/09-kh-cb-mn-tran-quoc-toan/" in links_from(
        built_site, "van-ban/05-ctr-tu-ha-noi/", "van-ban-trien-khai"
    )
    assert "Chưa nối được" not in "".join(lineage.text)


def test_unlinked_plan_says_so(built_site):
    text = "".join(parse(built_site, "van-ban/kh-cb-mn-do-thi-viet-hung-2025-10-30/").text)
    assert "Chưa nối được tới Nghị quyết 71-NQ/TW" in text
    assert "chưa có số" in text


@pytest.mark.parametrize("year", [2026, 2027, 2030, 2035, 2045])
def test_timeline_has_each_key_year_linking_to_plans(built_site, graph, year):
    html = page_file(built_site, "lo-trinh/").read_text(encoding="utf-8")
    start = html.index(f'id="nam-{year}"')
    following = html.find('id="nam-', start + 1)
    block = html[start : following if following > 0 else len(html)]
    linked = {href for href in links_from(built_site, "lo-trinh/") if href.startswith("van-ban/")}
    expected = {f"van-ban/{p.id}/" for p in graph.plans.values() if any(t.year == year for t in p.targets)}
    assert expected and expected <= linked
    assert all(f"../van-ban/{p.removeprefix('van-ban/')}" in html for p in expected)
    assert f"<span>{year}</span>" in block


def test_timeline_years_are_in_order(built_site):
    html = page_file(built_site, "lo-trinh/").read_text(encoding="utf-8")
    positions = [html.index(f'id="nam-{y}"') for y in (2026, 2027, 2030, 2035, 2045)]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    "unit, plans",
    [
        ("dang-uy-phuong-dong-da", ["kh-du-dong-da-tuyen-truyen-nq71", "kh-du-dong-da-trien-khai-05-ctr-tu"]),
        ("chi-bo-mn-tran-quoc-toan", ["09-kh-cb-mn-tran-quoc-toan"]),
        ("truong-th-hien-thanh", ["kh-th-hien-thanh-2025-12-17"]),
        ("bo-chinh-tri", ["71-nq-tw"]),
    ],
)
def test_unit_pages_list_their_plans(built_site, unit, plans):
    assert links_from(built_site, f"don-vi/{unit}/", "van-ban") >= {f"van-ban/{p}/" for p in plans}


def test_ward_page_lists_plans_of_units_below(built_site):
    assert "van-ban/09-kh-cb-mn-tran-quoc-toan/" in links_from(
        built_site, "don-vi/phuong-duong-noi/", "van-ban-truc-thuoc"
    )


def test_every_url_and_path_is_ascii(built_site):
    bad = [
        str(p.relative_to(built_site)) for p in built_site.rglob("*") if not str(p.relative_to(built_site)).isascii()
    ]
    assert bad == []
    for html in built_site.rglob("*.html"):
        collector = parse(built_site, str(html.relative_to(built_site)))
        non_ascii = [u for u in collector.urls if not u.isascii()]
        assert non_ascii == [], html


def test_every_page_is_unicode_nfc(built_site):
    import unicodedata

    for html in built_site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert unicodedata.is_normalized("NFC", text), html


def test_body_headings_get_ascii_ids(built_site):
    html = page_file(built_site, "van-ban/kh-du-dong-da-tuyen-truyen-nq71/").read_text(encoding="utf-8")
    assert 'id="tv-i-muc-dich-yeu-cau"' in html and 'id="tv-ong-a' not in html


def test_plans_are_not_listed_in_the_navigation(built_site):
    html = page_file(built_site, "lo-trinh/").read_text(encoding="utf-8")
    nav = html[html.index('class="md-nav md-nav--primary') :]
    nav = nav[: nav.index("</nav>")]
    assert "van-ban/" not in nav
    assert "lo-trinh/" in nav or 'href="./"' in nav


def test_seed_002_table_is_a_real_table(built_site):
    html = page_file(built_site, "van-ban/kh-cb-mn-do-thi-viet-hung-2025-10-30/").read_text(encoding="utf-8")
    full = html[html.index('id="toan-van"') :]
    table = full[full.index("<table>") : full.index("</table>")]
    assert table.count("<tr>") == 6 and "<p>" not in table and "&lt;p&gt;" not in full


def test_unknowns_are_shown_as_unknown(built_site):
    text = "".join(parse(built_site, "van-ban/kh-du-dong-da-tuyen-truyen-nq71/").text)
    assert "chưa có số" in text and "chưa ghi ngày" in text and "Dự thảo" in text


def test_resolution_page_shows_reported_targets_with_sources(built_site):
    html = page_file(built_site, "van-ban/71-nq-tw/").read_text(encoding="utf-8")
    assert "theo báo chí" in html and "https://dantri.com.vn/" in html
    for year in (2030, 2035, 2045):
        assert f'id="chi-tieu-{year}"' in html


def test_hostile_front_matter_is_escaped_everywhere(tmp_path):
    plans = fixture_plans(tmp_path, FIXTURES / "hostile" / "front-matter-html")
    site = tmp_path / "site"
    result = mkdocs_build(site, plans)
    assert result.returncode == 0, result.stderr
    for html in site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "<script>alert" not in text, html
        assert "<img src=x" not in text, html
        assert 'onerror="alert' not in text, html
    page = page_file(site, "van-ban/hostile/").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_broken_plans_stop_the_build_with_the_report(tmp_path):
    plans = fixture_plans(tmp_path, FIXTURES / "broken" / "unknown-parent", FIXTURES / "broken" / "unit-unknown-parent")
    site = tmp_path / "site"
    result = mkdocs_build(site, plans)
    assert result.returncode != 0
    assert "plans/b.md:7: parents[0].id: không có văn bản '99-nq-tw'" in result.stderr
    assert "plans/units.yml:17: truong-b.parent:" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (site / "index.html").exists()


def _linkcheck(site):
    with serve(site) as url:
        return subprocess.run(
            [sys.executable, "-m", "linkcheck", "--no-status", "--no-warnings", url],
            capture_output=True,
            text=True,
            timeout=300,
        )


def test_link_checker_finds_no_broken_link(built_site):
    result = _linkcheck(built_site)
    assert result.returncode == 0, result.stdout + result.stderr
    checked = re.search(r"(\d+) links in (\d+) URLs checked", result.stdout)
    assert checked and int(checked.group(2)) >= 40, result.stdout
    assert "0 errors found" in result.stdout


def test_link_checker_catches_a_missing_page(built_site, tmp_path):
    """The check above can fail: remove one plan page and the checker reports it."""
    broken = tmp_path / "site"
    shutil.copytree(built_site, broken)
    shutil.rmtree(broken / "van-ban" / "05-ctr-tu-ha-noi")
    result = _linkcheck(broken)
    assert result.returncode != 0
    assert "05-ctr-tu-ha-noi" in result.stdout


def _dirty_build(site, plans):
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", KEHOACH_PLANS_DIR=str(plans), KEHOACH_SEARCH="false")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--dirty", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_editing_one_plan_rebuilds_exactly_the_pages_that_show_it(tmp_path, monkeypatch):
    """What `make serve` (mkdocs serve --dirty) re-renders after an edit."""
    plans = tmp_path / "plans"
    shutil.copytree(ROOT / "plans", plans)
    site = tmp_path / "site"
    assert _dirty_build(site, plans).returncode == 0  # serve's first build is a dirty one too
    before = {p: p.stat().st_mtime_ns for p in site.rglob("index.html")}
    seed = plans / "09-kh-cb-mn-tran-quoc-toan.md"
    seed.write_text(
        seed.read_text(encoding="utf-8").replace('“Chi bộ bốn tốt” năm 2026"', '“Chi bộ bốn tốt” năm 2026 (sửa)"'),
        encoding="utf-8",
    )
    result = _dirty_build(site, plans)
    assert result.returncode == 0, result.stderr
    changed = {str(p.parent.relative_to(site)) for p, t in before.items() if p.stat().st_mtime_ns != t}
    shows_it = {
        "van-ban/09-kh-cb-mn-tran-quoc-toan",
        "van-ban/71-nq-tw",
        "van-ban/05-ctr-tu-ha-noi",
        "van-ban/ke-hoach-dang-uy-phuong-duong-noi",
        "don-vi/chi-bo-mn-tran-quoc-toan",
        "don-vi/truong-mn-tran-quoc-toan",
        "don-vi/phuong-duong-noi",
        "lo-trinh",
        ".",
    }
    assert shows_it <= changed, shows_it - changed
    assert "van-ban/kh-th-hien-thanh-2025-12-17" not in changed and "don-vi/phuong-dong-da" not in changed
    assert len(changed) < len(before) / 2, sorted(changed)
    for page in ("van-ban/09-kh-cb-mn-tran-quoc-toan/", "van-ban/71-nq-tw/", "lo-trinh/"):
        assert "năm 2026 (sửa)" in page_file(site, page).read_text(encoding="utf-8"), page


def test_many_implementing_documents_get_list_pages(tmp_path):
    plans = fixture_plans(tmp_path)
    for i in range(40):
        (plans / f"kh-{i:02d}.md").write_text(
            f'---\ntitle: "Kế hoạch {i}"\ntype: KH\nnumber: "{i}-KH/TA"\nunit: truong-a\nstatus: ban-hanh\n'
            f"parents:\n  - id: 71-nq-tw\n---\n\nNội dung.\n",
            encoding="utf-8",
        )
    site = tmp_path / "site"
    result = mkdocs_build(site, plans)
    assert result.returncode == 0, result.stderr
    top = links_from(site, "van-ban/71-nq-tw/", "van-ban-trien-khai")
    assert "van-ban/71-nq-tw/trien-khai/" in top
    listed = {u for u in links_from(site, "van-ban/71-nq-tw/trien-khai/") if u.startswith("van-ban/kh-")}
    assert listed == {f"van-ban/kh-{i:02d}/" for i in range(40)}


# -- the fast path and the plain path (hooks/kehoach/build.py) -------------------------------------


# What `mkdocs serve --strict --dirty` (make serve) runs on each change, one process per build here.
_SERVE_BUILD = """
import logging, sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
logging.basicConfig(level=logging.DEBUG if sys.argv[3] == "1" else logging.WARNING, stream=sys.stderr)
config = load_config(sys.argv[1], site_dir=sys.argv[2], strict=True)
config.plugins.on_startup(command="serve", dirty=True)
build(config, dirty=True)
"""


def _build_into(site, plans, *, fast=True, dirty=False, search=False, verbose=False, docs=None):
    """Builds into ``site`` and returns it (with ``verbose``: MkDocs' debug log instead); ``dirty``: as each
    build of `make serve` (`mkdocs serve --strict --dirty`); ``docs``: another docs/ folder."""
    env = dict(
        os.environ,
        NO_MKDOCS_2_WARNING="1",
        KEHOACH_PLANS_DIR=str(plans),
        KEHOACH_FAST="true" if fast else "false",
        KEHOACH_SEARCH="true" if search else "false",
        KEHOACH_DOCS_DIR=str(docs or ROOT / "docs"),
    )
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)]
    if dirty:
        command = [sys.executable, "-c", _SERVE_BUILD, str(ROOT / "mkdocs.yml"), str(site), str(int(verbose))]
    result = subprocess.run(
        command + ["--verbose"] * (verbose and not dirty),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr if verbose else site


def _files(site):
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _differing(a: dict, b: dict) -> set[str]:
    return {name for name in a.keys() | b.keys() if a.get(name) != b.get(name)}


def test_the_plain_path_publishes_the_same_bytes(tmp_path):
    """KEHOACH_FAST=false: no workers, fragments, caches, garbage-collection window; search indexed after the build."""
    plans = tmp_path / "plans"
    shutil.copytree(ROOT / "plans", plans)
    fast = _files(_build_into(tmp_path / "fast", plans, search=True))
    plain = _files(_build_into(tmp_path / "plain", plans, fast=False, search=True))
    assert any(name.startswith("pagefind/") for name in fast) and "van-ban/71-nq-tw/qr.svg" in fast
    assert sorted(_differing(fast, plain)) == []


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# Each kind of fact a page shows, edited in turn: what a dirty (serve) rebuild must rewrite.
# (kind: file, text, its replacement).
_EDITS = {
    "title": ("29-kh-btgdvtu-ha-noi.md", 'title: "', 'title: "Sửa: '),
    "target": ("09-kh-cb-mn-tran-quoc-toan.md", '    text: "', '    text: "Sửa: '),
    "parent": ("09-kh-cb-mn-tran-quoc-toan.md", "  - id: ke-hoach-dang-uy-phuong-duong-noi\n", ""),
    "unit name": (
        "units.yml",
        "name: Trường Mầm non Đô Thị Việt Hưng\n",
        "name: Trường Mầm non Đô Thị Việt Hưng mới\n",
    ),
}


def test_a_serve_rebuild_rewrites_exactly_the_pages_an_edit_changes(tmp_path):
    """After each edit (a plan's title, a target, a parent, the unit's name), `mkdocs build --dirty` (what
    `make serve` runs) rewrites every page whose bytes change in a plain full build, and no other page; its
    site is then the plain full build's, byte for byte. A page re-rendered because it holds the edited plan
    but shows nothing of the edit (the home page shows a plan's number, not its targets) keeps its file."""
    plans = tmp_path / "plans"
    shutil.copytree(ROOT / "plans", plans)
    served = _build_into(tmp_path / "served", plans, dirty=True)  # serve's first build
    plain = _files(_build_into(tmp_path / "plain-0", plans, fast=False))
    for number, (kind, (name, old, new)) in enumerate(_EDITS.items(), 1):
        pages = {p: p.stat().st_mtime_ns for p in served.rglob("index.html")}
        _edit(plans / name, old, new)
        _build_into(served, plans, dirty=True)
        rewritten = {str(p.relative_to(served)) for p, t in pages.items() if p.stat().st_mtime_ns != t}
        after = _files(_build_into(tmp_path / f"plain-{number}", plans, fast=False))
        shows_it = {name for name in _differing(plain, after) if name.endswith("index.html")}
        assert shows_it, kind
        missing, extra = sorted(shows_it - rewritten), sorted(rewritten - shows_it)
        assert not missing and not extra, (kind, missing, extra)  # every page that shows it, and no other page
        assert _differing(_files(served), after) == set(), kind
        plain = after
    # A page made again as it was leaves its source no newer than its file: the next rebuild renders nothing.
    log = _build_into(served, plans, dirty=True, verbose=True)
    assert "Building page" not in log, [line for line in log.splitlines() if "Building page" in line]
    # A docs/ page edited to link to a generated page, and a docs/ page added: every page is handed to MkDocs
    # again (the link resolves; the sitemap lists the new page), and the site is the full build's.
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    _build_into(served, plans, dirty=True, docs=docs)
    about = docs / "gioi-thieu.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[Nghị quyết 71](van-ban/71-nq-tw.md)\n", encoding="utf-8")
    (docs / "trang-moi.md").write_text("# Trang mới\n\nMột trang mới.\n", encoding="utf-8")
    _build_into(served, plans, dirty=True, docs=docs)
    after = _files(_build_into(tmp_path / "plain-docs", plans, fast=False, docs=docs))
    assert b"trang-moi/" in after["sitemap.xml"] and b'href="../van-ban/71-nq-tw/"' in after["gioi-thieu/index.html"]
    assert _differing(_files(served), after) == set()
    # A plan added: the rebuild hands MkDocs every page again, so that the sitemap lists the new one.
    added = plans / "kh-th-hien-thanh-ban-sao.md"
    added.write_text((plans / "kh-th-hien-thanh-2025-12-17.md").read_text(encoding="utf-8"), encoding="utf-8")
    _build_into(served, plans, dirty=True, docs=docs)
    after = _files(_build_into(tmp_path / "plain-added", plans, fast=False, docs=docs))
    assert b"kh-th-hien-thanh-ban-sao/" in after["sitemap.xml"]
    assert _differing(_files(served), after) == set()
    # A full build into the served folder after an edit, the edit undone, a serve build again: the full build's
    # pages do not stand for the serve build's (the last serve build's fingerprints no longer say what they hold).
    _edit(added, 'title: "', 'title: "Sửa: ')
    _build_into(served, plans, docs=docs)
    _edit(added, 'title: "Sửa: ', 'title: "')
    _build_into(served, plans, dirty=True, docs=docs)
    assert _differing(_files(served), after) == set()


def _serve_in_process(site, plans, monkeypatch):
    """A function running one build as `make serve` does on each change, in this process (its state, the memos
    and the collection timer, carries from one build to the next as in a serve session); returns its config."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("KEHOACH_PLANS_DIR", str(plans))
    monkeypatch.setenv("KEHOACH_SEARCH", "false")

    def serve_build():
        config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site))
        config.plugins.on_startup(command="serve", dirty=True)
        build(config, dirty=True)
        return config

    return serve_build


def test_a_serve_session_collects_each_builds_garbage_while_it_waits(tmp_path, monkeypatch):
    """Each serve build unfreezes its records when it ends; once the process has waited for an edit a moment
    (cache.IDLE_COLLECT_S), what is garbage is collected. Before, the next build froze a build's records for
    good: memory grew by about 19 MB per rebuild at 1,000 plans."""
    import time
    import weakref

    import kehoach.cache as cache

    monkeypatch.setattr(cache, "IDLE_COLLECT_S", 0.2)
    plans = tmp_path / "plans"
    shutil.copytree(ROOT / "plans", plans)
    serve_build = _serve_in_process(tmp_path / "site", plans, monkeypatch)
    first = weakref.ref(serve_build()["kehoach_build"].site)
    time.sleep(1)  # the editor reads the page
    serve_build()  # (its own records live until the next build replaces them, as in `mkdocs serve`)
    time.sleep(1)
    assert first() is None


def test_a_serve_rebuild_that_fails_while_rendering_leaves_no_stale_page(tmp_path, monkeypatch):
    """An edit; its rebuild writes the unit page (plan pages come last), then fails on the plan's page; the
    edit is undone: the next rebuild renders again what the failed one wrote."""
    from kehoach.build import Build

    plans = tmp_path / "plans"
    shutil.copytree(ROOT / "plans", plans)
    site = tmp_path / "site"
    serve_build = _serve_in_process(site, plans, monkeypatch)
    serve_build()
    name = "kh-th-hien-thanh-2025-12-17"
    _edit(plans / f"{name}.md", 'title: "', 'title: "Sửa: ')
    context = Build.context

    def failing(self, record, content):
        if record.src_uri == f"van-ban/{name}.md":
            raise RuntimeError("hỏng")
        return context(self, record, content)

    monkeypatch.setattr(Build, "context", failing)
    with pytest.raises(RuntimeError, match="hỏng"):
        serve_build()
    assert "Sửa: " in (site / "don-vi" / "truong-th-hien-thanh" / "index.html").read_text(encoding="utf-8")
    monkeypatch.setattr(Build, "context", context)
    _edit(plans / f"{name}.md", 'title: "Sửa: ', 'title: "')
    serve_build()
    plain = _files(_build_into(tmp_path / "plain", plans, fast=False))
    assert _differing(_files(site), plain) == set()
