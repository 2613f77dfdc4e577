"""Find the issuing unit among plans/units.yml names: accents and đ folded, abbreviations allowed.

Folding makes "Đông Đa" (a typo in two seeds) and "Đồng Đa" match "Đống Đa". Mentions are weighted
by where they occur (header, the sentence "... xây dựng/ban hành kế hoạch", the closing "Trên đây là
kế hoạch của ..."), and filtered by what the number's issuer code or the signature says the issuer
is (CB → chi bộ, ĐU → đảng ủy, UBND → ủy ban, HIỆU TRƯỞNG → trường).
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ..model import Unit
from ..text import fold, nfc
from .textutil import fold_map, squash

ABBREVIATIONS = {
    "uy ban nhan dan": "ubnd",
    "mam non": "mn",
    "tieu hoc": "th",
    "trung hoc co so": "thcs",
    "trung hoc pho thong": "thpt",
    "ban thuong vu": "btv",
    "thanh pho": "tp",
}
_SUBJECT = re.compile(r"\s*(?:xay dung|ban hanh|trien khai|xac dinh)\b")
_WEIGHTS = {"header": 5, "preamble": 3, "closing": 3, "body": 1}
SUBJECT_BONUS = 4
STRONG = 3  # without a hint, the best unit must be mentioned where issuers are named


@dataclass
class Choice:
    unit: Unit | None = None
    written: str | None = None  # the mention as written, when it differs from the unit's name
    candidates: list[str] = field(default_factory=list)


@functools.lru_cache(maxsize=1024)  # compiled once per unit name, not once per paragraph (issue 13)
def name_pattern(name: str) -> re.Pattern[str]:
    words = fold(name).split()
    pattern = r"\s+".join(re.escape(w) for w in words)
    for full, short in ABBREVIATIONS.items():
        full_pattern = r"\s+".join(re.escape(w) for w in full.split())
        pattern = pattern.replace(full_pattern, f"(?:{full_pattern}|{short})")
    return re.compile(rf"(?<![a-z0-9]){pattern}(?![a-z0-9])")


def mentions(text: str, units: list[Unit]) -> list[tuple[Unit, str, bool]]:
    """(unit, text as written, followed by an issuing verb) for each mention; longest names win."""
    folded, where = fold_map(text)
    found = []
    for unit in units:
        for match in name_pattern(unit.name).finditer(folded):
            found.append((match.start(), match.end(), unit))
    found.sort(key=lambda f: (f[0] - f[1], f[0]))
    taken: list[tuple[int, int]] = []
    result = []
    for start, end, unit in found:
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        written = text[where[start] : where[end - 1] + 1]
        result.append((unit, written, bool(_SUBJECT.match(folded, end))))
    return result


def choose(zones: dict[str, list[str]], units: list[Unit], hint: Callable[[Unit], bool] | None) -> Choice:
    """The issuing unit, or a Choice without unit (and the candidates) when unsure."""
    scores: dict[str, float] = defaultdict(float)
    written: dict[str, tuple[float, str]] = {}
    by_id = {u.id: u for u in units}
    for zone, texts in zones.items():
        for text in texts:
            for unit, as_written, subject in mentions(text, units):
                weight = _WEIGHTS[zone] + (SUBJECT_BONUS if subject else 0)
                scores[unit.id] += weight
                if weight > written.get(unit.id, (0, ""))[0]:
                    written[unit.id] = (weight, as_written)
    ids = [i for i in scores if hint is None or hint(by_id[i])]
    ranked = sorted(ids, key=lambda i: -scores[i])
    if not ranked or (hint is None and scores[ranked[0]] < STRONG):
        return Choice(candidates=ranked)
    if len(ranked) > 1 and scores[ranked[0]] == scores[ranked[1]]:
        return Choice(candidates=ranked)
    best = by_id[ranked[0]]
    as_written = squash(written[best.id][1])
    differs = nfc(as_written).lower() not in nfc(best.name).lower()
    return Choice(best, as_written if differs else None, ranked)


def issuer_hint(issuer_code: str | None, signature: str) -> Callable[[Unit], bool] | None:
    """What kind of unit issues the document, from the number's issuer code, else the signature."""
    code = fold(issuer_code or "")
    sign = fold(signature)
    rules = (
        (code == "cb" or (not code and "chi bo" in sign), lambda u: u.kind == "chi-bo"),
        (code == "du" or (not code and "dang uy" in sign), lambda u: fold(u.name).startswith("dang uy")),
        (code == "ubnd" or (not code and "chu tich" in sign), lambda u: fold(u.name).startswith("uy ban nhan dan")),
        (
            code == "tu" or (not code and "thanh uy" in sign),
            lambda u: "thanh uy" in fold(u.name) and u.kind == "co-quan",
        ),
        (not code and "hieu truong" in sign, lambda u: u.kind == "truong"),
    )
    for applies, predicate in rules:
        if applies:
            return predicate
    return None


def canonical_place(place: str, units: list[Unit]) -> str | None:
    """The place as spelled in units.yml ("Đông Đa" → "Đống Đa"), from ward and city names."""
    wanted = fold(place).split()
    for unit in units:
        if unit.kind not in ("phuong", "thanh-pho"):
            continue
        words = nfc(unit.name).split()
        if len(words) >= len(wanted) and fold(" ".join(words[-len(wanted) :])).split() == wanted:
            return " ".join(words[-len(wanted) :])
    return None
