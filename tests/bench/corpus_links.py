"""Target ids, ``serves`` links and progress reports for the benchmark corpus (tests/bench/corpus.py).

Made-up test data, never published: each generated target of a kind of measure (``MEASURES`` in corpus.py)
serves the nearest document above it with a target of the same kind (a school's the ward's, the ward's the
city's, the city's 71-NQ/TW's when 71-NQ/TW states one), so that values and years differ as they would and some
links carry warnings. A report (type BC) on part of the plans gives results for some of their targets.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from typing import Any

from kehoach.model import Target
from kehoach.text import fold

# A short id per entry of corpus.MEASURES, in the same order: targets are "t<year>-<id>".
MEASURE_IDS = (
    "giao-vien-so",
    "hoan-thanh-lop-hoc",
    "hai-long",
    "phong-hoc-internet",
    "ket-nap-dang-vien",
    "phong-hoc-thong-minh",
    "suc-khoe",
    "truong-chuan",
    "can-bo-ai",
)
# Entries of MEASURES that match a target of 71-NQ/TW, by words of its text (folded): the chain's top link.
TOP_MATCH = {7: "truong pho thong dat chuan quoc gia"}


def top_kinds(targets: Sequence[Target]) -> dict[int, str]:
    """The kinds of measure of 71-NQ/TW's own targets: {MEASURES index: target id}."""
    found: dict[int, str] = {}
    for kind, words in TOP_MATCH.items():
        match = next((t for t in targets if t.id and not t.of and words in fold(t.text)), None)
        if match is not None:
            found[kind] = match.id
    return found


def unique_id(wanted: str, taken: set[str]) -> str:
    """``wanted``, or ``wanted-2``, ``-3``... when a target of the plan already has it."""
    candidate, k = wanted, 1
    while candidate in taken:
        k += 1
        candidate = f"{wanted}-{k}"
    taken.add(candidate)
    return candidate


def served(kind: int, parents: Sequence[str], meta: Mapping[str, dict[str, Any]]) -> list[str]:
    """The nearest generated document above (parents first, then theirs) with a target of ``kind``, else the
    upstream one (71-NQ/TW): its "<plan>#<target>", so that a school serves its ward, the ward the city."""
    queue, seen, found = list(parents), set(), []
    while queue:
        plan_id = queue.pop(0)
        if plan_id in seen or plan_id not in meta:
            continue
        seen.add(plan_id)
        target_id = meta[plan_id].get("kinds", {}).get(kind)
        if target_id:
            found.append((bool(meta[plan_id].get("upstream")), f"{plan_id}#{target_id}"))
        queue.extend(meta[plan_id].get("parents", ()))
    return [sorted(found, key=lambda f: f[0])[0][1]] if found else []  # stable: the nearest first


def report(rng: random.Random, plan_id: str, meta: dict[str, Any], unit_name: str) -> tuple[dict[str, Any], str] | None:
    """The front matter and body of a report on ``plan_id`` (made-up results), or None for a plan without targets."""
    targets = [t for t in meta["targets"] if t.get("id")]
    if not targets:
        return None
    start = meta["date"] or dt.date(2026, 6, 1)
    date = start + dt.timedelta(rng.randint(150, 400))
    as_of = date - dt.timedelta(rng.randint(3, 20))
    chosen = rng.sample(targets, min(len(targets), rng.randint(1, 4)))
    results = [_result(rng, t, as_of) for t in chosen]
    cited = meta["number"] or "(chưa có số)"
    kind = "tổng kết" if date.year >= 2027 else "sơ kết"
    data = {
        "title": f"Báo cáo {kind} kết quả thực hiện Kế hoạch {cited} (số liệu đến ngày {as_of:%d/%m/%Y})",
        "type": "BC",
        "unit": meta["unit"],
        "status": "ban-hanh",
        "date": date,
        "parents": [{"id": plan_id, "number": meta["number"], "date": meta["date"]}],
        "reports_on": plan_id,
        "results": results,
        "summary": f"{unit_name} báo cáo kết quả thực hiện Kế hoạch {cited}.",
    }
    rows = "\n".join(f"| {r['target']} | {r['text']} |" for r in results)
    body = (
        f"Căn cứ [Kế hoạch {cited}]({plan_id}.md), {unit_name} báo cáo kết quả thực hiện như sau.\n\n"
        f"## I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU\n\n| Chỉ tiêu | Kết quả |\n| --- | --- |\n{rows}\n\n"
        "## II. PHƯƠNG HƯỚNG THỜI GIAN TỚI\n\nTiếp tục triển khai các nhiệm vụ của kế hoạch.\n"
    )
    return data, body


def _result(rng: random.Random, target: dict[str, Any], as_of: dt.date) -> dict[str, Any]:
    goal = target.get("value")
    if goal is None:  # a target in words: a result in words, sometimes saying whether it was met
        met = rng.choice((True, False, None))
        text = "Đã hoàn thành" if met else "Đang triển khai" if met is False else "Đã triển khai"
        return {"target": target["id"], "as_of": as_of, "text": f"{text}: {target['text'][:60]}", "met": met}
    value = round(rng.uniform(goal * 0.8, goal * 1.1) if goal else rng.uniform(0, 1), 1)
    if target.get("measure_unit") == "%":
        value = min(value, 100.0)
    elif float(goal).is_integer():
        value = round(value)
    if float(value).is_integer():  # "4.0" is refused as ambiguous: whole numbers are written 4
        value = int(value)
    shown = f"{value:g}".replace(".", ",")
    unit = target.get("measure_unit") or ""
    return {"target": target["id"], "as_of": as_of, "text": f"Đạt {shown} {unit}".strip(), "value": value}
