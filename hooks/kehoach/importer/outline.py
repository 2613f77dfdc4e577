"""The document's outline: numbering labels (PHẦN, I., 1., 2.1., a), (1)) and body items."""

from __future__ import annotations

import re

from .model import Block, Item, Para
from .textutil import bullet_text, is_caps, plain, squash

# (level, pattern) in the order they are tried; 2.1. before 1.
_LABELS = (
    (1, re.compile(r"PHẦN\s+(?:THỨ\s+[^\W\d_]+|[IVXLC]+|\d+)\b", re.I)),
    (2, re.compile(r"[IVXLC]+\.\s+")),
    (4, re.compile(r"\d+\.\d+(?:\.\d+)*\.?\s+")),
    (3, re.compile(r"\d+\.\s+")),
    (5, re.compile(r"[a-zđ]\)\s+")),
    (6, re.compile(r"\(\d+\)\s*")),
)
MAX_HEADING = 100  # a numbered line longer than this is a paragraph that starts with a number
MAX_CAPS_HEADING = 12  # words of an unnumbered heading in capitals ("KẾT LUẬN")
_CLOSING = ("nơi nhận", "trên đây là")  # the end of the plan's content: closes every section


def label_level(line: str) -> tuple[int, str]:
    """(outline level, label) of a line, (0, "") when it has no numbering label."""
    text = plain(line)
    for level, pattern in _LABELS:
        match = pattern.match(text)
        if match:
            return level, match.group(0).strip()
    return 0, ""


def items(blocks: list[Block]) -> list[Item]:
    """Body items: headings, paragraphs, bullets and tables, in order."""
    result: list[Item] = []
    for block in blocks:
        if isinstance(block, Para):
            result.extend(_para_items(block.lines))
        else:
            result.append(Item("table", rows=block.rows))
    return result


def _para_items(lines: list[str]) -> list[Item]:
    """A bullet or a numbered line starts a new item; other lines continue the current one."""
    units: list[list[str]] = []
    for line in lines:
        bullet = bullet_text(line)
        if bullet is not None:
            units.append(["bullet", bullet])
        elif units and not label_level(line)[0]:
            units[-1][1] += " " + line.strip()
        else:
            units.append(["para", line.strip()])
    return [_classify(kind, squash(text)) for kind, text in units]


def _classify(kind: str, text: str) -> Item:
    if kind == "bullet":
        return Item("bullet", text)
    level, _ = label_level(text)
    if level and _heading_like(level, text):
        return Item("heading", text, level)
    if not level and is_caps(text) and len(text.split()) <= MAX_CAPS_HEADING and not text.endswith(":"):
        return Item("heading", text, 2)
    if not level and plain(text).lower().startswith(_CLOSING):
        return Item("para", text, 1)
    return Item("para", text, level)


def _heading_like(level: int, text: str) -> bool:
    stripped = plain(text)
    if level <= 2:
        return len(stripped) <= 2 * MAX_HEADING
    if level == 6:
        return False
    return len(stripped) <= MAX_HEADING and not stripped.endswith((";", ","))


def markdown_level(level: int) -> int:
    """## for PHẦN and I., ### for 1., #### for 2.1. and a)."""
    return {1: 2, 2: 2, 3: 3, 4: 4, 5: 4}.get(level, 4)
