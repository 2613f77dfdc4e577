"""Whether a parsed mapping follows its fields in kehoach/schema.py: every problem, with an editor's message.

``check`` reports each problem through ``report(key, message)`` and never stops at the first; the value
checks (ids, references, web addresses, dates, visible text) and their Vietnamese messages live here.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import urllib.parse
from collections.abc import Callable
from typing import Any

from .hygiene import ascii_shown
from .schema import KIND_NAMES, Field

ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # plan file names and unit ids (fullmatch)
REF = re.compile(rf"({ID.pattern})#({ID.pattern})")  # a target of another plan: "<plan-id>#<target-id>"


def kind_name(field: Field) -> str:
    return KIND_NAMES[field.kind]


Report = Callable[[str, str], None]


def check(data: dict[str, Any], fields: tuple[Field, ...], prefix: str, report: Report) -> None:
    """Report every problem of ``data`` against ``fields`` through ``report(key, message)``."""
    known = {f.name for f in fields}
    renamed = {f.formerly: f for f in fields if f.formerly}
    for key in data:
        if key in renamed and key not in known:
            new = renamed[key]
            report(
                _join(prefix, key),
                f"khóa '{key}' đã đổi tên thành '{new.name}': {new.meaning}; hãy đổi tên khóa, giữ nguyên giá trị",
            )
        elif key not in known:
            report(_join(prefix, key), "khóa không có trong lược đồ; các khóa hợp lệ: " + ", ".join(sorted(known)))
    for field in fields:
        key = _join(prefix, field.name)
        value = data.get(field.name)
        if value is None or value == "":
            if field.required:
                report(
                    key if field.name in data else prefix or field.name,
                    f"thiếu khóa bắt buộc '{field.name}' ({field.meaning})",
                )
            continue
        _check_value(field, value, key, report)


def _check_value(field: Field, value: Any, key: str, report: Report) -> None:
    kind = field.kind
    if kind == "record":
        if isinstance(value, dict):
            check(value, field.fields, key, report)
        else:
            report(key, f"phải là {kind_name(field)}")
    elif kind == "records":
        if not isinstance(value, list):
            report(key, f"phải là {kind_name(field)}")
            return
        for i, item in enumerate(value):
            if isinstance(item, dict):
                check(item, field.fields, f"{key}[{i}]", report)
            else:
                report(f"{key}[{i}]", "phải là nhóm khóa (khóa: giá trị)")
    elif kind == "refs":
        if not isinstance(value, list):
            report(key, f"phải là {kind_name(field)}, ví dụ {field.example}")
            return
        for i, item in enumerate(value):
            if not (isinstance(item, str) and REF.fullmatch(item)):
                shown = ascii_shown(str(item))
                report(
                    f"{key}[{i}]", f"phải có dạng <mã văn bản>#<mã chỉ tiêu>, ví dụ {field.example} (đang là '{shown}')"
                )
    elif kind == "texts":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            report(key, f"phải là {kind_name(field)}")
            return
        for i, item in enumerate(value):
            if not visible(item):
                report(f"{key}[{i}]", BLANK)
    elif not _scalar_ok(field, value):
        report(key, _scalar_message(field, value))


def _scalar_ok(field: Field, value: Any) -> bool:
    kind = field.kind
    if kind == "enum":
        return str(value) in field.choices and not isinstance(value, bool)
    if kind == "text":
        return isinstance(value, str) and visible(value)
    if kind == "id":
        return isinstance(value, str) and ID.fullmatch(value) is not None
    if kind == "url":
        return isinstance(value, str) and _web_address(value)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "date":
        return isinstance(value, dt.date) and FIRST_DATE <= value <= LAST_DATE
    if kind == "bool":
        return isinstance(value, bool)
    return False


def _scalar_message(field: Field, value: Any) -> str:
    if field.kind == "enum":
        return f"giá trị '{value}' không hợp lệ; chọn một trong: " + ", ".join(field.choices)
    if field.kind == "date" and isinstance(value, dt.date):
        return f"ngày {value.isoformat()} nằm ngoài khoảng {FIRST_DATE.year}–{LAST_DATE.year}; hãy kiểm tra lại năm"
    if field.kind == "text" and isinstance(value, str):
        return BLANK if not field.required else BLANK.partition(";")[0]
    if field.kind == "url" and isinstance(value, str) and value.startswith(("https://", "http://")):
        return f"địa chỉ web '{value}' không có tên miền hợp lệ hoặc có dấu cách, ví dụ {field.example}"
    if field.kind == "date" and isinstance(value, str):
        return f"ngày '{value}' phải viết NĂM-THÁNG-NGÀY, ví dụ 2025-10-30 (không viết 30/10/2025)"
    if field.kind == "id":
        return f"phải là {kind_name(field)}, ví dụ {field.example} (đang là '{ascii_shown(str(value))}')"
    if field.kind == "text":
        return f'phải là chuỗi chữ; hãy đặt giá trị trong dấu ngoặc kép, ví dụ "{value}"'
    return f"phải là {kind_name(field)}, không phải '{value}'"


FIRST_DATE, LAST_DATE = dt.date(1945, 1, 1), dt.date(2100, 12, 31)  # a document's date, or a cited one's
BLANK = "không được để trống hay chỉ có dấu cách; nếu văn bản không ghi, hãy xóa khóa này"
_HOST = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+")


def visible(text: str) -> bool:
    """Whether ``text`` shows something: a letter, digit, punctuation or symbol, not only spaces or marks."""
    return any(unicodedata.category(c)[0] in "LNPS" for c in text)


def _web_address(value: str) -> bool:
    """An http(s) address with a real host name ("https://" alone, or "https://a b", is not one)."""
    if not value.startswith(("https://", "http://")) or any(c.isspace() or c in '<>"\\' for c in value):
        return False
    try:
        host = urllib.parse.urlsplit(value).hostname or ""
    except ValueError:
        return False
    return _HOST.fullmatch(host) is not None


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key
