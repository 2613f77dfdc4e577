"""The document's header: number ("Số: 09 -KH/CB"), place and date ("Việt Hưng, ngày 30 tháng 10 năm 2025")."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..text import DOC_TYPES
from .textutil import plain, squash

_CODE = r"[A-ZĐ][A-Za-zĐđ&]*"
_NUMBER_LINE = re.compile(
    rf"^\s*Số\s*[:.]?\s*(?P<raw>(?P<n>[\w*.…]*?)\s*(?P<sep>[-/])\s*(?P<code>{_CODE}(?:\s*[-/]\s*{_CODE})+))"
)
_DATE = re.compile(
    r"(?P<place>[^\W\d_][^\d,:;]*?)?\s*,?\s*(?P<raw>ngày\s*(?P<d>\d{0,2})\s*tháng\s*(?P<m>\d{0,2})\s*năm\s*(?P<y>\d{0,4}))",
    re.I,
)
_SLASH_DATE = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})")
_WORD_DATE = re.compile(r"(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)


@dataclass
class Number:
    number: str | None = None  # normalised: "09-KH/CB"
    raw: str | None = None  # as written, marks removed: "09 -KH/CB"
    type_code: str | None = None  # "KH"
    issuer: str | None = None  # "CB"
    note: str | None = None


@dataclass
class Dated:
    place: str | None = None
    date: dt.date | None = None
    raw: str | None = None
    note: str | None = None
    blank: bool = False  # the date line leaves day, month or year blank ("ngày tháng năm 2026")


def parse_number(lines: list[str]) -> Number:
    for line in lines:
        match = _NUMBER_LINE.match(plain(line))
        if match:
            return _number(match)
    return Number(note="Văn bản không có dòng “Số”.")


def _number(match: re.Match[str]) -> Number:
    raw = squash(match.group("raw"))
    written = squash(match.group(0))
    codes = re.split(r"\s*[-/]\s*", match.group("code"))
    type_code = _type_of(codes[0])
    result = Number(raw=raw, type_code=type_code, issuer=codes[-1])
    if match.group("n").isdigit():
        result.number = re.sub(r"\s+", "", raw)
        if result.number != raw:
            result.note = f"Văn bản ghi “{written}”."
    else:
        result.note = f"Văn bản ghi “{written}”: số còn để trống."
    return result


def _type_of(code: str) -> str | None:
    for known in DOC_TYPES:
        if known.upper() == code.upper():
            return known
    return None


def parse_dated(lines: list[str]) -> Dated:
    """Place and date of the header line "<place>, ngày .. tháng .. năm ...."."""
    for line in lines:
        text = _NUMBER_LINE.sub("", plain(line))
        match = _DATE.search(text)
        if match:
            return _dated(match)
    return Dated(note="Văn bản không ghi ngày ban hành.")


def _dated(match: re.Match[str]) -> Dated:
    place = squash(match.group("place") or "") or None
    raw = squash(match.group("raw"))
    parts = {"ngày": match.group("d"), "tháng": match.group("m"), "năm": match.group("y")}
    blank = [name for name, value in parts.items() if not value]
    if blank:
        return Dated(place, None, raw, f"Văn bản ghi “{raw}”: {', '.join(blank)} còn để trống.", True)
    day = make_date(int(parts["năm"]), int(parts["tháng"]), int(parts["ngày"]))
    if day is None:
        return Dated(place, None, raw, f"Văn bản ghi “{raw}”: ngày không có thật.")
    return Dated(place, day, raw)


def make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_cited_date(text: str) -> dt.date | None:
    """A date as cited: "22/8/2025" or "20 tháng 10 năm 2025"."""
    match = _SLASH_DATE.search(text) or _WORD_DATE.search(text)
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    return make_date(year, month, day)
