"""Small text helpers shared by the importer: emphasis marks, capitals, folding with positions."""

from __future__ import annotations

import re

from ..text import fold

_MARKS = re.compile(r"\*+|(?<!\w)_+|_+(?!\w)")
_SPACES = re.compile(r"\s+")
_BULLET = re.compile(r"^\s*(?:[-–—•●○▪+]|\*(?=\s))\s*")
_TERMINAL = '.;:!?…"”’)»'
_SENTENCE_END = re.compile(r"(?<=[.!?…])[”\"’)]*\s+")


def squash(text: str) -> str:
    """One space between words, none at the ends."""
    return _SPACES.sub(" ", text).strip()


def plain(text: str) -> str:
    """Text without Markdown emphasis marks (``*``, ``**``, ``_``), spaces squashed."""
    return squash(_MARKS.sub("", text))


def bullet_text(line: str) -> str | None:
    """The text of a bullet line ("- x", "• x", "+ x"), or None when the line is not a bullet."""
    match = _BULLET.match(line)
    if not match or not line[match.end() :].strip():
        return None
    return line[match.end() :].strip()


def ends_sentence(text: str) -> bool:
    stripped = plain(text)
    return bool(stripped) and stripped[-1] in _TERMINAL


def is_caps(text: str) -> bool:
    """True for a line written in capitals (at least two letters, none lower-case)."""
    letters = [c for c in plain(text) if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def sentences(text: str) -> list[str]:
    """Split a paragraph after ``.``, ``!``, ``?`` when the next sentence starts with a capital."""
    parts, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        following = text[match.end() : match.end() + 1]
        if following.isupper() or following.isdigit():
            parts.append(text[start : match.end()].strip())
            start = match.end()
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def fold_map(text: str) -> tuple[str, list[int]]:
    """``fold(text)`` with, for each folded character, the index of its source character."""
    chars: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        for folded in fold(char):
            chars.append(folded)
            where.append(index)
    return "".join(chars), where


def folded(text: str) -> str:
    return squash(fold(plain(text)))
