"""Template fragments that many pages share, rendered once per build (``kh_once``), and their keys.

A fragment's links are relative to the page (MkDocs' ``url`` filter), so its key holds, beside what it
shows, what those links depend on: ``link_key``. From a page at ``p`` to ``t``, MkDocs writes
``"../" * (len(p) - common) + t[common:]`` over their path segments, so the page's depth and the
segments each target shares with it decide every link.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from .graph import TimelineEntry
from .pages import Page, plan_url, unit_url
from .targetviews import TargetView


class Fragments:
    """Template fragments that many pages share, each rendered once per build and key.

    A Jinja global (one per build's environment): ``{% call kh_once(key) %}…{% endcall %}`` renders
    the block for the first page with that key and repeats that HTML for the others; a ``none`` key
    renders it every time. The key must hold everything the block depends on (e.g. the page's depth).
    """

    def __init__(self) -> None:
        self._done: dict[str, str] = {}

    def __call__(self, key: str | None, caller: Callable[[], str]) -> str:
        if key is None:
            return caller()
        html = self._done.get(key)
        if html is None:
            html = self._done[key] = caller()
        return html


def _segments(url: str) -> list[str]:
    """A page URL's folders, as MkDocs counts them (a last segment with a dot is a file name)."""
    parts = [s for s in url.split("/") if s]
    return parts[:-1] if parts and "." in parts[-1] and not url.endswith("/") else parts


def link_key(page_url: str, *urls: str) -> str:
    """What relative links from the page at ``page_url`` to ``urls`` depend on: its depth, and how many
    leading segments each URL shares with it."""
    page = _segments(page_url)
    return f"{len(page)}:{','.join(str(_common(page, url.split('/'))) for url in urls)}"


def _common(page: list[str], dest: list[str]) -> int:
    """How many leading segments ``dest`` shares with the page's."""
    common = 0
    for a, b in zip(page, dest, strict=False):
        if a != b:
            break
        common += 1
    return common


def relative_url(path: str, page_url: str) -> str:
    """MkDocs' ``url`` filter for a page at ``page_url``, for a site path ("van-ban/x/", "" for the site's root).

    Addresses with a scheme, ``/`` or ``#`` are left as they are; a path going up (``../``) is not a site path.
    """
    target = path or "."
    if ":" in target.split("/", 1)[0] or target.startswith(("/", "#", "../")):
        return target
    dest = [s for s in target.split("/") if s and s != "."]
    page = _segments(page_url)
    common = _common(page, dest)
    relative = "/".join([".."] * (len(page) - common) + dest[common:]) or "."
    return relative + "/" if target.endswith("/") else relative


def card_key(page_url: str, plan_id: str, unit_id: str) -> str:
    """A plan's card in a list (``plan_card``): its plan and unit, and their links from this page."""
    return f"card {plan_id} {unit_id} {link_key(page_url, plan_url(plan_id), unit_url(unit_id))}"


def target_key(page_url: str, entry: TimelineEntry, show_plan: bool, view: TargetView | None) -> str:
    """A target in a timeline (``target_item``, not anchored): the target, how it is shown, and the links of
    its plan, unit, quoted plan, the targets it serves and its latest report (``view``, shared per target)."""
    plans = [entry.plan.id] + ([entry.quoted.id] if entry.quoted else [])
    if view is not None:
        plans += [up.plan.id for up in view.up] + ([view.latest.report.id] if view.latest else [])
    links = link_key(page_url, unit_url(entry.unit.id), *map(plan_url, plans))
    return f"target {entry.plan.id}#{entry.target.id} {show_plan:d} {view is None:d} {links}"


class _Addressed(Protocol):
    """A MkDocs page, as a template sees it (``page``)."""

    @property
    def url(self) -> str: ...


def place_key(
    part: str, page: _Addressed | None, base_url: str, record: Page | None = None, every_page: bool = False
) -> str | None:
    """The key of a fragment (``part``: "nav", "styles", …) whose links are relative and which depends only
    on the page's first folder and its depth (``base_url``, the path from the page up to the site's root).

    ``record`` is the page's record (``kh``; ``none`` where a template has none): on a page that is not
    one of the site's generated pages outside the nav (a hand-written page, a page in the nav, whose
    navigation shows where it stands), the key is None, the fragment rendered every time, unless
    ``every_page`` (the header's parts, the same on every page in that folder and depth).
    """
    if not every_page and (record is None or record.in_nav):
        return None
    folder = page.url.split("/")[0] if page else ""
    return f"{part} {folder} {base_url}"


def template_globals() -> dict[str, object]:
    return dict(kh_card_key=card_key, kh_target_key=target_key, kh_place_key=place_key)
