"""Write front matter in the project's strict YAML dialect: every text in double quotes.

Quoting all texts keeps "08", "NO" or "12:30" text; ids and enum values stay plain; dates are ISO.
Texts come from the source document, so nothing in them may end the quoted string or the line
(issue 13): JSON escapes quotes, backslashes and C0 controls, and every other character YAML or a
reader could take as a line break or not see (U+0085, U+2028, U+2029, DEL and C1 controls, format
characters such as bidirectional overrides) is written as a ``\\uXXXX`` escape, so the value
parses back unchanged.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Mapping

from .limits import safe_name

PLAIN_KEYS = {"type", "unit", "status", "id", "of", "op"}
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*")  # an id, enum value or type code
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}  # retyped by YAML in any case


def _escaped(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _unsafe(char: str) -> bool:
    category = unicodedata.category(char)
    return category in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


def quoted(text: str) -> str:
    """A YAML double-quoted string of ``text`` on one line, every invisible character escaped."""
    return "".join(_escaped(c) if c > "~" and _unsafe(c) else c for c in json.dumps(text, ensure_ascii=False))


def scalar(key: str, value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if key in PLAIN_KEYS and key != "op" and _PLAIN.fullmatch(text) and text.lower() not in _RESERVED:
        return text
    return quoted(text)


def dump(data: Mapping[str, object], indent: str = "") -> list[str]:
    lines: list[str] = []
    for key, value in data.items():
        if isinstance(value, dict):
            lines.append(f"{indent}{key}:")
            lines.extend(dump(value, indent + "  "))
        elif isinstance(value, list):
            lines.append(f"{indent}{key}:")
            for record in value:
                inner = dump(record, indent + "    ")
                lines.append(indent + "  - " + inner[0].lstrip())
                lines.extend(inner[1:])
        else:
            lines.append(f"{indent}{key}: {scalar(key, value)}")
    return lines


def front_matter(data: Mapping[str, object], comment: str) -> str:
    return "\n".join(["---", f"# {safe_name(comment, 1000)}", *dump(data), "---", ""])
