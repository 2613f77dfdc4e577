"""Rules across records: references, cycles, duplicates and sane targets."""
from __future__ import annotations

import decimal
import unicodedata
from collections import Counter

from .body import check_body
from .hygiene import FORBIDDEN
from .model import Plan, Problem, Unit

MIN_YEAR, MAX_YEAR = 2000, 2100


def validate(plans: list[Plan], units: list[Unit], units_path: str) -> list[Problem]:
    """Every cross-record problem, in file order."""
    problems: list[Problem] = []
    by_id = {p.id: p for p in plans}
    plan_ids = set(by_id)
    unit_ids = {u.id for u in units}
    for plan in plans:
        problems += _plan_references(plan, plan_ids, unit_ids)
        problems += _plan_citations(plan, by_id)
        problems += _plan_targets(plan)
        problems += check_body(plan, plan_ids)
    problems += _duplicate_numbers(plans)
    problems += _plan_cycles(plans)
    problems += _unit_problems(units, unit_ids, units_path)
    return problems


def _at(plan: Plan, key: str, message: str) -> Problem:
    return Problem(plan.path, plan.line_of(key), key, message)


def _plan_references(plan: Plan, plan_ids: set[str], unit_ids: set[str]) -> list[Problem]:
    found = []
    if plan.unit not in unit_ids:
        found.append(_at(plan, "unit", f"đơn vị '{plan.unit}' không có trong plans/units.yml"))
    seen: set[str] = set()
    for i, parent in enumerate(plan.parents):
        key = f"parents[{i}].id"
        if parent.id not in plan_ids:
            found.append(_at(plan, key, f"không có văn bản '{parent.id}' trong plans/"))
        if parent.id == plan.id:
            found.append(_at(plan, key, "văn bản không thể là căn cứ của chính nó"))
        if parent.id in seen:
            found.append(_at(plan, key, f"văn bản căn cứ '{parent.id}' bị ghi hai lần"))
        seen.add(parent.id)
    for i, target in enumerate(plan.targets):
        if target.of == plan.id:
            found.append(_at(plan, f"targets[{i}].of", "chỉ tiêu không thể trích từ chính văn bản này; hãy bỏ khóa of"))
        elif target.of is not None and target.of not in plan_ids:
            found.append(_at(plan, f"targets[{i}].of", f"không có văn bản '{target.of}' trong plans/"))
    return found


def _plan_citations(plan: Plan, by_id: dict[str, Plan]) -> list[Problem]:
    """A citation's number and date must agree with the cited document's own."""
    found = []
    for i, cited in enumerate(plan.parents):
        parent = by_id.get(cited.id)
        if parent is None:
            continue
        if cited.number and parent.number and _norm(cited.number) != _norm(parent.number):
            found.append(_at(plan, f"parents[{i}].number", f"số '{cited.number}' khác số của văn bản '{parent.id}' ({parent.number})"))
        if cited.date and parent.date and cited.date != parent.date:
            found.append(_at(plan, f"parents[{i}].date", f"ngày {cited.date} khác ngày của văn bản '{parent.id}' ({parent.date})"))
    return found


def _norm(number: str) -> str:
    """A document number compared: NFKC, case folded, without spaces or invisible characters."""
    return "".join(FORBIDDEN.sub("", unicodedata.normalize("NFKC", number)).casefold().split())


def _written(value: float) -> str:
    """A number as the file writes it: 100.0001, never rounded to 100 nor shown as 1e-05."""
    return format(decimal.Decimal(repr(value)), "f") if isinstance(value, float) else str(value)


def _plan_targets(plan: Plan) -> list[Problem]:
    found = []
    earliest = plan.date.year if plan.date else MIN_YEAR
    for i, target in enumerate(plan.targets):
        if not MIN_YEAR <= target.year <= MAX_YEAR:
            found.append(_at(plan, f"targets[{i}].year", f"năm {target.year} nằm ngoài khoảng {MIN_YEAR}–{MAX_YEAR}"))
        elif target.year < earliest:
            found.append(_at(plan, f"targets[{i}].year", f"năm {target.year} trước ngày ban hành văn bản ({plan.date_label})"))
        if plan.reported and not target.source:
            found.append(_at(plan, f"targets[{i}]", "văn bản lấy theo báo chí: mỗi chỉ tiêu cần ghi nguồn (source)"))
        if target.unit == "%" and target.value is not None and not 0 <= target.value <= 100:
            found.append(_at(plan, f"targets[{i}].value", f"tỷ lệ {_written(target.value)}% phải nằm trong khoảng 0–100"))
    return found


def _duplicate_numbers(plans: list[Plan]) -> list[Problem]:
    counts = Counter((_norm(p.number), p.unit) for p in plans if p.number)
    return [
        _at(p, "number", f"số '{p.number}' đã được dùng cho văn bản khác của cùng đơn vị")
        for p in plans
        if p.number and counts[(_norm(p.number), p.unit)] > 1
    ]


def _plan_cycles(plans: list[Plan]) -> list[Problem]:
    parents = {p.id: [c.id for c in p.parents] for p in plans}
    on_cycle = _nodes_on_cycles(parents)
    return [_at(p, "parents", "vòng lặp căn cứ: văn bản này là tổ tiên của chính nó") for p in plans if p.id in on_cycle]


def _nodes_on_cycles(edges: dict[str, list[str]]) -> set[str]:
    """Nodes that can reach themselves (iterative DFS, no recursion limit)."""
    result = set()
    for start in edges:
        stack, seen = list(edges.get(start, ())), set()
        while stack:
            node = stack.pop()
            if node == start:
                result.add(start)
                break
            if node in seen:
                continue
            seen.add(node)
            stack.extend(edges.get(node, ()))
    return result


def _unit_problems(units: list[Unit], unit_ids: set[str], path: str) -> list[Problem]:
    found = []
    parents = {u.id: [u.parent] if u.parent else [] for u in units}
    cyclic = _nodes_on_cycles(parents)
    for unit in units:
        if unit.parent and unit.parent not in unit_ids:
            found.append(Problem(path, unit.line, f"{unit.id}.parent", f"không có đơn vị '{unit.parent}'"))
        if unit.id in cyclic:
            found.append(Problem(path, unit.line, f"{unit.id}.parent", "vòng lặp đơn vị cấp trên"))
    return found
