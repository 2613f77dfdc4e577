"""Read a plan file and parse its YAML front matter with line numbers.

MkDocs would silently drop front matter that fails to parse, so the core
parses it itself, in a strict dialect with limits (``yamlsafe``): duplicate keys
are errors, only ``true``/``false`` are booleans, so ``NO`` stays text.

The raw text is scanned first for refused characters (``hygiene``), so that a
line is the line counted by "\\n" (YAML would also count NEL and U+2028); the
YAML parser then reads the text without them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import hygiene
from .yamlsafe import MAX_ERRORS, Errors, Lines, parse_yaml

__all__ = ["ParsedFile", "parse_file", "parse_units", "parse_yaml", "split"]

_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)
BODY_KEY = "toàn văn"
UNITS_MAX_NODES = 2_000_000  # units.yml: a real entry takes about 20 bytes a value, so 16 MB holds fewer


@dataclass
class ParsedFile:
    data: dict[str, Any]
    lines: Lines
    body: str
    body_line: int
    errors: list[tuple[int, str, str]] = field(default_factory=list)


def split(text: str) -> tuple[str | None, str, int]:
    """Return (front matter text or None, body, line number of the first body line)."""
    if not text.startswith("---"):
        return None, text, 1
    first = _FENCE.match(text)
    if not first:
        return None, text, 1
    end = _FENCE.search(text, first.end())
    if not end:
        return None, text, 1
    head = text[first.end() + 1 : end.start()]
    body = text[end.end() + 1 :]
    return head, body, text.count("\n", 0, end.end()) + 2


def parse_file(text: str) -> ParsedFile:
    bad = hygiene.find(text)
    clean = hygiene.strip(text) if bad else text
    head, body, body_line = split(clean)
    if head is None:
        errors = [(1, "front matter", _no_head(clean))]
        return ParsedFile({}, {"": 1}, body, body_line, errors + _bad_characters(text, bad, {}, None, root="tệp"))
    data, lines, errors = parse_yaml(head, offset=1)
    if data is None and not errors:
        errors = [(2, "front matter", "phần khai báo đầu tệp đang trống")]
    elif data is not None and not isinstance(data, dict):
        errors = [(2, "front matter", "phần khai báo đầu tệp phải là các cặp khóa: giá trị")]
        data = None
    lines.setdefault("", 1)
    errors += _bad_characters(text, bad, lines, body_line)
    return ParsedFile(data or {}, lines, body, body_line, errors)


def parse_units(text: str) -> tuple[Any, Lines, Errors]:
    """The units file: one YAML document, refused characters reported on their own lines."""
    bad = hygiene.find(text)
    data, lines, errors = parse_yaml(hygiene.strip(text) if bad else text, max_nodes=UNITS_MAX_NODES, root="tệp")
    return data, lines, errors + _bad_characters(text, bad, lines, None, root="tệp")


def _no_head(text: str) -> str:
    if _FENCE.match(text):
        return "thiếu dòng --- đóng phần khai báo (phần khai báo mở ở dòng 1 nhưng không có dòng --- đóng lại)"
    return "thiếu phần khai báo đầu tệp (front matter giữa hai dòng ---)"


def _bad_characters(
    text: str, bad: list[tuple[int, str]], lines: Lines, body_line: int | None, root: str = "front matter"
) -> Errors:
    """One error per refused character (the first MAX_ERRORS), at its line and column, under its key."""
    if not bad:
        return []
    by_line = {line: key for key, line in lines.items()}  # the deepest key of a line wins
    errors = []
    for index, char in bad[:MAX_ERRORS]:
        line, column = hygiene.position(text, index)
        if body_line is not None and line >= body_line:
            key = BODY_KEY
        else:
            key = _key_at(by_line, line) or root
        errors.append((line, key, f"{hygiene.describe(char)} ở cột {column}; hãy xóa ký tự này"))
    if len(bad) > MAX_ERRORS:
        line, _ = hygiene.position(text, bad[MAX_ERRORS][0])
        errors.append((line, root, f"còn {len(bad) - MAX_ERRORS} ký tự bị từ chối như vậy nữa trong tệp"))
    return errors


def _key_at(by_line: dict[int, str], line: int) -> str:
    """The key written on ``line`` or, for a value over several lines, on the nearest line above."""
    for candidate in range(line, 0, -1):
        key = by_line.get(candidate)
        if key is not None:
            return key
    return ""
