"""The signature at the end: capital lines (on behalf, role) above a personal name.

    TM. CHI BỘ          → on_behalf "TM. Chi bộ"
    BÍ THƯ              → role "Bí thư"
    Đặng Thị Hương      → name

Lines after the name (often the text of the seal read by OCR) are dropped from the body and reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import cast

from .model import Block, Para, Table
from .textutil import is_caps, plain

SCAN = 12  # the name is among the last lines
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_]*$")
_ON_BEHALF = re.compile(r"^(TM\.|T/M|T\.M\.|KT\.|K/T|TL\.|T/L|TUQ\.|Q\.)\s*", re.I)
# Words of office titles: only their first syllable takes a capital ("Phó Bí thư Thường trực").
COMPOUNDS = (
    "ủy ban nhân dân",
    "ban chấp hành",
    "bí thư",
    "thường trực",
    "thường vụ",
    "chủ tịch",
    "hiệu trưởng",
    "hiệu phó",
    "giám đốc",
    "chi bộ",
    "đảng ủy",
    "đảng uỷ",
    "chi ủy",
    "chi uỷ",
    "thành ủy",
    "tỉnh ủy",
    "ủy ban",
    "trưởng ban",
    "phó ban",
    "trưởng phòng",
    "tổ trưởng",
    "công đoàn",
    "đoàn thanh niên",
    "ban giám hiệu",
    "mặt trận",
    "tổ quốc",
    "nhân dân",
)


@dataclass
class Signature:
    name: str | None = None
    role: str | None = None
    on_behalf: str | None = None
    lines: list[str] = field(default_factory=list)  # the signature lines as written (for the body)
    dropped: list[str] = field(default_factory=list)  # lines after the name


def is_name(line: str) -> bool:
    words = plain(line).split()
    return 2 <= len(words) <= 6 and all(_NAME_WORD.match(w) and w[0].isupper() and not w[1:].isupper() for w in words)


def split_signature(blocks: list[Block]) -> tuple[list[Block], Signature]:
    """The body without its signature, and the signature found (empty when none).

    A closing table (Word documents often lay "Nơi nhận" and the signature side by side) is read
    as paragraphs, cell by cell, when no name ends the paragraphs.
    """
    kept, signature = _split(blocks)
    if signature.name is None and blocks and isinstance(blocks[-1], Table):
        cells = [
            Para(lines)
            for row in blocks[-1].rows
            for cell in row
            if (lines := [x for x in cell.split("\n") if x.strip()])
        ]
        return _split([*blocks[:-1], *cells])
    return kept, signature


def _split(blocks: list[Block]) -> tuple[list[Block], Signature]:
    lines = [(b, i) for b, block in enumerate(blocks) if isinstance(block, Para) for i in range(len(block.lines))]
    tail = lines[-SCAN:]
    for position in range(len(tail) - 1, -1, -1):
        b, i = tail[position]
        if is_name(_para(blocks, b).lines[i]):
            return _cut(blocks, lines, len(lines) - len(tail) + position)
    return blocks, Signature()


def _para(blocks: list[Block], b: int) -> Para:
    """The paragraph at ``b``: a (block, line) position is only ever taken from a paragraph."""
    return cast(Para, blocks[b])


def _cut(blocks: list[Block], lines: list[tuple[int, int]], name_at: int) -> tuple[list[Block], Signature]:
    text = [_para(blocks, b).lines[i] for b, i in lines]
    start = name_at
    while start > 0 and is_caps(text[start - 1]) and len(plain(text[start - 1])) <= 60:
        start -= 1
    signature = _read(text[start:name_at], text[name_at])
    signature.dropped = text[name_at + 1 :]
    b, i = lines[start]
    kept = [block for block in blocks[:b]]
    if i:
        kept.append(Para(_para(blocks, b).lines[:i]))
    kept += [block for block in blocks[b + 1 :] if not isinstance(block, Para)]  # tables stay
    return kept, signature


def _read(role_lines: list[str], name: str) -> Signature:
    signature = Signature(name=plain(name), lines=role_lines + [name])
    roles = []
    for line in role_lines:
        text = plain(line)
        prefix = _ON_BEHALF.match(text)
        if prefix and signature.on_behalf is None:
            signature.on_behalf = prefix.group(1).upper() + " " + title_case(text[prefix.end() :])
        else:
            roles.append(title_case(text))
    signature.role = " ".join(roles) or None
    return signature


def title_case(text: str) -> str:
    """Office titles in Vietnamese style: "PHÓ BÍ THƯ THƯỜNG TRỰC" → "Phó Bí thư Thường trực"."""
    words = text.lower().split()
    result, index = [], 0
    while index < len(words):
        size = next((len(c.split()) for c in COMPOUNDS if words[index : index + len(c.split())] == c.split()), 1)
        group = words[index : index + size]
        result.append(" ".join([group[0][:1].upper() + group[0][1:]] + group[1:]))
        index += size
    return " ".join(result)
