"""Writes the open-data files and feeds of one build into the site folder, beside or after the pages.

A build publishes the files of the pages it renders: a document's ``data.json`` beside its page, a unit's
feed and calendar beside its page, and the site-wide files (``du-lieu/``) with the "Dữ liệu mở" page, so
that shards (kehoach/shards.py) each write their own part. Feeds and calendars need the site's address
(``site_url``) for their absolute links; without one they are not written, and pages do not link them.
A fast build writes them from a forked process while its templates render (``Publishing``).
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from .datapage import OpenDataPage
from .dataschema import json_schema
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
    graph: Graph, pages: Iterable[Page], history: Mapping[str, Changes], site_url: str | None
) -> Iterator[tuple[str, bytes]]:
    """(site-relative path, bytes) of every open-data file and feed of these pages."""
    base = site_base(site_url)
    data = OpenData(graph, base, history, graph.alignment)
    plans: dict[str, Plan] = {}  # each once: a page type may extend another (an embed page is a unit page)
    units: dict[str, Unit] = {}
    hub = False
    for page in pages:
        if isinstance(page, PlanPage):
            plans[page.plan.id] = page.plan
        elif isinstance(page, UnitPage):
            units[page.unit.id] = page.unit
        hub = hub or isinstance(page, OpenDataPage)
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
    graph: Graph, pages: list[Page], history: Mapping[str, Changes], site_url: str | None, site_dir: Path
) -> dict[str, int]:
    """Makes and writes every open-data file and feed of these pages; the size of each, by path."""
    return write_files(site_dir, open_files(graph, pages, history, site_url))


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
    ) -> None:
        self._args = (graph, list(pages), history, site_url, site_dir)
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


def _child(
    graph: Graph, pages: list[Page], history: Mapping[str, Changes], site_url: str | None, site_dir: Path
) -> None:
    os.nice(5)  # the build's own process comes first: it is the critical path
    publish(graph, pages, history, site_url, site_dir)


def write_files(site_dir: Path, files: Iterable[tuple[str, bytes]]) -> dict[str, int]:
    """Writes each file (its folder made if needed); the size of each, by path."""
    sizes: dict[str, int] = {}
    for uri, content in files:
        path = site_dir / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        sizes[uri] = len(content)
    return sizes


def template_globals() -> dict[str, object]:
    """What templates link to: a document's data, a unit's feed and calendar, the site feed."""
    return dict(
        data_url=data_uri,
        unit_feed_url=unit_feed_uri,
        unit_calendar_url=unit_calendar_uri,
        has_calendar=has_calendar,
        site_feed_url=SITE_FEED,
    )
