"""Split the blocks of a source into header, title, body and closing signature lines."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..text import DOC_TYPES
from .model import Block, Para, Table
from .outline import label_level
from .textutil import bullet_text, ends_sentence, is_caps, plain, squash

HEADER_SEARCH = 12  # the document type line ("KẾ HOẠCH") is among the first blocks
JOIN_TAIL = 100  # characters of a paragraph's last line looked at to decide whether the next one continues it
_TYPE_TITLES = {squash(name.upper()): code for code, name in DOC_TYPES.items()}
_TYPE_TITLES["CHƯƠNG TRÌNH"] = "CTr"


@dataclass
class Doc:
    header: list[str] = field(default_factory=list)  # lines before the type line (tables flattened)
    type_code: str | None = None  # from the type line, e.g. "KH" for "KẾ HOẠCH"
    title: list[str] = field(default_factory=list)  # the title lines under the type line
    body: list[Block] = field(default_factory=list)


def normalise(blocks: list[Block]) -> list[Block]:
    """Join paragraphs cut by a page break and tables split over pages (repeated header row)."""
    result: list[Block] = []
    for block in blocks:
        last = result[-1] if result else None
        if isinstance(block, Para) and isinstance(last, Para) and _continues(last, block):
            last.lines[-1] = last.lines[-1].rstrip() + " " + block.lines[0].lstrip()
            last.lines.extend(block.lines[1:])
        elif isinstance(block, Table) and isinstance(last, Table) and _same_columns(last, block):
            rows = block.rows[1:] if block.rows[0] == last.rows[0] else block.rows
            last.rows.extend(rows)
        else:
            result.append(Para(list(block.lines)) if isinstance(block, Para) else Table([list(r) for r in block.rows]))
    return result


def _continues(first: Para, second: Para) -> bool:
    """A paragraph ends mid-sentence and the next one starts in lower case: one paragraph."""
    # Only the end of the line matters (a joined line already holds a lower-case letter); looking at the
    # whole line made thousands of one-word paragraphs, joined into one line, quadratic (issue 13).
    head, last = plain(second.lines[0][:JOIN_TAIL]), first.lines[-1][-JOIN_TAIL:]
    if ends_sentence(last) or is_caps(last) or bullet_text(second.lines[0]) is not None:
        return False
    return head[:1].islower()


def _same_columns(first: Table, second: Table) -> bool:
    return len(first.rows[0]) == len(second.rows[0])


def type_title(line: str) -> str | None:
    """The type code of a type line ("KẾ HOẠCH" → "KH"), or None."""
    text = squash(plain(line))
    if not text.isupper():
        return None
    return _TYPE_TITLES.get(text)


def split_doc(blocks: list[Block]) -> Doc:
    """Find the type line; what is above is the header, the next paragraph the title."""
    blocks = normalise(blocks)
    for index, block in enumerate(blocks[:HEADER_SEARCH]):
        if isinstance(block, Para) and (code := type_title(block.lines[0])):
            doc = Doc(_header_lines(blocks[:index]), code)
            rest = block.lines[1:]
            following = blocks[index + 1 :]
            if not rest and following and isinstance(following[0], Para) and not _starts_section(following[0]):
                rest, following = following[0].lines, following[1:]
            doc.title, doc.body = rest, following
            return doc
    return _without_type_line(blocks)


def _without_type_line(blocks: list[Block]) -> Doc:
    """No type line: header lines are the leading short paragraphs that hold a number or a date."""
    count = 0
    for block in blocks[:4]:
        if not isinstance(block, Para) or not any(_is_header_line(line) for line in block.lines):
            break
        count += 1
    return Doc(_header_lines(blocks[:count]), None, [], blocks[count:])


def _is_header_line(line: str) -> bool:
    text = plain(line).lower()
    return text.startswith("số") or (" ngày " in f" {text} " and " năm " in f" {text} ")


def _starts_section(block: Para) -> bool:
    return label_level(block.lines[0])[0] > 0


def _header_lines(blocks: list[Block]) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Para):
            lines.extend(block.lines)
        else:
            lines.extend(part for row in block.rows for cell in row for part in cell.split("\n") if part.strip())
    return lines
