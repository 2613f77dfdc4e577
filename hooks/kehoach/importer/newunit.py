"""A ready-to-paste ``plans/units.yml`` entry for an issuing unit the file does not have yet.

The name is the one the document writes ("Chi bộ Trường Mầm non Hoa Sen xây dựng Kế hoạch"); the kind and
the party flag follow from its first words; the parent is guessed, never written silently: a party cell's
school (itself proposed when missing), else the ward or city named in the unit's name, else the place at
the head of the document ("Dương Nội, ngày …"). Every guess is said in a comment beside the key, and the
editor pastes the entry after checking it: the importer never writes to units.yml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Unit
from ..reserved import reserved
from ..text import fold, nfc, slugify
from .textutil import squash
from .yamlout import quoted

# (start of the folded name, kind, party organisation); the first that matches wins
_KINDS = (
    ("chi bo ", "chi-bo", True),
    ("truong ", "truong", False),
    ("dang uy ", "co-quan", True),
    ("ban thuong vu ", "co-quan", True),
    ("thanh uy ", "co-quan", True),
    ("tinh uy ", "co-quan", True),
    ("ban ", "co-quan", False),
    ("uy ban ", "co-quan", False),
    ("ubnd ", "co-quan", False),
    ("phuong ", "phuong", False),
    ("xa ", "phuong", False),
)
_SHORT = (  # the id conventions of units.yml: chi-bo-mn-tran-quoc-toan, truong-th-hien-thanh, ubnd-phuong-…
    ("chi-bo-truong-", "chi-bo-"),
    ("mam-non", "mn"),
    ("tieu-hoc", "th"),
    ("trung-hoc-co-so", "thcs"),
    ("trung-hoc-pho-thong", "thpt"),
    ("uy-ban-nhan-dan", "ubnd"),
    ("ban-thuong-vu-", ""),
    ("btv-", ""),
    ("thanh-uy-thanh-pho-", "thanh-uy-"),
)
_PLACE_IN_NAME = re.compile(r"\b(phuong|xa|thanh pho|tinh)\s+(.+)$")
_PARTY_WORDS = re.compile(r"\b(dang uy|thanh uy|tinh uy|chi bo)\b")


@dataclass
class Entry:
    id: str
    lines: list[str]


def proposals(name: str, units: list[Unit], place: str | None) -> list[Entry]:
    """The entries to paste for the unit called ``name`` (its school first when that is missing too)."""
    name = squash(nfc(name))
    folded = fold(name)
    kind, party = next(((k, p) for start, k, p in _KINDS if folded.startswith(start)), ("co-quan", False))
    party = party or bool(_PARTY_WORDS.search(folded))
    taken = {u.id for u in units}
    entries: list[Entry] = []
    parent, why = None, ""
    if kind == "chi-bo" and folded.startswith("chi bo truong "):
        school = name.split(" ", 2)[2]
        parent = _named(school, units)
        if parent is None:
            entries = proposals(school[:1].upper() + school[1:], units, place)
            parent = entries[0].id if entries else None
            why = f"trường “{school}” cũng chưa có, đề xuất ở trên"
    if parent is None and kind != "chi-bo":
        parent, why = _parent_from_place(folded, kind, units, place)
    unit_id = _new_id(name, taken | {e.id for e in entries})
    lines = [f"{unit_id}:", f"  name: {quoted(name)}"]
    if party:
        lines.append("  party: true")
    lines.append(f"  kind: {kind}  # đoán từ tên đơn vị")
    if parent:
        lines.append(f"  parent: {parent}" + (f"  # {why}" if why else ""))
    else:
        lines.append("  # parent: chưa rõ đơn vị cấp trên; hãy ghi mã đơn vị cấp trên")
    return [*entries, Entry(unit_id, lines)]


def _named(name: str, units: list[Unit]) -> str | None:
    wanted = fold(name)
    return next((u.id for u in units if fold(u.name) == wanted), None)


def _parent_from_place(folded: str, kind: str, units: list[Unit], place: str | None) -> tuple[str | None, str]:
    """A ward (or city) named in the unit's own name, else the document's place."""
    levels = ("thanh-pho",) if kind == "phuong" else ("phuong", "thanh-pho")
    named = _PLACE_IN_NAME.search(folded)
    if named:
        found = _place_unit(named.group(2), units, levels)
        if found:
            return found.id, f"theo tên đơn vị: {found.name}"
    if place and kind in ("truong", "co-quan"):
        found = _place_unit(fold(place), units, levels)
        if found:
            return found.id, f"đoán từ địa danh “{place}” ở đầu văn bản"
    return None, ""


def _place_unit(folded_place: str, units: list[Unit], levels: tuple[str, ...]) -> Unit | None:
    words = folded_place.split()
    for level in levels:
        for unit in units:
            if unit.kind == level and fold(unit.name).split()[-len(words) :] == words:
                return unit
    return None


def _new_id(name: str, taken: set[str]) -> str:
    base = slugify(name)
    for long, short in _SHORT:
        base = base.replace(long, short)
    base = base.strip("-") or "don-vi-moi"
    if reserved(base):
        base = f"{base}-don-vi"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate
