"""The JSON Schema (draft 2020-12) of the open-data files, made from the fields of kehoach/schema.py.

A front-matter key's type, whether it may be null and its description come from its ``Field`` (and the
record's default), so the published schema cannot drift from the one that checks plan files. The keys the
open data adds (URLs, ward and city, git dates, latest results) are described in ``ADDED`` below, once:
the "Dữ liệu mở" page lists the same entries.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .alignment import MET, NOT_MET
from .fieldcheck import ID, REF
from .model import Plan, Target, Unit
from .opendata import SCHEMA_JSON
from .schema import PLAN, UNIT, Field

DRAFT = "https://json-schema.org/draft/2020-12/schema"
NULL = {"type": "null"}
TEXT = {"type": "string", "minLength": 1}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}
_SCALARS: dict[str, dict[str, Any]] = {
    "text": TEXT,
    "id": {"type": "string", "pattern": f"^{ID.pattern}$"},
    "url": {"type": "string", "format": "uri", "pattern": "^https?://"},
    "int": {"type": "integer"},
    "number": {"type": "number"},
    "date": DATE,
    "bool": {"type": "boolean"},
    "texts": {"type": "array", "items": TEXT},
    "refs": {"type": "array", "items": {"type": "string", "pattern": f"^{REF.pattern}$"}},
}
NAMED = {
    "type": "object",
    "properties": {"id": _SCALARS["id"], "name": TEXT},
    "required": ["id", "name"],
    "additionalProperties": False,
}
_RESULT_KEYS: dict[str, Any] = {
    "text": {**TEXT, "description": "Kết quả, đúng như báo cáo ghi"},
    "value": {"anyOf": [{"type": "number"}, NULL], "description": "Giá trị số đạt được, nếu báo cáo ghi"},
    "as_of": {**DATE, "description": "Số liệu tính đến ngày"},
    "met": {"anyOf": [{"type": "boolean"}, NULL], "description": "Báo cáo tự ghi đã đạt (true) hay chưa (false)"},
    "verdict": {
        "anyOf": [{"enum": [MET, NOT_MET]}, NULL],
        "description": "So số liệu với chỉ tiêu, hoặc theo báo cáo tự ghi; null nếu không rõ",
    },
    "report": {**_SCALARS["id"], "description": "Mã báo cáo"},
}
RESULT = {"type": "object", "properties": _RESULT_KEYS, "required": list(_RESULT_KEYS), "additionalProperties": False}

# The keys the open data adds to a record's front-matter keys: (key, JSON Schema, meaning in Vietnamese).
Added = tuple[tuple[str, dict[str, Any], str], ...]
ADDED: dict[type, Added] = {
    Plan: (
        ("id", _SCALARS["id"], "Mã văn bản: tên tệp, ổn định"),
        ("url", {"type": "string"}, "Địa chỉ trang của văn bản"),
        ("unit_name", TEXT, "Tên đơn vị ban hành"),
        ("ward", {"anyOf": [NAMED, NULL]}, "Phường của đơn vị ban hành (mã và tên), nếu có"),
        ("city", {"anyOf": [NAMED, NULL]}, "Thành phố của đơn vị ban hành (mã và tên), nếu có"),
        ("reports", _SCALARS["texts"], "Mã các báo cáo (loại BC) về văn bản này, cũ trước"),
        ("added", {"anyOf": [DATETIME, NULL]}, "Thời điểm văn bản được đưa lên trang (lịch sử git), nếu biết"),
        ("updated", {"anyOf": [DATETIME, NULL]}, "Thời điểm văn bản được sửa lần cuối (lịch sử git), nếu biết"),
    ),
    Target: (
        ("ref", {"anyOf": [{"type": "string", "pattern": f"^{REF.pattern}$"}, NULL]}, "Mã chỉ tiêu: <mã văn bản>#<mã>"),
        ("url", {"type": "string"}, "Địa chỉ của chỉ tiêu trên trang văn bản"),
        ("latest_result", {"anyOf": [RESULT, NULL]}, "Kết quả mới nhất theo báo cáo; null nếu chưa có báo cáo"),
    ),
    Unit: (
        ("id", _SCALARS["id"], "Mã đơn vị (khóa trong plans/units.yml), ổn định"),
        ("url", {"type": "string"}, "Địa chỉ trang của đơn vị"),
    ),
}


def added_keys() -> tuple[tuple[str, str], ...]:
    """(key, meaning) of every added key, for the "Dữ liệu mở" page: "targets[].ref" for a target's."""
    names = {Plan: "", Target: "targets[].", Unit: "units[]."}
    return tuple((names[record] + key, meaning) for record, added in ADDED.items() for key, _, meaning in added)


def json_schema(base: str) -> dict[str, Any]:
    """The schema of van-ban.json; each data.json is one ``#/$defs/van-ban``."""
    return {
        "$schema": DRAFT,
        "$id": base + SCHEMA_JSON,
        "title": "Dữ liệu mở: văn bản, đơn vị và chỉ tiêu thực hiện Nghị quyết 71-NQ/TW",
        "type": "object",
        "properties": {
            "schema": {"type": "string", "description": "Địa chỉ của lược đồ này"},
            "documents": {"type": "array", "items": {"$ref": "#/$defs/van-ban"}},
            "units": {"type": "array", "items": {"$ref": "#/$defs/don-vi"}},
        },
        "required": ["schema", "documents", "units"],
        "additionalProperties": False,
        "$defs": {"van-ban": _object(Plan, PLAN), "don-vi": _object(Unit, UNIT)},
    }


def _object(record: type, fields: tuple[Field, ...]) -> dict[str, Any]:
    """A record as an object: its added keys, then one property per field; every key is always present."""
    defaults = {f.name: f.default for f in dataclasses.fields(record)}
    properties = {key: {**schema, "description": meaning} for key, schema, meaning in ADDED.get(record, ())}
    for f in fields:
        nullable = not f.required and defaults.get(f.name) in (None, "") and f.kind not in ("records", "texts", "refs")
        kind = {"anyOf": [_property(f), NULL]} if nullable else _property(f)
        properties.setdefault(f.name, {**kind, "description": f.meaning})
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _property(f: Field) -> dict[str, Any]:
    if f.kind == "enum":
        return {"enum": list(f.choices)}
    if f.kind in ("record", "records"):
        assert f.record is not None, f.name
        item = _object(f.record, f.fields)
        return item if f.kind == "record" else {"type": "array", "items": item}
    return dict(_SCALARS[f.kind])
