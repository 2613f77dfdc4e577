"""Rules across records: references, cycles, duplicates and sane targets (target links and reports: targetrules)."""

from __future__ import annotations

import unicodedata
from collections import Counter

from .chains import MAX_PLAN_DEPTH, MAX_UNIT_DEPTH, depths, nodes_on_cycles
from .hygiene import FORBIDDEN, escape_char
from .memo import checked_body
from .model import Plan, Problem, Unit
from .targetrules import is_percent, target_rules, written

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
        problems += _number_letters(plan)
        problems += checked_body(plan, plan_ids)  # body.check_body, remembered per file (kehoach/memo.py)
    problems += target_rules(plans, by_id)
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
            message = f"số '{cited.number}' khác số của văn bản '{parent.id}' ({parent.number})"
            found.append(_at(plan, f"parents[{i}].number", message))
        if cited.date and parent.date and cited.date != parent.date:
            message = f"ngày {cited.date} khác ngày của văn bản '{parent.id}' ({parent.date})"
            found.append(_at(plan, f"parents[{i}].date", message))
    return found


def _norm(number: str) -> str:
    """A document number compared: NFKC, case folded, without spaces or invisible characters."""
    return "".join(FORBIDDEN.sub("", unicodedata.normalize("NFKC", number)).casefold().split())


def _number_letters(plan: Plan) -> list[Problem]:
    """Document numbers are written in Latin letters: "01-КН/ТА" in Cyrillic would pass for "01-KH/TA"."""
    numbers = [("number", plan.number)] + [(f"parents[{i}].number", c.number) for i, c in enumerate(plan.parents)]
    found = []
    for key, number in numbers:
        foreign = [(i, c) for i, c in enumerate(number or "") if c.isalpha() and not _latin(c)]
        if foreign:
            i, c = foreign[0]
            name = unicodedata.name(c, "")
            message = (
                f"số văn bản có chữ không phải chữ Latinh: {escape_char(c)} ({name}) ở vị trí {i + 1}; "
                "hãy gõ lại bằng bàn phím tiếng Việt"
            )
            found.append(_at(plan, key, message))
    return found


def _latin(char: str) -> bool:
    """A Latin letter, also written full-width ("Ｋ" is NFKC "K"); Vietnamese letters are Latin."""
    return all(unicodedata.name(c, "").startswith("LATIN ") for c in unicodedata.normalize("NFKC", char) if c.isalpha())


def _plan_targets(plan: Plan) -> list[Problem]:
    found = []
    earliest = plan.date.year if plan.date else MIN_YEAR
    for i, target in enumerate(plan.targets):
        if not MIN_YEAR <= target.year <= MAX_YEAR:
            found.append(_at(plan, f"targets[{i}].year", f"năm {target.year} nằm ngoài khoảng {MIN_YEAR}–{MAX_YEAR}"))
        elif target.year < earliest:
            message = f"năm {target.year} trước ngày ban hành văn bản ({plan.date_label})"
            found.append(_at(plan, f"targets[{i}].year", message))
        if plan.reported and not target.source:
            found.append(_at(plan, f"targets[{i}]", "văn bản lấy theo báo chí: mỗi chỉ tiêu cần ghi nguồn (source)"))
        if is_percent(target.measure_unit) and target.value is not None and not 0 <= target.value <= 100:
            message = f"tỷ lệ {written(target.value)}% phải nằm trong khoảng 0–100"
            found.append(_at(plan, f"targets[{i}].value", message))
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
    on_cycle = nodes_on_cycles(parents)
    message = "vòng lặp căn cứ: văn bản này là tổ tiên của chính nó"
    found = [_at(p, "parents", message) for p in plans if p.id in on_cycle]
    depth = depths(parents, on_cycle)
    deep = f"chuỗi căn cứ quá dài: quá {MAX_PLAN_DEPTH} cấp văn bản từ văn bản cao nhất tới văn bản này"
    return found + [_at(p, "parents", deep) for p in plans if depth.get(p.id, 0) > MAX_PLAN_DEPTH]


def _unit_problems(units: list[Unit], unit_ids: set[str], path: str) -> list[Problem]:
    found = []
    parents = {u.id: [u.parent] if u.parent else [] for u in units}
    cyclic = nodes_on_cycles(parents)
    depth = depths(parents, cyclic)
    for unit in units:
        if depth.get(unit.id, 0) > MAX_UNIT_DEPTH:
            message = f"chuỗi đơn vị cấp trên quá dài: quá {MAX_UNIT_DEPTH} cấp tính từ Trung ương"
            found.append(Problem(path, unit.line, f"{unit.id}.parent", message))
        if unit.parent and unit.parent not in unit_ids:
            found.append(Problem(path, unit.line, f"{unit.id}.parent", f"không có đơn vị '{unit.parent}'"))
        if unit.id in cyclic:
            found.append(Problem(path, unit.line, f"{unit.id}.parent", "vòng lặp đơn vị cấp trên"))
    return found
