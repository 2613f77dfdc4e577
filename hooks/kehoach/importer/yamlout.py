"""Write front matter in the project's strict YAML dialect: every text in double quotes.

Quoting all texts keeps "08", "NO" or "12:30" text; ids and enum values stay plain; dates are ISO.
"""
from __future__ import annotations

import datetime as dt
import json

PLAIN_KEYS = {"type", "unit", "status", "id", "of", "op"}


def scalar(key: str, value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if key in PLAIN_KEYS and text.replace("-", "").replace("_", "").isalnum() and key != "op":
        return text
    return json.dumps(text, ensure_ascii=False)


def dump(data: dict, indent: str = "") -> list[str]:
    lines = []
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


def front_matter(data: dict, comment: str) -> str:
    return "\n".join(["---", f"# {comment}", *dump(data), "---", ""])
