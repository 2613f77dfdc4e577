"""Targets: the items under a "... đến năm 20xx" heading, with the measure each states.

Rules, in order:
1. A numbered heading or labelled paragraph whose lead says "đến năm YYYY" (or "tầm nhìn đến năm
   YYYY") opens a scope for year YYYY, closed by the next label of the same or a higher level.
   Each bullet in it is one target; a paragraph gives one target per sentence. A bullet made of
   parts separated by ";" that each state a measure gives one target per part.
2. A heading about "chỉ tiêu" (not "mục tiêu") with no year takes the end year of the period
   stated in the title ("nhiệm kỳ 2025 - 2027") and records that period; without one, its
   items are not targets and the gap is reported.
3. Outside scopes, a sentence "(phấn đấu) đến (cuối) năm YYYY ..." that states a measure is a target.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Required

from .measure import Measure, has_measure, measure
from .model import Item
from .textutil import plain, sentences, squash, upper_first

_YEAR = re.compile(r"(?:đến|tới)\s+(?:hết\s+|cuối\s+)?năm\s+(20\d\d)\b", re.I)
_PERIOD = re.compile(r"(nhiệm kỳ|giai đoạn)\s+(20\d\d)\s*[-–]\s*(20\d\d)", re.I)
_QUOTA = re.compile(r"chỉ tiêu", re.I)
_GOAL = re.compile(r"mục tiêu", re.I)


@dataclass
class Scope:
    level: int
    year: int | None
    period: str | None = None
    heading: str = ""


class Target(Measure, total=False):
    """One target: its year and text, the period its year was taken from, and the measure it states."""

    year: Required[int]
    text: Required[str]
    period: str


@dataclass
class Found:
    targets: list[Target] = field(default_factory=list)
    undated: list[str] = field(default_factory=list)  # headings of quota lists with no year
    seen: set[tuple[int, str]] = field(default_factory=set, repr=False)  # (year, text) of targets
    period_used: str | None = None


def find_targets(items: list[Item], title: str) -> Found:
    found = Found()
    stack: list[Scope] = []
    period = _PERIOD.search(title)
    for item in items:
        if item.level:
            while stack and stack[-1].level >= item.level:
                stack.pop()
            scope = _open_scope(item, period)
            if scope:
                stack.append(scope)
                if scope.year is None and scope.heading not in found.undated:
                    found.undated.append(scope.heading)
                elif scope.period:
                    found.period_used = scope.period
        texts = _texts(item)
        if stack and stack[-1].year:
            for text in texts:
                _add(found, _target(stack[-1].year, stack[-1].period, text))
        elif not stack:
            for text in texts:
                _add(found, _inline(text))
    return found


def _open_scope(item: Item, period: re.Match[str] | None) -> Scope | None:
    head = plain(item.head)
    year = _YEAR.search(head)
    if year:
        return Scope(item.level, int(year.group(1)), heading=head)
    if item.kind == "heading" and _QUOTA.search(head) and not _GOAL.search(head):
        if period:
            text = f"{period.group(1).lower()} {period.group(2)} - {period.group(3)}"
            return Scope(item.level, int(period.group(3)), text, head)
        return Scope(item.level, None, heading=head)
    return None


def _texts(item: Item) -> list[str]:
    """Candidate target texts of an item: bullet parts or a paragraph's sentences."""
    if item.kind == "bullet":
        parts = [p.strip() for p in item.text.split(";")]
        if len(parts) > 1 and all(has_measure(p) for p in parts if p):
            return [upper_first(p) for p in parts if p]
        return [item.text]
    if item.kind == "para":
        text = item.rest if item.level and item.head else item.text
        return sentences(text) if text else []
    return []


def _target(year: int, period: str | None, text: str) -> Target | None:
    text = _clean(text)
    if not text:
        return None
    target: Target = {"year": year, "text": text}
    if period:
        target["period"] = period
    return {**target, **measure(text)}  # the measure's keys after these: front matter keeps this order


def _inline(text: str) -> Target | None:
    """Rule 3: a dated sentence with a measure, from the colon that introduces it."""
    text = plain(text)
    match = _YEAR.search(text)
    if not match or not has_measure(text[match.start() :]):
        return None
    start = text.rfind(":", 0, match.start()) + 1
    return _target(int(match.group(1)), None, text[start:])


def _clean(text: str) -> str:
    return squash(plain(text)).rstrip(";,").strip()


def _add(found: Found, target: Target | None) -> None:
    if target and (target["year"], target["text"]) not in found.seen:  # a set: linear on huge inputs
        found.seen.add((target["year"], target["text"]))
        found.targets.append(target)
