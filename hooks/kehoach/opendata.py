"""Open data: each document as JSON, the whole site as JSON and CSV, made from the records the pages show.

Nothing here reads a plan file: every value comes from the typed records (kehoach/model.py) through the
fields of kehoach/schema.py, so a key is named and described once. The JSON Schema of these files is
kehoach/dataschema.py's; the "Dữ liệu mở" page (overrides/opendata.html) documents them from the same lists.

Ids are stable: a document's is its file name, a unit's its key in units.yml, a target's ``<plan>#<target>``.
Unknown values are ``null`` in JSON and empty in CSV, never guessed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .alignment import Alignment
from .graph import Graph
from .history import Changes
from .model import Plan, Target, Unit
from .pages import plan_url, unit_url
from .schema import PLAN, TARGET, UNIT, Field

OPEN_DATA_URL = "du-lieu/"
DOCUMENTS_JSON = "du-lieu/van-ban.json"
TARGETS_CSV = "du-lieu/chi-tieu.csv"
SCHEMA_JSON = "du-lieu/schema.json"
COMPARISONS = {"=": "bằng", ">=": "ít nhất", ">": "trên", "<=": "tối đa", "<": "dưới"}  # op, in words (CSV)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet cell starting so is read as a formula


def data_uri(plan_id: str) -> str:
    return f"van-ban/{plan_id}/data.json"


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str


def _meaning(fields: tuple[Field, ...], name: str) -> str:
    return next(f.meaning for f in fields if f.name == name)


# One row per target of chi-tieu.csv; meanings of front-matter keys are the schema's own.
COLUMNS = (
    Column("target", "Mã chỉ tiêu, ổn định: <mã văn bản>#<mã chỉ tiêu>"),
    Column("plan", "Mã văn bản (tên tệp, địa chỉ /van-ban/<mã>/)"),
    Column("number", _meaning(PLAN, "number")),
    Column("title", _meaning(PLAN, "title")),
    Column("unit", _meaning(PLAN, "unit")),
    Column("unit_name", "Tên đơn vị ban hành"),
    Column("ward", "Phường của đơn vị ban hành, nếu có"),
    Column("city", "Thành phố của đơn vị ban hành, nếu có"),
    Column("year", _meaning(TARGET, "year")),
    Column("text", _meaning(TARGET, "text")),
    Column("value", _meaning(TARGET, "value") + " (dấu chấm thập phân)"),
    Column("measure_unit", _meaning(TARGET, "measure_unit")),
    Column(
        "comparison",
        "So sánh với giá trị: "
        + ", ".join(f"{w} ({op})" for op, w in COMPARISONS.items())
        + "; trống nếu không có giá trị",
    ),
    Column("serves", _meaning(TARGET, "serves") + "; nhiều mã cách nhau bởi dấu cách"),
    Column("latest_result", "Kết quả mới nhất theo các báo cáo (loại BC) về văn bản, đúng như báo cáo ghi"),
    Column("latest_result_value", "Giá trị số của kết quả mới nhất, nếu báo cáo ghi"),
    Column("latest_result_as_of", "Ngày số liệu của kết quả mới nhất (NĂM-THÁNG-NGÀY)"),
    Column(
        "latest_result_verdict",
        "đạt hoặc chưa đạt: so số liệu với chỉ tiêu, hoặc theo báo cáo tự ghi; trống nếu không rõ",
    ),
    Column("latest_result_report", "Mã báo cáo có kết quả mới nhất"),
    Column("url", "Địa chỉ của chỉ tiêu trên trang"),
)


@dataclass
class OpenData:
    """The records of one site, and what the open-data files add to them (URLs, git dates, results)."""

    graph: Graph
    base: str  # the site's address ending in "/", or "/" when it has none
    history: Mapping[str, Changes]
    alignment: Alignment
    _plans: dict[str, dict[str, Any]] = field(default_factory=dict)

    def plan(self, plan: Plan) -> dict[str, Any]:
        """A document as data.json and van-ban.json give it (made once)."""
        data = self._plans.get(plan.id)
        if data is None:
            data = self._plans[plan.id] = self._plan(plan)
        return data

    def _plan(self, plan: Plan) -> dict[str, Any]:
        changes = self.history.get(plan.path)
        data: dict[str, Any] = {"id": plan.id, "url": self.base + plan_url(plan.id)}
        data.update(record_data(plan, PLAN))
        data["targets"] = [self.target(plan, t, item) for t, item in zip(plan.targets, data["targets"], strict=True)]
        unit = self.graph.unit_of(plan)
        data["unit_name"] = unit.name
        data["ward"] = _named(self.graph.nearest_unit(unit.id, "phuong"))
        data["city"] = _named(self.graph.nearest_unit(unit.id, "thanh-pho"))
        data["reports"] = list(self.alignment.reports_of(plan.id))
        data["added"] = changes.added.isoformat() if changes else None
        data["updated"] = changes.updated.isoformat() if changes else None
        return data

    def target(self, plan: Plan, target: Target, item: dict[str, Any]) -> dict[str, Any]:
        item["ref"] = f"{plan.id}#{target.id}" if target.id else None
        item["url"] = self.base + plan_url(plan.id) + (f"#{target.id}" if target.id else "")
        item["latest_result"] = self.latest(plan, target)
        return item

    def latest(self, plan: Plan, target: Target) -> dict[str, Any] | None:
        progress = self.alignment.of(plan.id, target.id).latest if target.id else None
        if progress is None:
            return None
        result = progress.result
        return {
            "text": result.text,
            "value": result.value,
            "as_of": result.as_of.isoformat(),
            "met": result.met,
            "verdict": progress.verdict,
            "report": progress.report,
        }

    def unit(self, unit: Unit) -> dict[str, Any]:
        return {"id": unit.id, "url": self.base + unit_url(unit.id), **record_data(unit, UNIT)}

    def document_json(self, plan: Plan) -> bytes:
        return _json(self.plan(plan))

    def documents_json(self) -> bytes:
        """The whole site: every document and every unit."""
        return _json(
            {
                "schema": self.base + SCHEMA_JSON,
                "documents": [self.plan(p) for p in self.graph.plans.values()],
                "units": [self.unit(u) for u in self.graph.units.values()],
            }
        )

    def targets_csv(self) -> bytes:
        """One row per target, UTF-8 with a BOM (Excel then reads Vietnamese right), CRLF line ends."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([c.name for c in COLUMNS])
        for plan in self.graph.plans.values():
            data = self.plan(plan)
            for item in data["targets"]:
                writer.writerow(_row(data, item))
        return ("\ufeff" + out.getvalue()).encode("utf-8")


def _row(plan: dict[str, Any], target: dict[str, Any]) -> list[str]:
    latest = target["latest_result"] or {}
    row = (
        target["ref"],
        plan["id"],
        plan["number"],
        plan["title"],
        plan["unit"],
        plan["unit_name"],
        (plan["ward"] or {}).get("name"),
        (plan["city"] or {}).get("name"),
        target["year"],
        target["text"],
        target["value"],
        target["measure_unit"],
        COMPARISONS[target["op"]] if target["value"] is not None else None,
        " ".join(target["serves"]),
        latest.get("text"),
        latest.get("value"),
        latest.get("as_of"),
        latest.get("verdict"),
        latest.get("report"),
        target["url"],
    )
    return [cell(v) for v in row]


def cell(value: object) -> str:
    """A CSV cell: numbers as written in JSON, text that a spreadsheet would run as a formula quoted with '."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def record_data(record: object, fields: tuple[Field, ...]) -> dict[str, Any]:
    """A record's front-matter attributes by key, as JSON values: null when absent, lists for lists."""
    return {f.name: _value(f, getattr(record, f.name)) for f in fields}


def _value(field: Field, value: Any) -> Any:
    if value is None or value == "":
        return None
    if field.kind == "record":
        return record_data(value, field.fields)
    if field.kind == "records":
        return [record_data(item, field.fields) for item in value]
    if field.kind in ("texts", "refs"):
        return list(value)
    if field.kind == "date":
        return value.isoformat()
    return value


def _named(unit: Unit | None) -> dict[str, str] | None:
    return {"id": unit.id, "name": unit.name} if unit is not None else None


def _json(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
