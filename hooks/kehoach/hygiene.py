"""Text hygiene: characters no plan may hold, and escaping for what ``check`` prints.

Refused everywhere (front matter, units file, body, and values written with YAML escapes such
as ``"\\x1b"``): Unicode categories Cc (control characters: C0 except tab and line feed, DEL, C1,
NEL U+0085), Cf (invisible format characters: soft hyphen U+00AD, zero-width space and joiners
U+200B–U+200D, word joiner U+2060, BOM U+FEFF inside the text, bidi marks, embeddings,
overrides and isolates U+200E/F, U+202A–U+202E, U+2066–U+2069, U+061C, tag characters…),
Zl and Zp (U+2028, U+2029) and Cs (surrogates). The list is the Unicode 14 one (Python 3.11);
``tests/test_hostile_files.py`` checks it still covers those categories on the running Python.
Also refused: the printable characters that show nothing (Unicode's Default_Ignorable_Code_Point
outside Cf: combining grapheme joiner U+034F, Hangul fillers U+115F, U+1160, U+3164, U+FFA0, Khmer
inherent vowels U+17B4/5, Mongolian and other variation selectors) and the blank Braille pattern
U+2800: "01-KH/TA\u034f" would otherwise pass for "01-KH/TA".
"""

from __future__ import annotations

import re
import unicodedata

# (first, last) code points of Cc, Cf, Zl, Zp and Cs, tab and line feed excepted.
_RANGES = (
    (0x00, 0x08),
    (0x0B, 0x1F),
    (0x7F, 0x9F),
    (0xAD, 0xAD),
    (0x600, 0x605),
    (0x61C, 0x61C),
    (0x6DD, 0x6DD),
    (0x70F, 0x70F),
    (0x890, 0x891),
    (0x8E2, 0x8E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x2028, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xD800, 0xDFFF),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x13438),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)
# Printable yet invisible: Default_Ignorable_Code_Point outside Cf, and the blank Braille pattern.
_BLANK_RANGES = (
    (0x34F, 0x34F),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x2800, 0x2800),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFFA0, 0xFFA0),
    (0xE0100, 0xE01EF),
)


def _class(ranges: tuple[tuple[int, int], ...]) -> str:
    return "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)


FORBIDDEN = re.compile(f"[{_class(_RANGES)}{_class(_BLANK_RANGES)}]")
_BLANK = re.compile(f"[{_class(_BLANK_RANGES)}]")

_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_BREAKS = frozenset("\x0b\x0c\x85\u2028\u2029")
_C0_NAMES = {
    0x00: "NULL",
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x0B: "LINE TABULATION",
    0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
}


def describe(char: str) -> str:
    """ "ký tự vô hình U+200B (ZERO WIDTH SPACE)": what the character is, in Vietnamese."""
    code = ord(char)
    name = _C0_NAMES.get(code) or unicodedata.name(char, "")
    label = f"U+{code:04X}" + (f" ({name})" if name else "")
    if char in _BREAKS:
        return f"ký tự ngắt dòng lạ {label}"
    if char in _BIDI:
        return f"ký tự đảo hướng chữ {label}"
    category = unicodedata.category(char)
    if category == "Cc":
        return f"ký tự điều khiển {label}"
    if category == "Cs":
        return f"ký tự không hợp lệ {label}"
    return f"ký tự vô hình {label}"


def find(text: str) -> list[tuple[int, str]]:
    """(index, character) of every refused character."""
    if text.replace("\n", " ").replace("\t", " ").isprintable() and not _BLANK.search(text):  # 4× faster
        return []
    return [(m.start(), m.group()) for m in FORBIDDEN.finditer(text)]


def strip(text: str) -> str:
    return FORBIDDEN.sub("", text)


def position(text: str, index: int) -> tuple[int, int]:
    """1-based (line, column) of ``text[index]``, lines counted by "\\n" only."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def escape_char(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(value: str) -> str:
    """Every non-printable character escaped (\\x1b, \\u202e): nothing can move the cursor."""
    if value.isprintable():
        return value
    return "".join(c if c.isprintable() else escape_char(c) for c in value)


def ascii_shown(value: str) -> str:
    """An id as shown in a message: every non-ASCII or non-printable character escaped.

    "71-nq-t\\u0432" cannot be taken for "71-nq-tw".
    """
    if value.isascii() and value.isprintable():
        return value
    return "".join(c if c.isascii() and c.isprintable() else escape_char(c) for c in value)
