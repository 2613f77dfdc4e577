"""The Markdown body of the draft: headings from the document's numbering, lists, tables, signature."""

from __future__ import annotations

import re

from .model import Item
from .outline import markdown_level
from .signer import Signature
from .textutil import plain

_ORDERED = re.compile(r"^(\d+)\.(\s)")
_BLOCK_START = re.compile(r"^([#>+]|-\s)")


def escape(text: str) -> str:
    """No raw HTML reaches the page: ``<`` is written as an entity."""
    return text.replace("<", "&lt;")


def paragraph(text: str) -> str:
    """A paragraph that starts like a list or heading keeps its text: "1. Ban ..." → "1\\. Ban ..."."""
    text = escape(text)
    text = _ORDERED.sub(r"\1\\.\2", text)
    return _BLOCK_START.sub(r"\\\1", text)


def table(rows: list[list[str]]) -> str:
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(escape(c).replace("|", "\\|").replace("\n", "<br>") for c in cells) + " |"

    return "\n".join([line(rows[0]), "| " + " | ".join(["---"] * width) + " |"] + [line(r) for r in rows[1:]])


def render(items: list[Item], signature: Signature) -> str:
    """Blocks separated by blank lines; consecutive bullets form one list."""
    chunks: list[str | list[str]] = []  # a run of bullets is a list, joined once (was quadratic, issue 13)
    for item in items:
        if item.kind == "bullet":
            entry = "- " + escape(item.text)
            if chunks and isinstance(chunks[-1], list):
                chunks[-1].append(entry)
            else:
                chunks.append([entry])
        elif item.kind == "heading":
            chunks.append("#" * markdown_level(item.level) + " " + escape(item.text))
        elif item.kind == "table":
            chunks.append(table(item.rows))
        else:
            chunks.append(paragraph(item.text))
    if signature.name:
        roles = [escape(line.strip()) for line in signature.lines[:-1]]
        if roles:
            chunks.append("\\\n".join(roles))
        chunks.append(escape(plain(signature.lines[-1])))
    return "\n\n".join("\n".join(c) if isinstance(c, list) else c for c in chunks) + "\n"
