"""Search support: what each page's search record adds to the Pagefind index (indexer.py runs it).

Pagefind folds tone marks but not đ, so a parent typing "dong da" would miss
"Đống Đa". Each page's search record therefore carries the ASCII-folded form of its
words that contain đ. Document numbers get a compact key ("05-CTr/TU" →
"05ctrtu") that the search script also derives from the query, so a number finds
its own document first however it is typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .graph import Graph
from .model import Plan, Unit
from .pages import Page, PlanPage, UnitPage
from .text import UNIT_KINDS, fold

_D = re.compile("[đĐ]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def folded_d_words(texts: Iterable[str]) -> str:
    """Unique folded forms of the words that contain đ/Đ, space-separated, in first-seen order."""
    words: dict[str, None] = {}
    for text in texts:
        words.update(dict.fromkeys(_d_words(text)))
    return " ".join(dict.fromkeys(_fold_word(w) for w in words))


@lru_cache(maxsize=65536)  # unit names recur on every page below the unit
def _d_words(text: str) -> tuple[str, ...]:
    """Words holding đ, found from each đ outwards (3× faster than a regex over every word)."""
    found: dict[str, None] = {}
    end, size = -1, len(text)
    for match in _D.finditer(text):
        start = match.start()
        if start < end:
            continue
        while start > 0 and text[start - 1].isalnum():
            start -= 1
        end = match.end()
        while end < size and text[end].isalnum():
            end += 1
        found[text[start:end]] = None
    return tuple(found)


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    return fold(word)


def number_key(number: str | None) -> str:
    """ "05-CTr/TU", "05 - ctr / tu" → "05ctrtu"; "" without a number."""
    return _NON_ALNUM.sub("", fold(number)) if number else ""


def html_path(src_uri: str) -> str:
    """Where a page's source URI is written with directory URLs: "van-ban/x.md" → "van-ban/x/index.html"."""
    stem = src_uri.removesuffix(".md")
    return f"{stem.removesuffix('index').rstrip('/')}/index.html".lstrip("/")


@dataclass(frozen=True)
class SearchFacts:
    """What a page gives the search index beyond its visible text."""

    folded: str  # ASCII forms of its đ-words
    key: str = ""  # compact document number
    filters: tuple[tuple[str, str], ...] = ()  # (filter name, value), in Vietnamese
    topics: tuple[str, ...] = ()  # indexed although the facts list they are shown in is not
    meta: tuple[tuple[str, str], ...] = ()  # what a result says of the page (Pagefind meta, not indexed)


def place_filters(graph: Graph, unit_id: str) -> tuple[tuple[str, str], ...]:
    found = []
    for kind, label in (("thanh-pho", "Thành phố"), ("phuong", "Phường")):
        unit = graph.nearest_unit(unit_id, kind)
        if unit is not None:
            found.append((label, unit.name))
    return tuple(found)


def page_facts(graph: Graph, page: Page) -> SearchFacts:
    """What an indexed page's search record adds (``Page.indexed``): made only when the index is built."""
    if isinstance(page, PlanPage):
        return plan_search(graph, page.plan)
    if not isinstance(page, UnitPage):
        raise TypeError(f"{page.src_uri} is not an indexed plan or unit page")
    unit = page.unit
    return SearchFacts(
        folded_d_words(u.name for u in graph.unit_chain(unit.id)),
        filters=place_filters(graph, unit.id) + (("Loại văn bản", "Đơn vị"),),
        meta=tuple(unit_meta(graph, unit).items()),
    )


def plan_search(graph: Graph, plan: Plan) -> SearchFacts:
    chain = graph.unit_chain(plan.unit)
    # What the index holds of a plan page: title, summary, topics, units (not the full text: size).
    texts = [plan.title, plan.summary or "", *plan.topics, *(u.name for u in chain)]
    years = sorted({t.year for t in plan.targets})
    filters = place_filters(graph, plan.unit) + (("Loại văn bản", plan.type_name),)
    filters += tuple(("Năm chỉ tiêu", str(year)) for year in years)
    meta = plan_meta(graph, plan)
    meta.pop("url")
    return SearchFacts(folded_d_words(texts), number_key(plan.number), filters, plan.topics, tuple(meta.items()))


def plan_meta(graph: Graph, plan: Plan) -> dict[str, str]:
    """What a search result says of a plan (all of it shown on the plan page): the excerpt is its summary."""
    unit = graph.unit_of(plan)
    return {
        "url": f"van-ban/{plan.id}/",
        "title": f"{plan.short_title} – {unit.name}",
        "loai": plan.type_name,
        "so": plan.number_label,
        "don_vi": unit.name,
        "ngay": plan.date_label,
        "du_thao": "1" if plan.status == "du-thao" else "",
        "trich": plan.summary or plan.title,
    }


def unit_meta(graph: Graph, unit: Unit) -> dict[str, str]:
    """What a search result says of a unit: its kind, the unit above it, how many plans it and its units have."""
    parent = graph.units.get(unit.parent) if unit.parent else None
    return {
        "title": unit.name,
        "cap": UNIT_KINDS[unit.kind],
        "thuoc": parent.name if parent else "",
        "so_van_ban": str(graph.count_under(unit.id)),
        "trich": unit.note or "",
    }
