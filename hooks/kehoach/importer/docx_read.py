"""Read a Word .docx (python-docx) into the same blocks as a text file.

Paragraphs keep their line breaks and their bold/italic runs as Markdown marks, tables stay tables,
so a .docx and its text export give the same draft.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..text import nfc
from .errors import ImportFailure
from .limits import Budget, safe_name
from .model import Block, Para, Table
from .zipguard import check_package

if TYPE_CHECKING:  # python-docx is imported when a .docx is read, not with the importer
    from docx.oxml.table import CT_Row, CT_Tc
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

_UNREADABLE = "Không đọc được tệp .docx “{name}”: tệp hỏng hoặc không phải định dạng Word .docx."
_EMPTY = "Tệp .docx “{name}” không có chữ nào."
_IMAGES = (
    "Tệp .docx “{name}” chỉ có hình ảnh ({count} ảnh), không có chữ: có lẽ là bản chụp/scan. "
    "Hãy dùng bản Word có chữ, hoặc nhận dạng chữ (OCR) trước khi nhập."
)


def docx_blocks(path: Path) -> list[Block]:
    """The blocks of a .docx; the package is checked for a zip bomb before python-docx opens it, and
    reading stops past MAX_PARAGRAPHS paragraphs or READ_SECONDS seconds (limits.py)."""
    budget = Budget(path.name)
    check_package(path)
    budget.check_time()
    try:
        import docx
        from docx.table import Table as DocxTable

        document = docx.Document(str(path))
        blocks: list[Block] = []
        for item in document.iter_inner_content():
            if isinstance(item, DocxTable):
                rows = _rows(item, budget)
                if rows:
                    blocks.append(Table(rows))
            else:
                budget.tick()
                text = _markdown(item)
                budget.text(text)
                if text.strip():
                    blocks.append(Para([line for line in text.split("\n") if line.strip()]))
    except ImportFailure:
        raise
    except Exception:  # python-docx raises many kinds of errors on broken packages
        raise ImportFailure(_UNREADABLE.format(name=safe_name(path.name))) from None
    if not blocks:
        images = len(document.element.body.xpath(".//w:drawing | .//w:pict"))
        template = _IMAGES if images else _EMPTY
        raise ImportFailure(template.format(name=safe_name(path.name), count=images))
    return blocks


def _rows(table: DocxTable, budget: Budget) -> list[list[str]]:
    from docx.table import _Cell

    rows: list[list[str]] = []
    above: dict[int, CT_Tc] = {}
    for tr in table._tbl.tr_lst:
        tcs, above = _row_tcs(tr, above)
        budget.tick(sum(len(tc.p_lst) for tc in tcs))
        cells = [_Cell(tc, table) for tc in tcs]
        texts = ["\n".join(t for p in cell.paragraphs if (t := _markdown(p).strip())) for cell in cells]
        budget.text("".join(texts))
        if any(texts):
            rows.append(texts)
    return rows


def _row_tcs(tr: CT_Row, above: dict[int, CT_Tc]) -> tuple[list[CT_Tc], dict[int, CT_Tc]]:
    """The distinct cells of a row, a vertically merged cell ("continue") taken from the row above;
    and the cell at each grid offset of this row, for the next one. python-docx's ``row.cells``
    repeats a cell once per spanned column (a gridSpan of 10⁹ is a memory bomb) and walks up
    merged cells recursively (quadratic), so the row is read here directly."""
    tcs: dict[int, CT_Tc] = {}
    here: dict[int, CT_Tc] = {}
    offset = tr.grid_before
    for tc in tr.tc_lst:
        root = above.get(offset, tc) if tc.vMerge == "continue" else tc
        here[offset] = root
        tcs.setdefault(id(root), root)
        offset += tc.grid_span
    return list(tcs.values()), here


def _markdown(paragraph: Paragraph) -> str:
    """The paragraph's text with bold/italic runs as ``**``/``*``; bullets styled as lists get "- "."""
    segments: list[tuple[str, bool, bool]] = []
    for part in paragraph.iter_inner_content():
        text = part.text.replace("\t", " ")
        bold = bool(getattr(part, "bold", False))
        italic = bool(getattr(part, "italic", False))
        if segments and segments[-1][1:] == (bold, italic):
            segments[-1] = (segments[-1][0] + text, bold, italic)
        else:
            segments.append((text, bold, italic))
    text = nfc("".join(_marked(*segment) for segment in segments))
    style = paragraph.style.name if paragraph.style is not None else ""
    if "Bullet" in style and not text.lstrip().startswith(("-", "•", "+")):
        text = "- " + text.strip()
    return text


def _marked(text: str, bold: bool, italic: bool) -> str:
    mark = ("**" if bold else "") + ("*" if italic else "")
    core = text.strip()
    if not mark or not core:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    lines = core.split("\n")  # marks close and reopen around line breaks
    return lead + "\n".join(f"{mark}{line}{mark}" if line.strip() else line for line in lines) + trail
