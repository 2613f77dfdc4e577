"""The single description of what a plan's and a unit's front matter may hold.

Each field says its type, whether it is required, what it means (in
Vietnamese, for editors) and an example. ``check`` validates a parsed mapping
against it (kehoach/fieldcheck.py) and reports every problem, never stopping
at the first; ``build`` makes the typed record of kehoach/model.py from it, by
field name; the editors' reference page (overrides/schema.html) lists it. A
field is declared here once, with an attribute of the same name on its record
(tests/test_schema.py). Names no id may take are in kehoach/reserved.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from .model import Citation, Plan, Responsibility, Result, Signer, Source, Target, Unit
from .text import DOC_TYPES, STATUSES, TARGET_OPS, UNIT_KINDS


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # text, id, url, int, number, date, bool, enum, record, records, texts, refs
    meaning: str
    example: str
    required: bool = False
    choices: tuple[str, ...] = ()
    fields: tuple[Field, ...] = ()  # for record / records
    record: type | None = None  # for record / records: the typed record built from ``fields`` (kehoach/model.py)
    formerly: str = ""  # the key's old name, still recognised to tell the editor the new one

    @property
    def nullable(self) -> bool:
        return not self.required


SIGNER = (
    Field("name", "text", "Họ tên người ký", "Đặng Thị Hương"),
    Field("role", "text", "Chức vụ người ký", "Bí thư"),
    Field("on_behalf", "text", "Ký thay mặt (TM., T/M)", "TM. Chi bộ"),
)
PARENT = (
    Field("id", "id", "Mã của văn bản cấp trên (tên tệp trong plans/, không có .md)", "71-nq-tw", required=True),
    Field("number", "text", "Số văn bản như được trích dẫn", "71-NQ/TW"),
    Field("date", "date", "Ngày văn bản như được trích dẫn (NĂM-THÁNG-NGÀY)", "2025-08-22"),
)
TARGET = (
    Field(
        "id",
        "id",
        "Mã chỉ tiêu, duy nhất trong văn bản: chữ thường không dấu, số và dấu '-' (địa chỉ /van-ban/<mã văn bản>/#<mã>)",
        "t2030-internet",
        required=True,
    ),
    Field("year", "int", "Năm phải đạt chỉ tiêu", "2030", required=True),
    Field("text", "text", "Nội dung chỉ tiêu, đúng như văn bản", "100% giáo viên được bồi dưỡng ...", required=True),
    Field("value", "number", "Giá trị số, nếu văn bản ghi", "100"),
    Field(
        "measure_unit",
        "text",
        "Đơn vị đo của giá trị (%, đảng viên ...), không phải đơn vị ban hành",
        "%",
        formerly="unit",
    ),
    Field("op", "enum", "So sánh: = bằng, >= ít nhất, > trên, <= tối đa, < dưới", ">=", choices=tuple(TARGET_OPS)),
    Field("of", "id", "Nếu là chỉ tiêu của văn bản khác được trích lại: mã văn bản đó", "05-ctr-tu-ha-noi"),
    Field("period", "text", "Giai đoạn văn bản ghi cho chỉ tiêu", "nhiệm kỳ 2025 - 2027"),
    Field(
        "source",
        "url",
        "Nguồn của chỉ tiêu (địa chỉ https://...), nếu không lấy từ toàn văn",
        "https://dantri.com.vn/...",
    ),
    Field(
        "serves",
        "refs",
        "Chỉ tiêu của văn bản cấp trên mà chỉ tiêu này góp phần thực hiện: <mã văn bản>#<mã chỉ tiêu>",
        "[05-ctr-tu-ha-noi#t2030-giao-vien]",
    ),
)
RESULT = (
    Field("target", "id", "Mã chỉ tiêu của kế hoạch được báo cáo", "t2030-internet", required=True),
    Field("as_of", "date", "Số liệu tính đến ngày (NĂM-THÁNG-NGÀY)", "2026-06-30", required=True),
    Field("text", "text", "Kết quả, đúng như báo cáo ghi", "Đã có 95% giáo viên được bồi dưỡng ...", required=True),
    Field("value", "number", "Giá trị số đạt được, nếu báo cáo ghi", "95"),
    Field("met", "bool", "true/false chỉ khi báo cáo tự ghi là đã đạt hay chưa đạt", "true"),
)
RESPONSIBILITY = (
    Field("who", "text", "Đơn vị, bộ phận được giao", "Ban Giám hiệu", required=True),
    Field("what", "text", "Nội dung được giao", "Xây dựng kế hoạch tổng thể ...", required=True),
    Field("when", "text", "Thời gian thực hiện, nếu văn bản ghi", "Thường xuyên"),
)
SOURCE = (
    Field("label", "text", "Tên nguồn", "Báo Dân trí, 28/8/2025", required=True),
    Field("url", "url", "Địa chỉ nguồn (https://...)", "https://dantri.com.vn/..."),
)

PLAN = (
    Field(
        "title",
        "text",
        "Trích yếu (tên đầy đủ) của văn bản",
        "Kế hoạch thực hiện Nghị quyết số 71-NQ/TW ...",
        required=True,
    ),
    Field("type", "enum", "Loại văn bản", "KH", required=True, choices=tuple(DOC_TYPES)),
    Field("unit", "id", "Mã đơn vị ban hành (trong plans/units.yml)", "chi-bo-mn-tran-quoc-toan", required=True),
    Field(
        "status",
        "enum",
        "Tình trạng: ban-hanh (đã ban hành) hoặc du-thao (dự thảo)",
        "ban-hanh",
        required=True,
        choices=tuple(STATUSES),
    ),
    Field("number", "text", "Số, ký hiệu văn bản; bỏ trống nếu văn bản chưa có số", "09-KH/CB"),
    Field("number_note", "text", "Số như văn bản ghi khi chưa đầy đủ", "Số: *AA* -KH/CB"),
    Field("place", "text", "Địa danh ghi ở đầu văn bản", "Việt Hưng"),
    Field("date", "date", "Ngày ban hành (NĂM-THÁNG-NGÀY); bỏ trống nếu chưa ghi", "2025-10-30"),
    Field("date_note", "text", "Ngày như văn bản ghi khi chưa đầy đủ", "ngày tháng năm 2026"),
    Field("signer", "record", "Người ký", "name: Đặng Thị Hương", fields=SIGNER, record=Signer),
    Field(
        "parents",
        "records",
        "Văn bản căn cứ (cấp trên) mà văn bản này trích dẫn",
        "- id: 71-nq-tw",
        fields=PARENT,
        record=Citation,
    ),
    Field("targets", "records", "Các chỉ tiêu, mục tiêu theo năm", "- year: 2030", fields=TARGET, record=Target),
    Field(
        "responsibilities",
        "records",
        "Phân công thực hiện",
        "- who: Ban Giám hiệu",
        fields=RESPONSIBILITY,
        record=Responsibility,
    ),
    Field("topics", "texts", "Chủ đề", "[chuyển đổi số, đội ngũ nhà giáo]"),
    Field(
        "sources",
        "records",
        "Nguồn của thông tin (với văn bản cấp trên không có toàn văn)",
        "- label: Báo Dân trí",
        fields=SOURCE,
        record=Source,
    ),
    Field(
        "reported",
        "bool",
        "true nếu thông tin lấy theo báo chí, hoặc văn bản chỉ biết qua trích dẫn trong văn bản khác (tệp sơ lược); "
        "chưa đối chiếu văn bản chính thức",
        "true",
    ),
    Field(
        "reports_on",
        "id",
        "Với báo cáo sơ kết, tổng kết (loại BC): mã kế hoạch được báo cáo",
        "09-kh-cb-mn-tran-quoc-toan",
    ),
    Field(
        "results",
        "records",
        "Với báo cáo: kết quả của từng chỉ tiêu của kế hoạch được báo cáo",
        "- target: t2030-internet",
        fields=RESULT,
        record=Result,
    ),
    Field("summary", "text", "Tóm tắt ngắn", "Chương trình hành động của Thành ủy Hà Nội ..."),
    Field("notes", "text", "Ghi chú của biên tập viên về bản gốc", "Cuối bản gốc có chữ của con dấu."),
)

UNIT = (
    Field("name", "text", "Tên đơn vị", "Chi bộ Trường Mầm non Trần Quốc Toản", required=True),
    Field("kind", "enum", "Loại đơn vị", "chi-bo", required=True, choices=tuple(UNIT_KINDS)),
    Field("parent", "id", "Mã đơn vị cấp trên (bỏ trống với Trung ương)", "truong-mn-tran-quoc-toan"),
    Field("party", "bool", "true nếu là tổ chức Đảng (văn bản mang tiêu đề ĐẢNG CỘNG SẢN VIỆT NAM)", "true"),
    Field("note", "text", "Ghi chú", "Văn bản ghi nhầm là “Đông Đa”."),
)

# Attributes of the records that no front-matter key gives: the loader sets them from the file itself
# (its name, its displayed path, the text after the front matter, a digest of its bytes, the line of each key).
GIVEN = {
    Plan: ("id", "path", "body", "body_line", "digest", "lines"),
    Unit: ("id", "line"),
}
RECORDS = ((Plan, PLAN), (Unit, UNIT))  # the top-level records; nested ones are named by their Field


Group = tuple[type, tuple[Field, ...]]


def record_groups(groups: Iterable[Group] = RECORDS) -> Iterator[Group]:
    """Every (record class, fields) pair the schema describes, nested groups included."""
    for record, fields in groups:
        yield record, fields
        yield from record_groups((f.record, f.fields) for f in fields if f.record is not None)


R = TypeVar("R")


def build(record: type[R], fields: tuple[Field, ...], data: Mapping[str, Any], **given: Any) -> R:
    """The typed record of ``data``, already checked against ``fields``: one keyword argument per field.

    A blank or absent key takes the record's default; ``given`` holds the attributes of ``GIVEN``.
    """
    values = dict(given)
    for field in fields:
        value = data.get(field.name)
        if value is not None and value != "":
            values[field.name] = _built(field, value)
    return record(**values)


def _built(field: Field, value: Any) -> Any:
    if field.kind in ("record", "records"):
        record: type[Any] | None = field.record
        assert record is not None, field.name  # every group names its record (tests/test_schema.py)
        if field.kind == "record":
            return build(record, field.fields, value)
        return tuple(build(record, field.fields, item) for item in value)
    if field.kind in ("texts", "refs"):
        return tuple(value)
    return value


KIND_NAMES = {
    "text": "chuỗi chữ",
    "id": "mã: chữ thường không dấu, số và dấu '-'",
    "url": "địa chỉ web bắt đầu bằng https:// hoặc http://",
    "int": "số nguyên",
    "number": "số",
    "date": "ngày NĂM-THÁNG-NGÀY",
    "bool": "true hoặc false",
    "enum": "một giá trị trong danh sách",
    "record": "nhóm khóa",
    "records": "danh sách nhóm khóa",
    "texts": "danh sách chuỗi chữ",
    "refs": "danh sách <mã văn bản>#<mã chỉ tiêu>",
}
