"""Blocks read from a source file, before any interpretation."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Para:
    """A paragraph: one or more lines (a .txt block between blank lines, a .docx paragraph)."""

    lines: list[str]


@dataclass
class Table:
    """A table: rows of cells; a cell's own paragraphs are separated by "\\n"."""

    rows: list[list[str]]


Block = Para | Table


@dataclass
class Item:
    """One unit of the body: a heading, a paragraph, a bullet or a table."""

    kind: str  # "heading", "para", "bullet", "table"
    text: str = ""
    level: int = 0  # outline level of the label: 1 PHẦN, 2 I., 3 1., 4 1.1., 5 a), 6 (1); 0 none
    rows: list[list[str]] = field(default_factory=list)

    @property
    def head(self) -> str:
        """A labelled paragraph's lead ("(1) Mục tiêu đến năm 2030"), the whole text of a heading."""
        if self.kind == "heading":
            return self.text
        lead, colon, _ = self.text.partition(":")
        return lead if colon and len(lead) <= 120 else ""

    @property
    def rest(self) -> str:
        """A labelled paragraph's content after its lead and colon."""
        if self.kind != "heading" and self.head:
            return self.text.partition(":")[2].strip()
        return ""
