"""One call from a plans folder to a checked graph and its pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .alignment import Caution, align
from .graph import Graph
from .history import Changes, file_history
from .load import Loaded, load
from .model import Problem
from .pages import Page
from .shards import HUB, owner, search_bundles
from .subset import unit_subset
from .validate import validate

TOP_PLAN = "71-nq-tw"


@dataclass(frozen=True)
class Site:
    graph: Graph | None
    pages: dict[str, Page]  # by src_uri, in decision order
    problems: tuple[Problem, ...]
    search_bundles: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # every shard's: shards.py
    history: dict[str, Changes] = field(default_factory=dict)  # plan path → first and last commit (feeds)

    @property
    def ok(self) -> bool:
        return not self.problems


def check(
    plans_dir: Path, root: Path | None = None, unit: str | None = None, memo: Path | None = None
) -> tuple[Graph | None, list[Problem]]:
    """Load and validate everything; the graph (of one unit's part, if given) is built only when nothing is wrong."""
    return _checked(load(plans_dir, root, memo), unit)


def review(plans_dir: Path, root: Path | None = None) -> tuple[Graph | None, list[Problem], tuple[Caution, ...]]:
    """``check``, plus the warnings that never refuse a plan (kehoach/alignment.py): ``python -m kehoach check``."""
    loaded = load(plans_dir, root)
    graph, problems = _checked(loaded, None)
    refused = {(p.path, p.key) for p in problems}  # a link check refuses gets no warning as well
    return graph, problems, tuple(w for w in align(loaded.plans).warnings if (w.path, w.key) not in refused)


def _checked(loaded: Loaded, unit: str | None) -> tuple[Graph | None, list[Problem]]:
    problems = loaded.problems + validate(loaded.plans, loaded.units, loaded.units_path)
    if unit is not None and unit not in {u.id for u in loaded.units}:
        problems.append(Problem(loaded.units_path, 1, "unit", f"không có đơn vị '{unit}' để xây dựng riêng"))
    if problems:
        return None, _sorted(problems)
    plans, units = (loaded.plans, loaded.units) if unit is None else unit_subset(loaded.plans, loaded.units, unit)
    return Graph(plans, units), []


def build_site(
    plans_dir: Path,
    root: Path | None = None,
    top_plan: str = TOP_PLAN,
    unit: str | None = None,
    shard: str | None = None,
    shard_units: tuple[str, ...] = (),
    memo: Path | None = None,
) -> Site:
    """Check and decide every page; with ``shard``, keep only the pages that shard renders.

    ``memo`` is a file where parsed plans are kept between builds (incremental serve).
    """
    graph, problems = check(plans_dir, root, unit, memo)
    if graph is None:
        return Site(None, {}, tuple(problems))
    unknown = [s for s in shard_units if s not in graph.units]
    if unknown or (shard and shard != HUB and shard not in shard_units):
        wrong = Problem("mkdocs.yml", 1, "shards", f"phần không hợp lệ: {', '.join(unknown) or shard}")
        return Site(None, {}, (wrong,))
    history = file_history(plans_dir, root or plans_dir.parent)
    from .decide import decide_pages  # the pages' modules (templates' data, feeds): not for `check` alone

    pages = decide_pages(graph, top_plan, {path: c.updated.date() for path, c in history.items()})
    bundles = search_bundles(pages, graph, shard_units)
    if shard:  # pages in the navigation are rendered everywhere (the hub's copy wins the merge)
        pages = [p for p in pages if p.in_nav or owner(p, graph, shard_units) == shard]
    return Site(graph, {p.src_uri: p for p in pages}, (), bundles, history)


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.key, p.message))
