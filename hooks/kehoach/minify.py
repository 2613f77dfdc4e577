"""Make built pages smaller without changing what they show."""

from __future__ import annotations

import re

_KEEP = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2>)", re.S | re.I)
_SPACE_AFTER_LINE = re.compile(r"\n\s+")  # indentation and blank lines: one newline is left


def compact_html(html: str) -> str:
    """Drop indentation and blank lines outside <pre>, <textarea>, <script> and <style>."""
    parts = _KEEP.split(html)
    out = []
    for i, part in enumerate(parts):
        kind = i % 3
        if kind == 0:
            out.append(_SPACE_AFTER_LINE.sub("\n", part))
        elif kind == 1:
            out.append(part)
    return "".join(out)
