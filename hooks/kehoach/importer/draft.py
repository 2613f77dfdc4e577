"""Build a draft plan (front matter, Markdown body, what is missing) from the blocks of a source."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..model import Plan, Unit
from ..words import TargetIds
from .cite import basis_texts, norm, parents
from .doc import split_doc
from .errors import ImportFailure
from .header import Dated, Number, parse_dated, parse_number
from .model import Block, Item
from .newunit import Entry, proposals
from .outline import items
from .render import render
from .signer import Signature, split_signature
from .stubs import Stub, first_citations, make_stub
from .tables import responsibilities
from .targets import find_targets
from .textutil import folded, lower_first, plain
from .title import make_title
from .units import canonical_place, choose, issuer_hint

NOT_A_PLAN = (
    "Tệp không giống một văn bản kế hoạch: không thấy dòng tên loại văn bản (“KẾ HOẠCH”) "
    "ở đầu văn bản, cũng không thấy dòng “Số: …”."
)
MAX_STUBS = 30  # stub files one import writes for cited documents plans/ lacks; the rest are listed
_SUBJECT = re.compile(r"(?:^|[,;:]\s*)([^,;:]{3,90}?)\s+(?:xây dựng|ban hành)\s+[Kk]ế hoạch")


@dataclass
class Context:
    units: list[Unit]
    plans: list[Plan]
    stubs: dict[str, str] = field(default_factory=dict)  # by number: files not in plans (unloaded, this run's)
    names: set[str] = field(default_factory=set)  # every file name of plans/ (no .md): a new stub takes none


@dataclass
class Draft:
    front: dict[str, object]  # in the order written; yamlout.py writes the values
    body: str
    missing: list[str] = field(default_factory=list)  # keys left out, in Vietnamese
    warnings: list[str] = field(default_factory=list)  # values taken that an editor should check
    stubs: list[Stub] = field(default_factory=list)  # cited documents plans/ lacks, written beside the draft
    reused: list[Stub] = field(default_factory=list)  # what it cites of files in plans/ that did not load (ids)
    entries: list[Entry] = field(default_factory=list)  # units.yml entries to paste (issuing units not in it)


def build_draft(blocks: list[Block], context: Context) -> Draft:
    doc = split_doc(blocks)
    number, dated = parse_number(doc.header), parse_dated(doc.header)
    if doc.type_code is None and number.raw is None:
        raise ImportFailure(NOT_A_PLAN)
    body, signature = split_signature(doc.body)
    body_items = items(body)
    draft = Draft({}, render(body_items, signature))
    type_code = doc.type_code or number.type_code
    title = make_title(doc.title, type_code, context.units)
    _put(draft, "title", title, "tiêu đề (trích yếu): không thấy dòng tên văn bản dưới chữ “KẾ HOẠCH”")
    _put(draft, "type", type_code, "loại văn bản: không thấy dòng “KẾ HOẠCH” hay ký hiệu loại trong số văn bản")
    _put(draft, "number", number.number, f"số văn bản: {lower_first(number.note or '')}")
    _put(draft, "number_note", number.note)
    _unit(draft, doc.header, body_items, context.units, number.issuer, " ".join(signature.lines), dated.place)
    _status(draft, number, dated, [*doc.header, *doc.title])
    _place(draft, dated.place, context.units)
    _put(draft, "date", dated.date, f"ngày ban hành: {lower_first(dated.note or '')}")
    _put(draft, "date_note", dated.note)
    _signer(draft, signature)
    _parents(draft, title or "", body_items, context, number.number)
    _targets(draft, body_items, title or "", dated.date)
    _put(draft, "responsibilities", responsibilities(body_items) or None)
    return draft


def _put(draft: Draft, key: str, value: object, missing: str | None = None) -> None:
    if value is None or value == "":
        if missing:
            draft.missing.append(missing)
        return
    draft.front[key] = value


def _zones(header: list[str], body_items: list[Item]) -> dict[str, list[str]]:
    first_heading = next((i for i, item in enumerate(body_items) if item.kind == "heading"), len(body_items))
    texts = [item.text for item in body_items if item.kind != "table"]
    closing = [t for t in texts if plain(t).lower().startswith("trên đây là")]
    preamble = texts[:first_heading]
    rest = [t for t in texts[first_heading:] if t not in closing]
    return {"header": header, "preamble": preamble, "closing": closing, "body": rest}


def _unit(
    draft: Draft,
    header: list[str],
    body_items: list[Item],
    units: list[Unit],
    issuer: str | None,
    signed: str,
    place: str | None,
) -> None:
    zones = _zones(header, body_items)
    choice = choose(zones, units, issuer_hint(issuer, signed))
    if choice.unit is None:
        said = next((m.group(1).strip() for t in zones["preamble"] if (m := _SUBJECT.search(plain(t)))), None)
        detail = f"văn bản ghi “{said}”, " if said else ""
        names = ", ".join(choice.candidates[:3])
        hint = f" (có thể là: {names})" if names else ""
        if said and not choice.candidates:
            draft.entries.extend(proposals(said, units, place))
            hint = f"; đề xuất mục {draft.entries[-1].id} cho units.yml (in ở dưới)"
        draft.missing.append(
            f"đơn vị ban hành: {detail}không khớp chắc chắn tên nào trong plans/units.yml{hint}; "
            "hãy thêm đơn vị vào units.yml hoặc ghi khóa unit"
        )
        return
    draft.front["unit"] = choice.unit.id
    if choice.written:
        draft.warnings.append(
            f"đơn vị: văn bản ghi “{choice.written}”, "
            f"đã khớp với “{choice.unit.name}” ({choice.unit.id}) trong plans/units.yml"
        )


def _status(draft: Draft, number: Number, dated: Dated, head: list[str]) -> None:
    """``du-thao`` only when the text marks a draft: a blank number or date, or the words "dự thảo"."""
    reasons = []
    if number.raw is not None and number.number is None:
        reasons.append("số văn bản còn để trống")
    if dated.blank:
        reasons.append("ngày ban hành còn để trống")
    if any("du thao" in folded(line) for line in head):
        reasons.append("văn bản ghi “dự thảo”")
    if reasons:
        draft.front["status"] = "du-thao"
        draft.warnings.append(f"tình trạng: ghi du-thao (dự thảo) vì {', '.join(reasons)}")
        return
    draft.front["status"] = "ban-hanh"
    if number.number is None and dated.date is None:
        draft.warnings.append(
            "tình trạng: văn bản không có số và ngày nhưng không có dấu hiệu dự thảo (chỗ để trống, chữ "
            "“dự thảo”), nên ghi ban-hanh; hãy đối chiếu bản gốc (có thể bản sao thiếu phần đầu)"
        )


def _place(draft: Draft, place: str | None, units: list[Unit]) -> None:
    if not place:
        draft.missing.append("địa danh: văn bản không ghi địa danh ở đầu văn bản")
        return
    canonical = canonical_place(place, units)
    if canonical and canonical != place:
        draft.warnings.append(f"địa danh: văn bản ghi “{place}”, đã ghi theo plans/units.yml là “{canonical}”")
    draft.front["place"] = canonical or place


def _signer(draft: Draft, signature: Signature) -> None:
    if signature.dropped:
        dropped = " / ".join(signature.dropped)
        draft.warnings.append(f"đã bỏ khỏi toàn văn các dòng sau tên người ký (có thể là chữ của con dấu): {dropped}")
    if not signature.name:
        draft.missing.append("người ký: không thấy họ tên người ký ở cuối văn bản")
        return
    record = {"name": signature.name, "role": signature.role, "on_behalf": signature.on_behalf}
    draft.front["signer"] = {k: v for k, v in record.items() if v}
    if not signature.role:
        draft.missing.append("chức vụ người ký: văn bản không ghi")


def _parents(draft: Draft, title: str, body_items: list[Item], context: Context, own: str | None) -> None:
    first_heading = next((i for i, item in enumerate(body_items) if item.kind == "heading"), len(body_items))
    texts = [item.text for item in body_items if item.kind != "table"]
    cited = [*texts[:first_heading], title, *basis_texts(texts[first_heading:])]
    found = parents(cited, context.plans, own)
    records: list[dict[str, object]] = [{k: v for k, v in r.items() if v is not None} for r in found.records]
    reused = [n for n in found.unknown if norm(n) in context.stubs]
    unknown = [n for n in found.unknown if norm(n) not in context.stubs]
    clauses = first_citations(cited, [*reused, *unknown[:MAX_STUBS]])
    near, taken = _str(draft.front.get("unit")), {p.id for p in context.plans} | context.names
    for number in reused:  # its file is in plans/ but did not load: write.py decides what to say of it
        stub = make_stub(clauses[norm(number)], context.plans, context.units, near, set())
        stub.id = context.stubs[norm(number)]
        draft.reused.append(stub)
        records.append(_record(stub))
    for number in unknown[MAX_STUBS:]:
        draft.missing.append(
            f"văn bản căn cứ số {number}: chưa có trong plans/; quá {MAX_STUBS} văn bản như vậy, chưa ghi"
        )
    for number in unknown[:MAX_STUBS]:
        stub = make_stub(clauses[norm(number)], context.plans, context.units, near, taken)
        draft.stubs.append(stub)
        records.append(_record(stub))
        draft.warnings.append(
            f"văn bản căn cứ số {number} chưa có trong plans/: đã ghi vào parents và viết tệp sơ lược "
            f"plans/{stub.id}.md (reported: true, nguồn là bản nháp này); hãy bổ sung khi có văn bản"
        )
        draft.missing.extend(stub.missing)
        draft.warnings.extend(stub.warnings)
        draft.entries.extend(stub.entries)
    _put(draft, "parents", records or None, "văn bản căn cứ: không thấy số văn bản nào được trích dẫn")
    draft.warnings.extend(found.warnings)


def _record(stub: Stub) -> dict[str, object]:
    date = stub.front.get("date")
    return {"id": stub.id, "number": stub.number, **({"date": date} if date else {})}


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _targets(draft: Draft, body_items: list[Item], title: str, date: dt.date | None) -> None:
    found = find_targets(body_items, title)
    ids = TargetIds()
    kept = [{"id": ids(t["year"], t["text"]), **t} for t in found.targets if not date or t["year"] >= date.year]
    for target in found.targets:
        if date and target["year"] < date.year:
            draft.warnings.append(f"bỏ chỉ tiêu năm {target['year']} (trước ngày ban hành): {target['text'][:60]}…")
    for heading in found.undated:
        draft.missing.append(f"năm của các chỉ tiêu trong mục “{heading}”: văn bản không ghi; chưa đưa vào targets")
    if found.period_used:
        draft.warnings.append(
            f"năm của các chỉ tiêu không ghi năm lấy theo “{found.period_used}” ở tên văn bản (ghi ở khóa period)"
        )
    _put(draft, "targets", kept or None, None if found.undated else "chỉ tiêu: không thấy mục nào “... đến năm 20xx”")
