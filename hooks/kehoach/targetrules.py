"""Rules on targets across plans: target ids, ``serves`` links and progress reports (type BC).

``validate.validate`` calls ``target_rules`` once for all plans; every rule is linear in the number of
targets, links and results, except the lineage of a plan with ``serves`` links, walked once per plan
(its ancestors). The warnings that never refuse a plan (a target later or weaker than the one it serves)
are kehoach/alignment.py's.
"""

from __future__ import annotations

import decimal
import unicodedata
from collections.abc import Mapping

from .anchors import page_anchor
from .model import Plan, Problem, Result, Target

MAX_TARGET_ID = 40  # characters: an anchor and a permalink, short enough to read
Index = Mapping[tuple[str, str], Target]  # every target by (plan id, target id)
REPORT_TYPE = "BC"  # Báo cáo (sơ kết / tổng kết): the only type with reports_on and results
QUOTE_SERVES = (
    "chỉ tiêu trích lại từ văn bản khác (of) chỉ nhắc lại chỉ tiêu của văn bản đó, không phải đóng góp của văn bản "
    "này; hãy bỏ serves, hoặc khai serves ở một chỉ tiêu riêng của văn bản này"
)


def target_rules(plans: list[Plan], by_id: Mapping[str, Plan]) -> list[Problem]:
    """Every problem of target ids, ``serves`` links, ``reports_on`` and ``results``, in file order."""
    found: list[Problem] = []
    above = _Above(by_id)
    index = {(p.id, t.id): t for p in plans for t in p.targets}
    for plan in plans:
        found += _target_ids(plan)
        found += _serves(plan, index, above)
        found += _report(plan, by_id)
    return found


def is_percent(measure_unit: str | None) -> bool:
    return measure_unit is not None and unicodedata.normalize("NFKC", measure_unit).strip() == "%"


def written(value: float) -> str:
    """A number as the file writes it: 100.0001, never rounded to 100 nor shown as 1e-05."""
    return format(decimal.Decimal(repr(value)), "f") if isinstance(value, float) else str(value)


def _at(plan: Plan, key: str, message: str) -> Problem:
    return Problem(plan.path, plan.line_of(key), key, message)


def _target_ids(plan: Plan) -> list[Problem]:
    found, seen = [], dict[str, int]()
    for i, target in enumerate(plan.targets):
        key = f"targets[{i}].id"
        if len(target.id) > MAX_TARGET_ID:
            message = f"mã chỉ tiêu dài {len(target.id)} ký tự; tối đa {MAX_TARGET_ID} ký tự, ví dụ t2030-internet"
            found.append(_at(plan, key, message))
        if page_anchor(target.id):
            message = (
                f"mã chỉ tiêu '{target.id}' trùng tên một mục của trang văn bản; hãy đặt mã khác, ví dụ t2030-internet"
            )
            found.append(_at(plan, key, message))
        if target.id in seen:
            message = f"mã chỉ tiêu '{target.id}' đã dùng cho targets[{seen[target.id]}]; mỗi chỉ tiêu cần một mã riêng"
            found.append(_at(plan, key, message))
        seen.setdefault(target.id, i)
    return found


class _Above:
    """The documents above a plan (transitively through ``parents``), each plan's walked once."""

    def __init__(self, by_id: Mapping[str, Plan]) -> None:
        self.by_id = by_id
        self.memo: dict[str, set[str]] = {}

    def of(self, plan_id: str) -> set[str]:
        if plan_id not in self.memo:
            seen: set[str] = set()
            stack = [c.id for c in self.by_id[plan_id].parents]
            while stack:  # cycles and unknown parents are validate's problems: walk past them
                current = stack.pop()
                if current not in seen and current in self.by_id:
                    seen.add(current)
                    stack.extend(c.id for c in self.by_id[current].parents)
            self.memo[plan_id] = seen
        return self.memo[plan_id]


def _serves(plan: Plan, index: Index, above: _Above) -> list[Problem]:
    found = []
    for i, target in enumerate(plan.targets):
        if target.serves and target.of:
            found.append(_at(plan, f"targets[{i}].serves", QUOTE_SERVES))
            continue
        seen: set[str] = set()
        for j, ref in enumerate(target.serves):
            message = _link_problem(plan, ref, index, above)
            if message is None and ref in seen:
                message = f"chỉ tiêu '{ref}' bị ghi hai lần"
            seen.add(ref)
            if message:
                found.append(_at(plan, f"targets[{i}].serves[{j}]", message))
    return found


def _link_problem(plan: Plan, ref: str, index: Index, above: _Above) -> str | None:
    """Why ``ref`` ("<plan-id>#<target-id>", its form checked by the schema) cannot be served, if it cannot."""
    plan_id, _, target_id = ref.partition("#")
    if plan_id not in above.by_id:
        return f"không có văn bản '{plan_id}' trong plans/"
    served = index.get((plan_id, target_id))
    if served is None:
        return f"văn bản '{plan_id}' không có chỉ tiêu mã '{target_id}'"
    if served.of:
        return (
            f"chỉ tiêu '{ref}' là chỉ tiêu của văn bản '{served.of}' được trích lại (of), không phải của '{plan_id}'; "
            f"hãy liên kết tới chỉ tiêu của chính văn bản '{served.of}'"
        )
    if plan_id not in above.of(plan.id):
        return (
            f"văn bản '{plan_id}' không ở trên văn bản này trong chuỗi căn cứ (parents); "
            "chỉ tiêu chỉ phục vụ chỉ tiêu của văn bản cấp trên"
        )
    return None


def _report(plan: Plan, by_id: Mapping[str, Plan]) -> list[Problem]:
    if plan.reports_on is None:
        message = "chỉ báo cáo có reports_on (mã kế hoạch được báo cáo) mới ghi results"
        return [_at(plan, "results", message)] if plan.results else []
    if plan.type != REPORT_TYPE:
        message = (
            f"chỉ báo cáo sơ kết, tổng kết (type: {REPORT_TYPE}) mới ghi reports_on; văn bản này là {plan.type_name}"
        )
        return [_at(plan, "reports_on", message)]
    reported = by_id.get(plan.reports_on)
    if reported is None:
        return [_at(plan, "reports_on", f"không có văn bản '{plan.reports_on}' trong plans/")]
    if reported.type == REPORT_TYPE:
        message = (
            f"'{reported.id}' là một báo cáo; báo cáo phải báo cáo về một kế hoạch, chương trình, không về báo cáo"
        )
        return [_at(plan, "reports_on", message)]
    return _results(plan, reported)


def _results(plan: Plan, reported: Plan) -> list[Problem]:
    found = []
    targets = {t.id: t for t in reported.targets}
    seen: dict[str, int] = {}
    for i, result in enumerate(plan.results):
        target = targets.get(result.target)
        if target is None:
            message = f"kế hoạch '{reported.id}' không có chỉ tiêu mã '{result.target}'"
            found.append(_at(plan, f"results[{i}].target", message))
        elif result.target in seen:
            message = (
                f"chỉ tiêu '{result.target}' đã có kết quả ở results[{seen[result.target]}]; mỗi chỉ tiêu một kết quả"
            )
            found.append(_at(plan, f"results[{i}].target", message))
        seen.setdefault(result.target, i)
        if target is not None and result.value is not None:
            found += _value_problems(plan, f"results[{i}].value", result, target)
        if reported.date and result.as_of < reported.date:
            message = (
                f"ngày {result.as_of.isoformat()} trước ngày ban hành kế hoạch '{reported.id}' ({reported.date_label})"
            )
            found.append(_at(plan, f"results[{i}].as_of", message))
    return found


def _value_problems(plan: Plan, key: str, result: Result, target: Target) -> list[Problem]:
    assert result.value is not None
    if target.value is None:
        message = (
            f"chỉ tiêu '{target.id}' không ghi giá trị số nên kết quả không có value; "
            "hãy ghi kết quả bằng lời (text), và met nếu báo cáo ghi đã đạt hay chưa"
        )
        return [_at(plan, key, message)]
    if is_percent(target.measure_unit) and not 0 <= result.value <= 100:
        return [_at(plan, key, f"tỷ lệ {written(result.value)}% phải nằm trong khoảng 0–100")]
    return []
