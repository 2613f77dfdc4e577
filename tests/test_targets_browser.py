"""A school's target followed up the chain to the 71-NQ/TW target it serves, and back down, in Chromium.

Site: the base fixture plus tests/fixtures/alignment/ (made-up plans): Trường Mầm non A's target serves the
ward's target, which serves 71-NQ/TW's. On a 360-px phone, without Material's scripts (the site's pages load
none): each "serves" link lands on the target's anchor, which is in view and highlighted (``:target``);
the "served by" list (a <details>) leads back down to the school plan.
"""

from __future__ import annotations

import pytest

from conftest import FIXTURES, fixture_plans, mkdocs_build, serve

SCHOOL, WARD, TOP = "kh-truong-a", "kh-phuong-a", "71-nq-tw"


@pytest.fixture(scope="module")
def targets_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("targets-browser")
    result = mkdocs_build(tmp / "site", fixture_plans(tmp, FIXTURES / "alignment"))
    assert result.returncode == 0, result.stderr
    with serve(tmp / "site") as url:
        yield url


def _at_target(page, target_id: str) -> None:
    """The page shows ``#target_id``: the URL says so, the element matches :target, is highlighted and in view."""
    assert page.evaluate("location.hash") == f"#{target_id}"
    target = page.locator(f"li.kh-target[id='{target_id}']")
    assert target.evaluate("e => e.matches(':target')")
    assert target.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
    box, height = target.bounding_box(), page.viewport_size["height"]
    assert box is not None and 0 <= box["y"] < height, box  # its top is on screen
    assert box["y"] > 40, box  # below Material's sticky header (scroll-margin-top)


def test_a_school_target_up_to_71_and_back_down(phone, targets_site):
    phone.goto(f"{targets_site}van-ban/{SCHOOL}/#t2030-chuan")
    _at_target(phone, "t2030-chuan")
    school_target = phone.locator("li.kh-target[id='t2030-chuan']")
    assert "Phục vụ chỉ tiêu cấp trên" in school_target.inner_text()

    # Up one level: the ward's target that the school's serves.
    school_target.locator(".kh-align__up a.kh-target-ref", has_text="Kế hoạch 10-KH/ĐU").click()
    phone.wait_for_url(f"**/van-ban/{WARD}/#t2030-chuan")
    _at_target(phone, "t2030-chuan")

    # Up again: 71-NQ/TW's target that the ward's serves.
    ward_target = phone.locator("li.kh-target[id='t2030-chuan']")
    ward_target.locator(".kh-align__up a.kh-target-ref", has_text="Nghị quyết 71-NQ/TW").click()
    phone.wait_for_url(f"**/van-ban/{TOP}/#t2030-truong-chuan")
    _at_target(phone, "t2030-truong-chuan")
    top_target = phone.locator("li.kh-target[id='t2030-truong-chuan']")
    assert "2 trực tiếp, 3 tính cả các cấp dưới" in top_target.inner_text()

    # Back down: the "served by" list is closed until opened, then lists the school's target under its unit.
    served = top_target.locator("details.kh-down")
    school_link = served.locator("a.kh-target-ref", has_text="Kế hoạch 05-KH/MN")
    assert not school_link.is_visible()
    served.locator("summary").click()
    assert school_link.is_visible()
    assert "Trường Mầm non A: 1 chỉ tiêu" in " ".join(served.inner_text().split())
    school_link.click()
    phone.wait_for_url(f"**/van-ban/{SCHOOL}/#t2030-chuan")
    _at_target(phone, "t2030-chuan")


def test_a_permalink_is_the_target_anchor(phone, targets_site):
    phone.goto(f"{targets_site}van-ban/{WARD}/")
    permalink = phone.locator("li.kh-target[id='t2030-bo-hoc'] a.kh-permalink")
    assert permalink.get_attribute("aria-label") == "Đường dẫn tới chỉ tiêu t2030-bo-hoc"
    permalink.click()
    phone.wait_for_url(f"**/van-ban/{WARD}/#t2030-bo-hoc")
    _at_target(phone, "t2030-bo-hoc")
    warning = phone.locator("li.kh-target[id='t2035-chuan-muon'] .kh-warn").all_inner_texts()
    assert [w.strip() for w in warning] == ["muộn hơn", "thấp hơn"]
