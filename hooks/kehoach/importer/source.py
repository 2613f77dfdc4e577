"""Read a source file (.txt or .docx) into blocks; refuse what cannot be read, in Vietnamese."""

from __future__ import annotations

import codecs
import html
import re
from pathlib import Path

from ..text import nfc
from .errors import ImportFailure
from .limits import MAX_PARAGRAPHS, TEXT_BYTES, TEXT_TOO_BIG, TOO_MANY_PARAGRAPHS, safe_name
from .model import Block, Para, Table
from .zipguard import MAX_DOCX_BYTES

_P = re.compile(r"<p\b[^>]*>(.*?)</p>", re.S | re.I)
_TAGS = ((re.compile(r"</?(?:i|em)\b[^>]*>", re.I), "*"), (re.compile(r"</?(?:b|strong)\b[^>]*>", re.I), "**"))
_ANY_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_LEGACY = (
    "Tệp không phải văn bản Unicode UTF-8: có vẻ được gõ bằng bảng mã cũ (TCVN3/ABC, VNI hoặc Windows-1258). "
    "Hãy chuyển mã sang Unicode (ví dụ bằng Unikey: Công cụ chuyển mã) hoặc mở bằng Word rồi lưu lại dạng "
    "“Văn bản thuần, UTF-8”, sau đó nhập lại."
)


def read_blocks(path: Path) -> list[Block]:
    """The blocks of ``path``; raises ImportFailure with a Vietnamese message for bad input.

    Sizes are checked before reading: a .txt at most TEXT_BYTES (what `make check` accepts for a
    plan), a .docx at most MAX_DOCX_BYTES and then the limits of ``zipguard``."""
    if not path.is_file():
        raise ImportFailure(f"Không tìm thấy tệp “{safe_name(str(path), 300)}”.")
    name, size, suffix = safe_name(path.name), path.stat().st_size, path.suffix.lower()
    if size == 0:
        raise ImportFailure(f"Tệp “{name}” trống (0 byte).")
    if suffix == ".txt":
        return _text_file(path, name, size)
    if suffix == ".docx":
        if size > MAX_DOCX_BYTES:
            raise ImportFailure(f"Tệp “{name}” quá lớn ({size:,} byte; tệp .docx tối đa {MAX_DOCX_BYTES:,}).")
        from .docx_read import docx_blocks  # python-docx is needed only for .docx

        return docx_blocks(path)
    if suffix == ".doc":
        raise ImportFailure("Định dạng Word cũ (.doc) chưa được hỗ trợ; hãy mở tệp bằng Word và lưu thành .docx.")
    raise ImportFailure(f"Chỉ nhập được tệp .docx hoặc .txt, không nhận “{safe_name(path.suffix or path.name)}”.")


def _text_file(path: Path, name: str, size: int) -> list[Block]:
    """A text file, read no further than its limit (the file may grow after ``stat``)."""
    if size > TEXT_BYTES:
        raise ImportFailure(TEXT_TOO_BIG.format(name=name, size=size, limit=TEXT_BYTES))
    with path.open("rb") as handle:
        raw = handle.read(TEXT_BYTES + 1)
    if len(raw) > TEXT_BYTES:
        raise ImportFailure(TEXT_TOO_BIG.format(name=name, size=len(raw), limit=TEXT_BYTES))
    blocks = text_blocks(decode(raw))
    lines = sum(len(b.lines) if isinstance(b, Para) else len(b.rows) for b in blocks)
    if lines > MAX_PARAGRAPHS:
        raise ImportFailure(TOO_MANY_PARAGRAPHS.format(name=name, limit=MAX_PARAGRAPHS))
    return blocks


def decode(raw: bytes) -> str:
    """Strict UTF-8 (or UTF-16 with a BOM); legacy Vietnamese encodings are refused."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailure(_LEGACY) from None
    if looks_legacy(text):
        raise ImportFailure(_LEGACY)
    return text


def looks_legacy(text: str) -> bool:
    """UTF-8 text that still carries a legacy font's letters: many Latin-1 letters, no Vietnamese one.

    TCVN3 ("KÕ ho¹ch") and VNI ("Keá hoaïch") text converted byte by byte stays inside Latin-1,
    while real Vietnamese needs letters such as ư, ơ, đ, ạ, ế (U+0100 and above).
    """
    latin1 = sum(1 for c in text if "\u00a0" <= c <= "\u00ff")
    vietnamese = sum(1 for c in text if "\u0100" <= c <= "\u1eff")
    return latin1 >= 10 and vietnamese == 0


def text_blocks(text: str) -> list[Block]:
    """Blocks of a plain text: paragraphs between blank lines; lines with tabs are table rows."""
    text = nfc(text).replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    blocks: list[Block] = []
    chunk: list[str] = []
    for line in text.split("\n") + [""]:
        if line.strip():
            chunk.append(line.rstrip())
        elif chunk:
            blocks.extend(_split_rows(chunk))
            chunk = []
    return blocks


def _split_rows(lines: list[str]) -> list[Block]:
    """Consecutive tab-separated lines form a table; the other lines stay paragraphs."""
    blocks: list[Block] = []
    for line in lines:
        if "\t" in line:
            row = [cell_text(cell) for cell in line.split("\t")]
            if blocks and isinstance(blocks[-1], Table):
                blocks[-1].rows.append(row)
            else:
                blocks.append(Table([row]))
        elif blocks and isinstance(blocks[-1], Para):
            blocks[-1].lines.append(line)
        else:
            blocks.append(Para([line]))
    return blocks


def cell_text(cell: str) -> str:
    """A table cell of a text export: ``<p>`` paragraphs become lines, ``<i>``/``<b>`` emphasis marks."""
    parts = _P.findall(cell) or [cell]
    lines = []
    for part in parts:
        for pattern, mark in _TAGS:
            part = pattern.sub(mark, part)
        part = html.unescape(_ANY_TAG.sub("", part)).strip()
        if part:
            lines.append(" ".join(part.split()))
    return "\n".join(lines)
