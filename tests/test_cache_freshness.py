"""What a serve rebuild and the kept bodies must follow: every feed listing an edited plan, an upgraded package."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import markdown
import pytest

from conftest import ROOT
from corpus import generate
from test_build import _build_into, _differing, _files

CITY = "ha-noi"


def _feed_plans(feed: bytes) -> list[str]:
    """The documents a unit's Atom feed lists, in order."""
    return re.findall(r"<id>[^<]*/van-ban/([a-z0-9-]+)/</id>", feed.decode("utf-8"))


def _linked_from(site, folder: str) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in (site / folder).rglob("index.html"))


@pytest.mark.build
def test_a_serve_rebuild_republishes_every_feed_that_lists_an_edited_plan(tmp_path):
    """A city's feed lists the 50 latest documents of every unit below it, more than its pages show (a unit
    page lists at most 30 documents below it, its embed page 8). After an edit to the summary of a document
    that the feed lists and no page of the city links, `mkdocs build --dirty` (what `make serve` runs) must
    give the city's feed (and the feeds above it) as a plain full build does."""
    plans = generate(120, tmp_path / "corpus", 71)
    served = _build_into(tmp_path / "served", plans, dirty=True)  # serve's first build
    feed = (served / "don-vi" / CITY / "cap-nhat.xml").read_bytes()
    pages = _linked_from(served, f"don-vi/{CITY}")
    unseen = [plan_id for plan_id in _feed_plans(feed) if f"/{plan_id}/" not in pages]
    assert unseen, "the corpus has no document in the city's feed that its pages leave out"
    path = plans / f"{unseen[0]}.md"
    text = path.read_text(encoding="utf-8")
    assert '\nsummary: "' in text, path
    path.write_text(text.replace('\nsummary: "', '\nsummary: "Sửa: ', 1), encoding="utf-8")
    _build_into(served, plans, dirty=True)
    plain = _files(_build_into(tmp_path / "plain", plans, fast=False))
    assert sorted(_differing(_files(served), plain)) == []


@pytest.mark.build
def test_bodies_kept_by_an_earlier_build_follow_an_upgrade_of_the_markdown_package(tmp_path, monkeypatch):
    """The body memo (kehoach/bodymemo.py) is named by the salt of hooks/, overrides/, mkdocs.yml and the
    packages that render bodies (cache.CACHED_BY). A new Markdown (or nh3, pymdown-extensions), here a copy
    earlier on the path, renders bodies differently: a fast build after it publishes the new bodies, as the
    plain build does, not the ones the old code rendered."""
    monkeypatch.setenv("KEHOACH_CACHE_DIR", str(tmp_path / "cache"))
    plans = tmp_path / "plans"
    shutil.copytree(ROOT / "plans", plans)
    _build_into(tmp_path / "fast", plans)  # before the upgrade: the bodies are kept
    upgraded = tmp_path / "upgraded"  # the same Markdown, whose paragraphs now start with a mark
    shutil.copytree(Path(markdown.__file__).parent, upgraded / "markdown")
    core = upgraded / "markdown" / "core.py"
    assert core.read_text(encoding="utf-8").count("return output.strip()") == 1
    mark = 'return output.strip().replace("<p>", "<p>MỚI ")'
    core.write_text(core.read_text(encoding="utf-8").replace("return output.strip()", mark), encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(upgraded))
    fast = _files(_build_into(tmp_path / "fast", plans))
    plain = _files(_build_into(tmp_path / "plain", plans, fast=False))
    assert any("<p>MỚI ".encode() in plain[name] for name in plain if name.startswith("van-ban/"))
    assert sorted(_differing(fast, plain)) == []
