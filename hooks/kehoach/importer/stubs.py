"""A stub document for each cited document that plans/ does not have (issue 16): nothing read is lost.

The draft keeps the citation in ``parents`` with its number and date, and a stub is written beside it:
``reported: true``, known only from this citation, with the citing draft as its source. What the stub
says comes from the citation's own clause ("Kế hoạch số 29-KH/BTGDVTU ngày 07/02/2026 của Ban Tuyên giáo
và Dân vận Thành ủy Hà Nội về việc …"): type, number, date, issuing unit (a name of units.yml, else a
ready-to-paste entry), title (the type and the "về …" part, else the clause as written) and, when that
title says it implements documents of plans/ ("về thực hiện Nghị quyết số 71-NQ/TW …"), its parents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import CITED_IN, Plan, Unit
from ..text import DOC_TYPES, fold
from .cite import Span, norm, parents, spans
from .naming import slug
from .newunit import Entry, proposals
from .textutil import plain, squash
from .units import ABBREVIATIONS

_TYPE_NAMES = sorted([*DOC_TYPES.values(), "Chương trình", "Thông báo", "Văn bản"], key=len, reverse=True)
_TYPE_BEFORE = re.compile(rf"(?P<type>{'|'.join(map(re.escape, _TYPE_NAMES))})\s+(?:số\s+)?$", re.I)
_TYPE_CODES = {fold(name): code for code, name in DOC_TYPES.items()} | {"chuong trinh": "CTr"}
_CLAUSE_END = re.compile(r";|\.(?:\s+(?=[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ])|\s*$)")
_NEXT_SUBJECT = re.compile(r",\s*[^,;:]{3,90}?\s+(?:xây dựng|ban hành)\s+[Kk]ế hoạch")
_IMPLEMENTS = re.compile(r"thuc hien|trien khai|cu the hoa")
CLAUSE_CHARS, ISSUER_CHARS = 600, 200  # a citation's clause is a line, not a page
_OF, _ABOUT = re.compile(r"^,?\s*của\s+"), re.compile(r"\s+về\s+")


@dataclass
class Cited:
    """A citation's clause as written, cut into its parts."""

    span: Span
    clause: str  # from the type word to the end of the clause
    type_written: str | None
    issuer: str | None  # "Ban Tuyên giáo và Dân vận Thành ủy Hà Nội"
    subject: str | None  # "về việc tuyên truyền …"


@dataclass
class Stub:
    id: str
    number: str
    cited: Cited
    front: dict[str, object]  # without ``sources``, which names the draft (write.py adds it)
    missing: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)  # units.yml entries to paste for its issuer


def first_citations(texts: list[str], wanted: list[str]) -> dict[str, Cited]:
    """The first citation of each number of ``wanted`` in ``texts`` (the texts ``cite.parents`` read), by
    normalised number, in one pass."""
    left = {norm(n) for n in wanted}
    found: dict[str, Cited] = {}
    for text in texts:
        if not left:
            break
        line = plain(text)
        for span in spans(line):
            key = norm(span.number)
            if key in left:
                found[key] = _cut(line, span)
                left.discard(key)
    return found


def _cut(line: str, span: Span) -> Cited:
    before = _TYPE_BEFORE.search(line[max(0, span.start - 40) : span.start])
    start = span.start - (len(before.group(0)) if before else 0)
    rest = line[span.end :]
    stop = _CLAUSE_END.search(rest)
    rest = rest[: stop.start()] if stop else rest
    if subject := _NEXT_SUBJECT.search(rest):
        rest = rest[: subject.start()]
    clause = _capped(squash(line[start : span.end] + rest).rstrip(",:"))
    issuer = subject_text = None
    if of := _OF.match(rest):
        parts = _ABOUT.split(rest[of.end() :], maxsplit=1)
        issuer = _capped(squash(parts[0]).rstrip(","), ISSUER_CHARS) or None
        subject_text = _capped("về " + squash(parts[1]).rstrip(",:")) if len(parts) > 1 else None
    elif about := re.match(r"^,?\s*về\s+", rest):
        subject_text = _capped("về " + squash(rest[about.end() :]).rstrip(",:"))
    return Cited(span, clause, before.group("type") if before else None, issuer, subject_text)


def _capped(text: str, limit: int = CLAUSE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def make_stub(cited: Cited, plans: list[Plan], units: list[Unit], near: str | None, taken: set[str]) -> Stub:
    """The stub for ``cited``; ``near`` is the draft's unit (its city decides "Thành ủy" alone)."""
    number = cited.span.number
    front: dict[str, object] = {"title": _title(cited)}
    stub = Stub("", number, cited, front)
    type_code = _type_code(number, cited.type_written)
    if type_code:
        front["type"] = type_code
    else:
        stub.missing.append(f"loại văn bản của {number}: trích dẫn không ghi")
    front["number"] = number
    _unit(stub, units, near)
    front["status"] = "ban-hanh"  # it has a number and is cited as issued
    if cited.span.date:
        front["date"] = cited.span.date
    front["reported"] = True
    front["summary"] = summary([cited.clause])
    if cited.subject and _IMPLEMENTS.search(fold(cited.subject)):
        found = parents([cited.subject], plans, number)
        if found.records:
            front["parents"] = [{k: v for k, v in r.items() if v is not None} for r in found.records]
    stub.id = _free(slug(front), taken)
    return stub


def summary(clauses: list[str]) -> str:
    """What a stub says of itself: each citation's clause as written."""
    return "Văn bản chỉ biết qua trích dẫn: " + "; ".join(f"“{clause}”" for clause in clauses) + "."


def _title(cited: Cited) -> str:
    if cited.type_written and cited.subject:
        return f"{cited.type_written[:1].upper()}{cited.type_written[1:]} {cited.subject}"
    return cited.clause[:1].upper() + cited.clause[1:]


def _type_code(number: str, written: str | None) -> str | None:
    codes = re.split(r"[-/]", number)
    by_code = {code.upper(): code for code in DOC_TYPES}
    if len(codes) > 1 and codes[1].upper() in by_code:
        return by_code[codes[1].upper()]
    return _TYPE_CODES.get(fold(written or ""))


def _unit(stub: Stub, units: list[Unit], near: str | None) -> None:
    issuer = stub.cited.issuer
    if not issuer:
        stub.missing.append(
            f"đơn vị ban hành văn bản {stub.number}: trích dẫn không ghi “của …”; hãy ghi unit vào tệp sơ lược "
            "(đến khi đó, make check báo cả tệp sơ lược lẫn căn cứ của bản nháp)"
        )
        return
    wanted = canonical(issuer)
    same = [u for u in units if canonical(u.name) == wanted]
    if len(same) == 1:
        stub.front["unit"] = same[0].id
        return
    guess = _in_same_city(issuer, units, near)
    if guess:
        stub.front["unit"] = guess.id
        stub.warnings.append(
            f"đơn vị ban hành văn bản {stub.number}: trích dẫn ghi “{issuer}”, đã ghi là “{guess.name}” "
            f"({guess.id}), đơn vị duy nhất có tên như vậy ở cùng thành phố với bản nháp; hãy kiểm tra"
        )
        return
    stub.entries = proposals(issuer, units, None)
    stub.missing.append(
        f"đơn vị ban hành văn bản {stub.number}: “{issuer}” chưa có trong plans/units.yml; "
        f"đề xuất mục {stub.entries[-1].id} (in ở dưới), dán vào units.yml rồi ghi unit vào tệp sơ lược"
    )


def canonical(name: str) -> str:
    """A unit's name compared: folded, abbreviations written out, "thành phố" dropped
    ("BTV Thành ủy thành phố Hải Phòng" is "Ban Thường vụ Thành ủy Hải Phòng")."""
    words = f" {fold(squash(name))} "
    for long, short in ABBREVIATIONS.items():
        words = words.replace(f" {short} ", f" {long} ")
    return squash(words.replace(" thanh pho ", " "))


def _in_same_city(issuer: str, units: list[Unit], near: str | None) -> Unit | None:
    """ "Ban Thường vụ Thành ủy" in a Hà Nội ward's plan: the one unit so named in the same city."""
    by_id = {u.id: u for u in units}
    city = _city(near, by_id)
    if city is None:
        return None
    prefix = canonical(issuer) + " "
    found = [u for u in units if canonical(u.name).startswith(prefix) and _city(u.id, by_id) == city]
    return found[0] if len(found) == 1 else None


def _city(unit_id: str | None, by_id: dict[str, Unit]) -> str | None:
    seen: set[str] = set()
    while unit_id and unit_id in by_id and unit_id not in seen:
        seen.add(unit_id)
        if by_id[unit_id].kind == "thanh-pho":
            return unit_id
        unit_id = by_id[unit_id].parent
    return None


def _free(base: str, taken: set[str]) -> str:
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def citing_name(draft: dict[str, object]) -> str:
    """ "Kế hoạch số 12-KH/CB" or "Kế hoạch (chưa có số)": from the type code and the number's pattern only."""
    kind = DOC_TYPES.get(str(draft.get("type") or ""), "Văn bản")
    return f"{kind} số {draft['number']}" if draft.get("number") else f"{kind} (chưa có số)"


def source_label(draft: dict[str, object], draft_id: str, units: list[Unit]) -> str:
    """The stub's source: the citing draft, by type, number and unit as far as they are known; its end
    (``model.CITED_IN``) is how the site tells a stub from a document reported by the press."""
    unit = {u.id: u.name for u in units}.get(str(draft.get("unit") or ""))
    of = f" của {unit}" if unit else ""
    return f"{citing_name(draft)}{of} {CITED_IN.format(id=draft_id)}"
