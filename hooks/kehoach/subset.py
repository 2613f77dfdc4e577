"""One unit's part of the site: its plans, the documents above them, its units.

A school or ward publishing on its own website builds only this part.
"""

from __future__ import annotations

from .model import Plan, Unit


def unit_subset(plans: list[Plan], units: list[Unit], unit_id: str) -> tuple[list[Plan], list[Unit]]:
    by_unit = {u.id: u for u in units}
    below = _units_below(units, unit_id)
    by_plan = {p.id: p for p in plans}
    keep = {p.id for p in plans if p.unit in below}
    stack = list(keep)
    while stack:  # every document cited above a kept plan
        for cited in by_plan[stack.pop()].parents:
            if cited.id not in keep:
                keep.add(cited.id)
                stack.append(cited.id)
    kept_units = _with_ancestors(below | {by_plan[p].unit for p in keep}, by_unit)
    return [p for p in plans if p.id in keep], [u for u in units if u.id in kept_units]


def _with_ancestors(unit_ids: set[str], by_unit: dict[str, Unit]) -> set[str]:
    result: set[str] = set()
    for unit_id in unit_ids:
        current: str | None = unit_id
        while current and current not in result:
            result.add(current)
            current = by_unit[current].parent
    return result


def _units_below(units: list[Unit], unit_id: str) -> set[str]:
    children: dict[str, list[str]] = {}
    for unit in units:
        if unit.parent:
            children.setdefault(unit.parent, []).append(unit.id)
    found, stack = set(), [unit_id]
    while stack:
        current = stack.pop()
        found.add(current)
        stack.extend(children.get(current, ()))
    return found
