"""The title (trích yếu): the type name followed by the title lines, in sentence case."""

from __future__ import annotations

from ..model import Unit
from ..text import DOC_TYPES, nfc
from .textutil import fold_map, is_caps, lower_first, plain, squash, upper_first
from .units import name_pattern

_LOWER_PREFIXES = ("phường", "thành phố", "xã", "tỉnh")  # "của Đảng ủy phường Việt Hưng"


def make_title(lines: list[str], type_code: str | None, units: list[Unit]) -> str | None:
    text = squash(" ".join(plain(line) for line in lines))
    if not text:
        return None
    if is_caps(" ".join(w for w in text.split() if not any(c.isdigit() for c in w))):
        text = _recase(text, units)
    name = DOC_TYPES.get(type_code or "", "")
    return f"{name} {lower_first(text)}" if name else upper_first(text)


def _recase(text: str, units: list[Unit]) -> str:
    """A title in capitals, in lower case but for document numbers and the names of known units."""
    words = [w if any(c.isdigit() for c in w) or "/" in w else w.lower() for w in text.split()]
    text = " ".join(words)
    folded, where = fold_map(text)
    spans: list[tuple[int, int, str]] = []
    for unit in sorted(units, key=lambda u: -len(u.name)):
        for match in name_pattern(unit.name).finditer(folded):
            start, end = where[match.start()], where[match.end() - 1] + 1
            if not any(start < e and s < end for s, e, _ in spans):
                spans.append((start, end, _spelled(unit.name)))
    for start, end, name in sorted(spans, reverse=True):
        text = text[:start] + name + text[end:]
    return text


def _spelled(name: str) -> str:
    name = nfc(name)
    return lower_first(name) if name.lower().startswith(_LOWER_PREFIXES) else name
