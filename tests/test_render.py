"""Plan bodies rendered in worker processes (kehoach.render) and search records indexed beside the
build (kehoach.indexer): the same HTML as MkDocs' own rendering, and a real Pagefind bundle."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from conftest import ROOT
from kehoach import render
from kehoach.indexer import IndexingJob
from kehoach.load import load
from kehoach.pages import demote_headings
from kehoach.render import BodyRenderer, render_body


@pytest.fixture(scope="module")
def site_config():
    config = load_config(str(ROOT / "mkdocs.yml"))
    from kehoach.sanitize import site_markdown

    site_markdown(config.markdown_extensions, config.mdx_configs)  # as the site hook's on_config does
    return config


@pytest.fixture(scope="module")
def bodies() -> dict[str, str]:
    plans = load(ROOT / "plans", ROOT).plans
    return {f"van-ban/{p.id}.md": demote_headings(p.body) for p in plans if p.body.strip()}


def _mkdocs_render(config, uri: str, markdown: str) -> tuple[str, list]:
    page = Page(None, File(uri, "docs", "site", True), config)
    page.markdown = markdown
    page.render(config, files=None)
    return page.content, [(item.title, item.id, [c.id for c in item.children]) for item in page.toc]


def test_workers_render_every_real_body_as_mkdocs_does(site_config, bodies, monkeypatch):
    monkeypatch.setattr(render, "PARALLEL_FROM", 1)  # 14 bodies: force the forked workers
    renderer = BodyRenderer(bodies, list(site_config.markdown_extensions), dict(site_config.mdx_configs))
    assert renderer._pool is not None
    headed = 0
    for uri, markdown in bodies.items():
        assert renderer.wants(uri)
        body = renderer.take(uri)
        html, toc = _mkdocs_render(site_config, uri, markdown)
        assert body.html == html, uri

        ours = [(item.title, item.id, [c.id for c in item.children]) for item in get_toc(body.toc_tokens)]
        assert ours == toc, uri
        headed += bool(toc)
    assert headed >= 5  # the seeds' bodies have sections
    assert renderer.take("van-ban/khong-co.md") is None
    renderer.close()


def test_a_body_is_taken_once_and_order_does_not_matter(site_config, bodies, monkeypatch):
    monkeypatch.setattr(render, "PARALLEL_FROM", 1)
    renderer = BodyRenderer(bodies, list(site_config.markdown_extensions), dict(site_config.mdx_configs))
    last = list(bodies)[-1]
    assert "<h" in renderer.take(last).html  # the last first: the earlier ones are kept until asked for
    assert not renderer.wants(last) and renderer.take(last) is None
    assert all(renderer.take(uri) is not None for uri in list(bodies)[:-1])
    renderer.close()


def test_links_to_other_plans_point_to_their_pages(site_config):
    body = render_body(
        "Xem [NQ 71](71-nq-tw.md#muc-1), [trang](https://example.org/a.md) và [mục](#phan-i).",
        list(site_config.markdown_extensions),
        dict(site_config.mdx_configs),
    )
    assert 'href="../71-nq-tw/#tv-muc-1"' in body.html  # body heading ids carry "tv-" (kehoach.sanitize)
    assert 'href="https://example.org/a.md"' in body.html and 'href="#tv-phan-i"' in body.html


def test_plan_links_match_what_mkdocs_makes_of_them(site_config):
    files = Files([File(u, "docs", "site", True) for u in ("van-ban/x.md", "van-ban/71-nq-tw.md")])
    page = Page(None, files.get_file_from_path("van-ban/x.md"), site_config)
    page.markdown = "[NQ 71](71-nq-tw.md#muc-1)"
    page.render(site_config, files)
    ours = render_body(page.markdown, list(site_config.markdown_extensions), dict(site_config.mdx_configs))
    assert ours.html == page.content == '<p><a href="../71-nq-tw/#tv-muc-1" rel="noopener noreferrer">NQ 71</a></p>'


def _record(title: str, words: str, ward: str) -> str:
    return (
        f'<html lang="vi"><body><main data-pagefind-body><h1>{title}</h1><p>{words}</p>'
        f'<div data-pagefind-ignore><span data-pagefind-filter="Phường">{ward}</span></div></main></body></html>'
    )


def test_indexing_job_writes_a_real_pagefind_bundle(tmp_path: Path):
    records = [
        ("pagefind", f"/van-ban/kh-{i}/", _record(f"Kế hoạch {i}", "chuyển đổi số", "Phường Đống Đa")) for i in range(3)
    ]
    records.append(("pagefind-2", "/don-vi/dong-da/", _record("Phường Đống Đa", "đơn vị", "Phường Đống Đa")))
    job = IndexingJob(records, tmp_path)
    assert job.wait() == []
    entry = json.loads((tmp_path / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["vi"]["page_count"] == 3
    assert (
        json.loads((tmp_path / "pagefind-2" / "pagefind-entry.json").read_text())["languages"]["vi"]["page_count"] == 1
    )
    fragments = [
        json.loads(gzip.decompress(f.read_bytes())[len(b"pagefind_dcd") :])
        for f in (tmp_path / "pagefind" / "fragment").iterdir()
    ]
    assert sorted(f["url"] for f in fragments) == ["/van-ban/kh-0/", "/van-ban/kh-1/", "/van-ban/kh-2/"]
    assert all(f["filters"] == {"Phường": ["Phường Đống Đa"]} and "Đống Đa" not in f["content"] for f in fragments)


def test_indexing_job_reports_pagefind_errors(tmp_path: Path):
    from kehoach.indexer import pagefind_binary

    assert Path(pagefind_binary()).is_file()  # Pagefind itself runs: a missing binary is not the error tested
    blocker = tmp_path / "pagefind"
    blocker.write_text("a file where the bundle's folder should go")
    errors = IndexingJob([("pagefind", "/a/", _record("A", "b", "C"))], tmp_path).wait()
    assert errors and blocker.read_text().startswith("a file")
    assert not any("Không tìm thấy Pagefind" in error for error in errors), errors


def test_workers_draw_missing_qr_codes_first(site_config, bodies, tmp_path, monkeypatch):
    from kehoach.qr import qr_svg

    monkeypatch.setattr(render, "PARALLEL_FROM", 1)
    codes = {tmp_path / f"qr-{i}.svg": f"https://example.org/van-ban/kh-{i}/" for i in range(20)}
    renderer = BodyRenderer(bodies, list(site_config.markdown_extensions), dict(site_config.mdx_configs), codes)
    renderer.qr_ready()
    assert all(path.read_text() == qr_svg(url) for path, url in codes.items())
    assert not list(tmp_path.glob("*.part"))  # written whole, then renamed
    assert all(renderer.take(uri) is not None for uri in bodies)
    renderer.close()
