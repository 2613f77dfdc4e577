"""Feeds: new and changed documents as Atom (the site's and each unit's), and each unit's calendar (iCalendar).

"New" and "changed" come from git history (kehoach/history.py): an entry is published when the file was
first committed and updated at its last commit. Outside git, the document's own date stands for both; a
document with neither is left out (its time is unknown). A unit's feed holds its documents and those of
the units below it, latest first.

A unit's calendar holds the due years of its own documents' targets and the dates of its reports (type BC).
A document gives a target's year only, so the event is an all-day event on 31 December of that year, and its
description says so. UIDs are stable: ``<plan>.<target>@<host>`` and ``<plan>@<host>``. Both formats are
escaped on the way out: Atom by feedgen (lxml), iCalendar by kehoach/ical.py (why not the icalendar package: there).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import urllib.parse
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping

from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]

from . import ical
from .graph import Graph
from .history import Changes
from .model import Plan, Target, Unit
from .pages import plan_url, unit_url
from .targetrules import REPORT_TYPE

SITE_FEED = "du-lieu/cap-nhat.xml"
FEED_ENTRIES = 50  # latest entries per feed
SITE_TITLE = "Kế hoạch giáo dục theo Nghị quyết 71"
VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")
NEVER = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # the required "updated"/DTSTAMP of a feed with no known time
PRODID = "-//ke-hoach-nq71//Lich chi tieu//VI"
SUMMARY_CHARS = 120


def unit_feed_uri(unit_id: str) -> str:
    return f"don-vi/{unit_id}/cap-nhat.xml"


def unit_calendar_uri(unit_id: str) -> str:
    return f"don-vi/{unit_id}/lich.ics"


def has_calendar(plans: Iterable[Plan]) -> bool:
    """Whether a unit with these documents has a calendar: one target, or one dated report."""
    return any(p.targets or (p.type == REPORT_TYPE and p.date) for p in plans)


def changes_of(plan: Plan, history: Mapping[str, Changes]) -> Changes | None:
    """When the document was added and last changed: git's times, else its own date, else unknown."""
    known = history.get(plan.path)
    if known is not None:
        return known
    if plan.date is None:
        return None
    time = dt.datetime.combine(plan.date, dt.time(), VIETNAM)
    return Changes(time, time)


def latest_first(graph: Graph, history: Mapping[str, Changes]) -> list[tuple[Changes, Plan]]:
    """Every dated document, the last changed first (then by id)."""
    dated = [(c, p) for p in graph.plans.values() if (c := changes_of(p, history)) is not None]
    dated.sort(key=lambda item: item[1].id)
    dated.sort(key=lambda item: item[0].updated, reverse=True)
    return dated


def unit_entries(graph: Graph, dated: list[tuple[Changes, Plan]]) -> dict[str, list[tuple[Changes, Plan]]]:
    """Each unit's latest entries (its documents and those below it), in one pass over the documents."""
    entries: dict[str, list[tuple[Changes, Plan]]] = defaultdict(list)
    for item in dated:
        for unit in graph.unit_chain(item[1].unit):
            if len(entries[unit.id]) < FEED_ENTRIES:
                entries[unit.id].append(item)
    return entries


def atom_feed(graph: Graph, base: str, uri: str, title: str, page: str, entries: list[tuple[Changes, Plan]]) -> bytes:
    """An Atom feed at ``base + uri`` about the page ``base + page``, entries in the order given."""
    feed = FeedGenerator()
    feed.id(base + uri)
    feed.title(title)
    feed.author(name=SITE_TITLE)
    feed.link(href=base + page, rel="alternate", type="text/html")
    feed.link(href=base + uri, rel="self", type="application/atom+xml")
    feed.language("vi")
    feed.updated(max((c.updated for c, _ in entries), default=NEVER))
    for changes, plan in entries:
        unit = graph.unit_of(plan)
        entry = feed.add_entry(order="append")
        entry.id(base + plan_url(plan.id))
        entry.title(f"{plan.short_title} – {unit.name}")
        entry.link(href=base + plan_url(plan.id), rel="alternate", type="text/html")
        entry.author(name=unit.name)
        entry.published(changes.added)
        entry.updated(changes.updated)
        entry.summary(f"{plan.type_name} số {plan.number_label}, ngày {plan.date_label}: {plan.summary or plan.title}")
    return bytes(feed.atom_str(pretty=False))


def unit_feeds(
    graph: Graph, base: str, history: Mapping[str, Changes], units: Iterable[Unit]
) -> Iterator[tuple[str, bytes]]:
    """The given units' feeds, as (site-relative path, bytes)."""
    entries = unit_entries(graph, latest_first(graph, history))
    for unit in units:
        title = f"{unit.name}: văn bản mới và văn bản sửa đổi"
        yield (
            unit_feed_uri(unit.id),
            atom_feed(graph, base, unit_feed_uri(unit.id), title, unit_url(unit.id), entries.get(unit.id, [])),
        )


def site_feed(graph: Graph, base: str, history: Mapping[str, Changes]) -> bytes:
    entries = latest_first(graph, history)[:FEED_ENTRIES]
    return atom_feed(graph, base, SITE_FEED, f"{SITE_TITLE}: văn bản mới và văn bản sửa đổi", "", entries)


def calendar(graph: Graph, base: str, history: Mapping[str, Changes], unit: Unit) -> bytes:
    """The unit's calendar: its documents' target years and its reports' dates, each event once."""
    name = ical.text(f"{unit.name}: lịch chỉ tiêu")
    head = [
        ("VERSION", "2.0"),
        ("PRODID", PRODID),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
        ("NAME", name),
        ("X-WR-CALNAME", name),
        ("URL;VALUE=URI", base + unit_calendar_uri(unit.id)),
        ("REFRESH-INTERVAL;VALUE=DURATION", "P1D"),
        ("X-PUBLISHED-TTL", "P1D"),
    ]
    host = urllib.parse.urlsplit(base).hostname or "localhost"
    events: dict[str, list[ical.Line]] = {}
    for plan in graph.plans_of(unit.id):
        stamp = ical.utc((changes_of(plan, history) or Changes(NEVER, NEVER)).updated)
        found = [_target_event(plan, t, base, host) for t in plan.targets]
        if plan.type == REPORT_TYPE and plan.date is not None:
            found.append(_report_event(plan, base, host))
        for uid, lines in found:
            events.setdefault(uid, [("UID", ical.text(uid)), ("DTSTAMP", stamp), *lines])
    return ical.calendar(head, events.values())


def _target_event(plan: Plan, target: Target, base: str, host: str) -> tuple[str, list[ical.Line]]:
    name = target.id or "y" + hashlib.blake2b(f"{target.year}\0{target.text}".encode(), digest_size=6).hexdigest()
    measure = f"{target.measure} – " if target.measure else ""
    description = (
        f"{measure}{target.text}\n{plan.short_title}: {plan.title}\n"
        f"Văn bản chỉ ghi năm {target.year}, không ghi ngày cụ thể: lịch đặt chỉ tiêu vào ngày cuối năm, "
        f"31/12/{target.year}."
    )
    url = base + plan_url(plan.id) + (f"#{target.id}" if target.id else "")
    summary = _short(f"Chỉ tiêu {target.year}: {measure}{target.text}")
    return f"{plan.id}.{name}@{host}", _all_day(dt.date(target.year, 12, 31), summary, description, url)


def _report_event(plan: Plan, base: str, host: str) -> tuple[str, list[ical.Line]]:
    assert plan.date is not None
    description = f"{plan.short_title}, ngày {plan.date_label}: {plan.title}"
    summary = _short(f"{plan.short_title}: {plan.title}")
    return f"{plan.id}@{host}", _all_day(plan.date, summary, description, base + plan_url(plan.id))


def _all_day(day: dt.date, summary: str, description: str, url: str) -> list[ical.Line]:
    return [
        ("DTSTART;VALUE=DATE", ical.date(day)),
        ("DTEND;VALUE=DATE", ical.date(day + dt.timedelta(days=1))),
        ("SUMMARY", ical.text(summary)),
        ("DESCRIPTION", ical.text(description)),
        ("URL;VALUE=URI", url),
        ("TRANSP", "TRANSPARENT"),
    ]


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rstrip() + "…"
