"""The "Dữ liệu mở" page: which open-data files the site publishes, their CSV columns and JSON keys.

Its lists are the ones the files are made from (kehoach/opendata.py, dataschema.py, feeds.py), so the page
cannot describe a column or key the files do not have.
"""

from __future__ import annotations

from dataclasses import dataclass

from .dataschema import added_keys
from .feeds import FEED_ENTRIES, SITE_FEED, unit_calendar_uri, unit_feed_uri
from .opendata import COLUMNS, DOCUMENTS_JSON, OPEN_DATA_URL, SCHEMA_JSON, TARGETS_CSV, Column, data_uri
from .pages import Page

ID = "<mã>"  # stands for a document's or a unit's id in a path


@dataclass(frozen=True)
class DataFile:
    path: str  # site-relative
    kind: str  # the format, as readers know it
    meaning: str


FILES = (
    DataFile(DOCUMENTS_JSON, "JSON", "Mọi văn bản (kèm chỉ tiêu, phân công, căn cứ) và mọi đơn vị"),
    DataFile(TARGETS_CSV, "CSV (UTF-8 có BOM)", "Mọi chỉ tiêu, mỗi chỉ tiêu một dòng; mở được bằng Excel, LibreOffice"),
    DataFile(SCHEMA_JSON, "JSON Schema", "Lược đồ của van-ban.json và của từng data.json"),
    DataFile(data_uri(ID), "JSON", "Một văn bản, như một mục của van-ban.json"),
    DataFile(SITE_FEED, "Atom", f"{FEED_ENTRIES} văn bản mới đưa lên hoặc mới sửa gần nhất của cả trang"),
    DataFile(unit_feed_uri(ID), "Atom", "Như trên, cho văn bản của một đơn vị và các đơn vị trực thuộc"),
    DataFile(
        unit_calendar_uri(ID),
        "iCalendar",
        "Lịch của một đơn vị: năm phải đạt của từng chỉ tiêu, ngày các báo cáo; thêm vào lịch điện thoại",
    ),
)


@dataclass(frozen=True, kw_only=True)
class OpenDataPage(Page):
    files: tuple[DataFile, ...] = FILES
    columns: tuple[Column, ...] = COLUMNS
    keys: tuple[tuple[str, str], ...] = ()  # (key, meaning): JSON keys beside the front-matter keys
    schema_url: str = SCHEMA_JSON


def opendata_page() -> OpenDataPage:
    return OpenDataPage(
        src_uri=f"{OPEN_DATA_URL}index.md",
        title="Dữ liệu mở",
        template="opendata.html",
        description="Mọi văn bản và chỉ tiêu dưới dạng JSON và CSV, tin văn bản mới (Atom), lịch chỉ tiêu (iCalendar).",
        keys=added_keys(),
    )
