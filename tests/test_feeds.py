"""Feeds: Atom (site and unit) read back with feedparser, iCalendar read back with vobject and icalendar."""

from __future__ import annotations

import datetime as dt
import mimetypes

import feedparser
import icalendar
import pytest
import vobject

from conftest import FIXTURES, ROOT, fixture_plans
from htmlcheck import page_file
from kehoach import ical
from kehoach.feeds import FEED_ENTRIES, SITE_FEED, site_feed, unit_calendar_uri, unit_feed_uri, unit_feeds
from kehoach.history import Changes, file_history
from kehoach.publish import open_files
from kehoach.site import build_site

URL = "https://truong.example.vn/ke-hoach/"
UTC = dt.UTC


def published(plans, root, url=URL, history=None):
    site = build_site(plans, root)
    assert site.ok, site.problems
    return site, dict(open_files(site.graph, site.pages.values(), history or site.history, url))


@pytest.fixture()
def aligned(tmp_path):
    return published(fixture_plans(tmp_path, FIXTURES / "alignment"), tmp_path)


def at(day: int, month: int = 3) -> dt.datetime:
    return dt.datetime(2027, month, day, tzinfo=UTC)


def test_the_site_feed_is_valid_atom_with_the_latest_changes_first(tmp_path):
    site = build_site(fixture_plans(tmp_path, FIXTURES / "alignment"), tmp_path)
    history = {"plans/kh-truong-a.md": Changes(at(1), at(20, 6)), "plans/71-nq-tw.md": Changes(at(2), at(3))}
    feed = feedparser.parse(site_feed(site.graph, URL, history))
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10" and feed.feed.id == URL + SITE_FEED
    assert feed.feed.title.endswith("văn bản mới và văn bản sửa đổi") and feed.feed.language == "vi"
    assert {link.rel: link.href for link in feed.feed.links} == {"alternate": URL, "self": URL + SITE_FEED}
    first = feed.entries[0]
    assert first.id == first.link == URL + "van-ban/kh-truong-a/"
    assert first.published == "2027-03-01T00:00:00+00:00" and first.updated == "2027-06-20T00:00:00+00:00"
    assert feed.feed.updated == first.updated
    updated = [e.updated_parsed for e in feed.entries]
    assert updated == sorted(updated, reverse=True)
    # outside git history a document's own date stands for both times; an undated draft has none: left out
    ids = [e.id.removeprefix(URL + "van-ban/").rstrip("/") for e in feed.entries]
    assert "kh-truong-b" not in ids and set(ids) == {p for p, plan in site.graph.plans.items() if plan.date}
    report = next(e for e in feed.entries if e.id.endswith("/bc-so-ket-phuong-a-2026/"))
    assert (
        report.published.startswith("2026-07-05T00:00:00+07:00") and report.author == site.graph.units["phuong-a"].name
    )


def test_a_unit_feed_holds_its_documents_and_those_below_it(aligned):
    site, files = aligned
    ward = feedparser.parse(files[unit_feed_uri("phuong-a")])
    school = feedparser.parse(files[unit_feed_uri("truong-a")])
    assert not ward.bozo and not school.bozo
    assert ward.feed.id == URL + unit_feed_uri("phuong-a") and ward.feed.link == URL + "don-vi/phuong-a/"
    ward_ids = {e.id for e in ward.entries}
    assert URL + "van-ban/kh-phuong-a/" in ward_ids and URL + "van-ban/kh-truong-a/" in ward_ids
    assert URL + "van-ban/71-nq-tw/" not in ward_ids
    assert {e.id for e in school.entries} == {URL + f"van-ban/{p.id}/" for p in site.graph.plans_of("truong-a")}
    assert set(files) >= {unit_feed_uri(u) for u in site.graph.units}  # every unit, even without documents


def test_a_feed_keeps_the_latest_entries_only(tmp_path):
    site = build_site(fixture_plans(tmp_path, FIXTURES / "alignment"), tmp_path)
    import kehoach.feeds as feeds

    units = list(site.graph.units.values())
    everything = feedparser.parse(dict(unit_feeds(site.graph, URL, {}, units))[unit_feed_uri("trung-uong")])
    assert len(everything.entries) == len([p for p in site.graph.plans.values() if p.date]) <= FEED_ENTRIES
    limit, feeds.FEED_ENTRIES = feeds.FEED_ENTRIES, 2
    try:
        cut = feedparser.parse(dict(unit_feeds(site.graph, URL, {}, units))[unit_feed_uri("trung-uong")])
    finally:
        feeds.FEED_ENTRIES = limit
    assert [e.id for e in cut.entries] == [e.id for e in everything.entries[:2]]


def test_hostile_values_are_escaped_in_feeds_and_read_back_exactly(tmp_path):
    site, files = published(fixture_plans(tmp_path, FIXTURES / "opendata"), tmp_path)
    plan, unit = site.graph.plans["cong-thuc"], site.graph.units["truong-x"]
    raw = files[unit_feed_uri("truong-x")]
    assert b"<script>" not in raw and b"<b>" not in raw and b"<![CDATA[" not in raw
    feed = feedparser.parse(raw)
    assert not feed.bozo, feed.bozo_exception
    entry = next(e for e in feed.entries if e.id.endswith("/cong-thuc/"))
    assert entry.title == f"{plan.short_title} – {unit.name}" and entry.author == unit.name
    assert entry.summary_detail.type == "text/plain" and plan.summary in entry.summary


def test_the_html_fixture_values_stay_text_in_every_feed(tmp_path):
    site, files = published(fixture_plans(tmp_path, FIXTURES / "hostile" / "front-matter-html"), tmp_path)
    plan = site.graph.plans["hostile"]
    for path, data in files.items():
        if path.endswith(".xml"):  # markup in a value is text: escaped
            assert b"<script>" not in data and b"<img src" not in data, path
            assert not feedparser.parse(data).bozo, path
    calendar = vobject.readOne(files[unit_calendar_uri(plan.unit)].decode("utf-8"))  # iCalendar has no markup
    assert [e.summary.value for e in calendar.vevent_list] == [
        "Chỉ tiêu 2030: 5 <img src=x onerror=alert(1)> – <script>alert(1)</script>"
    ]


def test_a_unit_calendar_reads_back_in_two_independent_parsers(aligned):
    site, files = aligned
    data = files[unit_calendar_uri("phuong-a")]
    parsed = vobject.readOne(data.decode("utf-8"))
    assert parsed.version.value == "2.0" and parsed.prodid.value.startswith("-//")
    assert parsed.contents["x-wr-calname"][0].value == f"{site.graph.units['phuong-a'].name}: lịch chỉ tiêu"
    events = {e.uid.value: e for e in parsed.vevent_list}
    plan = site.graph.plans["kh-phuong-a"]
    for target in plan.targets:
        event = events[f"kh-phuong-a.{target.id}@truong.example.vn"]
        assert event.dtstart.value == dt.date(target.year, 12, 31) and not isinstance(event.dtstart.value, dt.datetime)
        assert event.dtend.value == dt.date(target.year + 1, 1, 1)
        assert target.text in event.description.value and f"31/12/{target.year}" in event.description.value
        assert "không ghi ngày cụ thể" in event.description.value
        assert event.url.value == f"{URL}van-ban/kh-phuong-a/#{target.id}"
    reports = {uid: e for uid, e in events.items() if uid.startswith("bc-")}
    assert {uid: e.dtstart.value for uid, e in reports.items()} == {
        "bc-so-ket-phuong-a-2026@truong.example.vn": dt.date(2026, 7, 5),
        "bc-tong-ket-phuong-a-2026@truong.example.vn": dt.date(2027, 1, 10),
    }
    assert len(events) == len(plan.targets) + 2
    other = icalendar.Calendar.from_ical(data)
    assert [str(e["UID"]) for e in other.walk("VEVENT")] == [e.uid.value for e in parsed.vevent_list]
    assert all(isinstance(e.decoded("DTSTAMP"), dt.datetime) for e in other.walk("VEVENT"))


def test_a_calendar_is_subscribable_text(aligned):
    _, files = aligned
    data = files[unit_calendar_uri("phuong-a")]
    assert mimetypes.guess_type(unit_calendar_uri("phuong-a"))[0] == "text/calendar"
    assert data.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    lines = data.split(b"\r\n")
    assert b"\n" not in b"".join(lines) and all(len(line) <= 75 for line in lines)
    assert b"REFRESH-INTERVAL;VALUE=DURATION:P1D" in data
    # a unit without targets or reports has no calendar (an empty VCALENDAR is not valid iCalendar)
    assert unit_calendar_uri("trung-uong") not in files


def test_hostile_text_reads_back_exactly_from_a_calendar(tmp_path):
    site, files = published(fixture_plans(tmp_path, FIXTURES / "opendata"), tmp_path)
    plan, unit = site.graph.plans["cong-thuc"], site.graph.units["truong-x"]
    data = files[unit_calendar_uri("truong-x")]
    for parsed in (vobject.readOne(data.decode("utf-8")), None):
        if parsed is not None:
            assert parsed.contents["x-wr-calname"][0].value == f"{unit.name}: lịch chỉ tiêu"
            description = next(e for e in parsed.vevent_list if "t2030" in e.uid.value).description.value
        else:
            other = icalendar.Calendar.from_ical(data)
            description = next(str(e["DESCRIPTION"]) for e in other.walk("VEVENT") if "t2030" in str(e["UID"]))
        assert description.startswith("≥ 5 =1+1 – " + plan.targets[0].text + "\n")
        assert plan.title in description
    report = next(e for e in vobject.readOne(data.decode("utf-8")).vevent_list if e.uid.value.startswith("bc-"))
    assert report.dtstart.value == dt.date(2026, 7, 10)


def test_fold_cuts_on_characters_and_unfolds_to_the_line():
    line = "DESCRIPTION:" + ical.text("Trường Mầm non Đống Đa; chỉ tiêu, năm 2030\\ " * 9 + "\nhết")
    folded = ical.fold(line)
    parts = folded.removesuffix(b"\r\n").split(b"\r\n")
    assert len(parts) > 5 and all(len(p) <= 75 for p in parts) and all(p.startswith(b" ") for p in parts[1:])
    assert all(part.decode("utf-8") for part in parts)  # no character cut in two
    assert not any(p.endswith(b"\\") for p in parts[:-1])  # no escape cut in two
    assert b"".join([parts[0], *(p[1:] for p in parts[1:])]).decode("utf-8") == line
    assert ical.fold("SHORT:x") == b"SHORT:x\r\n"
    assert ical.text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"


def test_the_same_records_give_the_same_feeds(tmp_path):
    plans = fixture_plans(tmp_path, FIXTURES / "alignment")
    first, second = published(plans, tmp_path)[1], published(plans, tmp_path)[1]
    assert {k: v for k, v in first.items() if k.endswith((".xml", ".ics"))} == {
        k: v for k, v in second.items() if k.endswith((".xml", ".ics"))
    }


def test_without_a_site_address_there_are_no_feeds(tmp_path):
    _, files = published(fixture_plans(tmp_path, FIXTURES / "alignment"), tmp_path, url=None)
    assert files and not [path for path in files if path.endswith((".xml", ".ics"))]


def test_added_and_updated_times_come_from_git():
    history = file_history(ROOT / "plans", ROOT)
    if not history:
        pytest.skip("not a git checkout")
    changes = history["plans/71-nq-tw.md"]
    assert changes.added <= changes.updated and changes.added.tzinfo is not None


def test_a_built_unit_page_links_its_feed_and_calendar(built_site):
    html = page_file(built_site, "don-vi/dang-uy-phuong-dong-da/").read_text(encoding="utf-8")
    assert 'href="cap-nhat.xml"' in html and 'href="lich.ics"' in html
    assert '<link rel="alternate" type="application/atom+xml" href="cap-nhat.xml"' in html
    home = page_file(built_site, "").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/atom+xml" href="du-lieu/cap-nhat.xml"' in home
    for path in ("du-lieu/cap-nhat.xml", "don-vi/dang-uy-phuong-dong-da/cap-nhat.xml"):
        assert not feedparser.parse((built_site / path).read_bytes()).bozo, path
    assert vobject.readOne((built_site / "don-vi/dang-uy-phuong-dong-da/lich.ics").read_text(encoding="utf-8"))
    top = page_file(built_site, "don-vi/trung-uong/").read_text(encoding="utf-8")  # no document of its own
    assert 'href="cap-nhat.xml"' in top and "lich.ics" not in top
    assert not (built_site / "don-vi/trung-uong/lich.ics").exists()
