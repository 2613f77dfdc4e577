"""The number a target states: "100%", "từ 90% trở lên" (>=), "trên 98%" (>), "dưới 2%" (<),
"ít nhất 03 đảng viên" (>= 3 đảng viên). A bare number without % or a comparison word
("mức độ 3", "2 buổi/ngày", "top 5") is not a measure: it is left out rather than guessed.
"""

from __future__ import annotations

import re
from typing import TypedDict

_OPS = {
    "trên": ">",
    "hơn": ">",
    "dưới": "<",
    "ít nhất": ">=",
    "tối thiểu": ">=",
    "không dưới": ">=",
    "không thấp hơn": ">=",
    "tối đa": "<=",
    "không quá": "<=",
    "không vượt quá": "<=",
}
_PREFIX = "|".join(sorted(map(re.escape, _OPS), key=len, reverse=True))
_PERCENT = re.compile(
    rf"(?:(?P<pre>{_PREFIX}|từ)\s+)?(?P<num>\d+(?:[.,]\d+)?)\s*%"
    r"(?P<tail>(?:\s+[^\s,;.%]+){0,3}?\s+trở\s+(?:lên|xuống))?"
)
_COUNT = re.compile(rf"(?P<pre>{_PREFIX})\s+(?P<num>\d+)\s+(?P<noun>[^\W\d_][^\s,;.:()]*(?:\s+[^\W\d_][^\s,;.:()]*)*)")
_STOP = {
    "mới",
    "là",
    "có",
    "được",
    "đủ",
    "trong",
    "của",
    "tại",
    "ở",
    "với",
    "để",
    "và",
    "theo",
    "cho",
    "từ",
    "trên",
    "dưới",
    "đạt",
    "trở",
    "khi",
    "thì",
    "nhằm",
    "về",
    "hoặc",
    "hay",
    "đã",
    "sẽ",
    "đang",
    "này",
    "đó",
    "mỗi",
    "các",
    "những",
    "một",
    "vào",
    "ra",
    "đến",
    "phải",
    "cần",
}
MAX_UNIT_WORDS = 4


class Measure(TypedDict, total=False):
    """A stated measure: ``value`` with its ``measure_unit`` ("%" or a noun) and ``op`` (none for "=")."""

    value: int | float
    measure_unit: str
    op: str


def measure(text: str) -> Measure:
    """``{"value", "measure_unit", "op"}`` for the first stated measure of ``text`` ({} when none)."""
    found = [m for m in (_PERCENT.search(text), _COUNT.search(text)) if m]
    if not found:
        return {}
    match = min(found, key=lambda m: m.start())
    result: Measure = {"value": _number(match.group("num"))}
    if match.re is _PERCENT:
        result["measure_unit"] = "%"
        op = _percent_op(match.group("pre"), match.group("tail"))
    else:
        result["measure_unit"] = _noun(match.group("noun"))
        op = _OPS[match.group("pre")]
        if not result["measure_unit"]:
            return {}
    if op != "=":
        result["op"] = op
    return result


def has_measure(text: str) -> bool:
    return bool(measure(text))


def _percent_op(prefix: str | None, tail: str | None) -> str:
    if tail:
        return ">=" if tail.rstrip().endswith("lên") else "<="
    return _OPS.get(prefix or "", "=")


def _noun(words: str) -> str:
    kept: list[str] = []
    for word in words.split()[: MAX_UNIT_WORDS + 1]:
        if word.lower() in _STOP or len(kept) == MAX_UNIT_WORDS:
            break
        kept.append(word)
    return " ".join(kept)


def _number(text: str) -> int | float:
    value = float(text.replace(",", "."))
    return int(value) if value.is_integer() else value
