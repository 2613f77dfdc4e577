"""One call from a plans folder to a checked graph and its pages."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .graph import Graph
from .load import load
from .model import Problem
from .pages import Page, decide_pages
from .validate import validate

TOP_PLAN = "71-nq-tw"


@dataclass(frozen=True)
class Site:
    graph: Graph | None
    pages: dict[str, Page]  # by src_uri, in decision order
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def check(plans_dir: Path, root: Path | None = None) -> tuple[Graph | None, list[Problem]]:
    """Load and validate; the graph is built only when nothing is wrong."""
    loaded = load(plans_dir, root)
    problems = loaded.problems + validate(loaded.plans, loaded.units, loaded.units_path)
    if problems:
        return None, _sorted(problems)
    return Graph(loaded.plans, loaded.units), []


def build_site(plans_dir: Path, root: Path | None = None, top_plan: str = TOP_PLAN) -> Site:
    graph, problems = check(plans_dir, root)
    if graph is None:
        return Site(None, {}, tuple(problems))
    return Site(graph, {p.src_uri: p for p in decide_pages(graph, top_plan)}, ())


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.key, p.message))
