"""The editors' workflow: schema page, template, edit links, subpath and one-unit builds."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, mkdocs_build, serve
from htmlcheck import links_from, page_file, parse
from kehoach import schema
from kehoach.site import check


def test_schema_reference_lists_every_key_with_meaning_and_example(built_site):
    html = page_file(built_site, "huong-dan/luoc-do/").read_text(encoding="utf-8")
    for group, prefix in ((schema.PLAN, "kh-"), (schema.UNIT, "dv-")):
        for field in group:
            anchor = prefix + field.name.replace("_", "-")
            assert f'id="{anchor}"' in html, anchor
            row = html[html.index(f'id="{anchor}"') :]
            row = row[: row.index("</tr>")]
            assert field.meaning.split("(")[0].strip()[:20] in row.replace("&#39;", "'").replace("&#34;", '"')
            assert ("Bắt buộc" in row) == field.required
    assert "Các khóa trong <code>targets</code>" in html
    row = html[html.index('id="kh-targets-measure-unit"') :]
    assert "Tên cũ, không còn dùng: <code>unit</code>" in row[: row.index("</tr>")]  # the renamed key


def test_guide_is_in_the_navigation_and_links_the_schema(built_site):
    assert "huong-dan/luoc-do/" in links_from(built_site, "huong-dan/")
    text = "".join(parse(built_site, "huong-dan/").text)
    assert "Thêm một kế hoạch mới" in text and "Sửa một kế hoạch đã có" in text


def test_the_template_is_a_valid_plan_once_copied(tmp_path):
    plans = tmp_path / "plans"
    shutil.copytree(ROOT / "plans", plans)
    shutil.copy(plans / "_mau-ke-hoach.md", plans / "12-kh-cb-mau.md")
    graph, problems = check(plans, tmp_path)
    assert [str(p) for p in problems] == []
    assert "12-kh-cb-mau" in graph.plans and "_mau-ke-hoach" not in graph.plans


def test_every_plan_page_has_an_edit_link_to_its_file_and_a_date(built_site):
    graph, _ = check(ROOT / "plans", ROOT)
    for plan_id in graph.plans:
        html = page_file(built_site, f"van-ban/{plan_id}/").read_text(encoding="utf-8")
        assert f'/edit/main/plans/{plan_id}.md"' in html, plan_id
        assert "Cập nhật lần cuối:" in html


def test_last_updated_comes_from_git():
    from kehoach.history import last_changed

    dates = last_changed(ROOT / "plans", ROOT)
    if not dates:
        pytest.skip("not a git checkout")
    expected = subprocess.run(
        ["git", "log", "-1", "--format=%cs", "--", "plans/71-nq-tw.md"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    assert dates["plans/71-nq-tw.md"].isoformat() == expected


def _linkcheck(url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "linkcheck", "--no-status", "--no-warnings", url],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_site_works_under_a_subpath(built_site, tmp_path):
    host = tmp_path / "host"
    host.mkdir()
    shutil.copytree(built_site, host / "ke-hoach")
    (host / "index.html").write_text("<p>Website của trường</p>", encoding="utf-8")
    with serve(host, "ke-hoach/") as url:
        result = _linkcheck(url)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 errors found" in result.stdout


def test_one_unit_builds_alone_with_its_ancestors_documents(tmp_path, monkeypatch):
    site = tmp_path / "site"
    monkeypatch.setenv("KEHOACH_UNIT", "phuong-dong-da")
    result = mkdocs_build(site)
    assert result.returncode == 0, result.stderr
    built = {p.name for p in (site / "van-ban").iterdir()}
    assert built == {
        "kh-du-dong-da-tuyen-truyen-nq71",
        "kh-du-dong-da-trien-khai-05-ctr-tu",
        "05-ctr-tu-ha-noi",
        "29-kh-btgdvtu-ha-noi",
        "71-nq-tw",
    }
    units = {p.name for p in (site / "don-vi").iterdir() if p.is_dir()}
    assert {"phuong-dong-da", "dang-uy-phuong-dong-da", "ha-noi", "trung-uong"} <= units
    assert "truong-th-hien-thanh" not in units
    assert {u for u in links_from(site, "van-ban/71-nq-tw/", "van-ban-trien-khai") if u.startswith("van-ban/")} == {
        "van-ban/05-ctr-tu-ha-noi/",
        "van-ban/29-kh-btgdvtu-ha-noi/",
        "van-ban/kh-du-dong-da-tuyen-truyen-nq71/",
        "van-ban/kh-du-dong-da-trien-khai-05-ctr-tu/",
    }
    with serve(site) as url:
        checked = _linkcheck(url)
    assert checked.returncode == 0, checked.stdout[-3000:]


def test_unknown_unit_for_a_unit_build_is_refused(tmp_path):
    graph, problems = check(ROOT / "plans", ROOT, unit="khong-co")
    assert graph is None and [str(p) for p in problems] == [
        "plans/units.yml:1: unit: không có đơn vị 'khong-co' để xây dựng riêng"
    ]
