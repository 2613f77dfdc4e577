"""Typed records of the domain: units, plans and what a plan says."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .hygiene import printable
from .text import DOC_TYPES, REPORTED_BY_CITATION, REPORTED_BY_PRESS, TARGET_OPS, UNKNOWN_DATE, UNKNOWN_NUMBER

# The end of each source the importer writes for a document known only from citations (a stub), one per
# citing draft: "Kế hoạch số 12-KH/CB của … trích dẫn văn bản này (tệp 12-kh-cb.md)". ``Plan.cited_in``
# reads them back; the templates say "chỉ biết qua trích dẫn" rather than "theo báo chí" for such a document.
CITED_IN = "trích dẫn văn bản này (tệp {id}.md)"
_CITED_IN = re.compile(r"trích dẫn văn bản này \(tệp ([a-z0-9]+(?:-[a-z0-9]+)*)\.md\)$")


@dataclass(frozen=True)
class Problem:
    """One validation problem, reported as ``path:line: key: message``."""

    path: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        """Escaped: no value (a key, a quoted number) can move the cursor or forge a ``file:line``."""
        message = " ".join(self.message.split())  # one line per problem, always
        return f"{printable(self.path)}:{self.line}: {printable(self.key)}: {printable(message)}"


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    kind: str
    parent: str | None = None
    note: str = ""
    line: int = 1
    party: bool = False

    @property
    def motto(self) -> tuple[str, ...]:
        """The heading on the right of a document's header, by the issuer's system."""
        if self.party:
            return ("ĐẢNG CỘNG SẢN VIỆT NAM",)
        return ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


@dataclass(frozen=True)
class Citation:
    """A parent document as cited by a plan: the plan id and how it is cited."""

    id: str
    number: str | None = None
    date: dt.date | None = None


@dataclass(frozen=True)
class Target:
    year: int
    text: str
    id: str  # "t2030-internet": unique within its plan; the anchor of /van-ban/<plan>/#<id>
    value: float | None = None
    measure_unit: str | None = None  # "%", "đảng viên": the unit of measure, not an issuing unit
    op: str = "="
    of: str | None = None
    period: str | None = None
    source: str | None = None
    serves: tuple[str, ...] = ()  # "<plan-id>#<target-id>" of the targets above that this one serves

    @property
    def measure(self) -> str:
        """ "≥ 90 %", "100 %", "≥ 3 đảng viên" or "" when no number is stated."""
        if self.value is None:
            return ""
        number = f"{self.value:g}".replace(".", ",")
        prefix = TARGET_OPS.get(self.op, "")
        return " ".join(p for p in (prefix, number, self.measure_unit or "") if p)


@dataclass(frozen=True)
class Result:
    """What a report (type BC) says of one target of the plan it reports on."""

    target: str
    as_of: dt.date
    text: str
    value: float | None = None
    met: bool | None = None  # only when the report itself says whether the target was met


@dataclass(frozen=True)
class Responsibility:
    who: str
    what: str
    when: str | None = None


@dataclass(frozen=True)
class Signer:
    name: str | None = None
    role: str | None = None
    on_behalf: str | None = None


@dataclass(frozen=True)
class Source:
    label: str
    url: str | None = None


@dataclass(frozen=True)
class Plan:
    """A plan as its file says. Front-matter attributes are named as their keys in kehoach/schema.py
    (tests/test_schema.py checks that both agree); the others are ``schema.GIVEN[Plan]``."""

    id: str
    path: str
    title: str
    type: str
    unit: str
    status: str
    number: str | None = None
    number_note: str | None = None
    place: str | None = None
    date: dt.date | None = None
    date_note: str | None = None
    signer: Signer | None = None
    parents: tuple[Citation, ...] = ()
    targets: tuple[Target, ...] = ()
    responsibilities: tuple[Responsibility, ...] = ()
    topics: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    reported: bool = False
    reports_on: str | None = None  # a report (type BC): the plan it reports on
    results: tuple[Result, ...] = ()
    summary: str | None = None
    notes: str | None = None
    body: str = ""
    body_line: int = 1
    digest: str = ""  # of the file's bytes: what incremental rebuilds compare
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def has_full_text(self) -> bool:
        """Documents known only through sources (press, citations) carry no full text."""
        return not self.sources

    @property
    def cited_in(self) -> tuple[str, ...]:
        """A reported document known only from citations: the ids of the citing documents, as each of its
        sources names one (``CITED_IN``, no URL). Empty for the press or any other source: "theo báo chí"."""
        if not self.reported or not self.sources:
            return ()
        found = [None if s.url else _CITED_IN.search(s.label) for s in self.sources]
        return tuple(m.group(1) for m in found if m) if all(found) else ()

    @property
    def reported_as(self) -> str:
        """Where a reported document's facts come from, in a word for its badge: the press, or citations."""
        return REPORTED_BY_CITATION if self.cited_in else REPORTED_BY_PRESS

    @property
    def type_name(self) -> str:
        return DOC_TYPES.get(self.type, self.type)

    @property
    def number_label(self) -> str:
        return self.number or UNKNOWN_NUMBER

    @property
    def date_label(self) -> str:
        if self.date is None:
            return UNKNOWN_DATE
        return f"{self.date.day:02d}/{self.date.month:02d}/{self.date.year}"

    @property
    def short_title(self) -> str:
        """A compact name for tabs, links and lists: "Kế hoạch 09-KH/CB"."""
        return f"{self.type_name} {self.number or '(' + UNKNOWN_NUMBER + ')'}"

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.lines.get("", 1))
