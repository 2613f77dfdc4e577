"""Writes the open-data files and feeds of one build into the site folder, beside or after the pages.

A build publishes the files of the pages it renders: a document's ``data.json`` beside its page, a unit's
feed and calendar beside its page, and the site-wide files (``du-lieu/``) with the "Dữ liệu mở" page, so
that shards (kehoach/shards.py) each write their own part. Feeds and calendars need the site's address
(``site_url``) for their absolute links; without one they are not written, and pages do not link them.
Each unit's embed page (kehoach/embed.py), standalone HTML, is written with them. A fast build writes them from
a forked process while its templates render (``Publishing``).
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from .datapage import OpenDataPage
from .dataschema import json_schema
from .embed import EmbedPage, EmbedTheme, embed_files
from .feeds import SITE_FEED, calendar, has_calendar, site_feed, unit_calendar_uri, unit_feed_uri, unit_feeds
from .graph import Graph
from .history import Changes
from .model import Plan, Unit
from .opendata import DOCUMENTS_JSON, SCHEMA_JSON, TARGETS_CSV, OpenData, data_uri
from .pages import Page, PlanPage, UnitPage


def site_base(site_url: str | None) -> str:
    """The prefix of absolute URLs in the files: the site's address ending in "/", else "/"."""
    return site_url.rstrip("/") + "/" if site_url else "/"


def open_files(
    graph: Graph,
    pages: Iterable[Page],
    history: Mapping[str, Changes],
    site_url: str | None,
    theme: EmbedTheme | None = None,
) -> Iterator[tuple[str, bytes]]:
    """(site-relative path, bytes) of every open-data file and feed of these pages, and their embed pages."""
    base = site_base(site_url)
    data = OpenData(graph, base, history, graph.alignment)
    plans: dict[str, Plan] = {}  # each once
    units: dict[str, Unit] = {}
    embeds: list[EmbedPage] = []
    hub = False
    for page in pages:
        if isinstance(page, EmbedPage):
            embeds.append(page)
        elif isinstance(page, PlanPage):
            plans[page.plan.id] = page.plan
        elif isinstance(page, UnitPage):
            units[page.unit.id] = page.unit
        hub = hub or isinstance(page, OpenDataPage)
    if theme is not None and embeds:
        yield from embed_files(embeds, theme)
    for plan in plans.values():
        yield data_uri(plan.id), data.document_json(plan)
    if hub:
        yield DOCUMENTS_JSON, data.documents_json()
        yield TARGETS_CSV, data.targets_csv()
        yield SCHEMA_JSON, json.dumps(json_schema(base), ensure_ascii=False, indent=1).encode("utf-8")
    if not site_url:
        return
    if hub:
        yield SITE_FEED, site_feed(graph, base, history)
    yield from unit_feeds(graph, base, history, units.values())
    for unit in units.values():
        if has_calendar(graph.plans_of(unit.id)):
            yield unit_calendar_uri(unit.id), calendar(graph, base, history, unit)


def publish(
    graph: Graph,
    pages: list[Page],
    history: Mapping[str, Changes],
    site_url: str | None,
    site_dir: Path,
    theme: EmbedTheme | None = None,
) -> dict[str, int]:
    """Makes and writes every open-data file and feed of these pages, and their embed pages; each one's size."""
    return write_files(site_dir, open_files(graph, pages, history, site_url, theme))


def republished(graph: Graph, pages: Mapping[str, Page], changed: Mapping[str, Page]) -> list[Page]:
    """What a dirty rebuild publishes again: the files of the pages that changed, the site-wide files (the "Dữ
    liệu mở" page's), and the feeds and calendars of every unit above a changed plan or unit page: a unit's feed
    lists more documents below it than its pages show."""
    units = {p.plan.unit for p in changed.values() if isinstance(p, PlanPage)}
    units |= {p.unit.id for p in changed.values() if isinstance(p, UnitPage)}
    above = {u.id for unit_id in units if unit_id in graph.units for u in graph.unit_chain(unit_id)}
    return [
        *changed.values(),
        *(p for p in pages.values() if isinstance(p, OpenDataPage)),
        *(p for p in pages.values() if type(p) is UnitPage and p.unit.id in above and p.src_uri not in changed),
    ]


class Publishing:
    """The open-data files of one build. With ``fork``, a forked process (niced, as the body workers) makes and
    writes them while the build renders its templates, and ``wait()`` joins it; else ``wait()`` writes them."""

    def __init__(
        self,
        graph: Graph,
        pages: Iterable[Page],
        history: Mapping[str, Changes],
        site_url: str | None,
        site_dir: Path,
        fork: bool,
        theme: EmbedTheme | None = None,
    ) -> None:
        self._args = (graph, list(pages), history, site_url, site_dir, theme)
        self._process: multiprocessing.process.BaseProcess | None = None
        if fork and "fork" in multiprocessing.get_all_start_methods():
            self._process = multiprocessing.get_context("fork").Process(target=_child, args=self._args, daemon=True)
            self._process.start()

    def wait(self) -> dict[str, int]:
        """Every file is written: the sizes when written here (by a plain build, or again if the process failed)."""
        if self._process is not None:
            self._process.join()
            if self._process.exitcode == 0:
                return {}
        return publish(*self._args)


def _child(*args: Any) -> None:
    os.nice(5)  # the build's own process comes first: it is the critical path
    publish(*args)


def write_files(site_dir: Path, files: Iterable[tuple[str, bytes]]) -> dict[str, int]:
    """Writes each file (its folder made if needed) unless it holds these bytes already (a serve rebuild then
    leaves it, as MkDocs leaves a page that comes out the same); the size of each, by path."""
    sizes: dict[str, int] = {}
    for uri, content in files:
        path = site_dir / uri
        if not _holds(path, content):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        sizes[uri] = len(content)
    return sizes


def _holds(path: Path, content: bytes) -> bool:
    try:
        return path.stat().st_size == len(content) and path.read_bytes() == content
    except OSError:
        return False


def template_globals() -> dict[str, object]:
    """What templates link to: a document's data, a unit's feed and calendar, the site feed."""
    return dict(
        data_url=data_uri,
        unit_feed_url=unit_feed_uri,
        unit_calendar_url=unit_calendar_uri,
        has_calendar=has_calendar,
        site_feed_url=SITE_FEED,
    )
