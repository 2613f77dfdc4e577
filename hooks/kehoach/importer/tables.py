"""Responsibilities from a table whose columns name who, what and when ("Đơn vị/ Bộ phận",
"Nội dung phụ trách", "Thời gian thực hiện"). Other tables stay in the body only."""

from __future__ import annotations

from .model import Item
from .textutil import folded, plain

_COLUMNS = {
    "who": ("don vi", "bo phan", "nguoi", "chu tri", "to chuc"),
    "what": ("noi dung", "nhiem vu", "cong viec"),
    "when": ("thoi gian", "thoi han", "tien do"),
}


def responsibilities(body_items: list[Item]) -> list[dict[str, str]]:
    result = []
    for item in body_items:
        if item.kind == "table" and len(item.rows) > 1:
            result.extend(_rows(item.rows))
    return result


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        text = folded(cell)
        for key, words in _COLUMNS.items():
            if key not in found and any(w in text for w in words):
                found[key] = index
                break
    return found


def _rows(rows: list[list[str]]) -> list[dict[str, str]]:
    columns = _columns(rows[0])
    if "who" not in columns or "what" not in columns:
        return []
    records = []
    for row in rows[1:]:
        record = {key: _cell(row[index]) if index < len(row) else "" for key, index in columns.items()}
        if record["who"] and record["what"]:
            records.append({k: v for k, v in record.items() if v})
    return records


def _cell(text: str) -> str:
    """A cell's paragraphs as one text: "a; b; c." (the last paragraph keeps its full stop)."""
    parts = [plain(p) for p in text.split("\n") if plain(p)]
    if not parts:
        return ""
    joined = "; ".join(p.rstrip(" .;") for p in parts[:-1])
    return f"{joined}; {parts[-1]}" if joined else parts[-1]
