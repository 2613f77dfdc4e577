"""Content words of a Vietnamese text after folding, and target ids made from them.

Vietnamese is written in syllables; a word is one to three of them ("giáo viên", "chuyển đổi số"). Folding
(kehoach/text.py ``fold``: tone marks dropped, đ → d) makes "Giáo viên" and "giao vien" one form. Stop
syllables are the function words and the verbs every target starts with ("đảm bảo", "phấn đấu", "đạt"), which
say nothing about what a target is about. ``target_id`` (importer, corpus generator) and ``kehoach.suggest``
(text similarity) share them.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from .text import fold

STOP = frozenset(
    """
    cac cua va duoc la trong cho voi theo den tren duoi mot nhung nay tai khi nhu hay hoac se bi boi ma thi ra
    rang vua nen neu ve nam dat cuoi
    """.split()
)  # function words whose folded form is rarely a content syllable ("co" is also "cơ sở", so it stays)
STOP_PAIRS = frozenset(
    tuple(pair.split())
    for pair in (
        "dam bao",
        "bao dam",
        "phan dau",
        "thuc hien",
        "tang cuong",
        "duy tri",
        "giu vung",
        "tung buoc",
        "tiep tuc",
        "it nhat",
        "toi thieu",
        "tro len",
        "day manh",
        "nang cao",
        "ty le",
        "mot so",
    )
)  # verbs and quantifiers that open targets: two syllables, dropped together
_SYLLABLE = re.compile(r"[a-z]+")
ID_WORDS = 4  # syllables after the year: "t2030-giao-vien-phan-mem"
ID_CHARS = 34  # before a "-2" suffix; checks refuse ids over 40 characters (kehoach/targetrules.py)


def content_words(text: str) -> list[str]:
    """The folded syllables of ``text`` that carry meaning, in order (numbers and stop syllables dropped)."""
    ascii_text = fold(text).encode("ascii", "ignore").decode("ascii")
    syllables = _SYLLABLE.findall(ascii_text)
    kept, i = [], 0
    while i < len(syllables):
        if tuple(syllables[i : i + 2]) in STOP_PAIRS:
            i += 2
            continue
        if syllables[i] not in STOP:
            kept.append(syllables[i])
        i += 1
    return kept


def id_base(year: int, text: str) -> str:
    """ "t2030-giao-vien-phan-mem": the year and the first content syllables, at most ``ID_CHARS`` long."""
    words = list(dict.fromkeys(content_words(text)))[:ID_WORDS]
    base = "-".join([f"t{year}", *words])
    while len(base) > ID_CHARS:
        words.pop()
        base = "-".join([f"t{year}", *words])
    return base


class TargetIds:
    """Ids unique within one plan, in linear time: a base never ends in a number (numbers are not content
    syllables), so "-2", "-3" … after a base cannot meet another base."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def __call__(self, year: int, text: str) -> str:
        base = id_base(year, text)
        count = self.seen[base] = self.seen.get(base, 0) + 1
        return base if count == 1 else f"{base}-{count}"


def target_id(year: int, text: str, taken: Collection[str] = ()) -> str:
    """A short ASCII id for a target, unique among ``taken``: "t2030-giao-vien-phan-mem" (then "-2", "-3")."""
    base = id_base(year, text)
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate
