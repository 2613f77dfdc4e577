"""A unit's embed page: what a school's website frames (``overrides/embed.html``).

Its own documents, newest first, and the targets due next, each cut to a few so that the page stays
a few kilobytes at any scale; a unit without documents of its own (a ward, whose documents are its
committees' and schools') shows those of the units below it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import ClassVar

import jinja2

from .fragments import relative_url
from .graph import Graph
from .minify import compact_html
from .model import Plan, Unit
from .pages import UnitPage, embed_url, template_globals
from .timeline import TimelineYear

EMBED_PLANS = 8  # documents shown, newest first
EMBED_TARGETS = 10  # targets of the next due years shown


@dataclass(frozen=True, kw_only=True)
class EmbedPage(UnitPage):
    """A unit page (a shard renders it with its unit) of bounded size, never indexed.

    ``timeline`` holds the first targets due from ``from_year`` on, ``targets_total`` all of them.
    """

    indexed: ClassVar[bool] = False
    by_generator: ClassVar[bool] = False  # standalone HTML, written beside the unit page (``embed_files``)
    below: bool = False  # the unit has no document of its own: those of the units below it are shown
    plans_total: int = 0
    targets_total: int = 0
    from_year: int = 0


def embed_page(graph: Graph, unit: Unit, year: int) -> EmbedPage:
    """``year``: the first year whose targets count as due next (the build's year)."""
    own = graph.plans_of(unit.id)
    source = own or graph.plans_under(unit.id)
    upcoming = [(y, entries) for y, entries in graph.timeline(source).items() if y >= year]
    shown: list[TimelineYear] = []
    room = EMBED_TARGETS
    for y, entries in upcoming:
        if room <= 0:
            break
        shown.append(TimelineYear(y, len(entries), tuple(entries[:room])))
        room -= min(room, len(entries))
    return EmbedPage(
        src_uri=f"don-vi/{unit.id}/nhung.md",
        title=unit.name,
        template="embed.html",
        description=f"Văn bản và chỉ tiêu sắp đến hạn của {unit.name}, để nhúng vào trang web của trường.",
        unit=unit,
        below=not own,
        plans=newest(source, EMBED_PLANS),
        plans_total=len(source),
        plans_below_total=graph.count_under(unit.id) - len(own),
        timeline=tuple(shown),
        targets_total=sum(len(entries) for _, entries in upcoming),
        from_year=year,
    )


@dataclass(frozen=True)
class EmbedTheme:
    """Where ``embed.html`` is (the theme's folders, the site's own first) and the site's name it shows."""

    folders: tuple[str, ...]
    site_name: str


def embed_files(pages: Iterable[EmbedPage], theme: EmbedTheme) -> Iterator[tuple[str, bytes]]:
    """(site path, bytes) of each embed page, rendered from ``embed.html`` with the names every page template
    has, and links relative to the page as MkDocs' ``url`` filter makes them. Not MkDocs pages: standalone HTML
    that no Material template, navigation or sitemap needs, written beside the unit's page by the build's
    publishing step (kehoach/publish.py), in the forked process of a fast build."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(theme.folders), auto_reload=False)
    env.filters["url"] = jinja2.pass_context(lambda context, path: relative_url(str(path), context["page_url"]))
    template = env.get_template("embed.html")
    config = {"site_name": theme.site_name}
    names = template_globals()
    for page in pages:
        url = embed_url(page.unit.id)
        html = template.render(names, kh=page, config=config, page_url=url)
        yield url + "index.html", compact_html(html).encode("utf-8", errors="xmlcharrefreplace")


def newest(plans: list[Plan], count: int) -> tuple[Plan, ...]:
    """The ``count`` most recent documents, newest first; undated ones last."""
    return tuple(sorted(plans, key=lambda p: (p.date is not None, p.date or dt.date.min), reverse=True)[:count])
