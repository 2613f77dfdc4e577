"""A page's fingerprint (kehoach.fingerprint) reads the record's whole value: no field is skipped by its type."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from conftest import ROOT
from kehoach.fingerprint import Shown, fingerprint
from kehoach.site import build_site


@pytest.fixture(scope="module")
def site():
    return build_site(ROOT / "plans", ROOT)


def _mark(page, site, units=None):
    return fingerprint(page, "salt", "", Shown(units if units is not None else site.graph.units))


def test_every_kind_of_field_counts(site):
    pages = site.pages
    plan_page, unit_page = pages["van-ban/09-kh-cb-mn-tran-quoc-toan.md"], pages["don-vi/phuong-duong-noi.md"]
    assert _mark(plan_page, site) == _mark(replace(plan_page), site)  # the same value, another instance
    for page, change in (
        (plan_page, dict(title=plan_page.title + "!")),  # a string
        (plan_page, dict(description="")),
        (plan_page, dict(children_total=plan_page.children_total + 1)),  # a number
        (plan_page, dict(reaches_top=not plan_page.reaches_top)),  # a flag
        (plan_page, dict(parents=plan_page.parents[1:])),  # a plan, by id and digest
        (unit_page, dict(unit=replace(unit_page.unit, note="sửa"))),
    ):  # a unit, by value
        assert _mark(page, site) != _mark(replace(page, **change), site), change


def test_a_target_counts_by_value_wherever_it_is_held(site):
    page = site.pages["van-ban/09-kh-cb-mn-tran-quoc-toan.md"]
    year = page.timeline[0]
    entry = year.entries[0]
    changed = replace(entry, target=replace(entry.target, text=entry.target.text + " (sửa)"))
    edited = replace(page, timeline=(replace(year, entries=(changed, *year.entries[1:])), *page.timeline[1:]))
    assert _mark(edited, site) != _mark(page, site)


def test_a_plan_is_shown_with_its_unit(site):
    page = site.pages["van-ban/71-nq-tw.md"]  # lists implementing plans, each with its unit's name
    child = page.children[0]
    units = dict(site.graph.units)
    units[child.unit] = replace(units[child.unit], name="Tên mới")
    assert _mark(page, site, units) != _mark(page, site)
    shown = {p.unit for p in (page.plan, *page.children, *page.parents, *page.lineage)}
    shown |= {x.id for x in page.unit_chain}
    other = next(u for u in units if u not in shown)
    units = dict(site.graph.units)
    units[other] = replace(units[other], name="Tên mới")
    assert _mark(page, site, units) == _mark(page, site)  # a unit the page does not show


@dataclass(frozen=True)
class _Odd:
    value: object


def test_an_undeclared_type_is_an_error_and_sets_are_read_in_order(site):
    page = site.pages["lo-trinh/index.md"]
    with pytest.raises(TypeError, match="complex"):
        _mark(replace(page, title=_Odd(1j)), site)
    one, other = _Odd(frozenset({"a", "b"})), _Odd(frozenset({"b", "a"}))
    assert _mark(replace(page, title=one), site) == _mark(replace(page, title=other), site)


def test_templates_take_from_the_graph_only_what_the_fingerprint_reads():
    """A page shows its record, plus each plan's unit (``kh_graph.unit_of``), which fingerprint.Shown reads with the plan.
    Anything else a template took from the graph would not re-render the page on a serve rebuild."""
    import re

    uses = {
        use
        for path in (ROOT / "overrides").rglob("*.html")
        for use in re.findall(r"kh_graph\.(\w+)", path.read_text(encoding="utf-8"))
    }
    assert uses <= {"unit_of"}, uses


@pytest.mark.parametrize("child_fails", [False, True])
def test_fingerprints_made_ahead_are_the_pages_own(site, tmp_path, monkeypatch, child_fails):
    """PageSources.mark makes half of the fingerprints in a forked process; a failed process leaves its half to
    this one. Either way each page's source is keyed by its own fingerprint."""
    import kehoach.cache as cache

    if child_fails:
        monkeypatch.setattr(cache, "_send_marks", lambda *args: (_ for _ in ()).throw(RuntimeError("hỏng")))
    pages = list(site.pages.values())
    sources = cache.PageSources(tmp_path, site.graph.units)
    sources.mark(pages, "salt")
    generated = [page for page in pages if page.generated]
    assert len(generated) > 20
    for page in generated:
        sources.source(page, "salt")
    fresh = Shown(site.graph.units)
    assert all(sources.index[page.src_uri] == fingerprint(page, "salt", "", fresh) for page in generated)


def test_a_rebuild_that_fails_while_rendering_leaves_its_pages_to_the_next(site, tmp_path):
    """The index is saved before rendering without the pages whose source was rewritten: after a failed
    rebuild and an undone edit, those pages are rendered again (their files may hold the failed build's)."""
    from kehoach.cache import PageSources

    pages = [page for page in site.pages.values() if page.generated][:5]
    before = PageSources(tmp_path, site.graph.units)
    for page in pages:
        before.source(page, "salt")
    before.save()
    failed = PageSources(tmp_path, site.graph.units)
    for page in pages:
        failed.source(page, "salt after an edit")
    failed.save(finished=False)  # then a page fails to render
    undone = PageSources(tmp_path, site.graph.units)
    for page in pages:
        undone.source(page, "salt")
    assert undone.written == {page.src_uri for page in pages}


def test_a_failed_build_stops_the_fingerprinting_process(site, tmp_path, monkeypatch):
    import time

    import kehoach.cache as cache

    monkeypatch.setattr(cache, "_send_marks", lambda *args: time.sleep(600))  # (a child blocked on a full pipe)
    sources = cache.PageSources(tmp_path, site.graph.units)
    sources.mark(list(site.pages.values()), "salt")
    assert sources._pending is not None
    child = sources._pending[0]
    assert child.is_alive()
    sources.close()
    assert not child.is_alive() and sources._pending is None
