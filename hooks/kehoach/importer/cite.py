"""Cited documents ("Nghị quyết số 71-NQ/TW ngày 22/8/2025") and their resolution to plans in plans/.

Party numbers are number-type/issuer (71-NQ/TW, 05-CTr/TU, 01-CTr/ĐU), state numbers number/type-issuer
(102/KH-UBND, 281/NQ-CP, 10697/VP-VX). Spaces written inside them ("102 /KH-UBND", "71- NQ/TW") are
dropped. A cited document is a parent when it is cited in the title, in the preamble, in a sentence
that starts with "Thực hiện"/"Căn cứ", or after "cụ thể hóa" (to make a document concrete is to
implement it); a document only mentioned ("quán triệt Nghị quyết 281/NQ-CP") is not.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import NotRequired, TypedDict

from ..model import Plan
from .header import parse_cited_date
from .textutil import folded, plain, sentences

_CODE = r"[A-ZĐ][A-Za-zĐđ]*"
NUMBER = rf"\d+\s*-\s*{_CODE}\s*/\s*{_CODE}|\d+\s*/\s*{_CODE}(?:\s*-\s*{_CODE})+"
_CITATION = re.compile(
    rf"(?<![\w/-])(?P<num>{NUMBER})(?![\w/-])"
    r"(?P<date>\s*,?\s*(?:ban hành\s+)?[Nn]gày\s+"
    r"(?:\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}))?"
)
_BASIS = ("thuc hien", "can cu")
_CONCRETE = re.compile(r"cụ thể h(?:óa|oá)", re.I)


class Parent(TypedDict):
    """A parent record of the front matter; ``date`` is None when the cited date disagrees with the plan's."""

    id: str
    number: str
    date: NotRequired[dt.date | None]


@dataclass
class Parents:
    records: list[Parent] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # cited numbers with no plan in plans/
    warnings: list[str] = field(default_factory=list)


def norm(number: str) -> str:
    return "".join(number.split()).upper()


@dataclass
class Span:
    """One citation in a text without emphasis marks: the number as written without spaces, its date."""

    number: str
    date: dt.date | None
    start: int
    end: int  # after the cited date, when there is one


def spans(text: str) -> list[Span]:
    """Each citation of ``text`` (already ``plain``), with where it is."""
    found = []
    for match in _CITATION.finditer(text):
        date = parse_cited_date(match.group("date")) if match.group("date") else None
        found.append(Span("".join(match.group("num").split()), date, match.start(), match.end()))
    return found


def citations(text: str) -> list[tuple[str, dt.date | None]]:
    """(normalised number, cited date or None) for each citation in ``text``."""
    return [(span.number, span.date) for span in spans(plain(text))]


def basis_texts(texts: list[str]) -> list[str]:
    """The parts of body paragraphs that name the documents this plan implements."""
    result = []
    for text in texts:
        for sentence in sentences(plain(text)):
            if folded(sentence).lstrip("- ").startswith(_BASIS):
                result.append(sentence)
            elif match := _CONCRETE.search(sentence):
                result.append(sentence[match.end() :])
    return result


def parents(texts: list[str], plans: list[Plan], own_number: str | None) -> Parents:
    """Parent records (id, number, date) in order of first citation; unknown numbers listed apart."""
    by_number = {norm(p.number): p for p in plans if p.number}
    result = Parents()
    seen: dict[str, Parent] = {}
    for text in texts:
        for number, date in citations(text):
            if own_number and norm(number) == norm(own_number):
                continue
            plan = by_number.get(norm(number))
            if plan is None:
                if number not in result.unknown:
                    result.unknown.append(number)
                continue
            record = seen.get(plan.id)
            if record is None:
                record = seen[plan.id] = {"id": plan.id, "number": number}
                result.records.append(record)
            if date and "date" not in record:
                _add_date(record, date, plan, result.warnings)
    return result


def _add_date(record: Parent, date: dt.date, plan: Plan, warnings: list[str]) -> None:
    if plan.date and plan.date != date:
        warnings.append(
            f"văn bản căn cứ {record['number']} được trích với ngày {date:%d/%m/%Y}, khác ngày "
            f"{plan.date:%d/%m/%Y} của {plan.id}.md; chưa ghi ngày trích dẫn"
        )
        record["date"] = None
        return
    record["date"] = date
